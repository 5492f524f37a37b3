"""Timers: each dossier keeps when its earliest timer falls due, indexed, so a sweep never loads the others;
a task keeps its deadline.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(sa.Column("timer_due_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_dossiers_timer_due_at", ["timer_due_at"])
    with op.batch_alter_table("human_tasks") as batch:
        batch.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("human_tasks") as batch:
        batch.drop_column("due_at")
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_index("ix_dossiers_timer_due_at")
        batch.drop_column("timer_due_at")
