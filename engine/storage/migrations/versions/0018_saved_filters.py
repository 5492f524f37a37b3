"""Inbox filters saved by an official, shared within a unit; the tasks a return opened marked with its reason (filled
for the open tasks from their dossiers' history), with an index of each unit's return rounds; indexes of a unit's
open tasks by step, with their deadline (overdue) and, on PostgreSQL, by nearest deadline and by dossier name.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None
BATCH = 2000
RETURNED = "return_reason IS NOT NULL"
NO_DEADLINE = "9999-12-31 00:00:00+00"  # the inbox's missing deadline, as PostgreSQL writes it back


def upgrade() -> None:
    op.create_table(
        "saved_filters",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("username", sa.String(80), nullable=False),
        sa.Column("unit_code", sa.String(16), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("narrowed", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("username", "unit_code", "role", "name"),
    )
    op.create_index("ix_saved_filters_unit", "saved_filters", ["unit_code", "role"])
    op.add_column("human_tasks", sa.Column("return_reason", sa.Text(), nullable=True))
    _fill_return_reasons()
    _inbox_index(["status", "unit_code", "role", "created_at", "due_at"])
    op.create_index("ix_human_tasks_inbox_step", "human_tasks",
                    ["status", "unit_code", "role", "bpmn_id", "created_at"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_human_tasks_inbox_due ON human_tasks (status, unit_code, role, "
                   f"coalesce(due_at, '{NO_DEADLINE}'), id)")
        op.execute("CREATE INDEX ix_dossiers_name ON dossiers (coalesce(name, ''))")
        op.execute(f"CREATE INDEX ix_human_tasks_returned_due ON human_tasks (status, unit_code, role, "
                   f"coalesce(due_at, '{NO_DEADLINE}'), id) WHERE {RETURNED}")
    op.create_index("ix_human_tasks_returned", "human_tasks", ["status", "unit_code", "role", "created_at"],
                    postgresql_where=sa.text(RETURNED), sqlite_where=sa.text(RETURNED))


def _inbox_index(columns: list[str]) -> None:
    op.drop_index("ix_human_tasks_inbox", "human_tasks")
    op.create_index("ix_human_tasks_inbox", "human_tasks", columns)


def _fill_return_reasons() -> None:
    """An open task opened by a return when the last completion its dossier recorded since the task opened decided
    'return' (a step completed beside it since could hide one: no shipped diagram returns beside a parallel step)."""
    connection = op.get_bind()
    tasks = sa.table("human_tasks", sa.column("id", sa.String), sa.column("dossier_id", sa.BigInteger),
                     sa.column("status", sa.String), sa.column("created_at", sa.DateTime(timezone=True)),
                     sa.column("return_reason", sa.Text))
    last = ""
    while True:
        rows = connection.execute(sa.select(tasks.c.id, tasks.c.dossier_id, tasks.c.created_at)
                                  .where(tasks.c.status == "open", tasks.c.id > last)
                                  .order_by(tasks.c.id).limit(BATCH)).all()
        if not rows:
            return
        completions = _completions(connection, {row.dossier_id for row in rows})
        reasons = [{"key": row.id, "reason": reason} for row in rows
                   if (reason := _return_reason(completions.get(row.dossier_id, []), row.created_at)) is not None]
        if reasons:
            connection.execute(tasks.update().where(tasks.c.id == sa.bindparam("key"))
                               .values(return_reason=sa.bindparam("reason")), reasons)
        last = rows[-1].id


def _completions(connection, dossier_ids: set[int]) -> dict[int, list[tuple]]:
    """{dossier: [(at, payload)]}: its history's completions, archived and live, oldest first."""
    found: dict[int, list[tuple]] = {}
    for name in ("audit_log_archive", "audit_log"):
        table = sa.table(name, sa.column("id", sa.BigInteger), sa.column("dossier_id", sa.BigInteger),
                         sa.column("action", sa.String), sa.column("at", sa.DateTime(timezone=True)),
                         sa.column("payload", sa.JSON))
        query = (sa.select(table.c.dossier_id, table.c.at, table.c.payload)
                 .where(table.c.dossier_id.in_(dossier_ids), table.c.action == "complete").order_by(table.c.id))
        for dossier_id, at, payload in connection.execute(query):
            found.setdefault(dossier_id, []).append((at, payload))
    return found


def _return_reason(completions: list[tuple], opened_at) -> str | None:
    since = [payload for at, payload in completions if _aware(at) >= _aware(opened_at)]
    if not since or (since[-1] or {}).get("decision") != "return":
        return None
    return str(since[-1].get("comment") or "")


def _aware(moment: datetime) -> datetime:
    # SQLite gives naive datetimes back: they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def downgrade() -> None:
    op.drop_index("ix_human_tasks_returned", "human_tasks")
    op.drop_index("ix_human_tasks_inbox_step", "human_tasks")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_human_tasks_inbox_due")
        op.execute("DROP INDEX ix_dossiers_name")
        op.execute("DROP INDEX ix_human_tasks_returned_due")
    _inbox_index(["status", "unit_code", "role", "created_at"])
    op.drop_column("human_tasks", "return_reason")
    op.drop_index("ix_saved_filters_unit", "saved_filters")
    op.drop_table("saved_filters")
