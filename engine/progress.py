"""What follows each step of a dossier's process, shared by starting it and completing its tasks:
open human tasks appear in the right unit's inbox, requested services run, the status follows."""
from datetime import date, timedelta

from engine import forms, registry, report_figures, subjects, workflow
from engine.clock import VIETNAM, end_of_office_day, today_in_vietnam
from engine.errors import Conflict, InvalidInput, WorkflowFailed
from engine.model import (MINISTRY_CODE, ROLE_LABELS, SYSTEM, DossierStatus, HistoryEntry, Official, OpenTask,
                          ReportKind, Role, TaskStatus, UnitLevel, role_for_step)
from engine.orm import AuditRow, DossierRow, HumanTaskRow, ProcessVersionRow, UnitRow
from engine.unit_of_work import UnitOfWork

# Versions deployed before tables were named per step named the list's scoring table on the process.
PROCESS_LIST_DECISION = "candidate_decision"
# A finished dossier's status follows the last decision taken on it (the form contract's `decision`).
FINAL_STATUS = {"approve": DossierStatus.RECOGNISED, "reject": DossierStatus.REJECTED}


def version_key(version: ProcessVersionRow) -> str:
    """Names a version by its content, so caches stay right across databases and redeployments."""
    return f"{version.process_id}@{version.content_hash}"


def definition(version: ProcessVersionRow) -> workflow.Definition:
    return workflow.Definition(version_key(version), lambda: version.spec)


def load_instance(uow: UnitOfWork, dossier: DossierRow, version: ProcessVersionRow) -> workflow.Instance:
    """The dossier's workflow, refused if stored by another serializer version (it needs a data migration)."""
    if dossier.serializer_version != workflow.SERIALIZER_VERSION:
        raise WorkflowFailed(f"Hồ sơ {dossier.id} được lưu ở định dạng {dossier.serializer_version}, phần mềm đang "
                             f"dùng {workflow.SERIALIZER_VERSION}: cần chạy nâng cấp dữ liệu trước khi xử lý tiếp.")
    return workflow.Instance.load(definition(version), dossier.state, decisions_for(uow, dossier), facts(uow),
                                  uow.clock.now())


def decisions_for(uow: UnitOfWork, dossier: DossierRow) -> workflow.Decisions:
    """The decision tables pinned on the dossier when it started (read from the database only if not yet built)."""
    def source(table_id: int):
        row = uow.decision_tables.get(table_id)
        return row.file_name, row.dmn

    return workflow.Decisions({decision_id: (f"{decision_id}@{pin['hash']}", lambda pin=pin: source(pin["id"]))
                               for decision_id, pin in dossier.decision_tables.items()})


def facts(uow: UnitOfWork) -> dict:
    """What a decision table may ask besides the dossier's data: the day it is evaluated, in Vietnam."""
    return {"today": today_in_vietnam(uow.clock).isoformat()}


_FORMS: dict[tuple[str, str], forms.Form] = {}


def step_form(version: ProcessVersionRow, name: str | None) -> forms.Form:
    """A step's form, loaded once per version (a step without one submits nothing)."""
    if name is None:
        return forms.EMPTY
    key = (version_key(version), name)
    if key not in _FORMS:
        _FORMS[key] = forms.Form(forms.load_schema(name, version.files[name]))
    return _FORMS[key]


