"""Use cases on human tasks: an official's inbox, one task with its form, completing it."""
import dataclasses
from dataclasses import dataclass
from datetime import datetime

from engine import spreadsheets
from engine.dossiers import attachments, forms, step_runner
from engine.dossiers.attachments import Upload
from engine.dossiers.starting import startable_in
from engine.dossiers.submission_checks import check_submission, form_rules
from engine.dossiers.viewing import dossier_view, open_task
from engine.dossiers.workflows import definition, step_form
from engine.errors import BAD_PAGE, InvalidInput, NotYourTask, TaskAlreadyDone, TaskNotFound
from engine.model import (INBOX_SORTS, DossierStatus, InboxFilter, Official, OpenTask, ProcessInfo, ReportKind, Role,
                          SavedFilter, TaskStatus, TaskView, Title, role_for_step)
from engine.organisation.units import unit_label
from engine.storage.repositories.dossiers import NO_DEADLINE
from engine.storage.tables import DossierRow, HumanTaskRow, ProcessVersionRow, SavedFilterRow
from engine.storage.unit_of_work import UnitOfWork, commit_or_conflict


@dataclass(frozen=True)
class Completed:
    dossier_id: int
    status: DossierStatus
    next_tasks: tuple[OpenTask, ...]  # the tasks this step opened, whoever they belong to


INBOX_PAGE = 100
# Counting stops past this many tasks ("1 000+"): a count reads every row it counts, the page reads one page.
COUNT_CAP = 1000


@dataclass(frozen=True)
class InboxPage:
    tasks: list[OpenTask]
    total: int  # open tasks the filter keeps in all pages (COUNT_CAP + 1 when capped)
    next_page: str | None  # cursor for the page after this one, None on the last page
    capped: bool = False  # there are more than COUNT_CAP tasks: counting stopped there


MAX_SEARCH = 200  # characters of a search in the inbox


def inbox(official: Official, uow: UnitOfWork, after: str | None = None, size: int = INBOX_PAGE,
          narrowed: InboxFilter = InboxFilter()) -> InboxPage:
    """A page of the open tasks of the official's unit and role that the filter keeps, newest first; `after` is a
    page's next_page."""
    cursor = _checked_start(after, narrowed)
    with uow.reading():
        return _inbox_page(uow, official, size, cursor, narrowed)


@dataclass(frozen=True)
class Desk:
    inbox: InboxPage
    startable: list[ProcessInfo]
    saved: list[SavedFilter]  # the official's saved filters and those shared within their unit and role
    units_below: list[tuple[str, str]]  # (code, name) of the units whose dossiers the inbox can be narrowed to
    steps: list[tuple[str, str]]  # (id, name) of the steps the official's role takes, to narrow the inbox to one


def desk(official: Official, uow: UnitOfWork, after: str | None = None,
         narrowed: InboxFilter = InboxFilter()) -> Desk:
    """What the inbox page shows: a page of open tasks (those the filter keeps), the processes the official may
    start, the saved filters and the units below the official's to filter by."""
    cursor = _checked_start(after, narrowed)
    with uow.reading():
        latest = uow.processes.latest_of_each()
        return Desk(_inbox_page(uow, official, INBOX_PAGE, cursor, narrowed), startable_in(uow, official, latest),
                    [saved_filter(row) for row in uow.saved_filters.visible_to(official)],
                    _units_below(uow, official), _steps_taken_by(official, latest))


def _steps_taken_by(official: Official, latest: list[ProcessVersionRow]) -> list[tuple[str, str]]:
    """The steps of each process's latest version that the official's role takes, by name; a step id that two
    processes share (a filter keeps both) is named by both names."""
    names: dict[str, list[str]] = {}
    for version in latest:
        for step in definition(version).steps().values():
            if role_for_step(step.lane, step.groups) == official.role and step.name not in names.get(step.bpmn_id, ()):
                names.setdefault(step.bpmn_id, []).append(step.name)
    return sorted(((bpmn_id, " / ".join(each)) for bpmn_id, each in names.items()), key=lambda step: step[1])


def _units_below(uow: UnitOfWork, official: Official) -> list[tuple[str, str]]:
    """A commune's branches, a province's communes (about a hundred); no list for other levels, whose inbox's
    dossiers come from no unit below them a filter names."""
    below = {Role.COMMUNE: uow.units.branches_of, Role.PROVINCE: uow.units.communes_of}.get(official.role)
    return [(unit.code, unit.name) for unit in below(official.unit_code)] if below else []


