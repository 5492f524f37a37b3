"""Drafts of task forms, per official and task, with the files chosen in them.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "task_drafts",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("task_id", sa.String(36), sa.ForeignKey("human_tasks.id"), nullable=False),
        sa.Column("username", sa.String(80), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("task_id", "username"),
    )
    op.create_index("ix_task_drafts_task_id", "task_drafts", ["task_id"])
    op.create_table(
        "draft_files",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("draft_id", BIG_ID, sa.ForeignKey("task_drafts.id"), nullable=False),
        sa.Column("field", sa.String(100), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_draft_files_draft_id", "draft_files", ["draft_id"])


def downgrade() -> None:
    op.drop_index("ix_draft_files_draft_id", "draft_files")
    op.drop_table("draft_files")
    op.drop_index("ix_task_drafts_task_id", "task_drafts")
    op.drop_table("task_drafts")
