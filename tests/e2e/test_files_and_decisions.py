"""Files through the task page and the API, the recognition decision page, the expiring titles view."""
import io
import json
import re
from urllib.parse import quote

from openpyxl import load_workbook

from engine.dossiers import tasks
from engine.recognition import registry
from tests.support.builders import APPROVAL, csrf_token, only_task, to_commune

PDF = b"%PDF-1.4\n% giay khen\n"
POINTS = {f"indicator_{i}": "8" for i in range(1, 11)}


def register_citizen_on_the_page(client, login_as, officials):
    login_as(officials.branch)
    token = csrf_token(client.get("/inbox").get_data(as_text=True))
    started = client.post("/dossiers", data={"process": "learning_citizen_recognition:citizen", "year": "2026",
                                             "csrf_token": token})
    task_url = started.headers["Location"]
    page = client.get(task_url).get_data(as_text=True)
    assert 'type="file" name="evidence"' in page and 'enctype="multipart/form-data"' in page
    values = {"full_name": "Phạm Văn Minh", "id_number": "001090012345", **POINTS, "csrf_token": token}
    missing = client.post(task_url, data=values)
    assert missing.status_code == 422 and "Bắt buộc nhập." in missing.get_data(as_text=True)
    wrong = client.post(task_url, data={**values, "evidence": (io.BytesIO(b"MZ\x90"), "caidat.exe")},
                        content_type="multipart/form-data")
    assert wrong.status_code == 422 and "chỉ nhận PDF" in wrong.get_data(as_text=True)
    done = client.post(task_url, data={**values, "evidence": (io.BytesIO(PDF), "Giấy khen.pdf")},
                       content_type="multipart/form-data")
    assert done.status_code == 302, done.get_data(as_text=True)
    return int(re.search(r'href="/dossiers/(\d+)"', client.get(task_url).get_data(as_text=True)).group(1))


def test_evidence_uploads_on_the_page_and_downloads_as_an_attachment(client, login_as, officials):
    dossier_id = register_citizen_on_the_page(client, login_as, officials)
    login_as(officials.commune)
    page = client.get(f"/dossiers/{dossier_id}").get_data(as_text=True)
    link = re.search(r'href="(/attachments/\d+)">Giấy khen.pdf', page).group(1)
    response = client.get(link)
    assert response.data == PDF and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert quote("Giấy khen.pdf") in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'; frame-ancestors 'none'"
    login_as(officials.other_commune)
    assert client.get(link).status_code == 404


def test_files_through_the_api_as_multipart(client, api, officials):
    started = api.post("/api/dossiers", officials.branch, {"process": "learning_citizen_recognition",
                                                           "data": {"year": 2026}}).json
    task_id = started["open_tasks"][0]["id"]
    values = {"full_name": "Phạm Văn Minh", "id_number": "001090012345", **{k: 8 for k in POINTS}}
    bad = client.post(f"/api/tasks/{task_id}/complete", headers=api.headers(officials.branch),
                      data={"values": "{not json"}, content_type="multipart/form-data")
    assert bad.status_code == 422 and "values" in bad.json["errors"]
    done = client.post(f"/api/tasks/{task_id}/complete", headers=api.headers(officials.branch),
                       data={"values": json.dumps(values), "evidence": (io.BytesIO(PDF), "a.pdf")},
                       content_type="multipart/form-data")
    assert done.status_code == 200, done.json
    dossier = api.get(f"/api/dossiers/{started['id']}", officials.branch).json
    assert [a["file_name"] for a in dossier["attachments"]] == ["a.pdf"]


def test_decision_page_lists_its_subjects_and_the_expiring_view_finds_them(client, login_as, officials, new_uow,
                                                                           clock):
    _, verify = to_commune(new_uow, officials)
    approve = only_task(tasks.complete_task(verify.id, officials.commune, {"decision": "approve"}, new_uow()))
    tasks.complete_task(approve.id, officials.province, APPROVAL, new_uow())
    (title, *_) = registry.recognised_titles(officials.province, new_uow())
    login_as(officials.province)
    page = client.get(f"/decisions/{title.decision_id}").get_data(as_text=True)
    assert "Quyết định công nhận số 125/QĐ-UBND" in page and "Nguyễn Văn An" in page and "Trần Thị Bình" in page
    sheet = load_workbook(io.BytesIO(client.get(f"/decisions/{title.decision_id}.xlsx").data)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Nguyễn Văn An", "Trần Thị Bình"]
    # Family titles of 2026 hold until the end of 2027: that year they are due for re-evaluation.
    assert "Nguyễn Văn An" not in client.get("/expiring?year=2026").get_data(as_text=True)
    expiring = client.get("/expiring?year=2027").get_data(as_text=True)
    assert "Nguyễn Văn An" in expiring and "Trần Thị Bình" in expiring
    sheet = load_workbook(io.BytesIO(client.get("/expiring?year=2027&format=xlsx").data)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Nguyễn Văn An", "Trần Thị Bình"]
    login_as(officials.other_province)
    assert client.get(f"/decisions/{title.decision_id}").status_code == 404
    assert "Nguyễn Văn An" not in client.get("/expiring?year=2027").get_data(as_text=True)


def test_decisions_and_expiring_titles_through_the_api(api, officials, new_uow):
    _, verify = to_commune(new_uow, officials)
    approve = only_task(tasks.complete_task(verify.id, officials.commune, {"decision": "approve"}, new_uow()))
    tasks.complete_task(approve.id, officials.province, APPROVAL, new_uow())
    due = api.get("/api/registry/expiring?year=2027", officials.commune).json
    assert [(t["subject_name"], t["valid_until"]) for t in due] == [("Nguyễn Văn An", "2027-12-31"),
                                                                    ("Trần Thị Bình", "2027-12-31")]
    assert api.get("/api/registry/expiring?year=2027", officials.other_commune).json == []
    assert api.get("/api/registry/expiring?year=hai", officials.commune).status_code == 422
    decision = api.get(f"/api/decisions/{due[0]['decision_id']}", officials.branch).json
    assert (decision["number"], decision["signer_office"], len(decision["subjects"])) == (
        "125/QĐ-UBND", "Phó Chủ tịch UBND tỉnh", 2)
    assert api.get(f"/api/decisions/{due[0]['decision_id']}", officials.other_branch).status_code == 404
