"""Use case: fire the timers that have fallen due (reminders, deadlines, escalations).

A sweep finds due dossiers by their indexed due time, never by loading workflows, and fires each in its own
transaction. Two sweeps at once never fire one timer twice: a dossier is row-locked while it fires, a sweep
skips dossiers another holds, and the due time is checked again under the lock.
"""
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from engine.dossiers import step_runner
from engine.errors import EngineError
from engine.model import MINISTRY_CODE, Official, Role
from engine.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
# Who the history says acted when a timer fired.
TIMER = Official("hẹn-giờ", Role.ADMIN, MINISTRY_CODE)
# A dossier whose timer cannot fire (a broken expression, a timer Spiff keeps waiting on) is tried again after
# this, so one bad dossier never makes every sweep spin on it.
RETRY_AFTER = timedelta(minutes=15)
SWEEP_SIZE = 1000


@dataclass
class Sweep:
    fired: int = 0  # dossiers whose timers fired
    opened: int = 0  # tasks those timers opened
    failed: dict[int, str] = field(default_factory=dict)  # dossier id: why, postponed by RETRY_AFTER


def run_due_timers(new_uow, limit: int = SWEEP_SIZE) -> Sweep:
    """Fire the timers due now, up to `limit` dossiers (the earliest first)."""
    with new_uow() as uow:
        due = uow.dossiers.timers_due(uow.clock.now(), limit)
    sweep = Sweep()
    for dossier_id in due:
        try:
            opened = _fire(new_uow(), dossier_id)
        # Whatever stops one dossier (a broken diagram, a deadlock, a row changed under us) must not stop the
        # sweep for the others, nor hold the front of the due queue on every sweep.
        except Exception as error:  # noqa: BLE001
            if not isinstance(error, EngineError):
                log.exception("Mốc thời gian của hồ sơ %s lỗi", dossier_id)
            sweep.failed[dossier_id] = str(error)
            _postpone(new_uow(), dossier_id, str(error))
            continue
        if opened is not None:
            sweep.fired += 1
            sweep.opened += opened
    return sweep


def _fire(uow: UnitOfWork, dossier_id: int) -> int | None:
    """Fire one dossier's due timers; None if another sweep holds it or it is no longer due."""
    with uow:
        now = uow.clock.now()
        locked = uow.dossiers.due_for_update(dossier_id, now)
        if locked is None:
            return None
        dossier, version = locked
        opened = step_runner.fire_timers(uow, TIMER, dossier, version)
        # A timer Spiff keeps waiting on would be due again at once: try it later, as a failure would be.
        if dossier.timer_due_at is not None and dossier.timer_due_at < now:
            dossier.timer_due_at = now + RETRY_AFTER
        uow.commit()
        return len(opened)


def _postpone(uow: UnitOfWork, dossier_id: int, reason: str) -> None:
    with uow:
        now = uow.clock.now()
        locked = uow.dossiers.due_for_update(dossier_id, now)
        if locked is None:
            return
        dossier, _ = locked
        dossier.timer_due_at = now + RETRY_AFTER
        step_runner.record(uow, TIMER, dossier, "timer_failed", {"reason": reason,
                                                                 "retry_at": dossier.timer_due_at.isoformat()})
        uow.commit()