def saved_filter(row: SavedFilterRow) -> SavedFilter:
    """A stored filter as the inbox offers it (parts it no longer knows left out)."""
    known = {part.name for part in dataclasses.fields(InboxFilter)}
    narrowed = InboxFilter(**{part: value for part, value in row.narrowed.items() if part in known})
    return SavedFilter(id=row.id, name=row.name, owner=row.username, shared=row.shared, narrowed=narrowed)


def check_filter(narrowed: InboxFilter) -> None:
    """Refuse a filter no inbox could match, naming the part."""
    errors = {}
    if len(narrowed.text) > MAX_SEARCH:
        errors["q"] = f"Tìm tối đa {MAX_SEARCH} ký tự."
    if narrowed.title and narrowed.title not in {*Title, *ReportKind}:
        errors["title"] = "Danh hiệu không có: chọn trong danh sách."
    if narrowed.sort not in INBOX_SORTS:
        orders = ", ".join(f"{label} ({name})" for name, label in INBOX_SORTS.items())
        errors["sort"] = f"Sắp xếp theo một trong: {orders}."
    if narrowed.year is not None and not 2000 <= narrowed.year <= 2100:
        errors["year"] = "Năm phải từ 2000 đến 2100."
    for name, value, longest in (("step", narrowed.step, 100), ("unit", narrowed.unit, 16)):
        if value and len(value) > longest:
            errors[name] = f"Tối đa {longest} ký tự."
    for name, value in (("q", narrowed.text), ("step", narrowed.step), ("unit", narrowed.unit)):
        if value and "\x00" in value and name not in errors:
            errors[name] = "Có ký tự NUL (\\x00): bỏ ký tự đó rồi tìm lại."
    if errors:
        raise InvalidInput(errors)


def _checked_start(after: str | None, narrowed: InboxFilter) -> tuple[datetime | str, str] | None:
    """Where a page starts (None: at the first task), once the filter is known to be one an inbox could match."""
    check_filter(narrowed)
    if after and "\x00" in after:
        raise InvalidInput({"after": BAD_PAGE})
    return _parse_cursor(after, narrowed.sort) if after else None


def _inbox_page(uow: UnitOfWork, official: Official, size: int, cursor: tuple[datetime | str, str] | None,
                narrowed: InboxFilter) -> InboxPage:
    now = uow.clock.now()
    rows = uow.tasks.inbox_for(official, size + 1, cursor, narrowed, now)
    page = [open_task(task, title, process, name, unit_label(proposer, level))
            for task, title, process, name, proposer, level in rows[:size]]
    # A first page that holds every task is its own count.
    whole = cursor is None and len(rows) <= size
    total = len(rows) if whole else uow.tasks.count_open_for(official, narrowed, now, up_to=COUNT_CAP + 1)
    return InboxPage(page, total, _cursor(narrowed.sort, page[-1]) if len(rows) > size else None,
                     capped=not whole and total > COUNT_CAP)


def _cursor(sort: str, last: OpenTask) -> str:
    """Where the next page starts: after the last task's sort key and id (a name may hold any character: the id,
    a UUID, is split off the end)."""
    if sort == "received":
        return f"{last.created_at.isoformat()}|{last.id}"
    if sort == "due":
        return f"due|{(last.due_at or NO_DEADLINE).isoformat()}|{last.id}"
    return f"name|{last.dossier_name or ''}|{last.id}"


def _parse_cursor(text: str, sort: str) -> tuple[datetime | str, str]:
    """A page's cursor, made by `_cursor` for the same order: (the sort key's value, task id)."""
    head, _, task_id = text.rpartition("|")
    if sort != "received":
        kind, _, head = head.partition("|")
        if kind != sort:
            head = ""
    if sort == "name" and task_id:
        return head, task_id
    try:
        parsed = datetime.fromisoformat(head)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None or not task_id:
        raise InvalidInput({"after": BAD_PAGE})
    return parsed, task_id


def get_task(task_id: str, official: Official, uow: UnitOfWork) -> TaskView:
    """A task of the official's own unit and role, with its form and the dossier it belongs to."""
    with uow.reading():
        return task_view(uow, own_task(uow, task_id, official))[0]


