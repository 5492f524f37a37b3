"""Typed work is never lost, through the pages and the API: a task form saved as a draft and restored, a refused
submit keeping its valid files, an expired session carrying the values through a new sign-in back to the same task,
the list read from Excel sent where the form says, and a refused form's error summary."""
import io
import re
from html import unescape
from urllib.parse import urlsplit

from engine.dossiers import starting, tasks, viewing
from engine.model import Role
from engine.organisation import accounts
from tests.support.builders import PASSWORD, PROCESS, csrf_token, only_task, to_commune, xlsx_file

PDF = b"%PDF-1.4\n% giay khen\n"
POINTS = {f"indicator_{i}": "8" for i in range(1, 11)}
HEADERS = ["Tên (chủ hộ, dòng họ, thôn)", "Điểm đánh giá"]


def form_action(html: str, form_id: str = "task-form") -> str | None:
    """Where a browser sends the form: its action attribute (None: the page's own address)."""
    tag = re.search(rf'<form[^>]*id="{form_id}"[^>]*>', html).group(0)
    found = re.search(r'\baction="([^"]*)"', tag)
    return unescape(found.group(1)) if found else None


def draft_action(html: str) -> str:
    return unescape(re.search(r'formaction="([^"]*)"[^>]*>Lưu nháp<', html).group(1))


def hidden(html: str) -> dict:
    return {unescape(n): unescape(v) for n, v in re.findall(r'type="hidden" name="([^"]*)" value="([^"]*)"', html)}


def citizen_task_url(client, officials, login_as, new_uow) -> str:
    login_as(officials.branch)
    started = starting.start_dossier("learning_citizen_recognition", officials.branch, {"year": 2026}, new_uow())
    return f"/tasks/{only_task(started).id}"


def test_a_form_saved_as_a_draft_comes_back_to_its_official_and_can_be_discarded(client, officials, login_as,
                                                                                   new_uow):
    _, verify = to_commune(new_uow, officials)
    login_as(officials.commune)
    page = client.get(f"/tasks/{verify.id}").get_data(as_text=True)
    assert "Đang hiện bản nháp" not in page
    saved = client.post(draft_action(page), data={"decision": "return", "comment": "Thiếu biên bản họp thôn",
                                                  "csrf_token": csrf_token(page)})
    assert saved.status_code == 302 and saved.headers["Location"] == f"/tasks/{verify.id}"
    page = client.get(f"/tasks/{verify.id}").get_data(as_text=True)
    assert "Đang hiện bản nháp bạn lưu lúc" in page and ">Thiếu biên bản họp thôn</textarea>" in page
    assert 'value="return" checked' in page

    colleague = accounts.create_user("xa-hoankiem-2", PASSWORD, Role.COMMUNE, "00070", new_uow())
    other = client.application.test_client()
    token = csrf_token(other.get("/login").get_data(as_text=True))
    other.post("/login", data={"username": colleague.username, "password": PASSWORD, "csrf_token": token})
    assert "Thiếu biên bản họp thôn" not in other.get(f"/tasks/{verify.id}").get_data(as_text=True)

    discarded = client.post(f"/tasks/{verify.id}/draft/delete", data={"csrf_token": csrf_token(page)})
    assert discarded.status_code == 302
    page = client.get(f"/tasks/{verify.id}").get_data(as_text=True)
    assert "Đang hiện bản nháp" not in page and "Thiếu biên bản họp thôn" not in page
    empty = client.post(draft_action(page), data={"csrf_token": csrf_token(page)})
    assert empty.status_code == 422 and "chưa có gì để lưu nháp" in empty.get_data(as_text=True)


def test_the_list_read_from_excel_is_sent_where_the_task_form_says(client, officials, login_as, new_uow):
    dossier = starting.start_dossier(PROCESS, officials.branch, {"year": 2026, "title": "family"}, new_uow())
    task_id = only_task(dossier).id
    login_as(officials.branch)
    token = csrf_token(client.get(f"/tasks/{task_id}").get_data(as_text=True))
    read = client.post(f"/tasks/{task_id}/import", content_type="multipart/form-data", data={
        "csrf_token": token, "file": (io.BytesIO(xlsx_file(HEADERS, ["Hộ A", 80], ["Hộ B", 75.5])), "ds.xlsx")})
    page = read.get_data(as_text=True)
    assert read.status_code == 200 and "Đã đọc 2 dòng từ tệp" in page
    # As a browser sends "Gửi": to the form's action, or without one to the address the page was read from.
    action = form_action(page) or f"/tasks/{task_id}/import"
    rows = dict(re.findall(r'name="(candidates-\d+-\w+)" value="([^"]+)"', page))
    sent = client.post(action, data={"_lists": "candidates", "csrf_token": token, **rows})
    assert sent.status_code == 302, sent.get_data(as_text=True)
    assert viewing.get_dossier(dossier.id, officials.branch, new_uow()).data["candidates"] == [
        {"name": "Hộ A", "score": 80}, {"name": "Hộ B", "score": 75.5}]


