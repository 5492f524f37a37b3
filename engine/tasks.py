"""Use cases on human tasks: an official's inbox, one task with its form, completing it."""
from dataclasses import dataclass
from datetime import datetime

from engine import attachments, progress, spreadsheets
from engine.attachments import Upload
from engine.dossiers import dossier_view
from engine.errors import InvalidInput, NotYourTask, TaskAlreadyDone, TaskNotFound
from engine.model import DossierStatus, Official, OpenTask, TaskStatus, TaskView
from engine.orm import HumanTaskRow
from engine.unit_of_work import UnitOfWork, commit_or_conflict


@dataclass(frozen=True)
class Completed:
    dossier_id: int
    status: DossierStatus
    next_tasks: tuple[OpenTask, ...]  # the tasks this step opened, whoever they belong to


@dataclass(frozen=True)
class InboxPage:
    tasks: list[OpenTask]
    total: int  # open tasks of the official in all pages
    next_page: str | None  # cursor for the page after this one, None on the last page


INBOX_PAGE = 100


def inbox(official: Official, uow: UnitOfWork, after: str | None = None, size: int = INBOX_PAGE) -> InboxPage:
    """A page of the open tasks of the official's unit and role, newest first; `after` is a page's next_page."""
    cursor = _parse_cursor(after) if after else None
    with uow:
        rows = uow.tasks.inbox_for(official, size + 1, cursor)
        page = [progress.open_task(task, title, process) for task, title, process in rows[:size]]
        total = uow.tasks.count_open_for(official)
    next_page = f"{page[-1].created_at.isoformat()}|{page[-1].id}" if len(rows) > size else None
    return InboxPage(page, total, next_page)


def _parse_cursor(text: str) -> tuple[datetime, str]:
    moment, _, task_id = text.partition("|")
    try:
        parsed = datetime.fromisoformat(moment)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None or not task_id:
        raise InvalidInput({"after": "Con trỏ trang không hợp lệ; dùng giá trị next_page của trang trước."})
    return parsed, task_id


def get_task(task_id: str, official: Official, uow: UnitOfWork) -> TaskView:
    """A task of the official's own unit and role, with its form and the dossier it belongs to."""
    with uow:
        task = _own_task(uow, task_id, official)
        dossier = uow.dossiers.get(task.dossier_id)
        version = uow.processes.get(dossier.process_version_id)
        form = progress.step_form(version, task.form)
        step = progress.definition(version).steps()[task.bpmn_id]
        return TaskView(task=progress.open_task(task, dossier.title, version.process_id), status=task.status,
                        documentation=step.documentation, form_title=form.title or task.name,
                        fields=form.fields, values=_current_values(form.schema, dossier.data),
                        dossier=dossier_view(uow, dossier))


def complete_task(task_id: str, official: Official, submitted: dict, uow: UnitOfWork,
                  uploads: dict[str, list[Upload]] | None = None) -> Completed:
    """Complete an open task: lock the dossier, check the task is still open, run the process on, in one transaction.
    `uploads` are new files for the form's file fields, stored only if the step completes."""
    with uow:
        locked = uow.dossiers.task_for_update(task_id)
        if locked is None:
            raise TaskNotFound(task_id)
        task, dossier, version = locked
        _check_owner(task, official)
        if task.status != TaskStatus.OPEN:
            raise TaskAlreadyDone(task_id, task.completed_by)
        form = progress.step_form(version, task.form)
        values = form.validate(attachments.with_files(uow, dossier, form, submitted, uploads or {}, official))
        values = {**values, **progress.check_submission(uow, dossier, version, task.bpmn_id, values)}
        instance = progress.load_instance(uow, dossier, version)
        open_before = {step.task_id for step in instance.open_steps()}
        if task_id not in open_before:
            raise TaskAlreadyDone(task_id)
        dossier.data = {**dossier.data, **values}
        # Lists stay out of the workflow: Spiff merges lists, so a shortened candidate list would come back.
        instance.complete(task_id, {k: v for k, v in values.items() if not isinstance(v, (list, dict))})
        task.status, task.completed_at, task.completed_by = TaskStatus.COMPLETED, uow.clock.now(), official.username
        opened = progress.after_step(uow, dossier, instance, open_before - {task_id})
        progress.audit(uow, official, dossier.id, "complete", values, task)
        commit_or_conflict(uow, "Một việc khác vừa ghi trùng dữ liệu (ví dụ cùng một hộ vào sổ); hãy thử lại.")
        return Completed(dossier.id, DossierStatus(dossier.status),
                         tuple(progress.open_task(t, dossier.title, version.process_id) for t in opened))


def import_list(task_id: str, official: Official, content: bytes, uow: UnitOfWork) -> dict:
    """Read the list field of an open task's form from an .xlsx file; the values fill the form, nothing is stored."""
    with uow:
        task = _own_task(uow, task_id, official)
        if task.status != TaskStatus.OPEN:
            raise TaskAlreadyDone(task_id, task.completed_by)
        version = uow.processes.get(uow.dossiers.get(task.dossier_id).process_version_id)
        form = progress.step_form(version, task.form)
    field = next((f for f in form.fields if f.kind == "list"), None)
    if field is None:
        raise InvalidInput({"file": "Biểu mẫu của bước này không có danh sách để nhập từ Excel."})
    return {field.name: spreadsheets.read_list(content, field, form)}


def _own_task(uow: UnitOfWork, task_id: str, official: Official) -> HumanTaskRow:
    task = uow.tasks.get(task_id)
    if task is None:
        raise TaskNotFound(task_id)
    _check_owner(task, official)
    return task


def _check_owner(task: HumanTaskRow, official: Official) -> None:
    if task.role != official.role or task.unit_code != official.unit_code:
        raise NotYourTask(task.id)


# A decision and its reasons are always given afresh; everything else the dossier holds is shown again to revise.
_AFRESH = {"decision", "comment"}


def _current_values(schema: dict, data: dict) -> dict:
    return {name: data[name] for name in schema.get("properties", {}) if name in data and name not in _AFRESH}
