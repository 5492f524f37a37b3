"""The inbox's returned-to-me filter, saved filters, capped counts and the select of units below, through the pages
(Flask's client, CSRF and all) and the JSON API. Bad input tried: a save without a name or without the CSRF token,
a colleague's filter and another commune's to delete, a filter past the limits over the API."""
import re

from engine.dossiers import saved_filters, tasks
from engine.model import InboxFilter, Official
from tests.support.builders import csrf_token, only_task, to_commune

RETURN = {"decision": "return", "comment": "Thiếu biên bản họp thôn"}


def returned_to_branch(new_uow, officials) -> int:
    """A list the commune sent back to Chi hội tổ 1: the dossier's id."""
    dossier_id, verify = to_commune(new_uow, officials)
    tasks.complete_task(verify.id, officials.commune, RETURN, new_uow())
    return dossier_id


def test_the_branch_filters_its_inbox_to_what_was_returned_and_reads_the_reason(client, officials, login_as, new_uow,
                                                                                clock):
    returned = returned_to_branch(new_uow, officials)
    clock.advance(minutes=1)
    other = to_commune(new_uow, officials)[0]
    login_as(officials.branch)
    page = client.get("/inbox?returned=1").get_data(as_text=True)
    assert f"Số {returned}" in page and "bị trả lại</strong>: Thiếu biên bản họp thôn" in page
    assert 'name="returned" value="1" checked' in page
    login_as(officials.commune)
    assert f"Số {other}" in client.get("/inbox").get_data(as_text=True)
    assert "Không có việc nào khớp bộ lọc" in client.get("/inbox?returned=1").get_data(as_text=True)


def test_an_official_saves_shares_follows_and_deletes_a_filter_in_the_page(client, officials, login_as, new_uow):
    colleague = Official("xa-hoankiem-2", officials.commune.role, officials.commune.unit_code)
    theirs = saved_filters.save_filter(colleague, "Của đồng nghiệp", InboxFilter(year=2025), True, new_uow())
    elsewhere = saved_filters.save_filter(officials.other_commune, "Xã Cửa Nam", InboxFilter(), True, new_uow())
    login_as(officials.commune)
    page = client.get("/inbox?returned=1&sort=due").get_data(as_text=True)
    assert "Của đồng nghiệp" in page and "xa-hoankiem-2 lưu" in page and "Xã Cửa Nam" not in page
    token = csrf_token(page)
    assert client.post("/inbox/filters", data={"name": "x", "returned": "1"}).status_code == 400  # no CSRF token
    refused = client.post("/inbox/filters", data={"name": " ", "returned": "1", "sort": "due", "csrf_token": token},
                          follow_redirects=True)
    assert "Chưa lưu bộ lọc: Tên bộ lọc: Cần đặt tên cho bộ lọc." in refused.get_data(as_text=True)
    saved = client.post("/inbox/filters", data={"name": "Bị trả lại, hạn gần", "shared": "1", "returned": "1",
                                                "sort": "due", "csrf_token": token})
    assert saved.status_code == 302 and saved.headers["Location"] == "/inbox?returned=1&sort=due"
    page = client.get("/inbox").get_data(as_text=True)
    assert 'href="/inbox?returned=1&amp;sort=due">Bị trả lại, hạn gần</a>' in page
    (mine,) = [f for f in saved_filters.saved_filters(officials.commune, new_uow()) if f.owner == "xa-hoankiem"]
    assert (mine.shared, mine.narrowed) == (True, InboxFilter(returned=True, sort="due"))
    assert f"/inbox/filters/{theirs.id}/delete" not in page  # only who saved a filter may delete it
    assert client.post(f"/inbox/filters/{theirs.id}/delete", data={"csrf_token": token}).status_code == 403
    assert client.post(f"/inbox/filters/{elsewhere.id}/delete", data={"csrf_token": token}).status_code == 404
    deleted = client.post(f"/inbox/filters/{mine.id}/delete", data={"csrf_token": token}, follow_redirects=True)
    assert "Đã xoá bộ lọc." in deleted.get_data(as_text=True) and "Bị trả lại, hạn gần" not in \
        deleted.get_data(as_text=True)


