"""Titles know their subject's identity (one title per subject and year), level and deciding unit.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("titles") as batch:
        batch.add_column(sa.Column("subject_key", sa.String(240), nullable=True))
        batch.add_column(sa.Column("level", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("deciding_unit", sa.String(16), nullable=True))
    # Rows so far are learning families decided by their province. The key is computed as the engine does
    # (NFC, single spaces, casefold), frozen here so later changes to the engine cannot alter this upgrade.
    titles = sa.table("titles", sa.column("id"), sa.column("branch_code"), sa.column("subject_name"),
                      sa.column("province_code"), sa.column("subject_key"), sa.column("deciding_unit"))
    connection = op.get_bind()
    for row in connection.execute(sa.select(titles.c.id, titles.c.branch_code, titles.c.subject_name,
                                            titles.c.province_code)).all():
        name = unicodedata.normalize("NFC", " ".join(row.subject_name.split())).casefold()
        connection.execute(titles.update().where(titles.c.id == row.id).values(
            subject_key=f"{row.branch_code}:{name}", deciding_unit=row.province_code))
    with op.batch_alter_table("titles") as batch:
        batch.alter_column("subject_key", nullable=False)
        batch.alter_column("deciding_unit", nullable=False)
        # Subject first: looking a list's households up is then an index search, whatever the statistics say.
        batch.create_unique_constraint("uq_titles_subject_year", ["subject_key", "title", "year"])


def downgrade() -> None:
    with op.batch_alter_table("titles") as batch:
        batch.drop_constraint("uq_titles_subject_year", type_="unique")
        batch.drop_column("deciding_unit")
        batch.drop_column("level")
        batch.drop_column("subject_key")
