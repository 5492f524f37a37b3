"""The one way a dossier moves: load its workflow, act on it (start, complete a task, fire its timers, move it to
a newer version, withdraw it), run it on, bring its rows in line (tasks opened and closed, services the diagram
called, status, stored state, trail) and write its history. Every use case that moves a dossier calls this module,
in the caller's transaction; nothing else runs a workflow, serializes one or writes an audit row
(tests/unit/test_layout.py)."""
from collections.abc import Callable
from functools import partial

from engine import search
from engine.auditing import chain
from engine.dossiers import forms
from engine.dossiers.service_call import ServiceCall
from engine.dossiers.services import SERVICES
from engine.dossiers.stored_state import UPGRADE_COMMAND
from engine.dossiers.workflows import decisions_for, definition, facts, step_form, tables_in_force
from engine.errors import TaskAlreadyDone, WorkflowFailed
from engine.model import (MINISTRY_CODE, ROLE_LABELS, SYSTEM, DossierStatus, Official, ReportKind, Role, TaskStatus,
                          UnitLevel, role_for_step)
from engine.storage.tables import AuditRow, DossierRow, HumanTaskRow, ProcessVersionRow, UnitRow
from engine.storage.unit_of_work import UnitOfWork
from engine.workflow import running, serializing

# A finished dossier's status follows the last decision taken on it (the form contract's `decision`).
FINAL_STATUS = {"approve": DossierStatus.RECOGNISED, "reject": DossierStatus.REJECTED}
# What an act returns: the history entry's details, or a function of the tasks the step opened giving them.
Details = dict | Callable[[list[HumanTaskRow]], dict]


class _Refused(Exception):
    """An act declined to move the workflow; nothing was changed."""


def start(uow: UnitOfWork, by: Official, version: ProcessVersionRow, proposer: UnitRow, values: dict,
          context: dict | None = None) -> tuple[DossierRow, list[HumanTaskRow]]:
    """Open a dossier of `version` for the proposing unit: pin the decision tables in force, start the workflow
    (`context` adds process variables, e.g. a report's deadlines), record who opened it. `values` (year, title, ...)
    are the dossier's data. Returns the dossier and the tasks that opened."""
    now = uow.clock.now()
    dossier = DossierRow(
        process_version_id=version.id, title=values["title"], status=DossierStatus.IN_PROGRESS, year=values["year"],
        branch_code=proposer.code,
        # A commune or province that proposes stands as its own commune: no branch official matches it.
        commune_code=proposer.parent_code if proposer.level == UnitLevel.BRANCH else proposer.code,
        # The ministry's own dossier (a national report) stands as its own province too.
        province_code=proposer.province_code or proposer.code, data=values, state=b"", state_version=0,
        decision_tables=tables_in_force(uow, version, values["title"], proposer.province_code),
        created_by=by.username, created_at=now, updated_at=now)
    variables = {"year": dossier.year, "title": dossier.title, "province": dossier.province_code,
                 "commune": dossier.commune_code, "branch": dossier.branch_code, **(context or {})}
    instance = running.Instance.start(definition(version), variables, decisions_for(uow, dossier), facts(uow), now)
    opened = _run_on(uow, dossier, instance, already_open=set())
    record(uow, by, dossier, "start", {"process": version.process_id, "version": version.version, **values})
    return dossier, opened


def complete(uow: UnitOfWork, by: Official, dossier: DossierRow, version: ProcessVersionRow, task: HumanTaskRow,
             values: dict) -> list[HumanTaskRow]:
    """Complete the dossier's open `task` with checked `values` (kept in the dossier's data)."""
    def act(instance: running.Instance, open_before: set[str]) -> dict:
        if task.id not in open_before:
            raise TaskAlreadyDone(task.name)
        dossier.data = {**dossier.data, **values}
        # Lists stay out of the workflow: Spiff merges lists, so a shortened candidate list would come back.
        instance.complete(task.id, {k: v for k, v in values.items() if not isinstance(v, (list, dict))})
        task.status, task.completed_at, task.completed_by = TaskStatus.COMPLETED, uow.clock.now(), by.username
        # The audit keeps what the step's form marks personal only as a reference to the dossier's data.
        return forms.without_personal(step_form(version, task.form).schema, values)

    opened = _advance(uow, by, dossier, version, "complete", act, task)
    if values.get("decision") == "return":
        # The units it goes back to see it in their inbox as returned to them, with the reason.
        for returned in opened:
            returned.return_reason = str(values.get("comment") or "")
    return opened