def test_reading_a_list_from_excel_keeps_what_the_form_held(client, officials, login_as, new_uow):
    dossier = starting.start_dossier(PROCESS, officials.branch, {"year": 2026, "title": "family"}, new_uow())
    task_id = only_task(dossier).id
    login_as(officials.branch)
    token = csrf_token(client.get(f"/tasks/{task_id}").get_data(as_text=True))
    carried = {"csrf_token": token, "comment": "Thôn Đông gửi thêm hai hộ", "_lists": "candidates",
               "candidates-0-name": "Hộ gõ tay", "candidates-0-score": "70"}  # what form.js carries along
    read = client.post(f"/tasks/{task_id}/import", content_type="multipart/form-data", data={
        **carried, "file": (io.BytesIO(xlsx_file(HEADERS, ["Hộ A", 80])), "ds.xlsx")})
    page = read.get_data(as_text=True)
    assert read.status_code == 200 and ">Thôn Đông gửi thêm hai hộ</textarea>" in page
    assert 'value="Hộ A"' in page and 'value="Hộ gõ tay"' not in page  # the file's list replaces the typed one
    broken = client.post(f"/tasks/{task_id}/import", content_type="multipart/form-data", data={
        **carried, "file": (io.BytesIO(b"not a spreadsheet"), "ds.xlsx")})
    page = broken.get_data(as_text=True)
    assert broken.status_code == 422 and ">Thôn Đông gửi thêm hai hộ</textarea>" in page
    assert 'value="Hộ gõ tay"' in page  # a refused file leaves the typed list as it was


def test_a_valid_file_chosen_in_a_refused_form_is_kept_and_sent_with_the_next_submit(client, officials, login_as,
                                                                                      new_uow):
    task_url = citizen_task_url(client, officials, login_as, new_uow)
    token = csrf_token(client.get(task_url).get_data(as_text=True))
    typed = {"full_name": "Phạm Văn Minh", **POINTS, "csrf_token": token}
    refused = client.post(task_url, content_type="multipart/form-data",
                          data={**typed, "evidence": (io.BytesIO(PDF), "Giấy khen.pdf")})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Bắt buộc nhập." in page
    kept = re.search(r'name="_draft_files" value="(\d+)" checked> giữ tệp\s+Giấy khen.pdf', page)
    assert kept, page
    done = client.post(task_url, data={**typed, "id_number": "001090012345", "_draft_files": kept.group(1)})
    assert done.status_code == 302, done.get_data(as_text=True)
    dossier_id = int(re.search(r"hồ sơ số (\d+)", client.get("/inbox").get_data(as_text=True)).group(1))
    dossier = viewing.get_dossier(dossier_id, officials.branch, new_uow())
    assert [a.file_name for a in dossier.attachments] == ["Giấy khen.pdf"]


def test_a_refused_form_sums_up_its_errors_by_label_linked_to_each_field(client, officials, login_as, new_uow):
    task_url = citizen_task_url(client, officials, login_as, new_uow)
    token = csrf_token(client.get(task_url).get_data(as_text=True))
    page = client.post(task_url, data={"full_name": "Phạm Văn Minh", "csrf_token": token}).get_data(as_text=True)
    summary = re.search(r'<div class="error-summary" id="error-summary" role="alert" tabindex="-1">(.*?)</div>',
                        page, re.S).group(1)
    assert '<a href="#field-id_number">Số định danh cá nhân (CCCD, 12 chữ số): Bắt buộc nhập.</a>' in summary
    assert "indicator_1" not in re.sub(r'href="[^"]*"', "", summary)  # labels, not the form's internal names
    assert re.search(r'id="field-id_number"[^>]*aria-invalid="true" aria-describedby="error-id_number"', page)
    assert '<span class="field-error" id="error-id_number">Bắt buộc nhập.</span>' in page
    assert page.index("error-summary") < page.index('id="field-full_name"')
    assert "form.js" in page

    dossier = starting.start_dossier(PROCESS, officials.branch, {"year": 2026, "title": "family"}, new_uow())
    list_url = f"/tasks/{only_task(dossier).id}"
    page = client.post(list_url, data={"_lists": "candidates", "candidates-0-name": "Hộ A",
                                       "candidates-0-score": "tám", "csrf_token": token}).get_data(as_text=True)
    assert re.search(r'<a href="#field-candidates-0-score">[^<]*dòng 1, Điểm[^<]*: Phải là một số.</a>', page)
    assert re.search(r'id="field-candidates-0-score"[^>]*\s+aria-invalid="true" '
                     r'aria-describedby="error-candidates-0-score"', page)


