"""Decision tables loaded apart from the diagrams (national or per province), pinned on each dossier.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decision_tables",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("decision_id", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("province_code", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("dmn", sa.Text(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_by", sa.String(80), nullable=False),
        sa.UniqueConstraint("decision_id", "province_code", "version", name="uq_decision_tables_version"),
    )
    op.create_index("ix_decision_tables_lookup", "decision_tables", ["decision_id", "province_code", "version"])
    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(sa.Column("decision_tables", sa.JSON(), nullable=False, server_default="{}"))
    with op.batch_alter_table("process_versions") as batch:
        batch.add_column(sa.Column("decisions", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("properties", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("process_versions") as batch:
        batch.drop_column("properties")
        batch.drop_column("decisions")
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_column("decision_tables")
    op.drop_index("ix_decision_tables_lookup", "decision_tables")
    op.drop_table("decision_tables")