def fire_timers(uow: UnitOfWork, by: Official, dossier: DossierRow, version: ProcessVersionRow) -> list[HumanTaskRow]:
    """Fire the dossier's timers that are due now."""
    due = dossier.timer_due_at

    def act(instance: running.Instance, _open_before: set[str]) -> Details:
        instance.fire_timers()
        return lambda opened: {"due": due.isoformat(), "opened": [task.name for task in opened]}

    return _advance(uow, by, dossier, version, "timer", act)


def withdraw(uow: UnitOfWork, by: Official, dossier: DossierRow, version: ProcessVersionRow, reason: str) -> None:
    """End the dossier at its proposer's request: its workflow cancelled, its open tasks with it; the reason goes
    into its history."""
    def act(instance: running.Instance, _open_before: set[str]) -> dict:
        instance.cancel()
        return {"reason": reason}

    _advance(uow, by, dossier, version, "withdraw", act)
    # Withdrawn, whatever the last decision taken says (the proposer's own verification may have approved it).
    dossier.status = DossierStatus.CLOSED


def move_refusal(uow: UnitOfWork, dossier: DossierRow, version: ProcessVersionRow,
                 target: ProcessVersionRow) -> str | None:
    """Why the dossier cannot go on under `target` (a step it reached changes there), or None; changes nothing."""
    return _load(uow, dossier, version).move_refusal(definition(target))


def move(uow: UnitOfWork, by: Official, dossier: DossierRow, version: ProcessVersionRow,
         target: ProcessVersionRow) -> str | None:
    """Move the dossier onto `target` with the tables that version adds; or say why not, changing nothing."""
    def act(instance: running.Instance, _open_before: set[str]) -> dict:
        refusal = instance.move_to(definition(target))
        if refusal:
            raise _Refused(refusal)
        dossier.process_version_id = target.id
        dossier.decision_tables = {**tables_in_force(uow, target, dossier.title, dossier.province_code),
                                   **dossier.decision_tables}
        return {"process": target.process_id, "from": version.version, "to": target.version}

    try:
        _advance(uow, by, dossier, version, "migrate", act)
    except _Refused as refusal:
        return str(refusal)
    return None


def record(uow: UnitOfWork, by: Official, dossier: DossierRow, action: str, payload: dict,
           task: HumanTaskRow | None = None) -> None:
    """An entry in the history (the append-only audit), also for what happens to a dossier without moving it:
    chained to the dossier's previous entry, whose hash the dossier keeps. The caller holds the dossier's row lock (or
    has just made the dossier), so no other writer can take the same link and the chain needs no lock of its own."""
    row = AuditRow(dossier_id=dossier.id, at=uow.clock.now(), username=by.username, role=by.role,
                   unit_code=by.unit_code, action=action, task_id=task.id if task else None,
                   step=task.name if task else None, payload=chain.as_stored(payload),
                   previous_hash=dossier.audit_head or chain.GENESIS)
    row.row_hash = dossier.audit_head = chain.row_hash(row, row.previous_hash)
    uow.audit.add(row)


def _advance(uow: UnitOfWork, by: Official, dossier: DossierRow, version: ProcessVersionRow, action: str,
             act: Callable[[running.Instance, set[str]], Details], task: HumanTaskRow | None = None
             ) -> list[HumanTaskRow]:
    """Load → act → run on → open/close tasks → history, for a dossier already locked by the caller."""
    instance = _load(uow, dossier, version)
    open_before = {step.task_id for step in instance.open_steps()}
    details = act(instance, open_before)
    opened = _run_on(uow, dossier, instance, open_before)
    record(uow, by, dossier, action, details(opened) if callable(details) else details, task)
    return opened


def _load(uow: UnitOfWork, dossier: DossierRow, version: ProcessVersionRow) -> running.Instance:
    """The dossier's workflow, refused if stored by another serializer version (it needs a data migration)."""
    if dossier.state_version != serializing.STATE_VERSION:
        raise WorkflowFailed(f"Hồ sơ {dossier.id} được lưu ở phiên bản {dossier.state_version}, phần mềm đang dùng "
                             f"phiên bản {serializing.STATE_VERSION}: cần nâng cấp dữ liệu ({UPGRADE_COMMAND}) "
                             "trước khi xử lý tiếp.")
    return running.Instance.load(definition(version), dossier.state, decisions_for(uow, dossier), facts(uow),
                                 uow.clock.now())