def test_an_expired_session_keeps_what_was_typed_and_brings_the_official_back_to_the_task(client, officials,
                                                                                           login_as, new_uow):
    _, verify = to_commune(new_uow, officials)
    login_as(officials.commune)
    task_url = f"/tasks/{verify.id}"
    token = csrf_token(client.get(task_url).get_data(as_text=True))
    client.delete_cookie("session")  # the session expired while the form was being filled
    refused = client.post(task_url, data={"decision": "return", "comment": "Thiếu biên bản họp thôn",
                                          "csrf_token": token})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Bad Request" not in page and "CSRF" not in page
    assert "phiên đăng nhập đã hết hạn" in page.lower()
    carried = hidden(page)
    assert carried["comment"] == "Thiếu biên bản họp thôn" and carried["_carry_to"] == f"{task_url}/draft"

    mistyped = client.post("/login", data={**carried, "username": officials.commune.username, "password": "sai"})
    page = mistyped.get_data(as_text=True)
    assert "Sai tên đăng nhập hoặc mật khẩu." in page and "data-autosubmit" not in page
    assert hidden(page) == carried  # a mistyped password keeps the typed work for the next try
    signed_in = client.post("/login", data={**hidden(page), "username": officials.commune.username,
                                            "password": PASSWORD})
    page = signed_in.get_data(as_text=True)
    assert signed_in.status_code == 200 and "data-autosubmit" in page
    assert re.search(rf'action="{task_url}/draft" data-autosubmit', page)
    saved = client.post(f"{task_url}/draft", data=hidden(page))
    assert saved.headers["Location"] == task_url
    page = client.get(task_url).get_data(as_text=True)
    assert "Đang hiện bản nháp" in page and ">Thiếu biên bản họp thôn</textarea>" in page


def test_typed_work_goes_on_through_the_sign_in_to_a_draft_only(client, officials):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    for target in ("https://evil.example/tasks/x/draft", "/inbox", "/tasks/x/import"):
        response = client.post("/login", data={"username": officials.commune.username, "password": PASSWORD,
                                               "csrf_token": token, "_carry_to": target, "comment": "x"})
        assert response.status_code == 302 and response.headers["Location"] == "/inbox"
        client.post("/logout", data={"csrf_token": csrf_token(client.get("/inbox").get_data(as_text=True))})
        token = csrf_token(client.get("/login").get_data(as_text=True))


