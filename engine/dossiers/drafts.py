"""Typed work is never lost: a draft of a task's form per official and task (its values and the files chosen in it),
restored when the task is opened again, and the page's submission, which keeps a refused form's work as the draft."""
import json
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import datetime

from engine.dossiers.attachments import CheckedFile, Upload, checked
from engine.dossiers.forms import Field, Form, unknown_fields
from engine.dossiers.tasks import (Completed, complete_locked, locked_open_task, no_longer_open, own_task,
                                   task_view)
from engine.errors import InvalidInput, NotFound
from engine.model import Official, TaskStatus, TaskView
from engine.storage.tables import DraftFileRow, HumanTaskRow, TaskDraftRow
from engine.storage.unit_of_work import UnitOfWork, commit_or_conflict

MAX_VALUES_BYTES = 1_000_000  # a draft's values as JSON: what the API reads as one body
MAX_FILES_BYTES = 60_000_000  # a draft's files together: what one submission of a step may carry
MAX_FILES = 50  # a step's evidence is a handful of scans; small ones add up to many files before their bytes do

# What reads a request into a form's values and uploads, given the task's fields.
Reader = Callable[[tuple[Field, ...]], tuple[dict, dict[str, list[Upload]]]]


@dataclass(frozen=True)
class DraftFile:
    id: int
    field: str
    file_name: str
    size: int


@dataclass(frozen=True)
class Draft:
    values: dict
    saved_at: datetime
    files: tuple[DraftFile, ...]


@dataclass(frozen=True)
class DraftedTask:
    task: TaskView
    draft: Draft | None  # the official's own draft of the task, if they saved one and it is still open

    @property
    def values(self) -> dict:
        """What the form shows: the draft's values, else the dossier's."""
        return self.draft.values if self.draft else self.task.values


def task_with_draft(task_id: str, official: Official, uow: UnitOfWork) -> DraftedTask:
    """A task of the official's unit and role with the draft they saved of it (no one else's)."""
    with uow.reading():
        task = own_task(uow, task_id, official)
        view, _ = task_view(uow, task)
        row = uow.drafts.of(task.id, official.username) if task.status == TaskStatus.OPEN else None
        return DraftedTask(view, _draft(uow, row))


def draft_of(task_id: str, official: Official, uow: UnitOfWork) -> Draft:
    """The official's own draft of a task; NotFound when they have none."""
    draft = task_with_draft(task_id, official, uow).draft
    if draft is None:
        raise NotFound(f"Bạn chưa lưu bản nháp nào của việc {task_id}.")
    return draft


@dataclass(frozen=True)
class Saving:
    task: TaskView
    values: dict  # what was read from the request
    errors: dict  # why the draft was refused (then nothing was saved); empty once saved
    draft: Draft | None  # the draft saved, or the one kept before when this one was refused


def save_draft(task_id: str, official: Official, read: Reader, kept: Collection[int] | None,
               uow: UnitOfWork) -> Saving:
    """Save what the official typed into an open task's form: the values replace the draft's; of its earlier files
    those in `kept` stay (None: all of them) and the new uploads join them, each checked as an attachment is."""
    with uow:
        task = own_task(uow, task_id, official)
        if task.status != TaskStatus.OPEN:
            raise no_longer_open(task)
        view, form = task_view(uow, task)
        values, uploads = read(form.fields)
        files, refused = _checked(form, uploads)
        if not (values or files or kept or refused):
            refused = {"form": "Biểu mẫu chưa có gì để lưu nháp (bỏ bản nháp cũ: nút “Bỏ bản nháp”)."}
        try:
            if refused:
                raise InvalidInput(refused)
            draft = _keep(uow, official, task, form, values, files, kept)
        except InvalidInput as error:
            return Saving(view, values, error.errors, _draft(uow, uow.drafts.of(task.id, official.username)))
        commit_or_conflict(uow, "Bản nháp vừa được lưu ở một cửa sổ khác; hãy lưu lại.")
        return Saving(view, values, {}, draft)


def discard_draft(task_id: str, official: Official, uow: UnitOfWork) -> bool:
    """Delete the official's draft of a task with its files; False if there was none."""
    with uow:
        task = own_task(uow, task_id, official)
        row = uow.drafts.of(task.id, official.username)
        if row is not None:
            uow.drafts.delete(row)
            uow.commit()
        return row is not None


@dataclass(frozen=True)
class Submission:
    task: TaskView  # the task as it stood, to show again with the errors
    values: dict  # what was read from the request
    errors: dict  # field: why it was refused; empty when the task was completed
    completed: Completed | None
    draft: Draft | None = None  # what a refused submission kept: its values and its valid files


