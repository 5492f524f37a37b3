"""Dossiers found in the inbox by name and subjects' names, accents ignored: their name and folded search text,
filled for the dossiers already stored; on PostgreSQL a trigram index answers a search inside any words.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

from engine.search import search_text

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None
BATCH = 2000


def upgrade() -> None:
    op.add_column("dossiers", sa.Column("name", sa.String(200), nullable=True))
    op.add_column("dossiers", sa.Column("search_text", sa.Text(), nullable=True))
    _fill()
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_dossiers_search_text ON dossiers USING gin (search_text gin_trgm_ops)")


def _fill() -> None:
    connection = op.get_bind()
    dossiers = sa.table("dossiers", sa.column("id", sa.BigInteger), sa.column("data", sa.JSON),
                        sa.column("name", sa.String), sa.column("search_text", sa.Text))
    last = 0
    while True:
        rows = connection.execute(sa.select(dossiers.c.id, dossiers.c.data).where(dossiers.c.id > last)
                                  .order_by(dossiers.c.id).limit(BATCH)).all()
        if not rows:
            return
        connection.execute(dossiers.update().where(dossiers.c.id == sa.bindparam("key")), [
            {"key": row.id, "name": str((row.data or {}).get("name") or "")[:200] or None,
             "search_text": search_text(row.data or {})} for row in rows])
        last = rows[-1].id


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_dossiers_search_text")
    op.drop_column("dossiers", "search_text")
    op.drop_column("dossiers", "name")