def test_a_stale_page_of_a_signed_in_official_comes_back_filled(client, officials, login_as, new_uow):
    _, verify = to_commune(new_uow, officials)
    login_as(officials.commune)
    refused = client.post(f"/tasks/{verify.id}", data={"decision": "return", "comment": "Thiếu biên bản",
                                                       "csrf_token": "cu"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Trang đã mở quá lâu nên biểu mẫu chưa được gửi" in page
    assert ">Thiếu biên bản</textarea>" in page and 'value="return" checked' in page
    assert tasks.get_task(verify.id, officials.commune, new_uow()).status == "open"


def test_a_signed_out_official_opening_a_task_signs_in_and_lands_on_it(client, officials, new_uow):
    _, verify = to_commune(new_uow, officials)
    sent_away = client.get(f"/tasks/{verify.id}")
    login_url = sent_away.headers["Location"]
    assert sent_away.status_code == 302 and urlsplit(login_url).path == "/login"
    page = client.get(login_url).get_data(as_text=True)
    # The sign-in form has no action: it posts to the address it was read from, `next` included.
    back = client.post(login_url, data={"username": officials.commune.username, "password": PASSWORD,
                                        "csrf_token": csrf_token(page)})
    assert back.headers["Location"] == f"/tasks/{verify.id}"


def test_a_returned_dossier_shows_its_reason_above_the_form(client, officials, login_as, new_uow):
    _, verify = to_commune(new_uow, officials)
    login_as(officials.commune)
    assert "Hồ sơ được trả lại" not in client.get(f"/tasks/{verify.id}").get_data(as_text=True)  # a first round
    returned = only_task(tasks.complete_task(verify.id, officials.commune,
                                             {"decision": "return", "comment": "Thiếu biên bản họp thôn"}, new_uow()))
    login_as(officials.branch)
    page = client.get(f"/tasks/{returned.id}").get_data(as_text=True)
    assert "Hồ sơ được trả lại để bổ sung" in page
    assert page.index("Thiếu biên bản họp thôn") < page.index('id="task-form"')


def test_a_draft_through_the_api(api, client, officials, new_uow):
    _, verify = to_commune(new_uow, officials)
    url = f"/api/tasks/{verify.id}/draft"
    assert api.get(url, officials.commune).status_code == 404
    saved = client.put(url, json={"comment": "Đang xem"}, headers=api.headers(officials.commune))
    assert saved.status_code == 200 and saved.json["values"] == {"comment": "Đang xem"} and saved.json["files"] == []
    assert api.get(url, officials.commune).json["values"] == {"comment": "Đang xem"}
    refused = client.put(url, json={"zz_not_a_field": 1}, headers=api.headers(officials.commune))
    assert refused.status_code == 422 and "zz_not_a_field" in refused.json["errors"]
    assert api.get(url, officials.other_commune).status_code == 403
    assert client.delete(url, headers=api.headers(officials.commune)).status_code == 204
    assert api.get(url, officials.commune).status_code == 404


def test_any_other_form_sent_without_its_token_is_refused_in_vietnamese(client, officials, login_as):
    login_as(officials.branch)
    for url, data in (("/dossiers", {"process": PROCESS}), ("/password", {})):
        refused = client.post(url, data=data)
        page = refused.get_data(as_text=True)
        assert refused.status_code == 400 and "Bad Request" not in page and "CSRF" not in page
        assert "phiên làm việc đã hết hạn" in page
    refused = client.post("/api/dossiers", json={"process": PROCESS})
    assert refused.status_code == 400 and refused.is_json


def test_a_session_ended_on_the_server_keeps_what_its_last_form_carried(client, officials, login_as, new_uow):
    _, verify = to_commune(new_uow, officials)
    login_as(officials.commune)
    page = client.get(f"/tasks/{verify.id}").get_data(as_text=True)
    other = client.application.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    other.post("/logout", data={"csrf_token": csrf_token(page)})  # signed out in another tab: the session ends
    refused = client.post(f"/tasks/{verify.id}", data={"decision": "approve", "comment": "Đủ hồ sơ",
                                                       "csrf_token": csrf_token(page)})
    assert refused.status_code == 401 and "phiên đăng nhập đã hết hạn" in refused.get_data(as_text=True).lower()
    assert hidden(refused.get_data(as_text=True))["comment"] == "Đủ hồ sơ"


def test_signing_in_again_to_carry_typed_work_is_no_failed_sign_in(app, officials, new_uow):
    """The carrying page answers 200 as a refused sign-in does: the throttle must still count only refusals."""
    _, verify = to_commune(new_uow, officials)
    for _ in range(11):
        browser = app.test_client()
        token = csrf_token(browser.get("/login").get_data(as_text=True))
        resumed = browser.post("/login", data={"username": officials.commune.username, "password": PASSWORD,
                                               "csrf_token": token, "_carry_to": f"/tasks/{verify.id}/draft",
                                               "comment": "Đủ hồ sơ"})
        assert resumed.status_code == 200 and "data-autosubmit" in resumed.get_data(as_text=True)


def test_a_list_saved_as_a_draft_comes_back_row_by_row(client, officials, login_as, new_uow):
    dossier = starting.start_dossier(PROCESS, officials.branch, {"year": 2026, "title": "family"}, new_uow())
    task_url = f"/tasks/{only_task(dossier).id}"
    login_as(officials.branch)
    page = client.get(task_url).get_data(as_text=True)
    client.post(draft_action(page), data={"_lists": "candidates", "candidates-0-name": "Hộ A",
                                          "candidates-0-score": "tám", "candidates-7-name": "Hộ H",
                                          "csrf_token": csrf_token(page)})
    page = client.get(task_url).get_data(as_text=True)
    assert re.findall(r'name="candidates-(\d+)-name" value="([^"]+)"', page) == [("0", "Hộ A"), ("1", "Hộ H")]
    assert 'name="candidates-0-score" value="tám"' in page  # a draft keeps what is not valid yet
