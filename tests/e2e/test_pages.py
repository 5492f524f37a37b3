"""The officials' pages through Flask's client: sign-in, CSRF, the inbox, a task form, dossier and registry.
Bad inputs tried: wrong passwords, missing CSRF tokens, an off-site `next`, a text score and NaN, another unit's
dossier, diagram and certificate (answered as missing, naming no unit)."""
import re

from engine.designing import deployments
from engine.dossiers import starting
from tests.support.builders import APPROVAL, approve_all_the_way, csrf_token, to_commune
from tests.support.diagrams import deadline_diagram


def test_pages_need_sign_in_and_bad_passwords_are_refused(client, officials):
    assert client.get("/inbox").status_code == 302
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": "xa-hoankiem", "password": "x", "csrf_token": token})
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.get_data(as_text=True)


def test_forms_without_csrf_token_are_refused(client, officials, login_as):
    assert client.post("/login", data={"username": "xa-hoankiem", "password": "x"}).status_code == 400
    login_as(officials.branch)
    assert client.post("/dossiers", data={"process": "candidate_list_recognition"}).status_code == 400


def test_login_does_not_redirect_off_site(client, officials):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login?next=//evil.example/x", data={
        "username": officials.commune.username, "password": "mat-khau-thu-nghiem", "csrf_token": token})
    assert response.headers["Location"] == "/inbox"


def test_commune_verifies_through_the_task_page(client, officials, login_as, new_uow):
    dossier_id, verify = to_commune(new_uow, officials)
    login_as(officials.commune)
    inbox = client.get("/inbox").get_data(as_text=True)
    assert "Thẩm định hồ sơ" in inbox and f"Số {dossier_id}" in inbox
    page = client.get(f"/tasks/{verify.id}").get_data(as_text=True)
    assert "Nguyễn Văn An" in page and "Trả lại để bổ sung" in page
    token = csrf_token(page)
    refused = client.post(f"/tasks/{verify.id}", data={"decision": "return", "csrf_token": token})
    assert refused.status_code == 422 and "Bắt buộc nhập." in refused.get_data(as_text=True)
    done = client.post(f"/tasks/{verify.id}", data={"decision": "approve", "csrf_token": token})
    assert done.status_code == 302
    assert "Không có việc nào" in client.get("/inbox").get_data(as_text=True)


def test_branch_starts_and_fills_a_candidate_list_in_the_page(client, officials, login_as):
    login_as(officials.branch)
    token = csrf_token(client.get("/inbox").get_data(as_text=True))
    started = client.post("/dossiers", data={"process": "candidate_list_recognition:family", "year": "2026",
                                             "name": "Tổ 1", "csrf_token": token})
    task_url = started.headers["Location"]
    page = client.get(task_url).get_data(as_text=True)
    assert "Danh sách đề nghị" in page
    bad = client.post(task_url, data={"_lists": "candidates", "candidates-0-name": "Hộ A",
                                      "candidates-0-score": "tám", "csrf_token": token})
    assert bad.status_code == 422 and "Phải là một số." in bad.get_data(as_text=True)
    nan = client.post(task_url, data={"_lists": "candidates", "candidates-0-name": "Hộ A",
                                      "candidates-0-score": "nan", "csrf_token": token})
    assert nan.status_code == 422 and "Phải là một số." in nan.get_data(as_text=True)
    good = client.post(task_url, data={"_lists": "candidates", "candidates-0-name": "Hộ A", "candidates-0-score": "80",
                                       "candidates-2-name": "Hộ C", "candidates-2-score": "92,5",
                                       "candidates-²-name": "Hộ lạ", "candidates-01-name": "Hộ số 01", "candidates-01-score": "75",
                                       "csrf_token": token})
    assert good.status_code == 302
    dossier_id = re.search(r"hồ sơ số (\d+)", client.get("/inbox").get_data(as_text=True)).group(1)
    page = client.get(f"/dossiers/{dossier_id}").get_data(as_text=True)
    assert "Hộ A" in page and "92.5" in page and "Hộ lạ" not in page
    assert page.index("Hộ A") < page.index("Hộ số 01") < page.index("Hộ C")


