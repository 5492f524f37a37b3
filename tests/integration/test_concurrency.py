"""Two officials completing the same task at the same moment: exactly one wins, the other gets a clear conflict."""
import json
import urllib.error
import urllib.request

import pytest

from engine.dossiers import starting, tasks, viewing
from engine.errors import TaskAlreadyDone
from engine.organisation import tokens
from tests.support.builders import CANDIDATES, PROCESS, only_task, race, snapshot
from tests.support.databases import on_both_databases

ROUNDS = 5


def dossier_at_commune(new_uow, officials):
    dossier = starting.start_dossier(PROCESS, officials.branch, {"year": 2026, "title": "family"}, new_uow())
    done = tasks.complete_task(only_task(dossier).id, officials.branch, {"candidates": CANDIDATES}, new_uow())
    return only_task(done)


@on_both_databases  # SQLite: each writer waits for the other (BEGIN IMMEDIATE); PostgreSQL: the row lock
def test_use_case_level_race_has_one_winner(new_uow, officials):
    for _ in range(ROUNDS):
        verify = dossier_at_commune(new_uow, officials)
        decisions = [{"decision": "approve"}, {"decision": "reject", "comment": "Không đạt"}]
        results = race(2, lambda i: tasks.complete_task(verify.id, officials.commune, decisions[i], new_uow()))
        winners = [r for r in results if not isinstance(r, Exception)]
        losers = [r for r in results if isinstance(r, Exception)]
        assert len(winners) == 1 and len(losers) == 1, results
        assert isinstance(losers[0], TaskAlreadyDone)
        history = viewing.get_dossier(winners[0].dossier_id, officials.commune, new_uow()).history
        assert [h.action for h in history].count("complete") == 2  # the branch's step and one verification


def post_json(url, body, token):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


@pytest.mark.postgres
def test_concurrent_http_requests_on_postgresql_have_one_winner(live_server, new_uow, officials):
    token = tokens.create_token(officials.commune, "dua", ["act"], 1, new_uow()).secret
    for _ in range(ROUNDS):
        verify = dossier_at_commune(new_uow, officials)
        url = f"{live_server}/api/tasks/{verify.id}/complete"
        bodies = [{"decision": "approve"}, {"decision": "return", "comment": "Bổ sung minh chứng"}]
        results = race(2, lambda i: post_json(url, bodies[i], token))
        codes = sorted(code for code, _ in results)
        assert codes == [200, 409], results
        loser = next(body for code, body in results if code == 409)
        assert "đã được hoàn thành" in loser["error"]
    before = snapshot(new_uow)
    status, _ = post_json(url, {"decision": "approve"}, token)
    assert status == 409 and snapshot(new_uow) == before
