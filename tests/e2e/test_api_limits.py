"""What a JSON body to the API may hold: past each limit the answer is a short JSON error naming it. Bad inputs
tried: a 1.5 MB body (with Content-Length, and chunked without it), arrays nested 100,000 and 21 deep (in a body and in
a multipart `values` part), 30,000 keys in one object, 100 unknown fields when opening a dossier and when completing a
step."""
import json
from io import BytesIO

import pytest

from tests.support.builders import PROCESS, to_commune

START = "/api/dossiers"


def post(client, api, who, raw: str, url=START, **options):
    return client.post(url, data=raw, content_type="application/json", headers=api.headers(who), **options)


def test_a_body_past_1_mb_is_refused_before_it_is_parsed(client, api, officials, monkeypatch):
    raw = json.dumps({"process": PROCESS, "data": {"name": "x" * 1_500_000}})
    parsed, loads = [], json.loads
    monkeypatch.setattr(json, "loads", lambda text, **options: parsed.append(len(text)) or loads(text, **options))
    sized = post(client, api, officials.branch, raw)
    # As a server that takes chunked bodies (gunicorn) hands it on: no length, the stream ends where the body does.
    chunked = client.post(START, input_stream=BytesIO(raw.encode()), content_type="application/json",
                          headers={**api.headers(officials.branch), "Transfer-Encoding": "chunked"},
                          environ_overrides={"wsgi.input_terminated": True})
    for refused in (sized, chunked):
        assert refused.status_code == 413 and refused.json == {"error": "Nội dung JSON tối đa 1 MB (tệp gửi dạng multipart)."}
    assert max(parsed) < 1000  # the answers only


@pytest.mark.parametrize("depth", [100_000, 21])
def test_json_nested_too_deep_is_refused_naming_the_limit(client, api, officials, new_uow, depth):
    nested = "[" * depth + "]" * depth
    refused = post(client, api, officials.branch, f'{{"process": "{PROCESS}", "data": {{"year": {nested}}}}}')
    assert refused.status_code == 422 and refused.json["errors"] == {"body": "JSON lồng quá 20 tầng."}
    _, verify = to_commune(new_uow, officials)
    multipart = client.post(f"/api/tasks/{verify.id}/complete", headers=api.headers(officials.commune),
                            data={"values": f'{{"comment": {nested}}}'}, content_type="multipart/form-data")
    assert multipart.status_code == 422 and multipart.json["errors"] == {"values": "JSON lồng quá 20 tầng."}


def test_twenty_levels_are_still_read(client, api, officials):
    nested = "[" * 18 + "]" * 18  # in "data" in the body: 20 levels
    answered = post(client, api, officials.branch, f'{{"process": "{PROCESS}", "data": {{"title": "family", "year": {nested}}}}}')
    assert answered.status_code == 422 and list(answered.json["errors"]) == ["year"]


def test_more_keys_than_the_limit_are_refused_without_listing_them(client, api, officials):
    raw = json.dumps({"process": PROCESS, "data": {f"k{i}": 0 for i in range(30_000)}})
    refused = post(client, api, officials.branch, raw)
    assert refused.status_code == 422 and refused.json["errors"] == {"body": "JSON có hơn 20000 khoá."}
    assert len(refused.data) < 1000


def test_unknown_fields_are_named_five_at_most(client, api, officials, new_uow):
    unknown = {f"k{i:03}": 0 for i in range(100)}
    started = api.post(START, officials.branch, {"process": PROCESS, "data": {"year": 2026, "title": "family", **unknown}})
    assert started.status_code == 422 and started.json["errors"] == {
        **{f"k{i:03}": "Trường này không dùng khi mở hồ sơ (chỉ có: year, name, title)." for i in range(5)},
        "form": "Và 95 trường khác không dùng ở đây."}
    _, verify = to_commune(new_uow, officials)
    completed = api.post(f"/api/tasks/{verify.id}/complete", officials.commune, {"decision": "approve", **unknown})
    assert completed.status_code == 422 and completed.json["errors"] == {
        **{f"k{i:03}": "Trường này không có trong biểu mẫu." for i in range(5)},
        "form": "Và 95 trường khác không dùng ở đây."}
    assert len(completed.json["error"]) < 500
