"""The authorization matrix (authorization_matrix.py) run over the app: every route, method, caller and owner answers
as declared, no answer shows another unit's names, and nothing is stored by the writes it sends. Bad inputs tried,
one per write: an empty form (a task, an import without a file, a reporting period, a deployment, a password, a
token), a start with a year in words (page and API), a form value no step has ("zz_not_a_field"), a branch name
the commune already has, a wrong (empty) password, a migration with nothing to move, a token revoked already, a
Camunda deployment without files; each as every caller, on its own unit's object and on another's.

The meta-tests show the check failing: a route added without a declaration, a route leaking another unit's names
(a page and an .xlsx), a wrong declared status, a declaration left for a route that is gone."""
import time
from datetime import UTC, datetime
from io import BytesIO

import pytest
from flask import Response, jsonify
from openpyxl import Workbook

from engine.clock import MovableClock
from tests.security import authorization_matrix as matrix
from tests.support import two_worlds
from web import create_app
from web.config import TestConfig


@pytest.fixture(scope="module")
def world(sqlite_template, tmp_path_factory, password_hash):
    """Both worlds, built once for the module (the clock stands where the cast's does)."""
    clock = MovableClock(datetime(2026, 11, 20, 1, 0, tzinfo=UTC))
    return two_worlds.build(sqlite_template, tmp_path_factory.mktemp("two-worlds"), password_hash, clock)


def _app(world):
    class TwoWorlds(TestConfig):
        DATABASE_URL, CLOCK = world.database_url, world.clock

    return create_app(TwoWorlds)


@pytest.fixture(scope="module")
def app(world):
    return _app(world)


@pytest.fixture(scope="module")
def callers(app, world):
    return matrix.sign_in_callers(app, world)


def test_every_route_answers_every_caller_as_declared_and_leaks_nothing(app, world, callers):
    before = two_worlds.snapshot(world.new_uow)
    started = time.perf_counter()
    probes, _ = matrix.plan(app, world, callers)
    problems = matrix.check(app, world, callers)
    seconds = time.perf_counter() - started
    print(f"\nauthorization matrix: {len(probes)} requests in {seconds:.1f} s")
    assert problems == [], "\n".join(problems)
    assert two_worlds.snapshot(world.new_uow) == before, "a write of the matrix changed something"


def test_the_leak_check_reads_what_each_kind_of_answer_holds(app, world, callers):
    """Where the ministry may read theirs, the check finds their names in a page, JSON, an .xlsx and a PDF: a check
    that could not read them would pass every leak."""
    client = app.test_client(use_cookies=False)
    far = world.sides[two_worlds.FAR].objects
    for url in (f"/decisions/{far['decision']}", f"/api/decisions/{far['decision']}",
                f"/decisions/{far['decision']}.xlsx", f"/titles/{far['title']}/certificate.pdf",
                f"/attachments/{far['attachment']}"):
        response = client.get(url, headers=callers["ministry"].headers)
        assert response.status_code == 200, url
        assert two_worlds.FAR in matrix.readable(response), url


def _only(table: str, *keys) -> dict:
    """The tables with `table` cut down to `keys` (and the others empty): a small matrix for a meta-test."""
    rows = matrix.TABLES[table][1]
    return {area: (n, {k: rows[k] for k in keys} if area == table else {}) for area, (n, _) in matrix.TABLES.items()}


def _problems(app, world, callers, tables) -> list[str]:
    """The check's problems, leaving out those of the routes the cut-down tables do not declare on purpose."""
    return [p for p in matrix.check(app, world, callers, tables) if not p.startswith("undeclared")
            or "/zz-" in p]


def test_a_route_added_without_a_declaration_fails_naming_it(world, callers):
    app = _app(world)
    app.add_url_rule("/zz-new/<int:dossier_id>", "zz_new", lambda dossier_id: "", methods=["GET", "POST"])
    problems = matrix.plan(app, world, callers)[1]
    assert [p for p in problems if "zz" in p] == [
        "undeclared: GET /zz-new/<int:dossier_id> (endpoint zz_new) in the pages table",
        "undeclared: POST /zz-new/<int:dossier_id> (endpoint zz_new) in the pages table"]


def test_a_declaration_for_a_route_that_is_gone_fails(world, callers):
    app = _app(world)
    tables = {**matrix.TABLES, "pages": (matrix.PAGE_CALLERS, {**matrix.PAGES, "GET /zz-gone": (200,) * 7})}
    assert "declared for no rule of the app: GET /zz-gone in the pages table" in matrix.plan(app, world, callers,
                                                                                              tables)[1]


def _sheet(text: str) -> Response:
    book = Workbook()
    book.active.append(["Tên", text])
    out = BytesIO()
    book.save(out)
    return Response(out.getvalue(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def test_a_route_leaking_another_unit_s_names_is_caught(world, callers):
    app = _app(world)
    app.add_url_rule("/zz-leak.xlsx", "zz_leak_xlsx", lambda: _sheet(f"{two_worlds.FAR}-candidate-11"))
    app.add_url_rule("/api/zz-leak", "zz_leak_json", lambda: jsonify({"name": f"{two_worlds.NEAR}-citizen-1"}))
    tables = {"pages": (matrix.PAGE_CALLERS, {"GET /zz-leak.xlsx": (200,) * 7}),
              "api": (matrix.API_CALLERS, {"GET /api/zz-leak": (200,) * 10}), "engine": (matrix.ENGINE_CALLERS, {})}
    leaks = [p for p in _problems(app, world, callers, tables) if p.startswith("leak")]
    # Every caller but those who may read that side (HEAD answers without a body): the sheet to all but the ministry
    # and administrators; the near commune's name to all but them and the province.
    assert {p.split(" as ")[1].split(" ")[0] for p in leaks if "zz-leak.xlsx" in p} == {
        "anonymous", "branch", "commune", "province", "designer"}
    assert {p.split(" as ")[1].split(" ")[0] for p in leaks if "/api/zz-leak" in p} == {
        "anonymous", "branch", "commune", "designer", "token:read", "token:act", "token:deploy"}
    assert "Tên\\nZZLEAK-candidate-11" in next(p for p in leaks if "zz-leak.xlsx" in p)


def test_a_wrong_declared_status_is_caught(app, world, callers):
    tables = _only("pages", "GET /branches")
    names, rows = tables["pages"]
    rows["GET /branches"] = matrix.seen_by("commune", "province", others=403)
    problems = _problems(app, world, callers, tables)
    assert problems == ["GET /branches as province (none): 403, declared 200 [GET /branches]",
                        "HEAD /branches as province (none): 403, declared 200 [GET /branches]"]