def task_view(uow: UnitOfWork, task: HumanTaskRow) -> tuple[TaskView, forms.Form]:
    """The task as its page shows it, and its form."""
    dossier = uow.dossiers.get(task.dossier_id)
    version = uow.processes.get(dossier.process_version_id)
    form = step_form(version, task.form)
    step = definition(version).steps()[task.bpmn_id]
    view = TaskView(task=open_task(task, dossier.title, version.process_id), status=task.status,
                    documentation=step.documentation, form_title=form.title or task.name,
                    fields=form.fields, values=_current_values(form.schema, dossier.data),
                    dossier=dossier_view(uow, dossier), rules=form_rules(uow, dossier, version, task.bpmn_id))
    return view, form


def complete_task(task_id: str, official: Official, submitted: dict, uow: UnitOfWork,
                  uploads: dict[str, list[Upload]] | None = None) -> Completed:
    """Complete an open task: lock the dossier, check the task is still open, run the process on, in one transaction.
    `uploads` are new files for the form's file fields, stored only if the step completes."""
    with uow:
        task, dossier, version = locked_open_task(uow, task_id, official)
        return complete_locked(uow, official, task, dossier, version, submitted, uploads or {})


def locked_open_task(uow: UnitOfWork, task_id: str,
                     official: Official) -> tuple[HumanTaskRow, DossierRow, ProcessVersionRow]:
    """The official's open task with its dossier, row-locked until the transaction ends."""
    locked = uow.dossiers.task_for_update(task_id)
    if locked is None:
        raise TaskNotFound(task_id)
    task = locked[0]
    _check_owner(task, official)
    if task.status != TaskStatus.OPEN:
        raise no_longer_open(task)
    return locked


def complete_locked(uow: UnitOfWork, official: Official, task: HumanTaskRow, dossier: DossierRow,
                    version: ProcessVersionRow, submitted: dict, uploads: dict[str, list[Upload]]) -> Completed:
    """Complete a task locked by locked_open_task, in the caller's transaction, committing it; its drafts go."""
    form = step_form(version, task.form)
    values = form.validate(attachments.with_files(uow, dossier, form, submitted, uploads, official))
    values = {**values, **check_submission(uow, dossier, version, task.bpmn_id, values, form.labels)}
    opened = step_runner.complete(uow, official, dossier, version, task, values)
    uow.drafts.delete_of_task(task.id)
    commit_or_conflict(uow, "Một việc khác vừa ghi trùng dữ liệu (ví dụ cùng một hộ vào sổ); hãy thử lại.")
    return Completed(dossier.id, DossierStatus(dossier.status),
                     tuple(open_task(t, dossier.title, version.process_id) for t in opened))


@dataclass(frozen=True)
class ListImport:
    task: TaskView
    values: dict  # the list read from the file under its field's name; the task's own values if nothing was read
    errors: dict  # what is wrong with the file, by row and column (then nothing was read)


def import_list(task_id: str, official: Official, content: bytes, uow: UnitOfWork) -> ListImport:
    """Read the list field of an open task's form from an .xlsx file; the values fill the form, nothing is stored."""
    with uow:
        task = own_task(uow, task_id, official)
        if task.status != TaskStatus.OPEN:
            raise no_longer_open(task)
        view, form = task_view(uow, task)
    field = next((f for f in form.fields if f.kind == "list"), None)
    try:
        if field is None:
            raise InvalidInput({"file": "Biểu mẫu của bước này không có danh sách để nhập từ Excel."})
        return ListImport(view, {field.name: spreadsheets.read_list(content, field, form)}, {})
    except InvalidInput as error:
        return ListImport(view, view.values, error.errors)


def own_task(uow: UnitOfWork, task_id: str, official: Official) -> HumanTaskRow:
    """A task of the official's unit and role, open or done."""
    task = uow.tasks.get(task_id)
    if task is None:
        raise TaskNotFound(task_id)
    _check_owner(task, official)
    return task


def no_longer_open(task: HumanTaskRow) -> TaskAlreadyDone:
    """The refusal of an action on a task that is done or ended."""
    return TaskAlreadyDone(task.name, task.completed_by, ended=task.status != TaskStatus.COMPLETED)


def _check_owner(task: HumanTaskRow, official: Official) -> None:
    if task.role != official.role or task.unit_code != official.unit_code:
        raise NotYourTask()


# A decision and its reasons are always given afresh; everything else the dossier holds is shown again to revise.
_AFRESH = {"decision", "comment"}


def _current_values(schema: dict, data: dict) -> dict:
    return {name: data[name] for name in schema.get("properties", {}) if name in data and name not in _AFRESH}
