"""All five learning models: branch kinds, processes offering several titles, recognition decisions holding
their subjects, and attachments.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("units") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=True))
    op.execute("UPDATE units SET kind = 'village' WHERE level = 'branch'")
    # SQLite does not enforce lengths (and rebuilding the table would trip the dossiers' foreign key).
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("process_versions", "title", type_=sa.String(200), existing_type=sa.String(32),
                        existing_nullable=False)
    op.create_table(
        "recognition_decisions",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("deciding_unit", sa.String(16), nullable=False),
        sa.Column("number", sa.String(64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("signer_name", sa.String(200), nullable=False),
        sa.Column("signer_office", sa.String(200), nullable=False),
        sa.Column("title", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("deciding_unit", "number", "year", name="uq_recognition_decisions_number"),
    )
    op.create_table(
        "attachments",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("dossier_id", BigId, sa.ForeignKey("dossiers.id"), nullable=False, index=True),
        sa.Column("field", sa.String(100), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.String(80), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("titles") as batch:
        batch.add_column(sa.Column("decision_id", BigId, sa.ForeignKey("recognition_decisions.id",
                                                                        name="fk_titles_decision"), nullable=True))
        batch.create_index("ix_titles_decision_id", ["decision_id"])
    _backfill_decisions()


def _backfill_decisions() -> None:
    """Titles recorded so far carry their decision's number, date and signer ("name, office"): one decision
    per deciding unit, number and year."""
    titles = sa.table("titles", sa.column("id"), sa.column("title"), sa.column("deciding_unit"),
                      sa.column("decision_number"), sa.column("decision_date", sa.Date()), sa.column("signer"),
                      sa.column("decision_id"), sa.column("recorded_at", sa.DateTime(timezone=True)))
    decisions = sa.table("recognition_decisions", sa.column("id"), sa.column("deciding_unit"), sa.column("number"),
                         sa.column("year"), sa.column("decided_on", sa.Date()), sa.column("signer_name"),
                         sa.column("signer_office"), sa.column("title"),
                         sa.column("created_at", sa.DateTime(timezone=True)))
    connection = op.get_bind()
    # One statement per decision, not per title: a province's decision covers thousands of households.
    keys = (titles.c.deciding_unit, titles.c.decision_number, titles.c.decision_date, titles.c.signer, titles.c.title)
    groups = connection.execute(sa.select(*keys, sa.func.min(titles.c.recorded_at).label("first"))
                                .group_by(*keys).order_by(sa.func.min(titles.c.id))).all()
    known = {}
    for group in groups:
        key = (group.deciding_unit, group.decision_number, group.decision_date.year)
        if key not in known:
            name, _, office = group.signer.partition(",")
            known[key] = connection.execute(decisions.insert().values(
                deciding_unit=group.deciding_unit, number=group.decision_number, year=group.decision_date.year,
                decided_on=group.decision_date, signer_name=name.strip(), signer_office=office.strip(),
                title=group.title, created_at=group.first).returning(decisions.c.id)).scalar_one()
        connection.execute(titles.update().where(
            titles.c.deciding_unit == group.deciding_unit, titles.c.decision_number == group.decision_number,
            titles.c.decision_date == group.decision_date).values(decision_id=known[key]))


def downgrade() -> None:
    with op.batch_alter_table("titles") as batch:
        batch.drop_index("ix_titles_decision_id")
        batch.drop_constraint("fk_titles_decision", type_="foreignkey")
        batch.drop_column("decision_id")
    op.drop_table("attachments")
    op.drop_table("recognition_decisions")
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("process_versions", "title", type_=sa.String(32), existing_type=sa.String(200),
                        existing_nullable=False)
    with op.batch_alter_table("units") as batch:
        batch.drop_column("kind")
