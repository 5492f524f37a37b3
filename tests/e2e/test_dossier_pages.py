"""Opening with care, withdrawing and the unit's dossiers (issue 17, parts 1 and 3) through the pages and the API."""
import re

from engine.dossiers import tasks
from engine.organisation import accounts, units
from tests.support.builders import PASSWORD, PROCESS, csrf_token, snapshot, to_commune


def test_the_inbox_holds_no_start_card_only_a_link_to_the_opening_page(client, officials, login_as):
    login_as(officials.branch)
    inbox = client.get("/inbox").get_data(as_text=True)
    # Was: a form opening a dossier on top of every inbox, one click from a stray dossier.
    assert 'name="process"' not in inbox and 'action="/dossiers"' not in inbox
    assert 'href="/dossiers/new"' in inbox and 'href="/unit-dossiers"' in inbox


def test_a_schools_title_is_chosen_explicitly(client, officials, login_as, new_uow):
    school = units.add_branch("00070", "Trường THCS Ngô Sĩ Liên", new_uow(), kind="school")
    login_as(accounts.create_user("truong", PASSWORD, "branch", school, new_uow()))
    page = client.get("/dossiers/new").get_data(as_text=True)
    options = re.findall(r"<option value=\"([^\"]*)\"([^>]*)>", page)
    # Was: the school's selector opened "Công dân học tập" unless changed.
    assert options[0] == ("", "") and " selected" not in "".join(extra for _, extra in options)
    assert [value for value, _ in options[1:]] == ["learning_citizen_recognition:citizen",
                                                   "learning_unit_recognition:unit"]
    assert "— chọn danh hiệu —" in page


def test_a_refused_opening_names_the_field_and_keeps_what_was_typed(client, officials, login_as, new_uow):
    login_as(officials.branch)
    token = csrf_token(client.get("/dossiers/new").get_data(as_text=True))
    before = snapshot(new_uow)
    no_title = client.post("/dossiers", data={"process": "", "year": "2025", "name": "Thôn Đông", "csrf_token": token})
    page = no_title.get_data(as_text=True)
    assert no_title.status_code == 422 and "Danh hiệu đề nghị</a>: Chọn danh hiệu đề nghị." in page
    assert 'value="Thôn Đông"' in page and 'value="2025"' in page
    # Was: an empty year opened a dossier for this year, silently.
    no_year = client.post("/dossiers", data={"process": f"{PROCESS}:clan", "year": "", "name": "Thôn Tây",
                                             "csrf_token": token})
    page = no_year.get_data(as_text=True)
    assert no_year.status_code == 422 and "Năm</a>: Cần năm đề nghị" in page
    assert f'<option value="{PROCESS}:clan" selected>' in page and 'value="Thôn Tây"' in page
    assert snapshot(new_uow) == before
    opened = client.post("/dossiers", data={"process": f"{PROCESS}:clan", "year": "2026", "csrf_token": token})
    assert opened.status_code == 302 and opened.headers["Location"].startswith("/tasks/")


def test_the_branch_withdraws_from_the_dossier_page_with_a_reason(client, officials, login_as, new_uow):
    dossier_id, _ = to_commune(new_uow, officials)
    login_as(officials.commune)
    assert "Rút hồ sơ" not in client.get(f"/dossiers/{dossier_id}").get_data(as_text=True)
    login_as(officials.branch)
    page = client.get(f"/dossiers/{dossier_id}").get_data(as_text=True)
    assert f'action="/dossiers/{dossier_id}/withdraw"' in page
    url, token = f"/dossiers/{dossier_id}/withdraw", csrf_token(page)
    assert client.post(url, data={"reason": "Nhầm"}).status_code == 400  # no CSRF token
    refused = client.post(url, data={"reason": "  ", "csrf_token": token})
    assert refused.status_code == 422 and "Cần ghi lý do rút hồ sơ." in refused.get_data(as_text=True)
    done = client.post(url, data={"reason": "Gửi nhầm danh sách", "csrf_token": token})
    assert done.status_code == 302 and done.headers["Location"] == f"/dossiers/{dossier_id}"
    page = client.get(f"/dossiers/{dossier_id}").get_data(as_text=True)
    assert "Đã kết thúc" in page and "Lý do: Gửi nhầm danh sách" in page and 'name="reason"' not in page
    again = client.post(url, data={"reason": "Lần nữa", "csrf_token": token})
    assert again.status_code == 409 and "không rút được nữa" in again.get_data(as_text=True)
    login_as(officials.commune)
    assert "Không có việc nào" in client.get("/inbox").get_data(as_text=True)


