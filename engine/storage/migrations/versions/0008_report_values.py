"""Report figures as one value per indicator, so a report other than the annual one (the Lifelong Learning Week's
activities and people reached) and a province's own figures are kept in the same table; the annual figures move
over, one row per model and part becoming three values. Tasks are indexed by step, for the reports' views.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
PARTS = ("registered", "recognised", "total")


def upgrade() -> None:
    op.create_table(
        "report_values",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("period_id", sa.Integer(), sa.ForeignKey("reporting_periods.id"), nullable=False),
        sa.Column("province_code", sa.String(16), nullable=False),
        sa.Column("unit_code", sa.String(16), nullable=False),
        sa.Column("indicator", sa.String(64), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("dossier_id", BigId, sa.ForeignKey("dossiers.id"), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("period_id", "unit_code", "indicator", name="uq_report_values_unit_indicator"),
    )
    op.create_index("ix_report_values_period_province", "report_values", ["period_id", "province_code"])
    for part in PARTS:
        op.execute(f"INSERT INTO report_values (period_id, province_code, unit_code, indicator, value, dossier_id, "
                   f"accepted_at) SELECT period_id, province_code, commune_code, '{part}_' || model, {part}, "
                   f"dossier_id, accepted_at FROM report_figures")  # nosec B608: names from PARTS, no input
    op.drop_index("ix_report_figures_period_province", "report_figures")
    op.drop_table("report_figures")
    op.create_index("ix_human_tasks_step", "human_tasks", ["bpmn_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_human_tasks_step", "human_tasks")
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
    # Only the annual report's figures had a place before: the other reports' values are dropped.
    op.execute("INSERT INTO report_figures (period_id, province_code, commune_code, model, registered, recognised, "
               "total, dossier_id, accepted_at) SELECT r.period_id, r.province_code, r.unit_code, "
               "substr(r.indicator, 12), r.value, c.value, t.value, r.dossier_id, r.accepted_at "
               "FROM report_values r "
               "JOIN report_values c ON c.period_id = r.period_id AND c.unit_code = r.unit_code "
               "AND c.indicator = 'recognised_' || substr(r.indicator, 12) "
               "JOIN report_values t ON t.period_id = r.period_id AND t.unit_code = r.unit_code "
               "AND t.indicator = 'total_' || substr(r.indicator, 12) "
               "WHERE substr(r.indicator, 1, 11) = 'registered_'")
    op.drop_index("ix_report_values_period_province", "report_values")
    op.drop_table("report_values")