def open_dossier(uow: UnitOfWork, version: ProcessVersionRow, proposer: UnitRow, values: dict, by: Official,
                 context: dict | None = None) -> tuple[DossierRow, list[HumanTaskRow]]:
    """Open a dossier of `version` for the proposing unit, in the caller's transaction: pin the decision tables in
    force, start the workflow (`context` adds process variables, e.g. a report's deadlines), record who opened it.
    `values` (year, title, ...) are the dossier's data. Returns the dossier and the tasks that opened."""
    now = uow.clock.now()
    title = values["title"]
    dossier = DossierRow(
        process_version_id=version.id, title=title, status=DossierStatus.IN_PROGRESS, year=values["year"],
        branch_code=proposer.code,
        # A commune or province that proposes stands as its own commune: no branch official matches it.
        commune_code=proposer.parent_code if proposer.level == UnitLevel.BRANCH else proposer.code,
        # The ministry's own dossier (a national report) stands as its own province too.
        province_code=proposer.province_code or proposer.code, data=values, state=b"", serializer_version="",
        decision_tables=tables_in_force(uow, [resolved(d, title) for d in version.decisions], proposer.province_code),
        created_by=by.username, created_at=now, updated_at=now)
    uow.dossiers.add(dossier)
    variables = {"year": values["year"], "title": title, "province": dossier.province_code,
                 "commune": dossier.commune_code, "branch": dossier.branch_code, **(context or {})}
    instance = workflow.Instance.start(definition(version), variables, decisions_for(uow, dossier), facts(uow), now)
    opened = after_step(uow, dossier, instance, already_open=set())
    audit(uow, by, dossier.id, "start", {"process": version.process_id, "version": version.version, **values})
    return dossier, opened


def tables_in_force(uow: UnitOfWork, decisions: list[str], province_code: str) -> dict[str, dict]:
    """Pin the tables the dossier will run with: the province's own if it loaded one, else the national.
    Each pin carries what a step needs without reading the table row again (its content hash, whose, which)."""
    pinned = {}
    in_force = uow.decision_tables.in_force(decisions, province_code) if decisions else {}
    for decision_id in decisions:
        table = in_force.get(decision_id)
        if table is None:
            raise Conflict(f"Chưa có bảng quyết định '{decision_id}' (toàn quốc hoặc của tỉnh {province_code}); "
                           "cần nạp bảng trước khi mở hồ sơ.")
        pinned[decision_id] = {"id": table.id, "hash": table.content_hash, "province": table.province_code,
                               "version": table.version}
    return pinned


def unit_for(role: Role, dossier: DossierRow) -> str:
    """The unit that acts for a role on this dossier: its branch, that branch's commune, that commune's province."""
    return {Role.BRANCH: dossier.branch_code, Role.COMMUNE: dossier.commune_code,
            Role.PROVINCE: dossier.province_code, Role.MINISTRY: MINISTRY_CODE}[role]


def after_step(uow: UnitOfWork, dossier: DossierRow, instance: workflow.Instance,
               already_open: set[str]) -> list[HumanTaskRow]:
    """Bring the dossier's rows in line with its workflow (new open tasks, services, status, stored state);
    return the tasks that opened. `already_open` are the task ids that had rows before this step."""
    now = uow.clock.now()
    open_steps = instance.open_steps()
    for gone in already_open - {step.task_id for step in open_steps}:
        uow.tasks.get(gone).status = TaskStatus.CANCELLED
    opened = []
    for open_step in open_steps:
        if open_step.task_id in already_open:
            continue
        role = role_for_step(open_step.step.lane, open_step.step.groups)
        if role is None:
            raise WorkflowFailed(f"Bước '{open_step.step.name}' không thuộc lane (hay nhóm) nào ứng với một vai trò.")
        opened.append(HumanTaskRow(
            id=open_step.task_id, dossier_id=dossier.id, bpmn_id=open_step.step.bpmn_id, name=open_step.step.name,
            lane=open_step.step.lane or ROLE_LABELS[role], role=role, unit_code=unit_for(role, dossier),
            form=open_step.step.form,
            status=TaskStatus.OPEN, created_at=now, due_at=open_step.due_at))
    uow.tasks.add_all(opened)
    for service, params in instance.requested_services:
        if service not in SERVICES:
            raise WorkflowFailed(f"Quy trình gọi dịch vụ '{service}' không có; có: {', '.join(SERVICES)}.")
        SERVICES[service](uow, dossier, params)
    if instance.finished:
        # A report ends when its last step is done; only a recognition is recognised or rejected.
        recognition = dossier.title not in set(ReportKind)
        dossier.status = FINAL_STATUS.get(instance.data.get("decision"), DossierStatus.CLOSED) if recognition \
            else DossierStatus.CLOSED
    dossier.trail = sorted(set(dossier.trail or ()) | instance.trail)
    dossier.timer_due_at = instance.next_timer_due()
    dossier.state = instance.dump()
    dossier.serializer_version = workflow.SERIALIZER_VERSION
    dossier.updated_at = now
    return opened


