"""Database connections: SQLite by default, PostgreSQL when DATABASE_URL says so."""
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str) -> Engine:
    """An SQLAlchemy engine; SQLite gets WAL, foreign keys and write-locking transactions, and an in-memory SQLite
    database (`sqlite://`) one connection that every session shares (else each would see a database of its own)."""
    if url.startswith("sqlite"):
        in_memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                               **({"poolclass": StaticPool} if in_memory else {}))
        _serialise_sqlite_writers(engine)
        return engine
    # No pre-ping: it would cost a round trip per use case; recycling covers server-side idle timeouts.
    # psycopg prepares repeated statements and PostgreSQL may keep a generic plan for them; the title lookups,
    # which a generic plan on stale statistics made slow, ask for custom plans themselves (TitleRepository).
    return create_engine(url, pool_size=10, max_overflow=10, pool_recycle=1800)


def _serialise_sqlite_writers(engine: Engine) -> None:
    # SQLite has no row locks: each transaction takes the write lock up front (BEGIN IMMEDIATE), so two
    # officials on one dossier queue up instead of both reading the same old state.
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def upgrade_schema(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to an Alembic revision, the latest by default (creates every table on an empty database)."""
    _migrate(engine, command.upgrade, revision)


def downgrade_schema(engine: Engine, revision: str) -> None:
    """Take the schema back down to an Alembic revision, as rolling a release back does (each migration's way down
    is tested)."""
    _migrate(engine, command.downgrade, revision)


def _migrate(engine: Engine, move, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        move(config, revision)
