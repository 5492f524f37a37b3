"""The JSON API through Flask's client: each endpoint, each status code, both ways of signing in."""
from engine.dossiers import tasks
from tests.support.builders import APPROVAL, CANDIDATES, PROCESS, csrf_token, to_commune
from tests.support.databases import on_both_databases


def start_and_prepare(api, officials):
    response = api.post("/api/dossiers", officials.branch, {"process": PROCESS, "data": {"year": 2026, "title": "family"}})
    assert response.status_code == 201, response.json
    body = response.json
    (task,) = body["open_tasks"]
    done = api.post(f"/api/tasks/{task['id']}/complete", officials.branch, {"candidates": CANDIDATES})
    assert done.status_code == 200, done.json
    return body["id"], done.json["next_tasks"][0]


@on_both_databases  # the smoke test end to end on PostgreSQL: JSON, locks, title lookups, aggregates
def test_full_path_through_the_api(api, officials):
    processes = api.get("/api/processes", officials.branch).json
    # A village's branch proposes lists and registers citizens; learning units and communes self-assess elsewhere.
    assert processes == [
        {"id": PROCESS, "name": "Công nhận theo danh sách: Gia đình, Dòng họ, Cộng đồng thôn", "version": 1,
         "titles": ["family", "clan", "community_village"]},
        {"id": "learning_citizen_recognition", "name": "Công nhận Công dân học tập", "version": 1,
         "titles": ["citizen"]}]
    assert [p["id"] for p in api.get("/api/processes", officials.commune).json] == ["commune_community_recognition"]
    dossier_id, verify = start_and_prepare(api, officials)

    inbox = api.get("/api/tasks", officials.commune).json
    assert [(t["id"], t["dossier_id"], t["process"], t["step_name"], t["lane"], t["unit_code"]) for t in inbox] == [
        (verify["id"], dossier_id, PROCESS, "Thẩm định hồ sơ", "Xã", "00070")]
    assert "created_at" in inbox[0]
    task = api.get(f"/api/tasks/{verify['id']}", officials.commune).json
    assert [f["name"] for f in task["fields"]] == ["decision", "comment"]
    assert [o[0] for o in task["fields"][0]["options"]] == ["approve", "return", "reject"]

    approve = api.post(f"/api/tasks/{verify['id']}/complete", officials.commune, {"decision": "approve"}).json
    final = api.post(f"/api/tasks/{approve['next_tasks'][0]['id']}/complete", officials.province, APPROVAL)
    assert final.status_code == 200 and final.json["status"] == "recognised"

    dossier = api.get(f"/api/dossiers/{dossier_id}", officials.ministry).json
    assert dossier["status"] == "recognised" and dossier["process_version"] == 1
    assert dossier["data"]["candidates"] == CANDIDATES and dossier["open_tasks"] == []
    assert [h["action"] for h in dossier["history"]] == ["start", "complete", "complete", "complete"]
    registry = api.get("/api/registry?year=2026&unit=00070", officials.province).json
    assert [t["subject_name"] for t in registry] == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert registry[0]["decision_date"] == "2026-11-18"
    counts = api.get("/api/registry/counts?year=2026", officials.ministry).json
    assert counts == [{"year": 2026, "title": "family", "province_code": "01", "commune_code": "00070", "count": 2}]
    assert api.get("/api/registry/counts?unit=00073", officials.other_commune).json == []
    assert api.get("/api/registry?year=2026&unit=01", officials.commune).status_code == 403
    assert api.get("/api/registry?year=abc", officials.commune).status_code == 422