def resolved(decision: str, title: str) -> str:
    """A decision table's name as a step or process gives it, for a dossier of this title."""
    return decision.replace("{title}", title)


def check_submission(uow: UnitOfWork, dossier: DossierRow, version: ProcessVersionRow, step_id: str,
                     values: dict) -> dict:
    """Rules a form schema cannot express, checked before the process moves on. Returns what the engine worked
    out (a score, a learning unit's share of citizens holding the title), stored with the submission."""
    if "report" in version.properties:
        report_figures.check(dossier, values)
        return {}
    kind = version.properties.get(subjects.SUBJECT_PROPERTY, subjects.CANDIDATES)
    if not subjects.proposes(kind, values):
        return {}
    table = definition(version).steps()[step_id].submission_decision or (
        version.properties.get(PROCESS_LIST_DECISION) if kind == subjects.CANDIDATES else None)
    computed = {}
    if table and kind == subjects.CANDIDATES:
        _check_each_candidate(uow, dossier, resolved(table, dossier.title), values["candidates"])
    elif table:
        computed = _check_assessment(uow, dossier, resolved(table, dossier.title), values)
    subjects.check_subjects(uow, dossier, subjects.subjects_of(uow, kind, dossier, {**values, **computed}))
    return computed


def _check_each_candidate(uow: UnitOfWork, dossier: DossierRow, decision_id: str, candidates: list[dict]) -> None:
    """Each candidate must pass the dossier's scoring table; the message names the table that refused."""
    decisions, context = decisions_for(uow, dossier), _context(uow, dossier)
    errors = {}
    for index, candidate in enumerate(candidates):
        result = decisions.evaluate(decision_id, {**context, **candidate})
        if result.get("passed") is not True:
            errors[f"candidates.{index}.score"] = (
                f"{_points(candidate.get('score'))} điểm chưa đạt ngưỡng {_points(result.get('threshold', '?'))} "
                f"({_table_source(dossier, decision_id)}).")
    if errors:
        raise InvalidInput(errors)


def _check_assessment(uow: UnitOfWork, dossier: DossierRow, decision_id: str, values: dict) -> dict:
    """A self-assessment as a whole must pass the dossier's criteria table, which may also compute the score."""
    unit = subjects.unit_facts(uow, dossier, values)
    result = decisions_for(uow, dossier).evaluate(decision_id, {**_context(uow, dossier), **values, **unit})
    if result.get("passed") is not True:
        field = result.get("field") or "form"
        reason = result.get("reason") or "Chưa đạt tiêu chí"
        if field == "members" and "citizen_holders" in unit:
            reason += (f"; theo sổ danh hiệu hôm nay {unit['citizen_holders']}/{values['members']} thành viên "
                       f"({unit['citizen_rate']:.1%}) giữ danh hiệu Công dân học tập còn hiệu lực")
        raise InvalidInput({field: f"{reason} ({_table_source(dossier, decision_id)})."})
    return {**unit, **({"score": result["score"]} if "score" in result else {})}


def _context(uow: UnitOfWork, dossier: DossierRow) -> dict:
    return {"title": dossier.title, "year": dossier.year, "province": dossier.province_code, **facts(uow)}


def _table_source(dossier: DossierRow, decision_id: str) -> str:
    pin = dossier.decision_tables[decision_id]
    whose = "toàn quốc" if pin["province"] == MINISTRY_CODE else f"của tỉnh {pin['province']}"
    return f"bảng {decision_id} {whose}, phiên bản {pin['version']}"


def _points(value) -> str:
    return format(value, "g") if isinstance(value, (int, float)) else str(value)


