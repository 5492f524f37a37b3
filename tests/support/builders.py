"""Builders the tests share: a candidate list brought to the commune, the one open task, a snapshot of every record,
reporting periods brought to a step, what a browser or a script sends (CSRF token, HTTP Basic, an .xlsx file), and
actions raced in threads."""
import base64
import threading
from collections.abc import Iterable
from io import BytesIO
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from sqlalchemy import func, select

from engine.dossiers import starting, tasks
from engine.dossiers.attachments import Upload
from engine.reporting import figures, periods
from engine.storage.tables import (AttachmentRow, AuditRow, DossierRow, HumanTaskRow, JobRow, ProcessVersionRow,
                                   RecognitionDecisionRow, TitleRow)

PASSWORD = "mat-khau-thu-nghiem"
PROCESS = "candidate_list_recognition"
CANDIDATES = [{"name": "Nguyễn Văn An", "score": 86}, {"name": "Trần Thị Bình", "score": 92.5}]
APPROVAL = {"decision": "approve", "decision_number": "125/QĐ-UBND", "decision_date": "2026-11-18",
            "signer": "Lê Văn Cường", "signer_office": "Phó Chủ tịch UBND tỉnh"}


def only_task(view_or_done):
    (task,) = view_or_done.open_tasks if hasattr(view_or_done, "open_tasks") else view_or_done.next_tasks
    return task


def to_commune(new_uow, officials, candidates=CANDIDATES):
    """Chi hội tổ 1 opens a 2026 list and sends it: the dossier's id and the commune's task to verify it."""
    dossier = starting.start_dossier(PROCESS, officials.branch, {"year": 2026, "title": "family", "name": "Tổ 1"}, new_uow())
    done = tasks.complete_task(only_task(dossier).id, officials.branch, {"candidates": candidates}, new_uow())
    return dossier.id, only_task(done)


def approve_all_the_way(new_uow, officials, verify):
    """The commune passes the list on; return the province's task and its approval, to run when the test says."""
    approve = only_task(tasks.complete_task(verify.id, officials.commune, {"decision": "approve"}, new_uow()))
    return approve, lambda: tasks.complete_task(approve.id, officials.province, APPROVAL, new_uow())


def snapshot(new_uow):
    """Every record a failed action must leave as it was."""
    with new_uow() as uow:
        rows = {}
        for table in (DossierRow, HumanTaskRow, AuditRow, TitleRow, ProcessVersionRow, AttachmentRow,
                      RecognitionDecisionRow, JobRow):
            rows[table.__tablename__] = uow.session.scalar(select(func.count()).select_from(table))
        rows["dossiers_state"] = [(d.id, d.revision, d.status, d.state, d.data)
                                  for d in uow.session.scalars(select(DossierRow).order_by(DossierRow.id))]
        rows["tasks_state"] = [(t.id, t.status) for t in uow.session.scalars(select(HumanTaskRow).order_by(HumanTaskRow.id))]
        return rows


def due_at(new_uow, dossier_id):
    """When the dossier's next timer is due (None: none waits)."""
    with new_uow() as uow:
        return uow.dossiers.get(dossier_id).timer_due_at


# The annual report: every figure of every model, as a commune sends them.
FIGURES = {**{f"{part}_{model}": count for model in figures.MODELS
              for part, count in (("registered", 40), ("recognised", 0), ("total", 50))}}


def set_commune_deadline(new_uow, officials, day="2026-12-05", reminder_days=3):
    """Hà Nội sets its communes' deadline on its only task (the period just opened)."""
    (task,) = tasks.inbox(officials.province, new_uow()).tasks
    return tasks.complete_task(task.id, officials.province, {"commune_deadline": day,
                                                              "reminder_days": reminder_days}, new_uow())


def commune_task(new_uow, official):
    (task,) = tasks.inbox(official, new_uow()).tasks
    return task


def accept_figures(new_uow, officials, commune_official, values):
    """A commune sends its annual figures and Hà Nội accepts them."""
    task = commune_task(new_uow, commune_official)
    review = only_task(tasks.complete_task(task.id, commune_official, values, new_uow()))
    tasks.complete_task(review.id, officials.province, {"decision": "approve"}, new_uow())


# The Lifelong Learning Week report.
WEEK = "learning_week"
WEEK_PROVINCE_STEP = "Tổng hợp, gửi báo cáo Tuần lễ của tỉnh"


def open_week(new_uow, officials, commune_deadline="2027-10-12"):
    """The 2027 week (the clock stands in November 2026), with Hà Nội's communes due on `commune_deadline`."""
    opened = periods.open_reporting_period(WEEK, 2027, officials.ministry, new_uow())
    (task,) = [t for t in tasks.inbox(officials.province, new_uow()).tasks if t.title == WEEK]
    tasks.complete_task(task.id, officials.province, {"commune_deadline": commune_deadline, "reminder_days": 2},
                        new_uow())
    return opened


def submit_week(new_uow, official, values):
    (task,) = [t for t in tasks.inbox(official, new_uow()).tasks if t.title == WEEK]
    return tasks.complete_task(task.id, official, values, new_uow())


def accept_week(new_uow, officials, commune_official, values):
    """A commune sends its week's figures and Hà Nội accepts them."""
    review = only_task(submit_week(new_uow, commune_official, values))
    tasks.complete_task(review.id, officials.province, {"decision": "approve"}, new_uow())


def send_week_report(new_uow, officials, values):
    """Hà Nội sends its own week's report, with its file."""
    (task,) = [t for t in tasks.inbox(officials.province, new_uow()).tasks if t.step_name == WEEK_PROVINCE_STEP]
    return tasks.complete_task(task.id, officials.province, values, new_uow(),
                               {"report_file": [Upload("tuan-le.pdf", b"%PDF-1.4\n")]})


def csrf_token(html: str) -> str:
    marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    return html[start:html.index('"', start)]


def basic(official, password=PASSWORD) -> dict:
    """HTTP Basic headers for an official, as an older Camunda Modeler setup sends them to /engine-rest."""
    token = base64.b64encode(f"{official.username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def xlsx_file(*rows) -> bytes:
    """An .xlsx file whose first sheet holds these rows, as an official would save it from Excel."""
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


SHEET_XML = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'


def xlsx_with_part(name: str, chunks: Iterable[bytes]) -> bytes:
    """A one-row list with the part `name` replaced by these bytes, written a chunk at a time and deflated as Excel
    does: how a test builds a file that unpacks to far more than it weighs."""
    source = ZipFile(BytesIO(xlsx_file(["Tên (chủ hộ, dòng họ, thôn)", "Điểm đánh giá"], ["Hộ A", 80])))
    out = BytesIO()
    with ZipFile(out, "w", ZIP_DEFLATED, compresslevel=9) as archive:
        for part in source.namelist():
            with archive.open(part, "w") as stream:
                for chunk in (chunks if part == name else [source.read(part)]):
                    stream.write(chunk)
    return out.getvalue()


def race(count, action):
    """Run `action(i)` in `count` threads released together; return what each returned or raised."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(index):
        barrier.wait()
        try:
            results[index] = action(index)
        except Exception as error:  # noqa: BLE001 - the outcome under test is which error each thread got
            results[index] = error

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results