def test_the_unit_filter_is_a_select_of_the_units_below_by_name_and_a_code_still_works(client, officials, login_as,
                                                                                        new_uow):
    dossier_id, _ = to_commune(new_uow, officials)
    login_as(officials.commune)
    page = client.get("/inbox").get_data(as_text=True)
    options = re.search(r'<select name="unit">(.*?)</select>', page, re.S).group(1)
    assert f'<option value="{officials.branch_code}">Chi hội tổ 1</option>' in options
    assert officials.other_branch_code not in options  # Cửa Nam's branch is not below Hoàn Kiếm
    assert f"Số {dossier_id}" in client.get(f"/inbox?unit={officials.branch_code}").get_data(as_text=True)
    login_as(officials.province)
    page = client.get("/inbox").get_data(as_text=True)
    assert '<option value="00070">' in re.search(r'<select name="unit">(.*?)</select>', page, re.S).group(1)
    login_as(officials.branch)
    assert '<input name="unit"' in client.get("/inbox").get_data(as_text=True)  # nothing below a branch


def test_the_step_filter_is_a_select_of_the_steps_of_my_role_by_name(client, officials, login_as, new_uow):
    dossier_id, verify = to_commune(new_uow, officials)
    login_as(officials.commune)
    page = client.get("/inbox").get_data(as_text=True)
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>',
                         re.search(r'<select name="step">(.*?)</select>', page, re.S).group(1))
    assert (verify.step, verify.step_name) in options
    assert not any(name == "Lập danh sách đề nghị" for _, name in options)  # the branch's step, not the commune's
    assert f"Số {dossier_id}" in client.get(f"/inbox?step={verify.step}").get_data(as_text=True)
    assert f"Số {dossier_id}" not in client.get("/inbox?step=approve").get_data(as_text=True)


def test_counts_past_the_cap_read_1_000_plus_on_the_page_and_the_api(client, officials, login_as, new_uow, api,
                                                                     monkeypatch):
    for _ in range(3):
        to_commune(new_uow, officials)
    monkeypatch.setattr(tasks, "COUNT_CAP", 1)
    monkeypatch.setattr(tasks, "INBOX_PAGE", 1)
    login_as(officials.commune)
    assert "1+ việc đang chờ đơn vị, trang này có 1." in client.get("/inbox").get_data(as_text=True)
    listed = api.get("/api/tasks?size=1", officials.commune)
    assert listed.status_code == 200 and listed.headers["X-Total-Count"] == "1+"
    assert api.get("/api/tasks?size=3", officials.commune).headers["X-Total-Count"] == "3"


def test_saved_filters_over_the_api_are_the_pages_own(client, officials, api, new_uow):
    returned_to_branch(new_uow, officials)
    made = api.post("/api/filters", officials.branch, {"name": "Trả lại", "filter": {"returned": True}})
    assert made.status_code == 201
    body = made.get_json()
    assert (body["name"], body["owner"], body["shared"], body["mine"]) == ("Trả lại", "chihoi1", False, True)
    assert body["filter"] == {"q": "", "title": None, "year": None, "step": None, "unit": None, "overdue": False,
                              "returned": True, "sort": "received"}
    query = "&".join(f"{k}={str(v).lower()}" for k, v in body["filter"].items() if v not in (None, "", False))
    (task,) = api.get(f"/api/tasks?{query}", officials.branch).get_json()
    assert task["return_reason"] == "Thiếu biên bản họp thôn"
    assert [f["id"] for f in api.get("/api/filters", officials.branch).get_json()] == [body["id"]]
    # What GET gives back saves again as it is (its nulls included), replacing the filter of that name.
    again = api.post("/api/filters", officials.branch, {**body, "shared": True})
    assert again.status_code == 201 and again.get_json() == {**body, "shared": True}
    assert api.get("/api/filters", officials.other_branch).get_json() == []
    refused = api.post("/api/filters", officials.branch, {"name": "x" * 81, "filter": {"q": "y" * 201, "year": 1999}})
    assert refused.status_code == 422 and set(refused.get_json()["errors"]) == {"name", "q", "year"}
    headers = api.headers(officials.other_branch)
    assert client.delete(f"/api/filters/{body['id']}", headers=headers).status_code == 404
    assert client.delete(f"/api/filters/{body['id']}", headers=api.headers(officials.branch)).status_code == 204
    assert api.get("/api/filters", officials.branch).get_json() == []
