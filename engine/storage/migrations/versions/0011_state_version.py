"""Stored workflow state carries an integer version (the dossier's state and the process version's spec alike) in
place of the serializer's name, so `flask upgrade-state` can bring older state up one step at a time. The one name
written so far is version 1; a dossier with any other is version 0, which no step upgrades (it is reported).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

VERSION_1 = "spiff-3.2.0/1.5/compact-1"


def upgrade() -> None:
    op.add_column("dossiers", sa.Column("state_version", sa.Integer(), nullable=False, server_default="0"))
    op.execute(sa.text("UPDATE dossiers SET state_version = 1 WHERE serializer_version = :old")
               .bindparams(old=VERSION_1))
    # Plain DROP COLUMN (SQLite 3.35+ has it): copying the table, as a batch would, breaks the keys that point at it.
    op.execute("ALTER TABLE dossiers DROP COLUMN serializer_version")
    op.create_index("ix_dossiers_state_version", "dossiers", ["state_version"])
    op.add_column("process_versions", sa.Column("state_version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    op.add_column("dossiers", sa.Column("serializer_version", sa.String(32), nullable=False, server_default=""))
    op.execute(sa.text("UPDATE dossiers SET serializer_version = :old WHERE state_version = 1")
               .bindparams(old=VERSION_1))
    op.drop_index("ix_dossiers_state_version", "dossiers")
    op.execute("ALTER TABLE dossiers DROP COLUMN state_version")
    op.execute("ALTER TABLE process_versions DROP COLUMN state_version")
