"""The databases a test runs on, each filled the same way (the official units, the national decision tables, the
shipped diagrams) from a template made once a session: in memory (the default for use cases), an SQLite file (for
the app, a server, the CLI) or PostgreSQL (for what only PostgreSQL does: row locks, SKIP LOCKED, plans)."""
import os
import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from engine.designing import deployments
from engine.model import SYSTEM
from engine.organisation import units
from engine.recognition import decision_tables
from engine.storage.database import make_engine, make_session_factory, upgrade_schema
from engine.storage.tables import Base
from engine.storage.unit_of_work import UnitOfWork
from tests.support import BPMN

PG_ADMIN_URL = os.environ.get("DATABASE_TEST_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")

on_both_databases = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
"""Runs a test on an SQLite file and on PostgreSQL, for what both must do alike and each does its own way."""


def fill(engine: Engine) -> None:
    """What every test database holds before the test: the official units, the national tables, the diagrams."""
    factory = make_session_factory(engine)
    units.load_administrative_units(UnitOfWork(factory))
    decision_tables.load_decision_directory(BPMN, SYSTEM, lambda: UnitOfWork(factory))
    deployments.deploy_directory(BPMN, SYSTEM, UnitOfWork(factory))


def memory_engine() -> Engine:
    """An empty in-memory SQLite database every session shares (one connection: StaticPool), with the pragmas and
    the write-locking BEGIN that make_engine gives SQLite."""
    return make_engine("sqlite://")


def memory_template() -> Engine:
    """The in-memory template: tables from the models (no Alembic run), filled."""
    engine = memory_engine()
    Base.metadata.create_all(engine)
    fill(engine)
    return engine


def memory_copy(template: Engine) -> Engine:
    """A fresh in-memory database, a copy of the template (SQLite's backup: about a millisecond)."""
    engine = memory_engine()
    with template.connect() as source, engine.connect() as target:
        source.connection.driver_connection.backup(target.connection.driver_connection)
    return engine


def sqlite_template(path: Path) -> Path:
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine)
    fill(engine)
    engine.dispose()
    return path


def sqlite_copy(template: Path, folder: Path) -> str:
    path = folder / "test.sqlite"
    shutil.copy(template, path)
    return f"sqlite:///{path}"


def postgres_reachable() -> bool:
    try:
        with create_engine(PG_ADMIN_URL).connect() as connection:
            connection.execute(text("select 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means: no server to test against
        return False


def database_at(database_url: str, tmp_path: Path, revision: str, rows: Sequence[str] = ()) -> tuple[str, Engine]:
    """A database of the test's own (an SQLite file in `tmp_path`, or the PostgreSQL test database emptied), its schema
    stopped at Alembic `revision`, holding `rows` (INSERTs written for that revision's tables): its url and engine."""
    url = f"sqlite:///{tmp_path / 'old.sqlite'}" if database_url.startswith("sqlite") else database_url
    engine = make_engine(url)
    if not url.startswith("sqlite"):
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade_schema(engine, revision)
    with engine.begin() as connection:
        for statement in rows:
            connection.execute(text(statement))
    return url, engine


def postgres_url(name: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def create_postgres(name: str, template: str | None = None) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    admin.dispose()


def drop_postgres(name: str) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def postgres_template() -> str:
    name = f"lm_template_{uuid.uuid4().hex[:8]}"
    create_postgres(name)
    engine = make_engine(postgres_url(name))
    upgrade_schema(engine)
    fill(engine)
    engine.dispose()
    return name


def write_past_triggers(url: str, statement: str) -> None:
    """Run `statement` as an intruder with database access would: past the append-only triggers (PostgreSQL: as a
    replica applying changes, which fires no trigger; SQLite: the statement's table's triggers dropped for it and put
    back)."""
    engine = make_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            connection.execute(text(statement))
        else:
            table = statement.split()[1] if statement.upper().startswith("UPDATE") else statement.split()[2]
            triggers = connection.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                               "AND tbl_name = :table"), {"table": table}).all()
            for name, _ in triggers:
                connection.execute(text(f"DROP TRIGGER {name}"))
            connection.execute(text(statement))
            for _, sql in triggers:
                connection.execute(text(sql))
    engine.dispose()
