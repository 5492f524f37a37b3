"""Use case: move running dossiers of a process onto a newer version, where the change allows it. A dry run says
which dossiers can move and why the others cannot; the move itself is one transaction, recorded in each dossier's
history."""
from dataclasses import dataclass

from engine.designing.deployments import check_deployer
from engine.dossiers import step_runner
from engine.errors import NotFound
from engine.model import Official
from engine.storage.unit_of_work import UnitOfWork, commit_or_conflict


@dataclass(frozen=True)
class Migration:
    process_id: str
    to_version: int
    movable: dict[int, int]  # dossier id: the version it runs on now
    refused: dict[int, str]  # dossier id: why it stays on its version
    applied: bool


def migrate_dossiers(process_id: str, official: Official, uow: UnitOfWork, to_version: int | None = None,
                     apply: bool = False) -> Migration:
    """Which running dossiers of `process_id` on older versions can go on under `to_version` (default: the newest):
    those that have not reached a step the new version changes or removes. With `apply`, move them."""
    check_deployer(official)
    with uow:
        target = (uow.processes.numbered(process_id, to_version) if to_version is not None
                  else uow.processes.latest(process_id))
        if target is None:
            raise NotFound(f"Không có quy trình '{process_id}'" + (f" phiên bản {to_version}" if to_version else "")
                           + ".")
        movable, refused = {}, {}
        for dossier, version in uow.dossiers.running_before(process_id, target.version, lock=apply):
            refusal = (step_runner.move(uow, official, dossier, version, target) if apply
                       else step_runner.move_refusal(uow, dossier, version, target))
            if refusal:
                refused[dossier.id] = refusal
            else:
                movable[dossier.id] = version.version
        if apply:
            commit_or_conflict(uow, "Hồ sơ vừa thay đổi trong lúc chuyển phiên bản; hãy xem lại rồi chuyển lại.")
        return Migration(process_id, target.version, movable, refused, apply)

