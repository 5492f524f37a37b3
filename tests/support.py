"""Shared fixtures (loaded as a pytest plugin): a real database per test (SQLite file, or PostgreSQL), a movable
clock, officials, the app."""
import base64
import os
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from engine.clock import MovableClock
from engine.designing import deployments
from engine.model import SYSTEM, Official, Role
from engine.organisation import accounts, units
from engine.recognition import decision_tables
from engine.storage.database import make_engine, make_session_factory, upgrade_schema
from engine.storage.unit_of_work import UnitOfWork

ROOT = Path(__file__).parent.parent
BPMN = ROOT / "bpmn"
PG_ADMIN_URL = os.environ.get("DATABASE_TEST_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PASSWORD = "mat-khau-thu-nghiem"


def _prepare(url: str) -> None:
    engine = make_engine(url)
    upgrade_schema(engine)
    factory = make_session_factory(engine)
    units.load_administrative_units(UnitOfWork(factory))
    decision_tables.load_decision_directory(BPMN, SYSTEM, lambda: UnitOfWork(factory))
    deployments.deploy_directory(BPMN, SYSTEM, UnitOfWork(factory))
    engine.dispose()


def _postgres_reachable() -> bool:
    try:
        with create_engine(PG_ADMIN_URL).connect() as connection:
            connection.execute(text("select 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means: no server to test against
        return False


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    _prepare(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_template():
    if not _postgres_reachable():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN_URL}; CI must test on it")
        pytest.skip(f"PostgreSQL is not reachable at {PG_ADMIN_URL}")
    name = f"lm_template_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    _prepare(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    yield name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _postgres_copy(request, template: str) -> str:
    name = f"lm_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    request.addfinalizer(drop)
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def fresh_database(request, kind: str, tmp_path: Path) -> str:
    """A fresh database of `kind` with the schema, the official units and the shipped diagrams."""
    if kind == "postgresql":
        return _postgres_copy(request, request.getfixturevalue("postgres_template"))
    path = tmp_path / "test.sqlite"
    shutil.copy(request.getfixturevalue("sqlite_template"), path)
    return f"sqlite:///{path}"


@pytest.fixture(params=["sqlite"])
def database_url(request, tmp_path):
    return fresh_database(request, request.param, tmp_path)


@pytest.fixture
def clock():
    return MovableClock(datetime(2026, 11, 20, 1, 0, tzinfo=UTC))


@pytest.fixture
def session_factory(database_url):
    engine = make_engine(database_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def new_uow(session_factory, clock):
    """Makes a unit of work: each use case takes a fresh one, as each request does."""
    return lambda: UnitOfWork(session_factory, clock)


class Officials:
    """The cast: two branches in Phường Hoàn Kiếm (00070), one in Phường Cửa Nam (00073), all in Hà Nội (01)."""

    def __init__(self, new_uow):
        self.branch_code = units.add_branch("00070", "Chi hội tổ 1", new_uow())
        self.other_branch_code = units.add_branch("00073", "Chi hội tổ 5", new_uow())
        self.branch = self._make(new_uow, "chihoi1", Role.BRANCH, self.branch_code)
        self.other_branch = self._make(new_uow, "chihoi5", Role.BRANCH, self.other_branch_code)
        self.commune = self._make(new_uow, "xa-hoankiem", Role.COMMUNE, "00070")
        self.other_commune = self._make(new_uow, "xa-cuanam", Role.COMMUNE, "00073")
        self.province = self._make(new_uow, "tinh-hanoi", Role.PROVINCE, "01")
        self.other_province = self._make(new_uow, "tinh-hue", Role.PROVINCE, "46")
        self.ministry = self._make(new_uow, "bo", Role.MINISTRY, None)
        self.designer = self._make(new_uow, "thietke", Role.DESIGNER, None)

    @staticmethod
    def _make(new_uow, username, role, unit):
        return accounts.create_user(username, PASSWORD, role, unit, new_uow())


@pytest.fixture
def officials(new_uow) -> Officials:
    return Officials(new_uow)


@pytest.fixture
def app(database_url, clock):
    from web import create_app
    from web.config import TestConfig

    class ThisTest(TestConfig):
        DATABASE_URL, CLOCK = database_url, clock

    return create_app(ThisTest)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(html: str) -> str:
    marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    return html[start:html.index('"', start)]


@pytest.fixture
def login_as(client):
    """Sign a test client in through the login page, CSRF token and all."""

    def sign_in(official: Official, password: str = PASSWORD):
        token = csrf_token(client.get("/login").get_data(as_text=True))
        response = client.post("/login", data={"username": official.username, "password": password,
                                               "csrf_token": token})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return sign_in


def xlsx_file(*rows) -> bytes:
    """An .xlsx file whose first sheet holds these rows, as an official would save it from Excel."""
    from io import BytesIO

    from openpyxl import Workbook
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def basic(official, password=PASSWORD) -> dict:
    """HTTP Basic headers for an official, as a script calling the API sends them."""
    token = base64.b64encode(f"{official.username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.fixture
def api(client, officials):
    """The JSON API as a script calls it: signed in by HTTP Basic."""
    class Api:
        def get(self, url, who):
            return client.get(url, headers=basic(who))

        def post(self, url, who, body):
            return client.post(url, json=body, headers=basic(who))
    return Api()