def _run_on(uow: UnitOfWork, dossier: DossierRow, instance: running.Instance,
            already_open: set[str]) -> list[HumanTaskRow]:
    """Bring the dossier's rows in line with its workflow (status, stored state, new open tasks, services); return
    the tasks that opened. `already_open` are the task ids that had open rows before this step. A new dossier is
    inserted here, with its state: one INSERT, not an INSERT and an UPDATE."""
    now = uow.clock.now()
    if instance.finished:
        # A report ends when its last step is done; only a recognition is recognised or rejected.
        recognition = dossier.title not in set(ReportKind)
        dossier.status = FINAL_STATUS.get(instance.data.get("decision"), DossierStatus.CLOSED) if recognition \
            else DossierStatus.CLOSED
    dossier.trail = sorted(set(dossier.trail or ()) | instance.trail)
    named = dossier.name, dossier.search_text
    dossier.name = str(dossier.data.get("name") or "")[:200] or None
    dossier.search_text = search.search_text(dossier.data)
    dossier.timer_due_at = instance.next_timer_due()
    dossier.state = instance.dump()
    dossier.state_version = serializing.STATE_VERSION
    dossier.updated_at = now
    if dossier.id is None:
        uow.dossiers.add(dossier)
    open_steps = instance.open_steps()
    still_open = {step.task_id for step in open_steps}
    for gone in already_open - still_open:
        row = uow.tasks.get(gone)
        if row.status == TaskStatus.OPEN:
            row.status = TaskStatus.CANCELLED
            uow.drafts.delete_of_task(gone)  # no draft of a task that can no longer be sent is worth keeping
    if (dossier.name, dossier.search_text) != named:
        # The inbox finds and orders the open tasks by their copy of the dossier's name and search text.
        for waiting in already_open & still_open:
            row = uow.tasks.get(waiting)
            row.dossier_name, row.search_text = dossier.name, dossier.search_text
    opened = [_task_row(dossier, open_step, now) for open_step in open_steps if open_step.task_id not in already_open]
    uow.tasks.add_all(opened)
    # The dossier's row is written once, at commit: a service's queries must not flush it half-way.
    with uow.session.no_autoflush:
        for service, params in instance.requested_services:
            _call(uow, dossier, service, params, opened)
    return opened


def _task_row(dossier: DossierRow, open_step: running.OpenStep, now) -> HumanTaskRow:
    role = role_for_step(open_step.step.lane, open_step.step.groups)
    if role is None:
        raise WorkflowFailed(f"Bước '{open_step.step.name}' không thuộc lane (hay nhóm) nào ứng với một vai trò.")
    return HumanTaskRow(
        id=open_step.task_id, dossier_id=dossier.id, bpmn_id=open_step.step.bpmn_id, name=open_step.step.name,
        lane=open_step.step.lane or ROLE_LABELS[role], role=role, unit_code=_unit_for(role, dossier),
        form=open_step.step.form, status=TaskStatus.OPEN, created_at=now, due_at=open_step.due_at,
        dossier_title=dossier.title, dossier_year=dossier.year, branch_code=dossier.branch_code,
        commune_code=dossier.commune_code, dossier_name=dossier.name, search_text=dossier.search_text)


def _unit_for(role: Role, dossier: DossierRow) -> str:
    """The unit that acts for a role on this dossier: its branch, that branch's commune, that commune's province."""
    return {Role.BRANCH: dossier.branch_code, Role.COMMUNE: dossier.commune_code,
            Role.PROVINCE: dossier.province_code, Role.MINISTRY: MINISTRY_CODE}[role]


def _call(uow: UnitOfWork, dossier: DossierRow, service: str, params: dict, opened: list[HumanTaskRow]) -> None:
    """Run a service the diagram asked for; what it opens or records is the system's doing."""
    if service not in SERVICES:
        raise WorkflowFailed(f"Quy trình gọi dịch vụ '{service}' không có; có: {', '.join(SERVICES)}.")
    SERVICES[service](ServiceCall(uow, dossier, params, open_dossier=partial(start, uow, SYSTEM),
                                  record=partial(record, uow, SYSTEM, dossier), opened=tuple(opened)))