def open_commune_dossiers(uow: UnitOfWork, dossier: DossierRow, params: dict) -> None:
    """Fan out: one dossier of `process` for each commune of the dossier's province, due at the end of office
    hours on `deadline` (a date) and reminded `reminder_days` before, pre-filled with what the registry knows."""
    version = uow.processes.latest(params["process"])
    if version is None:
        raise WorkflowFailed(f"Chưa triển khai quy trình '{params['process']}' mà hồ sơ cần mở cho các xã.")
    try:
        deadline = end_of_office_day(date.fromisoformat(params["deadline"]))
        reminder = deadline - timedelta(days=int(params.get("reminder_days", 3)))
    except (TypeError, ValueError):
        raise InvalidInput({"commune_deadline": "Hạn nộp của xã phải là một ngày (YYYY-MM-DD)."}) from None
    if deadline <= uow.clock.now():
        raise InvalidInput({"commune_deadline": f"Hạn nộp của xã ({deadline:%d/%m/%Y %H:%M}) đã qua."})
    period = uow.periods.of(dossier.title, dossier.year)
    if period is not None and deadline > period.province_deadline:
        raise InvalidInput({"commune_deadline": f"Hạn của xã phải trước hạn của tỉnh "
                                                f"({period.province_deadline.astimezone(VIETNAM):%d/%m/%Y})."})
    known = report_figures.from_registry(uow, dossier.title, dossier.province_code, dossier.year)
    for commune in uow.units.communes_of(dossier.province_code):
        values = {"year": dossier.year, "title": dossier.title, "period": dossier.data.get("period"),
                  "parent": dossier.id, **known.get(commune.code, {})}
        open_dossier(uow, version, commune, values, SYSTEM,
                     context={"period": dossier.data.get("period"), "commune_deadline": deadline.isoformat(),
                              "reminder_at": reminder.isoformat()})


def remind(uow: UnitOfWork, dossier: DossierRow, params: dict) -> None:
    """A reminder timer fired: the dossier's open steps that have a deadline show they were reminded, and the
    history says so (a unit that already did its step is not reminded)."""
    now = uow.clock.now()
    reminded = [task for task in uow.tasks.open_for_dossier(dossier.id) if task.due_at is not None]
    for task in reminded:
        task.reminded_at = now
    if reminded:
        audit(uow, SYSTEM, dossier.id, "reminder", {"tasks": [task.name for task in reminded]})


# Services a diagram may call (spiffworkflow:serviceTaskOperator id); deployment refuses any other.
SERVICES = {"record_titles": registry.record_titles, "open_commune_dossiers": open_commune_dossiers,
            "remind": remind, "record_report_figures": report_figures.record_figures,
            # Its name in the annual report's versions deployed before reports other than the annual one.
            "record_commune_report": report_figures.record_figures}


def audit(uow: UnitOfWork, official: Official, dossier_id: int | None, action: str, payload: dict,
          task: HumanTaskRow | None = None) -> None:
    uow.audit.add(AuditRow(dossier_id=dossier_id, at=uow.clock.now(), username=official.username,
                           role=official.role, unit_code=official.unit_code, action=action,
                           task_id=task.id if task else None, step=task.name if task else None, payload=payload))


def open_task(task: HumanTaskRow, title: str, process: str) -> OpenTask:
    """A task as the inbox, the API and the pages show it, with its dossier's title and process id."""
    return OpenTask(id=task.id, dossier_id=task.dossier_id, process=process, title=title,
                    step=task.bpmn_id, step_name=task.name, lane=task.lane, role=task.role,
                    unit_code=task.unit_code, created_at=task.created_at, due_at=task.due_at)


def history(uow: UnitOfWork, dossier_id: int) -> tuple[HistoryEntry, ...]:
    return tuple(HistoryEntry(at=row.at, username=row.username, role=row.role, unit_code=row.unit_code,
                              action=row.action, step=row.step, task_id=row.task_id, payload=row.payload)
                 for row in uow.audit.for_dossier(dossier_id))