def test_error_codes(api, officials):
    _, verify = start_and_prepare(api, officials)
    url = f"/api/tasks/{verify['id']}/complete"
    assert api.post(url, officials.other_commune, {"decision": "approve"}).status_code == 403
    assert api.get(f"/api/tasks/{verify['id']}", officials.other_commune).status_code == 403
    assert api.post("/api/tasks/unknown/complete", officials.commune, {"decision": "approve"}).status_code == 404
    assert api.get("/api/dossiers/999999", officials.commune).status_code == 404
    invalid = api.post(url, officials.commune, {"decision": "return"})
    assert invalid.status_code == 422 and invalid.json["errors"] == {"comment": "Bắt buộc nhập."}
    assert api.post(url, officials.commune, {"decision": "approve"}).status_code == 200
    again = api.post(url, officials.commune, {"decision": "approve"})
    assert again.status_code == 409 and "xa-hoankiem" in again.json["error"]
    assert api.post("/api/dossiers", officials.branch, {"process": "nope"}).status_code == 404
    bad_start = api.post("/api/dossiers", officials.branch, {"process": PROCESS, "data": {"year": "2026"}})
    assert bad_start.status_code == 422 and "year" in bad_start.json["errors"]
    assert api.post("/api/dossiers", officials.commune, {"process": PROCESS}).status_code == 403
    assert api.get("/api/registry?year=²", officials.commune).status_code == 422


def test_nan_in_a_json_body_is_refused(client, api, officials):
    response = api.post("/api/dossiers", officials.branch, {"process": PROCESS, "data": {"year": 2026, "title": "family"}})
    task_id = response.json["open_tasks"][0]["id"]
    raw = '{"candidates": [{"name": "Hộ A", "score": NaN}]}'
    refused = client.post(f"/api/tasks/{task_id}/complete", data=raw, content_type="application/json",
                          headers=api.headers(officials.branch))
    assert refused.status_code == 422 and refused.json["errors"] == {"candidates.0.score": "Phải là một số hữu hạn."}


def test_authentication(client, officials, login_as):
    assert client.get("/api/tasks").status_code == 401
    # A session works too; its writes need the CSRF token in a header.
    login_as(officials.branch)
    assert client.get("/api/tasks").status_code == 200
    body = {"process": PROCESS, "data": {"year": 2026, "title": "family"}}
    assert client.post("/api/dossiers", json=body).status_code == 400
    token = csrf_token(client.get("/inbox").get_data(as_text=True))
    assert client.post("/api/dossiers", json=body, headers={"X-CSRFToken": token}).status_code == 201


def test_the_task_list_pages_with_a_link_header(api, client, officials):
    start_and_prepare(api, officials)
    start_and_prepare(api, officials)
    first = api.get("/api/tasks?size=1", officials.commune)
    assert len(first.json) == 1 and first.headers["X-Total-Count"] == "2"
    following = first.headers["Link"].split(">")[0].lstrip("<")
    second = client.get(following, headers=api.headers(officials.commune))
    assert len(second.json) == 1 and second.json[0]["id"] != first.json[0]["id"] and "Link" not in second.headers
    assert api.get("/api/tasks?after=garbage", officials.commune).status_code == 422
    assert api.get("/api/tasks?size=0", officials.commune).status_code == 422
    assert api.get("/api/tasks?size=501", officials.commune).status_code == 422


def test_the_inbox_is_searched_and_filtered_through_the_api_and_its_pages_keep_the_filter(api, officials, new_uow,
                                                                                           clock):
    ids = []
    for _ in range(3):
        ids.append(to_commune(new_uow, officials)[0])
        clock.advance(minutes=1)
    first = api.get("/api/tasks?q=tran thi binh&title=family&year=2026&size=2", officials.commune)
    assert first.status_code == 200 and first.headers["X-Total-Count"] == "3"
    assert [(t["dossier_id"], t["dossier_name"], t["proposer"]) for t in first.get_json()] == [
        (ids[2], "Tổ 1", "Chi hội tổ 1"), (ids[1], "Tổ 1", "Chi hội tổ 1")]
    link = first.headers["Link"].split(">")[0].lstrip("<")
    assert "q=tran+thi+binh" in link and "title=family" in link and "year=2026" in link
    assert [t["dossier_id"] for t in api.get(link, officials.commune).get_json()] == [ids[0]]
    assert api.get("/api/tasks?q=khong+co+ai", officials.commune).get_json() == []
    refused = api.get("/api/tasks?title=vip&year=19x", officials.commune)
    assert refused.status_code == 422 and set(refused.get_json()["errors"]) == {"year"}
    assert api.get("/api/tasks?title=vip", officials.commune).get_json()["errors"] == {
        "title": "Danh hiệu không có: chọn trong danh sách."}
    assert tasks.inbox(officials.commune, new_uow()).total == 3
