"""The inbox answered from the tasks alone: each task holds a copy of its dossier's title, year, branch, commune, name
and search text (filled for the tasks already stored), with indexes of the open tasks for each filter and order and,
on PostgreSQL, the statistics its planner needs to choose among them; the dossiers' name and trigram indexes, which
only the inbox read, go.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None
BATCH = 2000  # dossiers a statement fills the tasks of
OPEN = "status = 'open'"
OPEN_WITH_DEADLINE = "status = 'open' AND due_at IS NOT NULL"
STATISTICS = "st_human_tasks_joined_text"
INBOX_STATISTICS = "st_human_tasks_inbox"
# The task's column: the dossier's it copies.
COPIED = {"dossier_title": "title", "dossier_year": "year", "branch_code": "branch_code",
          "commune_code": "commune_code", "dossier_name": "name", "search_text": "search_text"}
REQUIRED = {"dossier_title": sa.String(32), "dossier_year": sa.Integer(), "branch_code": sa.String(16),
            "commune_code": sa.String(16)}


def upgrade() -> None:
    for column, kind in REQUIRED.items():
        op.add_column("human_tasks", sa.Column(column, kind, nullable=True))
    op.add_column("human_tasks", sa.Column("dossier_name", sa.String(200), nullable=True))
    op.add_column("human_tasks", sa.Column("search_text", sa.Text(), nullable=True))
    _fill()
    with op.batch_alter_table("human_tasks") as batch:  # SQLite alters a column by copying its table
        for column, kind in REQUIRED.items():
            batch.alter_column(column, existing_type=kind, nullable=False)
    for name, column in (("ix_human_tasks_open_branch", "branch_code"),
                         ("ix_human_tasks_open_commune", "commune_code")):
        op.create_index(name, "human_tasks", ["unit_code", "role", column, "created_at"],
                        postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))
    op.create_index("ix_human_tasks_open_overdue", "human_tasks", ["unit_code", "role", "created_at", "due_at"],
                    postgresql_where=sa.text(OPEN_WITH_DEADLINE), sqlite_where=sa.text(OPEN_WITH_DEADLINE))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
        op.execute(f"CREATE INDEX ix_human_tasks_open_name ON human_tasks (unit_code, role, "
                   f"coalesce(dossier_name, ''), id) WHERE {OPEN}")
        op.execute(f"CREATE INDEX ix_human_tasks_open_text ON human_tasks USING gin (unit_code, "
                   f"replace(search_text, ' ', '') gin_trgm_ops) WHERE {OPEN}")
        # The planner reads no statistics of a partial index's expression: without these it took a common name for
        # a rare one and sorted seventy thousand tasks found in the trigram index (0.4 s) instead of reading the
        # inbox in order until a page was full.
        op.execute(f"CREATE STATISTICS {STATISTICS} ON (replace(search_text, ' ', '')) FROM human_tasks")
        # Nor does it see that a province's open tasks are nearly all its role's: it took a hundred thousand for nine
        # thousand and sorted them all to count a thousand by nearest deadline (25 ms, not 2.5).
        op.execute(f"CREATE STATISTICS {INBOX_STATISTICS} (mcv) ON status, unit_code, role FROM human_tasks")
        op.execute("DROP INDEX ix_dossiers_name")
        op.execute("DROP INDEX ix_dossiers_search_text")


def _fill() -> None:
    """Each batch of dossiers' tasks in one statement, the values read from their dossier."""
    connection = op.get_bind()
    dossiers = sa.table("dossiers", sa.column("id", sa.BigInteger), *(sa.column(c) for c in COPIED.values()))
    tasks = sa.table("human_tasks", sa.column("dossier_id", sa.BigInteger), *(sa.column(c) for c in COPIED))
    copied = {task_column: sa.select(dossiers.c[column]).where(dossiers.c.id == tasks.c.dossier_id).scalar_subquery()
              for task_column, column in COPIED.items()}
    last = 0
    while True:
        ids = connection.execute(sa.select(dossiers.c.id).where(dossiers.c.id > last).order_by(dossiers.c.id)
                                 .limit(BATCH)).scalars().all()
        if not ids:
            return
        connection.execute(tasks.update().where(tasks.c.dossier_id.between(ids[0], ids[-1])).values(copied))
        last = ids[-1]


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_dossiers_search_text ON dossiers USING gin (search_text gin_trgm_ops)")
        op.execute("CREATE INDEX ix_dossiers_name ON dossiers (coalesce(name, ''))")
        op.execute(f"DROP STATISTICS {STATISTICS}")
        op.execute(f"DROP STATISTICS {INBOX_STATISTICS}")
        op.execute("DROP INDEX ix_human_tasks_open_text")
        op.execute("DROP INDEX ix_human_tasks_open_name")
    for name in ("ix_human_tasks_open_overdue", "ix_human_tasks_open_commune", "ix_human_tasks_open_branch"):
        op.drop_index(name, "human_tasks")
    with op.batch_alter_table("human_tasks") as batch:
        for column in COPIED:
            batch.drop_column(column)
