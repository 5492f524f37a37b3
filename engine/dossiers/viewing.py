"""Reading dossiers and tasks as officials see them: a dossier with its open tasks, history and files."""
from dataclasses import replace

from engine.dossiers import attachments, withdrawing
from engine.errors import DossierNotFound
from engine.model import DossierStatus, DossierView, HistoryEntry, Official, OpenTask
from engine.storage.tables import DossierRow, HumanTaskRow
from engine.storage.unit_of_work import UnitOfWork


def get_dossier(dossier_id: int, official: Official, uow: UnitOfWork) -> DossierView:
    """A dossier the official's unit may see (its branch, commune, province, or the ministry)."""
    with uow.reading():
        dossier = uow.dossiers.visible(official, dossier_id)
        if dossier is None:
            raise DossierNotFound(dossier_id)
        return replace(dossier_view(uow, dossier), withdrawable=withdrawing.may_withdraw(uow, official, dossier))


def dossier_diagram(dossier_id: int, official: Official, uow: UnitOfWork) -> str:
    """The BPMN XML the dossier runs on (its own version), for drawing where it stands."""
    with uow:
        dossier = uow.dossiers.visible(official, dossier_id)
        if dossier is None:
            raise DossierNotFound(dossier_id)
        version = uow.processes.get(dossier.process_version_id)
        return version.files[version.diagram_file]


def dossier_view(uow: UnitOfWork, dossier: DossierRow) -> DossierView:
    version = uow.processes.get(dossier.process_version_id)
    open_tasks = tuple(open_task(task, dossier.title, version.process_id) for task in uow.tasks.open_for_dossier(dossier.id))
    return DossierView(
        id=dossier.id, process=version.process_id, process_name=version.name, process_version=version.version,
        title=dossier.title, status=DossierStatus(dossier.status), year=dossier.year,
        branch_code=dossier.branch_code, commune_code=dossier.commune_code, province_code=dossier.province_code,
        data=dossier.data, open_tasks=open_tasks, history=history(uow, dossier.id),
        created_at=dossier.created_at, updated_at=dossier.updated_at,
        attachments=attachments.attachments_of(uow, dossier.id), trail=tuple(dossier.trail or ()))


def open_task(task: HumanTaskRow, title: str, process: str, dossier_name: str | None = None,
              proposer: str | None = None) -> OpenTask:
    """A task as the inbox, the API and the pages show it, with its dossier's title and process id (in the inbox,
    also the dossier's name and its proposing unit's)."""
    return OpenTask(id=task.id, dossier_id=task.dossier_id, process=process, title=title,
                    step=task.bpmn_id, step_name=task.name, lane=task.lane, role=task.role,
                    unit_code=task.unit_code, created_at=task.created_at, due_at=task.due_at,
                    dossier_name=dossier_name, proposer=proposer, return_reason=task.return_reason)


def history(uow: UnitOfWork, dossier_id: int) -> tuple[HistoryEntry, ...]:
    return tuple(HistoryEntry(at=row.at, username=row.username, role=row.role, unit_code=row.unit_code,
                              action=row.action, step=row.step, task_id=row.task_id, payload=row.payload)
                 for row in uow.audit.for_dossier(dossier_id))
