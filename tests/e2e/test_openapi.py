"""The API's OpenAPI description: public, valid OpenAPI 3, naming every /api rule of the app with its schemas, errors
and ways to sign in; and what adopting flask-smorest must not change. Bad inputs tried: no credentials for the
description, a path under /api that names nothing, a method a route does not take, a page that does not exist,
query values in other scripts' digits and past their range, an id past BIGINT, a process that is a number, data that
is a list, a description with an answer missing its description (the validator must refuse it)."""
import json
import re

import pytest
import schemathesis

from tests.support.builders import PROCESS

METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def description(client):
    response = client.get("/api/openapi.json")  # no credentials: it is public documentation
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.json


def test_every_api_rule_of_the_app_is_described(app, description):
    described = {(method.upper(), path) for path, item in description["paths"].items() for method in item}
    rules = {(method, re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule))
             for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")
             for method in rule.methods & METHODS}
    assert len(rules) == 20 and rules - described == set()


def test_the_description_is_valid_openapi_3(description):
    assert description["openapi"].startswith("3.")
    schemathesis.openapi.from_dict(description).validate()
    broken = json.loads(json.dumps(description))
    del broken["paths"]["/api/processes"]["get"]["responses"]["200"]["description"]
    with pytest.raises(Exception, match="not valid"):
        schemathesis.openapi.from_dict(broken).validate()


def test_each_operation_has_a_summary_a_way_to_sign_in_and_its_refusals(description):
    error = {"$ref": "#/components/schemas/Error"}
    assert description["components"]["schemas"]["Error"]["properties"] == {
        "error": {"type": "string"}, "errors": {"type": "object", "additionalProperties": {"type": "string"}}}
    assert set(description["components"]["securitySchemes"]) == {"bearerAuth", "sessionCookie", "csrfToken"}
    for path, item in description["paths"].items():
        for method, operation in ((m, o) for m, o in item.items() if m.upper() in METHODS):
            assert operation["summary"], (method, path)
            if path == "/api/openapi.json":
                assert operation["security"] == []
                continue
            assert {"bearerAuth": []} in operation["security"], (method, path)
            assert "401" in operation["responses"]
            for code in (c for c in operation["responses"] if not c.startswith("2")):
                name = operation["responses"][code]["$ref"].rsplit("/", 1)[1]
                assert description["components"]["responses"][name]["content"]["application/json"]["schema"] == error
    complete = description["paths"]["/api/tasks/{task_id}/complete"]["post"]
    assert set(complete["responses"]) == {"200", "400", "401", "403", "404", "409", "413", "422"}
    assert {"sessionCookie": [], "csrfToken": []} in complete["security"]
    values = complete["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert description["components"]["schemas"][values] == {
        "type": "object", "properties": {}, "additionalProperties": True}
    assert "multipart/form-data" in complete["requestBody"]["content"]


def test_errors_under_api_are_json_and_the_pages_keep_their_own(client, api, officials):
    missing = api.get("/api/nothing-here", officials.branch)
    assert missing.status_code == 404 and set(missing.json) == {"error"}
    wrong_method = client.delete("/api/tasks", headers=api.headers(officials.branch))
    assert wrong_method.status_code == 405 and "error" in wrong_method.json and "GET" in wrong_method.headers["Allow"]
    page = client.get("/nothing-here")
    assert page.status_code == 404 and page.mimetype == "text/html"


@pytest.mark.parametrize(("url", "field"), [
    ("/api/registry?year=²", "year"),
    ("/api/registry/counts?year=١٢", "year"),
    ("/api/registry?year=10000", "year"),
    ("/api/tasks?size=abc", "size"),
    ("/api/tasks?size=0", "size"),
    (f"/api/dossiers/{2**63}", "dossier_id"),
    (f"/api/decisions/{2**63}", "decision_id"),
    ("/api/reports/annual_models/100000", "year"),
])
def test_bad_query_and_path_values_are_refused_naming_the_field(api, officials, url, field):
    refused = api.get(url, officials.ministry)
    assert refused.status_code == 422 and list(refused.json["errors"]) == [field], refused.json


@pytest.mark.parametrize(("body", "field"), [
    ({"data": {"year": 2026}}, "process"),
    ({"process": 5, "data": {}}, "process"),
    ({"process": PROCESS, "data": [2026]}, "data"),
    ({"process": PROCESS, "data": None}, "data"),
])
def test_a_bad_body_is_refused_naming_the_field_and_nothing_is_stored(api, officials, body, field):
    refused = api.post("/api/dossiers", officials.branch, body)
    assert refused.status_code == 422 and list(refused.json["errors"]) == [field], refused.json
    assert api.get("/api/tasks", officials.branch).json == []
