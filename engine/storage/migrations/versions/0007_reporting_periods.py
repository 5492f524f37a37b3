"""Reporting periods: the ministry opens one per kind of report and year, with the provinces' deadline; the
communes' accepted figures; when a task was reminded of its deadline; provinces' own targets.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "reporting_periods",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("province_deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recipient", sa.String(300), nullable=False),
        sa.Column("opened_by", sa.String(80), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("kind", "year", name="uq_reporting_periods_kind_year"),
    )
    op.create_table(
        "report_figures",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("period_id", sa.Integer(), sa.ForeignKey("reporting_periods.id"), nullable=False),
        sa.Column("province_code", sa.String(16), nullable=False),
        sa.Column("commune_code", sa.String(16), nullable=False),
        sa.Column("model", sa.String(32), nullable=False),
        sa.Column("registered", sa.Integer(), nullable=False),
        sa.Column("recognised", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("dossier_id", BigId, sa.ForeignKey("dossiers.id"), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("period_id", "commune_code", "model", name="uq_report_figures_commune_model"),
    )
    op.create_index("ix_report_figures_period_province", "report_figures", ["period_id", "province_code"])
    with op.batch_alter_table("human_tasks") as batch:
        batch.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "targets",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("province_code", sa.String(16), nullable=False),
        sa.Column("model", sa.String(32), nullable=False),
        sa.Column("milestone_year", sa.Integer(), nullable=False),
        sa.Column("rate", sa.Float(), nullable=False),
        sa.Column("set_by", sa.String(80), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("province_code", "model", "milestone_year", name="uq_targets"),
    )


def downgrade() -> None:
    op.drop_table("targets")
    with op.batch_alter_table("human_tasks") as batch:
        batch.drop_column("reminded_at")
    op.drop_index("ix_report_figures_period_province", "report_figures")
    op.drop_table("report_figures")
    op.drop_table("reporting_periods")
