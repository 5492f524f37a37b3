"""Withdrawing a dossier: the unit that proposed it ends it, giving a reason, as long as nobody else has acted on it.

"Nobody else has acted" means every step completed on the dossier was the proposer's own (the unit that opened it,
in the role that opens the process): still at its first step, or sent on while the next unit (the commune, the
province) has completed nothing yet. A drafted but unsent form, or a timer's reminder, is not an act; a return is
(the commune completed its step)."""
from dataclasses import dataclass

from engine.dossiers import step_runner
from engine.errors import Conflict, DossierNotFound, Forbidden, InvalidInput
from engine.model import DOSSIER_STATUS_LABELS, DossierStatus, Official, TaskStatus
from engine.storage.tables import DossierRow, ProcessVersionRow
from engine.storage.unit_of_work import UnitOfWork

MAX_REASON = 1000  # characters of a withdrawal's reason


@dataclass(frozen=True)
class Withdrawn:
    id: int
    status: DossierStatus
    cancelled: tuple[str, ...]  # the steps that were waiting, now gone from every inbox


def withdraw_dossier(dossier_id: int, official: Official, reason, uow: UnitOfWork) -> Withdrawn:
    """End a dossier at its proposer's request, with a required reason, under the dossier's row lock: its workflow
    and open tasks are cancelled, its status becomes closed, and the reason goes into its history."""
    with uow:
        locked = uow.dossiers.visible_for_update(official, dossier_id)
        if locked is None:
            raise DossierNotFound(dossier_id)
        dossier, version = locked
        refusal = _not_the_proposer(uow, official, dossier, version)
        if refusal:
            raise Forbidden(refusal)
        reason = _checked_reason(reason)
        refusal = _acted_on(uow, dossier)
        if refusal:
            raise Conflict(refusal)
        waiting = tuple(task.name for task in uow.tasks.open_for_dossier(dossier.id))
        step_runner.withdraw(uow, official, dossier, version, reason)
        uow.commit()
        return Withdrawn(dossier.id, DossierStatus(dossier.status), waiting)


def may_withdraw(uow: UnitOfWork, official: Official, dossier: DossierRow) -> bool:
    """Whether the official could withdraw the dossier now (the dossier page offers it then)."""
    version = uow.processes.get(dossier.process_version_id)
    return _not_the_proposer(uow, official, dossier, version) is None and _acted_on(uow, dossier) is None


def _not_the_proposer(uow: UnitOfWork, official: Official, dossier: DossierRow,
                      version: ProcessVersionRow) -> str | None:
    """Why the official's unit may not withdraw this dossier, or None."""
    if "report" in version.properties:
        return "Hồ sơ báo cáo do kỳ báo cáo mở, không rút được."
    if official.role != version.starter_role or official.unit_code != dossier.branch_code:
        return f"Chỉ {_unit_name(uow, dossier.branch_code)}, đơn vị đã lập hồ sơ, mới rút được hồ sơ này."
    return None


def _acted_on(uow: UnitOfWork, dossier: DossierRow) -> str | None:
    """Why the dossier can no longer be withdrawn (it ended, or another unit completed a step of it), or None."""
    if dossier.status != DossierStatus.IN_PROGRESS:
        return f"Hồ sơ đã kết thúc ({DOSSIER_STATUS_LABELS[DossierStatus(dossier.status)]}), không rút được nữa."
    for task in uow.tasks.of_dossier(dossier.id):
        if task.status == TaskStatus.COMPLETED and task.unit_code != dossier.branch_code:
            return (f"Không rút được: {_unit_name(uow, task.unit_code)} đã xử lý hồ sơ (bước “{task.name}”). "
                    "Hãy đề nghị đơn vị đó trả lại hoặc không công nhận.")
    return None


def _checked_reason(reason) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInput({"reason": "Cần ghi lý do rút hồ sơ."})
    if len(reason) > MAX_REASON:
        raise InvalidInput({"reason": f"Lý do tối đa {MAX_REASON} ký tự."})
    return reason.strip()


def _unit_name(uow: UnitOfWork, code: str) -> str:
    unit = uow.units.get(code)
    return unit.name if unit else code