def submit_task(task_id: str, official: Official, read: Reader, kept: Collection[int],
                uow: UnitOfWork) -> Submission:
    """Complete a task from its page in one transaction: `read(fields)` gives the submitted values and uploads, and
    `kept` the files of the official's draft sent with them. A refused submission writes nothing of the step but
    keeps the typed values and the valid files as the draft, and comes back with its errors."""
    with uow:
        task, dossier, version = locked_open_task(uow, task_id, official)
        view, form = task_view(uow, task)
        values, uploads = read(view.fields)
        row = uow.drafts.of(task.id, official.username)
        chosen = [file for file in uow.drafts.files(row.id) if file.id in kept] if row else []
        try:
            completed = complete_locked(uow, official, task, dossier, version, values, _with_files(uploads, chosen))
        except InvalidInput as error:
            uow.rollback()
            return Submission(view, values, error.errors, None, _kept_after_refusal(uow, official, task, form,
                                                                                    values, uploads, kept))
        return Submission(view, values, {}, completed)


def _kept_after_refusal(uow: UnitOfWork, official: Official, task: HumanTaskRow, form: Form, values: dict,
                        uploads: dict[str, list[Upload]], kept: Collection[int]) -> Draft | None:
    """A refused submission's valid files (the others are among its errors) kept as the draft with its values.
    Without such files, or past a draft's limits, nothing is written (the page shows the values again) and of the
    draft's files only those the form still kept are shown."""
    files = _checked(form, uploads)[0]
    try:
        draft = _keep(uow, official, task, form, values, files, kept) if files else None
    except InvalidInput:
        draft = None
    if draft is not None:
        commit_or_conflict(uow, "Bản nháp vừa được lưu ở một cửa sổ khác; hãy gửi lại.")
        return draft
    earlier = _draft(uow, uow.drafts.of(task.id, official.username))
    return earlier and replace(earlier, files=tuple(file for file in earlier.files if file.id in kept))


def _checked(form: Form, uploads: dict[str, list[Upload]]) -> tuple[list[tuple[str, CheckedFile]], dict]:
    """The uploads of the form's file fields that their content makes acceptable, and why the others are not."""
    file_fields = {field.name for field in form.fields if field.kind == "files"}
    refused = {name: "Biểu mẫu không có trường tệp này." for name in uploads if name not in file_fields}
    files = []
    for field in sorted(file_fields & set(uploads)):
        for upload in uploads[field]:
            try:
                files.append((field, checked(upload, field)))
            except InvalidInput as error:
                refused.update(error.errors)
    return files, refused


def _keep(uow: UnitOfWork, official: Official, task: HumanTaskRow, form: Form, values: dict,
          files: list[tuple[str, CheckedFile]], kept: Collection[int] | None) -> Draft:
    """Write the draft once its values and files are within a draft's limits (nothing is written otherwise)."""
    _check_values(form, values)
    row = uow.drafts.of(task.id, official.username)
    earlier = uow.drafts.files(row.id) if row else []
    dropped = [file.id for file in earlier if kept is not None and file.id not in kept]
    staying = [file for file in earlier if file.id not in dropped]
    if len(staying) + len(files) > MAX_FILES:
        raise InvalidInput({"files": f"Một bản nháp giữ tối đa {MAX_FILES} tệp."})
    if sum(file.size for file in staying) + sum(len(file.content) for _, file in files) > MAX_FILES_BYTES:
        raise InvalidInput({"files": f"Các tệp của một bản nháp cộng lại tối đa {MAX_FILES_BYTES // 1_000_000} MB."})
    now = uow.clock.now()
    if row is None:
        row = TaskDraftRow(task_id=task.id, username=official.username, data=values, saved_at=now)
        uow.drafts.add(row)
    else:
        row.data, row.saved_at = values, now
        uow.drafts.drop_files(row.id, dropped)
    uow.drafts.add_files([DraftFileRow(draft_id=row.id, field=field, file_name=file.file_name,
                                       media_type=file.media_type, size=len(file.content), content=file.content)
                          for field, file in files])
    return _draft(uow, row)


def _check_values(form: Form, values: dict) -> None:
    """A draft holds the form's own fields, within what one request may send."""
    names = {field.name for field in form.fields}
    unknown = sorted(name for name in values if name not in names)
    if unknown:
        raise InvalidInput(unknown_fields(unknown, "Trường này không có trong biểu mẫu.", "form"))
    if len(json.dumps(values, ensure_ascii=False).encode()) > MAX_VALUES_BYTES:
        raise InvalidInput({"form": f"Bản nháp tối đa {MAX_VALUES_BYTES // 1_000_000} MB."})


def _with_files(uploads: dict[str, list[Upload]], chosen: list[DraftFileRow]) -> dict[str, list[Upload]]:
    """The uploads with the draft's chosen files added to their fields."""
    merged = {name: list(items) for name, items in uploads.items()}
    for file in chosen:
        merged.setdefault(file.field, []).append(Upload(file.file_name, file.content))
    return merged


def _draft(uow: UnitOfWork, row: TaskDraftRow | None) -> Draft | None:
    if row is None:
        return None
    files = tuple(DraftFile(file.id, file.field, file.file_name, file.size) for file in uow.drafts.files(row.id))
    return Draft(row.data, row.saved_at, files)
