"""The designers' page counts each process version's dossiers by status from an index, not by reading the dossiers.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_dossiers_version_status", "dossiers", ["process_version_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_dossiers_version_status", "dossiers")
