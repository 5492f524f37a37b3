"""Schemathesis against the API's own description, in-process (WSGI): for every operation, cases generated from its
schemas (valid ones, and invalid ones: wrong types, missing fields, out-of-range numbers, strings for ids, bodies that
are not objects, multipart parts that are not JSON), each sent with a Bearer token of a branch, a commune, a province
and the ministry official. No answer may be a 5xx or stray from the description (status, content type, headers, body
schema), and every operation must answer 2xx at least once: the database holds a recognised dossier with its decision
and titles, a dossier waiting for the commune, one waiting for the branch and an open reporting period, and their ids
are given as explicit examples. Bounded and reproducible: a few examples an operation, derandomised."""
from collections import defaultdict

import pytest
import schemathesis
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)

from engine.dossiers import drafts, saved_filters, starting
from engine.model import InboxFilter
from engine.recognition import registry
from engine.reporting import periods
from tests.support.builders import PROCESS, approve_all_the_way, only_task, to_commune

EXAMPLES = 50  # generated cases per operation, each sent as the four roles
METHODS = ("get", "put", "post", "delete", "patch")
ROLES = ("branch", "commune", "province", "ministry")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


@pytest.fixture
def seeded(new_uow, officials):
    """Per operation, the explicit case that reaches a 2xx (the path values and body of objects that exist), and the
    path values that pin half its generated cases to an object that exists (a task still open for generated values)."""
    recognised, verify = to_commune(new_uow, officials)
    _, approve = approve_all_the_way(new_uow, officials, verify)
    approve()
    _, waiting = to_commune(new_uow, officials, [{"name": "Lê Thị Cúc", "score": 88}])
    prepare, withdrawn = (only_task(starting.start_dossier(PROCESS, officials.branch,
                                                           {"year": 2026, "title": "family", "name": name}, new_uow()))
                          for name in ("Tổ 2", "Tổ 4"))
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    (title, *_) = registry.recognised_titles(officials.province, new_uow())
    drafts.save_draft(waiting.id, officials.commune, lambda fields: ({"comment": "Đang xem"}, {}), None, new_uow())
    saved = saved_filters.save_filter(officials.branch, "Bị trả lại", InboxFilter(returned=True), False, new_uow())
    as_json = {"media_type": "application/json"}
    explicit = {
        "GET /api/dossiers/{dossier_id}": {"path_parameters": {"dossier_id": recognised}},
        "GET /api/tasks/{task_id}": {"path_parameters": {"task_id": waiting.id}},
        "POST /api/tasks/{task_id}/complete": {"path_parameters": {"task_id": prepare.id}, **as_json,
                                               "body": {"candidates": [{"name": "Phạm Văn Dũng", "score": 90}]}},
        "POST /api/dossiers": {"body": {"process": PROCESS, "data": {"year": 2026, "title": "family", "name": "Tổ 3"}},
                               **as_json},
        "POST /api/dossiers/{dossier_id}/withdraw": {"path_parameters": {"dossier_id": withdrawn.dossier_id},
                                                     **as_json, "body": {"reason": "Mở nhầm"}},
        "GET /api/reports/{kind}/{year}": {"path_parameters": {"kind": "annual_models", "year": 2026}},
        "GET /api/decisions/{decision_id}": {"path_parameters": {"decision_id": title.decision_id}},
        "GET /api/tasks/{task_id}/draft": {"path_parameters": {"task_id": waiting.id}},
        "PUT /api/tasks/{task_id}/draft": {"path_parameters": {"task_id": waiting.id}, **as_json,
                                           "body": {"comment": "Còn thiếu biên bản"}},
        "DELETE /api/tasks/{task_id}/draft": {"path_parameters": {"task_id": prepare.id}},
        "POST /api/filters": {"body": {"name": "Quá hạn", "shared": True, "filter": {"overdue": True}}, **as_json},
        "DELETE /api/filters/{filter_id}": {"path_parameters": {"filter_id": saved.id}},
    }
    pinned = {"POST /api/tasks/{task_id}/complete": {"task_id": waiting.id},
              "GET /api/dossiers/{dossier_id}": {"dossier_id": recognised}}
    return explicit, pinned


def test_every_operation_answers_within_its_description(app, api, officials, seeded):
    explicit, pinned = seeded
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    tokens = {role: api.headers(getattr(officials, role)) for role in ROLES}
    statuses = defaultdict(set)
    for result in schema.get_all_operations():
        operation = result.ok()
        case = explicit.get(operation.label)
        fuzz(operation, case and operation.Case(**case), pinned.get(operation.label), tokens,
             statuses[operation.label])
    # Schemathesis leaves out the operation serving the description itself (tests/e2e/test_openapi.py reads it).
    described = {f"{method.upper()} {path}" for path, item in schema.raw_schema["paths"].items() for method in item
                 if method in METHODS and path != "/api/openapi.json"}
    assert set(statuses) == described
    assert {label for label, seen in statuses.items() if not any(200 <= code < 300 for code in seen)} == set(), statuses


def fuzz(operation, explicit, pinned: dict | None, tokens: dict, seen: set) -> None:
    """Send the explicit case (if any) then EXAMPLES generated ones (valid and invalid, half of them on the pinned
    path values if any) as each role; every answer checked against the description."""
    strategy = st.one_of(operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
                         operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    if pinned:
        strategy = st.one_of(strategy, strategy.map(lambda case: _on(case, pinned)))

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def send(case):
        for headers in tokens.values():
            response = case.call(headers=headers)
            seen.add(response.status_code)
            case.validate_response(response, checks=CHECKS, headers=headers)

    if explicit is not None:
        send = example(case=explicit)(send)
    send()


def _on(case, path_parameters: dict):
    case.path_parameters = {**case.path_parameters, **path_parameters}
    return case