def test_registry_page_lists_recognised_households(client, officials, login_as, new_uow):
    from engine.dossiers import tasks
    _, verify = to_commune(new_uow, officials)
    approve = tasks.complete_task(verify.id, officials.commune, {"decision": "approve"}, new_uow()).next_tasks[0]
    tasks.complete_task(approve.id, officials.province, APPROVAL, new_uow())
    login_as(officials.province)
    page = client.get("/registry?year=2026").get_data(as_text=True)
    assert "2 danh hiệu" in page and "Trần Thị Bình" in page and "125/QĐ-UBND" in page
    assert client.get("/registry?unit=46").status_code == 403
    assert client.get("/registry?year=²").status_code == 200
    title_id = re.search(r"/titles/(\d+)/certificate.pdf", page).group(1)
    pdf = client.get(f"/titles/{title_id}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    login_as(officials.other_commune)
    # Another commune's official learns nothing of a title out of reach: the answer of a title that does not exist.
    outside = client.get(f"/titles/{title_id}/certificate.pdf")
    assert outside.status_code == client.get("/titles/999999/certificate.pdf").status_code == 404
    assert f"Không có danh hiệu số {title_id}." in outside.text
    assert not [leak for leak in (officials.branch_code, "00070", "Chi hội tổ 1") if leak in outside.text]


def test_the_diagram_is_served_only_within_the_dossier_s_units(client, officials, login_as, new_uow):
    dossier_id, _ = to_commune(new_uow, officials)
    login_as(officials.other_commune)
    assert client.get(f"/dossiers/{dossier_id}/diagram.bpmn").status_code == 404
    assert client.get(f"/dossiers/{dossier_id}").status_code == 404
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/inbox").get_data(as_text=True))})
    login_as(officials.commune)
    response = client.get(f"/dossiers/{dossier_id}/diagram.bpmn")
    assert response.status_code == 200 and b'id="candidate_list_recognition"' in response.data
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_done_task_page_says_so_instead_of_offering_the_form(client, officials, login_as, new_uow):
    from engine.dossiers import tasks
    _, verify = to_commune(new_uow, officials)
    tasks.complete_task(verify.id, officials.commune, {"decision": "approve"}, new_uow())
    login_as(officials.commune)
    page = client.get(f"/tasks/{verify.id}").get_data(as_text=True)
    assert "đã được hoàn thành" in page and 'name="decision"' not in page


def test_a_commune_creates_its_branches_and_only_a_commune_may(client, officials, login_as):
    login_as(officials.commune)
    token = csrf_token(client.get("/branches").get_data(as_text=True))
    created = client.post("/branches", data={"name": "Chi hội thôn Đông", "csrf_token": token}, follow_redirects=True)
    assert "Đã lập chi hội mã 00070-02" in created.get_data(as_text=True)
    duplicate = client.post("/branches", data={"name": "chi hội thôn đông", "csrf_token": token}, follow_redirects=True)
    assert "đã có chi hội tên" in duplicate.get_data(as_text=True)
    empty = client.post("/branches", data={"name": "  ", "csrf_token": token}, follow_redirects=True)
    assert "Bắt buộc nhập tên chi hội" in empty.get_data(as_text=True)
    page = client.get("/branches").get_data(as_text=True)
    assert "00070-01" in page and "Chi hội thôn Đông" in page and page.count("<tr><td>00070-") == 2
    login_as(officials.province)
    assert client.get("/branches").status_code == 403


def test_without_a_configured_key_each_install_makes_its_own(tmp_path, monkeypatch, database_url):
    from web import config, create_app
    monkeypatch.setattr(config, "INSTANCE", tmp_path / "instance")
    first = create_app({"DATABASE_URL": database_url, "SECRET_KEY": None}).config["SECRET_KEY"]
    again = create_app({"DATABASE_URL": database_url, "SECRET_KEY": None}).config["SECRET_KEY"]
    assert first == again and len(first) == 64
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0


def test_a_refusal_about_the_list_shows_on_the_province_s_page(client, officials, login_as, new_uow):
    from engine.dossiers import tasks
    _, first = to_commune(new_uow, officials)
    _, second = to_commune(new_uow, officials)
    _, approve_first = approve_all_the_way(new_uow, officials, first)
    approve_second, _ = approve_all_the_way(new_uow, officials, second)
    approve_first()
    login_as(officials.province)
    token = csrf_token(client.get(f"/tasks/{approve_second.id}").get_data(as_text=True))
    response = client.post(f"/tasks/{approve_second.id}", data={**APPROVAL, "csrf_token": token})
    assert response.status_code == 422
    assert "Đã được công nhận năm 2026 theo quyết định 125/QĐ-UBND." in response.get_data(as_text=True)
    assert tasks.inbox(officials.province, new_uow()).total == 1


def test_the_inbox_shows_a_deadline_and_marks_it_overdue_once_past(client, officials, login_as, new_uow, clock):
    deployments.deploy({"with_deadline.bpmn": deadline_diagram()}, officials.designer, new_uow())
    starting.start_dossier("with_deadline", officials.branch, {"year": 2026}, new_uow())
    login_as(officials.branch)
    page = client.get("/inbox").get_data(as_text=True)
    overdue = '<strong class="overdue">quá hạn</strong>'
    assert "15/12/2026 17:00" in page and overdue not in page
    assert "Không có việc nào khớp bộ lọc" in client.get("/inbox?overdue=1").get_data(as_text=True)
    clock.advance(days=26)
    assert overdue in client.get("/inbox").get_data(as_text=True)
    assert overdue in client.get("/inbox?overdue=1").get_data(as_text=True)