def test_the_unit_dossiers_page_shows_where_each_waits(client, officials, login_as, new_uow):
    dossier_id, _ = to_commune(new_uow, officials)
    login_as(officials.branch)
    page = client.get("/unit-dossiers").get_data(as_text=True)
    assert f"Số {dossier_id}" in page and "Thẩm định hồ sơ · Phường Hoàn Kiếm" in page and "Đang xử lý" in page
    assert "Không có hồ sơ nào khớp" in client.get("/unit-dossiers?status=closed").get_data(as_text=True)
    assert client.get("/unit-dossiers?status=nope").status_code == 422


def test_withdrawing_through_the_api(api, officials, new_uow):
    dossier_id, verify = to_commune(new_uow, officials)
    url = f"/api/dossiers/{dossier_id}/withdraw"
    assert api.post(url, officials.other_branch, {"reason": "Nhầm"}).status_code == 404
    assert api.post(url, officials.commune, {"reason": "Nhầm"}).status_code == 403
    missing = api.post(url, officials.branch, {})
    assert missing.status_code == 422 and list(missing.json["errors"]) == ["reason"]
    assert api.post(url, officials.branch, {"reason": " "}).json["errors"] == {"reason": "Cần ghi lý do rút hồ sơ."}
    done = api.post(url, officials.branch, {"reason": "Nhầm năm"})
    assert done.status_code == 200 and done.json == {"id": dossier_id, "status": "closed",
                                                     "cancelled": ["Thẩm định hồ sơ"]}
    assert api.post(url, officials.branch, {"reason": "Nhầm"}).status_code == 409
    dossier = api.get(f"/api/dossiers/{dossier_id}", officials.branch).json
    assert dossier["history"][-1]["payload"] == {"reason": "Nhầm năm"} and dossier["withdrawable"] is False
    acted_id, acted = to_commune(new_uow, officials)
    tasks.complete_task(acted.id, officials.commune, {"decision": "approve"}, new_uow())
    refused = api.post(f"/api/dossiers/{acted_id}/withdraw", officials.branch, {"reason": "Nhầm"})
    assert refused.status_code == 409 and "Phường Hoàn Kiếm đã xử lý hồ sơ" in refused.json["error"]


def test_opening_through_the_api_names_the_missing_year_and_title(api, officials):
    no_year = api.post("/api/dossiers", officials.branch, {"process": PROCESS, "data": {"title": "family"}})
    assert no_year.status_code == 422 and list(no_year.json["errors"]) == ["year"]
    no_title = api.post("/api/dossiers", officials.branch, {"process": PROCESS, "data": {"year": 2026}})
    assert no_title.status_code == 422 and list(no_title.json["errors"]) == ["title"]
    # A process of one title still opens it unnamed.
    citizen = api.post("/api/dossiers", officials.branch, {"process": "learning_citizen_recognition",
                                                           "data": {"year": 2026}})
    assert citizen.status_code == 201
    assert api.get("/api/tasks", officials.branch).json[0]["title"] == "citizen"


def test_the_unit_dossiers_through_the_api_page_with_a_link(api, client, officials, new_uow):
    first, _ = to_commune(new_uow, officials)
    second, _ = to_commune(new_uow, officials)
    page = api.get("/api/dossiers?size=1", officials.commune)
    assert [(d["id"], d["waiting"][0]["unit"]) for d in page.json] == [(second, "Phường Hoàn Kiếm")]
    following = page.headers["Link"].split(">")[0].lstrip("<")
    rest = client.get(following, headers=api.headers(officials.commune))
    assert [d["id"] for d in rest.json] == [first] and "Link" not in rest.headers
    assert api.get("/api/dossiers?year=2025", officials.commune).json == []
    assert list(api.get("/api/dossiers?after=x", officials.commune).json["errors"]) == ["after"]
    assert api.get("/api/dossiers", officials.other_commune).json == []
