"""The fixtures every test can ask for (a pytest plugin, named in the root conftest.py): its database, units of work
on it, a movable clock, the cast of officials, the app with its client, CLI runner and a live server, sign-in helpers.

Where a test's database is (`database_url`): in memory, unless the test needs one others can reach: it asks for
`database_url` by name, or uses the app (its client, CLI runner, live server), and gets an SQLite file; marked
`postgres` (a scenario: tagged @postgres), it gets PostgreSQL; parametrised with `on_both_databases` (or with
"sqlite" and "postgresql" as database_url's parameters), it runs on both."""
import inspect
import os
import threading
import uuid
from datetime import UTC, datetime

import pytest
from werkzeug.serving import make_server

from engine.clock import MovableClock
from engine.jobs.dispatchers import inline_units_of_work
from engine.model import Official, Role
from engine.organisation import accounts, passwords, tokens, units
from engine.storage.database import make_engine, make_session_factory
from tests.support import databases, processes
from tests.support.builders import PASSWORD, csrf_token

MEMORY = "sqlite://"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """A test given PostgreSQL as its database carries the postgres mark, so that `-m postgres` selects it."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("database_url") == "postgresql":
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session")
def memory_template():
    engine = databases.memory_template()
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    return databases.sqlite_template(tmp_path_factory.mktemp("template") / "template.sqlite")


@pytest.fixture(scope="session")
def postgres_template():
    if not databases.postgres_reachable():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {databases.PG_ADMIN_URL}; CI must test on it")
        pytest.skip(f"PostgreSQL is not reachable at {databases.PG_ADMIN_URL}")
    name = databases.postgres_template()
    yield name
    databases.drop_postgres(name)


@pytest.fixture
def broker():
    """RabbitMQ at 127.0.0.1:5672 with a queue of the test's own (deleted afterwards): (broker URL, queue). Skipped
    when no broker answers, failed in CI."""
    if not processes.broker_reachable():
        if os.environ.get("CI"):
            pytest.fail(f"RabbitMQ is not reachable at {processes.BROKER_URL}; CI must test on it")
        pytest.skip(f"RabbitMQ is not reachable at {processes.BROKER_URL}")
    queue = f"lm-test-{uuid.uuid4().hex[:10]}"
    yield processes.BROKER_URL, queue
    processes.delete_queue(queue)


def _kind(request) -> str:
    if hasattr(request, "param"):
        return request.param
    if request.node.get_closest_marker("postgres"):
        return "postgresql"
    asked = "database_url" in inspect.signature(request.function).parameters or any(
        "database_url" in mark.args for mark in request.node.iter_markers("usefixtures"))
    return "sqlite" if asked or "app" in request.fixturenames else "memory"


@pytest.fixture
def database_url(request):
    """The test's fresh database (see the module's doc for where), with the units and the shipped diagrams; an SQLite
    file or PostgreSQL has the schema Alembic makes, memory the tables of the models."""
    kind = _kind(request)
    if kind == "memory":
        yield MEMORY
    elif kind == "sqlite":
        yield databases.sqlite_copy(request.getfixturevalue("sqlite_template"), request.getfixturevalue("tmp_path"))
    else:
        name = f"lm_test_{uuid.uuid4().hex[:10]}"
        databases.create_postgres(name, template=request.getfixturevalue("postgres_template"))
        yield databases.postgres_url(name)
        databases.drop_postgres(name)


@pytest.fixture
def session_factory(request, database_url):
    if database_url == MEMORY:
        engine = databases.memory_copy(request.getfixturevalue("memory_template"))
    else:
        engine = make_engine(database_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def clock():
    return MovableClock(datetime(2026, 11, 20, 1, 0, tzinfo=UTC))


@pytest.fixture
def new_uow(session_factory, clock):
    """Makes a unit of work: each use case takes a fresh one, as each request does. The jobs a use case asks for run
    as soon as it commits, in the test's thread."""
    return inline_units_of_work(session_factory, clock)


@pytest.fixture
def uow(new_uow):
    """One unit of work, for a test that runs one use case or reads once."""
    return new_uow()


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


@pytest.fixture(scope="session")
def password_hash() -> str:
    return passwords.hash_password(PASSWORD)


@pytest.fixture
def officials(new_uow, password_hash) -> Officials:
    # A scrypt hash costs about 50 ms: the cast shares one hash of its password (signing in still checks it in full).
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "hash_password", lambda password: password_hash if password == PASSWORD
                      else passwords.hash_password(password))
        return Officials(new_uow)


@pytest.fixture
def app(database_url, clock):
    from web import create_app
    from web.config import TestConfig

    if database_url == MEMORY:
        pytest.fail("the app cannot reach this test's database, in memory: a scenario whose steps use the app must be "
                    "tagged @postgres (or ask for database_url in its test function)")

    class ThisTest(TestConfig):
        DATABASE_URL, CLOCK = database_url, clock

    return create_app(ThisTest)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def live_server(app):
    """The app served by a real threaded HTTP server on loopback, as gunicorn would with threads."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


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


@pytest.fixture
def api(client, officials, new_uow):
    """The JSON API as a script calls it: with a token of the official's (scopes read and act)."""
    class Api:
        def __init__(self):
            self.tokens = {}

        def headers(self, who) -> dict:
            """`Authorization: Bearer …` with a token of `who`, made once."""
            if who.username not in self.tokens:
                self.tokens[who.username] = tokens.create_token(who, "kiểm thử", ["read", "act"], 30, new_uow()).secret
            return {"Authorization": f"Bearer {self.tokens[who.username]}"}

        def get(self, url, who):
            return client.get(url, headers=self.headers(who))

        def post(self, url, who, body):
            return client.post(url, json=body, headers=self.headers(who))
    return Api()
