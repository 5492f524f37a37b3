"""Files made in the background, as an official asks for them in the pages: a recognition decision's certificates as
one PDF and the registry as an .xlsx file, each opened back and read. Bad input tried: a decision and a unit out of
the official's reach (refused at once, no job), an export past Excel's last row (refused at once, naming the year),
an account disabled before its job ran (the job dead with the reason, no file), another official's job and file
(answered as missing)."""
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from engine.dossiers import tasks
from engine.errors import InvalidInput
from engine.jobs import running
from engine.model import SYSTEM, JobStatus
from engine.organisation import accounts
from engine.recognition import batch_files, registry
from engine.storage.unit_of_work import UnitOfWork
from tests.support.builders import APPROVAL, CANDIDATES, csrf_token, only_task, snapshot, to_commune


@pytest.fixture
def decision(new_uow, officials) -> int:
    """Hà Nội's decision 125/QĐ-UBND recognising Hoàn Kiếm's households; its id."""
    _, verify = to_commune(new_uow, officials)
    approve = only_task(tasks.complete_task(verify.id, officials.commune, {"decision": "approve"}, new_uow()))
    tasks.complete_task(approve.id, officials.province, APPROVAL, new_uow())
    (title, *_) = registry.recognised_titles(officials.province, new_uow(), year=2026)
    return title.decision_id


def ask(client, path: str, data: dict | None = None):
    token = csrf_token(client.get("/jobs").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **(data or {})})


def test_a_decision_s_certificates_come_as_one_pdf_made_in_the_background(client, login_as, officials, decision):
    login_as(officials.commune)
    asked = ask(client, f"/decisions/{decision}/certificates")
    assert asked.status_code == 302 and asked.headers["Location"].startswith("/jobs/")
    page = client.get(asked.headers["Location"]).get_data(as_text=True)
    assert "In giấy công nhận" in page and "Đã xong" in page and f"giay-cong-nhan-qd-{decision}.pdf" in page
    download = client.get(asked.headers["Location"] + "/file")
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"] == f'attachment; filename="giay-cong-nhan-qd-{decision}.pdf"'
    pages = PdfReader(BytesIO(download.data)).pages
    assert len(pages) == len(CANDIDATES)
    for page_, candidate in zip(pages, CANDIDATES):
        text = " ".join(page_.extract_text().split())
        assert candidate["name"] in text and "Theo Quyết định số 125/QĐ-UBND ngày 18/11/2026" in text
    assert "In giấy công nhận" in client.get("/jobs").get_data(as_text=True)  # on the official's own list


def test_out_of_reach_is_refused_at_once_and_queues_nothing(client, login_as, officials, decision, new_uow):
    before = snapshot(new_uow)
    login_as(officials.other_commune)
    assert ask(client, f"/decisions/{decision}/certificates").status_code == 404
    assert ask(client, "/registry/export", {"year": "2026", "unit": "00070"}).status_code == 403
    assert snapshot(new_uow) == before


def test_another_official_s_job_and_file_are_missing_to_them(client, login_as, officials, decision, new_uow):
    job_id = batch_files.ask_for_certificates(decision, officials.commune, new_uow())
    login_as(officials.province)
    assert client.get(f"/jobs/{job_id}").status_code == 404
    assert client.get(f"/jobs/{job_id}/file").status_code == 404


def test_the_registry_exports_to_xlsx_in_the_background_with_every_title(client, login_as, officials, decision,
                                                                          new_uow):
    login_as(officials.province)
    asked = ask(client, "/registry/export", {"year": "2026", "unit": "01"})
    workbook = load_workbook(BytesIO(client.get(asked.headers["Location"] + "/file").data))
    rows = list(workbook["Sổ danh hiệu"].iter_rows(values_only=True))
    assert rows[0][:4] == ("Tên", "Danh hiệu", "Mức độ", "Năm")
    assert sorted(row[0] for row in rows[1:]) == sorted(c["name"] for c in CANDIDATES)
    assert {row[8] for row in rows[1:]} == {"125/QĐ-UBND"}
    assert {row[5:8] for row in rows[1:]} == {("Chi hội tổ 1", "Phường Hoàn Kiếm", "Thành phố Hà Nội")}  # as the page
    assert workbook["Sổ danh hiệu"].freeze_panes == "A2"
    (job, *_) = [j for j in _jobs(new_uow) if j.kind == "registry_export"]
    assert job.result["rows"] == len(CANDIDATES)


def test_an_export_past_excel_s_last_row_is_refused_naming_the_year(officials, decision, new_uow, monkeypatch):
    monkeypatch.setattr(batch_files, "MAX_EXPORTED_TITLES", len(CANDIDATES) - 1)
    with pytest.raises(InvalidInput) as refused:
        batch_files.ask_for_registry_export(officials.province, new_uow(), 2026, "01")
    assert refused.value.errors == {"year": f"Quá {len(CANDIDATES) - 1} danh hiệu, nhiều hơn một trang Excel chứa "
                                            "được: chọn một năm hoặc một đơn vị nhỏ hơn."}
    assert [j for j in _jobs(new_uow) if j.kind == "registry_export"] == []


def test_a_job_of_an_account_disabled_before_it_ran_ends_with_the_reason(officials, decision, new_uow,
                                                                         session_factory, clock):
    queued_only = UnitOfWork(session_factory, clock)  # no dispatcher: the job waits, as behind a busy worker
    job_id = batch_files.ask_for_certificates(decision, officials.commune, queued_only)
    accounts.disable_account(officials.commune.username, SYSTEM, new_uow())
    assert running.run_job(job_id, new_uow, "w1") == running.DEAD
    (job,) = [j for j in _jobs(new_uow) if j.id == job_id]
    assert job.status == JobStatus.DEAD and "xa-hoankiem' không còn hoạt động" in job.error
    with new_uow() as uow:
        assert uow.jobs.file_of(job_id) is None


def _jobs(new_uow):
    with new_uow() as uow:
        return list(uow.jobs.listed(None, 100))
