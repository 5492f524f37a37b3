"""The audit becomes tamper-evident: each dossier's rows form a hash chain (previous_hash, row_hash; the rows
written before are chained here, in id order per dossier, and each dossier keeps its chain's head), an archive table takes old rows, daily anchors per
province record the chains' heads. audit_log still refuses updates, and a delete now only of a row whose copy (same id
and hash) is in the archive; the archive and the anchors refuse both.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

from engine.auditing import chain
from engine.storage.tables import UtcDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
FROZEN = ("audit_log_archive", "audit_anchors")
ARCHIVED = "EXISTS (SELECT 1 FROM audit_log_archive a WHERE a.id = OLD.id AND a.row_hash = OLD.row_hash)"
LIVE_MESSAGE = "audit_log is append-only: a row leaves it only for audit_log_archive, once copied there (id and hash)"
BATCH = 1000


def upgrade() -> None:
    _drop_old_triggers()
    for name in ("previous_hash", "row_hash"):
        op.add_column("audit_log", sa.Column(name, sa.String(64), nullable=False, server_default=""))
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    _create_archive()
    op.create_table(
        "audit_anchors",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("province_code", sa.String(16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("heads", sa.JSON(), nullable=False),
        sa.Column("previous_hash", sa.String(64), nullable=False),
        sa.Column("anchor_hash", sa.String(64), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("province_code", "day", name="uq_audit_anchors_day"),
        sa.UniqueConstraint("province_code", "previous_hash", name="uq_audit_anchors_link"),
    )
    _chain_existing_rows()
    op.add_column("dossiers", sa.Column("audit_head", sa.String(64), nullable=True))
    op.execute("UPDATE dossiers SET audit_head = (SELECT a.row_hash FROM audit_log a WHERE a.dossier_id = dossiers.id "
               "ORDER BY a.id DESC LIMIT 1)")
    if _postgres():
        for name in ("previous_hash", "row_hash"):
            op.alter_column("audit_log", name, server_default=None)
    _create_triggers()


def downgrade() -> None:
    _drop_triggers()
    op.execute("ALTER TABLE dossiers DROP COLUMN audit_head")
    op.execute("INSERT INTO audit_log SELECT * FROM audit_log_archive")
    op.drop_table("audit_anchors")
    op.drop_index("ix_audit_log_archive_at", "audit_log_archive")
    op.drop_index("ix_audit_log_archive_dossier_id", "audit_log_archive")
    op.drop_table("audit_log_archive")
    op.drop_index("ix_audit_log_at", "audit_log")
    for name in ("row_hash", "previous_hash"):
        op.execute(f"ALTER TABLE audit_log DROP COLUMN {name}")
    _create_old_triggers()


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _create_archive() -> None:
    op.create_table(
        "audit_log_archive",
        sa.Column("id", BigId, primary_key=True, autoincrement=False),
        sa.Column("dossier_id", BigId, sa.ForeignKey("dossiers.id"), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(80), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("unit_code", sa.String(16), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("task_id", sa.String(36), nullable=True),
        sa.Column("step", sa.String(200), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("previous_hash", sa.String(64), nullable=False),
        sa.Column("row_hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_log_archive_dossier_id", "audit_log_archive", ["dossier_id"])
    op.create_index("ix_audit_log_archive_at", "audit_log_archive", ["at"])


AUDIT = sa.table("audit_log", sa.column("id"), sa.column("dossier_id"), sa.column("at", UtcDateTime()),
                 sa.column("username"), sa.column("role"), sa.column("unit_code"), sa.column("action"),
                 sa.column("task_id"), sa.column("step"), sa.column("payload", sa.JSON()),
                 sa.column("previous_hash"), sa.column("row_hash"))


def _chain_existing_rows() -> None:
    """Chain every row in id order per dossier, a batch at a time (rows without a dossier as one chain of their own)."""
    connection = op.get_bind()
    update = (sa.update(AUDIT).where(AUDIT.c.id == sa.bindparam("row_id"))
              .values(previous_hash=sa.bindparam("previous"), row_hash=sa.bindparam("hash")))
    for has_dossier in (True, False):
        last_dossier, last_id, previous = -1, 0, chain.GENESIS
        while True:
            query = sa.select(AUDIT).order_by(AUDIT.c.dossier_id, AUDIT.c.id).limit(BATCH)
            query = query.where(sa.or_(AUDIT.c.dossier_id > last_dossier,
                                       sa.and_(AUDIT.c.dossier_id == last_dossier, AUDIT.c.id > last_id))) \
                if has_dossier else query.where(AUDIT.c.dossier_id.is_(None), AUDIT.c.id > last_id)
            rows = connection.execute(query).all()
            if not rows:
                break
            links = []
            for row in rows:
                if row.dossier_id != last_dossier:
                    previous = chain.GENESIS
                digest = chain.row_hash(row, previous)
                links.append({"row_id": row.id, "previous": previous, "hash": digest})
                last_dossier, last_id, previous = row.dossier_id, row.id, digest
            connection.execute(update, links)


def _create_triggers() -> None:
    if _postgres():
        op.execute(f"""
            CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND {ARCHIVED} THEN RETURN OLD; END IF;
                RAISE EXCEPTION '{LIVE_MESSAGE}';
            END $$;
            CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
            FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
            CREATE FUNCTION audit_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$;
        """)
        for table in FROZEN:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION audit_frozen()")
        return
    op.execute("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
               f"BEGIN SELECT RAISE(ABORT, '{LIVE_MESSAGE}'); END")
    op.execute(f"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log WHEN NOT {ARCHIVED} "
               f"BEGIN SELECT RAISE(ABORT, '{LIVE_MESSAGE}'); END")
    for table in FROZEN:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")


def _drop_triggers() -> None:
    if _postgres():
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log; DROP FUNCTION audit_log_append_only();")
        for table in FROZEN:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute("DROP FUNCTION audit_frozen()")
        return
    for table in ("audit_log", *FROZEN):
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER {table}_no_{event}")


# Migration 0002's triggers, as they were.
OLD_MESSAGE = "audit_log is append-only"


def _drop_old_triggers() -> None:
    if _postgres():
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log; DROP FUNCTION audit_log_append_only();")
    else:
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER audit_log_no_{event}")


def _create_old_triggers() -> None:
    if _postgres():
        op.execute(f"""
            CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{OLD_MESSAGE}'; END $$;
            CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
            FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
        """)
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                       f"BEGIN SELECT RAISE(ABORT, '{OLD_MESSAGE}'); END")
