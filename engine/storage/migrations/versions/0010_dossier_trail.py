"""Each dossier keeps the elements it reached and the flows it took, drawn on its diagram and counted by the
scenarios' path coverage. Dossiers from before start with an empty trail, filled from their next step on.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dossiers", sa.Column("trail", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+ has it): copying the table, as a batch would, breaks the keys that point at it.
    op.execute("ALTER TABLE dossiers DROP COLUMN trail")
