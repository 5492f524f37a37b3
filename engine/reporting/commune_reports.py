"""Services of a province's report: each commune gets its own report dossier (the fan-out, a job:
engine.reporting.fan_out), and units are reminded before their deadline."""
from datetime import date, timedelta

from engine.clock import VIETNAM, end_of_office_day
from engine.dossiers.service_call import ServiceCall
from engine.errors import InvalidInput, WorkflowFailed
from engine.jobs import outbox
from engine.model import SYSTEM


def open_commune_dossiers(call: ServiceCall) -> None:
    """Fan out: ask for one dossier of `process` for each commune of the dossier's province, due at the end of office
    hours on `deadline` (a date) and reminded `reminder_days` before. The deadline is checked here, so the province
    hears at once what is wrong with it."""
    uow, dossier, params = call.uow, call.dossier, call.params
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
    # The communes' reports open in a job (one per province report), so the province's step does not wait on them.
    outbox.enqueue(uow, "open_commune_reports", {"dossier": dossier.id, "version": version.id,
                                                 "deadline": deadline.isoformat(),
                                                 "reminder_at": reminder.isoformat()},
                   SYSTEM, key=f"open_commune_reports:{dossier.id}")


def remind(call: ServiceCall) -> None:
    """A reminder timer fired: the dossier's open steps that have a deadline show they were reminded, and the
    history says so (a unit that already did its step is not reminded)."""
    now = call.uow.clock.now()
    # A report opened after its reminder fell due (a late deadline, a fan-out job behind a backlog) is reminded at
    # once: its task opened in this very step.
    open_tasks = {task.id: task for task in (*call.uow.tasks.open_for_dossier(call.dossier.id), *call.opened)}
    reminded = [task for task in open_tasks.values() if task.due_at is not None]
    for task in reminded:
        task.reminded_at = now
    if reminded:
        call.record("reminder", {"tasks": [task.name for task in reminded]})
