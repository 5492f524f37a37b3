"""Use cases on the stored workflow state's version: is what the database holds the shape this code reads, and
bring older state up (the process versions' specs, then the dossiers, a batch a transaction, resumable)."""
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.exc import DBAPIError

from engine.storage.unit_of_work import UnitOfWork
from engine.workflow import serializing, state_upgrades

log = logging.getLogger(__name__)
UPGRADE_COMMAND = "flask --app web upgrade-state"
UPGRADE_BATCH = 500


@dataclass(frozen=True)
class StoredState:
    oldest: int | None  # the oldest version stored (None: nothing stored)
    newest: int | None
    code: int  # the version this code writes and reads

    @property
    def newer_than_code(self) -> bool:
        return self.newest is not None and self.newest > self.code

    @property
    def older_than_code(self) -> bool:
        return self.oldest is not None and self.oldest < self.code


def stored_state(uow: UnitOfWork) -> StoredState:
    """Which state versions the dossiers and process versions are stored in, against this code's. A database
    without the tables yet (before init-db), or not answering, holds nothing this check can see."""
    try:
        with uow:
            found = [v for versions in (uow.dossiers.state_versions(), uow.processes.state_versions())
                     for v in versions if v is not None]
    except DBAPIError as error:
        log.warning("Không đọc được phiên bản dữ liệu quy trình: %s", error.orig)
        found = []
    return StoredState(min(found, default=None), max(found, default=None), serializing.STATE_VERSION)


def check_stored_state(uow: UnitOfWork) -> str | None:
    """Refuse (RuntimeError) to run on an installed SpiffWorkflow other than the pinned one, or on state stored by a
    newer release; for state older than the code, the message that names the upgrade command, else None."""
    serializing.check_installed_spiff()
    found = stored_state(uow)
    if found.newer_than_code:
        raise RuntimeError(f"Dữ liệu quy trình được lưu ở phiên bản {found.newest}, mới hơn phần mềm này "
                           f"({found.code}): hãy chạy bản phần mềm đã ghi nó, đừng hạ cấp.")
    if found.older_than_code:
        return (f"Dữ liệu quy trình còn ở phiên bản {found.oldest}, phần mềm dùng {found.code}: chạy "
                f"`{UPGRADE_COMMAND}` (thử trước với --dry-run).")
    return None


@dataclass
class Upgrade:
    dry_run: bool
    upgraded: int = 0
    current: int = 0  # already at this code's version, left as they were
    failed: dict[str, str] = field(default_factory=dict)  # "dossier 12" / "process version 3": why


def upgrade_state(new_uow: Callable[[], UnitOfWork], dry_run: bool = False, batch: int = UPGRADE_BATCH,
                  progress: Callable[[int], None] = lambda done: None) -> Upgrade:
    """Bring every stored spec and dossier state to this code's version through the chain of upgrade steps: specs in
    one transaction, then dossiers `batch` at a time, each batch its own transaction (a crash loses at most the batch
    it was in; running again takes up what is left). One that cannot be upgraded is reported and left as it was.
    `progress(n)` is told after each batch how many rows it went through; a dry run works everything out and keeps
    nothing."""
    summary, code = Upgrade(dry_run), serializing.STATE_VERSION
    with new_uow() as uow:
        specs = uow.processes.stored_before(code)
        stored = uow.dossiers.count() + len(uow.processes.every_version())
        summary.current = stored - len(specs) - uow.dossiers.count_stored_before(code)
        _upgrade_rows(uow, specs, "quy trình", _upgrade_spec, summary)
    after_id = 0
    while True:
        with new_uow() as uow:
            rows = uow.dossiers.stored_before(code, after_id, batch)
            if not rows:
                return summary
            after_id = rows[-1].id
            _upgrade_rows(uow, rows, "hồ sơ", _upgrade_dossier, summary)
        progress(len(rows))


def count_to_upgrade(uow: UnitOfWork) -> int:
    """How many dossiers are stored in an older version than this code's (for a progress bar)."""
    with uow:
        return uow.dossiers.count_stored_before(serializing.STATE_VERSION)


def _upgrade_rows(uow: UnitOfWork, rows: list, kind: str, upgrade: Callable, summary: Upgrade) -> None:
    """Upgrade each row in a savepoint of the batch's transaction, then commit the batch (unless a dry run)."""
    for row in rows:
        try:
            with uow.session.begin_nested():
                upgrade(row)
                uow.session.flush()
        # One row's failure (a step that cannot read it, a database refusal) must not stop the others.
        except Exception as error:  # noqa: BLE001
            log.warning("Không nâng cấp được %s %s: %s", kind, row.id, error)
            summary.failed[f"{kind} {row.id}"] = str(error)
        else:
            summary.upgraded += 1
    if not summary.dry_run:
        uow.commit()


def _upgrade_spec(version) -> None:
    version.spec = state_upgrades.upgrade_process_spec(version.spec, version.state_version)
    version.state_version = serializing.STATE_VERSION


def _upgrade_dossier(dossier) -> None:
    dossier.state = state_upgrades.upgrade_dossier_state(dossier.state, dossier.state_version)
    dossier.state_version = serializing.STATE_VERSION
