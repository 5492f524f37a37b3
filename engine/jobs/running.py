"""Use case: a worker runs one job. The job's effect and its done mark commit in one transaction, under the job's row
lock, so a message delivered twice (a worker killed before its acknowledgement, the relay sending again) takes effect
once. A transient database error is tried again with back-off; any other error, or too many attempts, puts the job
on the dead-letter list with its error."""
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from engine.errors import Conflict, EngineError
from engine.jobs.job_call import JobCall
from engine.jobs.kinds import KINDS
from engine.model import JobStatus
from engine.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(seconds=10)
LONGEST_RETRY = timedelta(minutes=5)


@dataclass(frozen=True)
class Outcome:
    status: str  # done | skipped (done before, dead, or held by another worker) | retry | dead
    retry_in: timedelta | None = None


DONE, SKIPPED, DEAD = Outcome("done"), Outcome("skipped"), Outcome("dead")


def run_job(job_id: int, new_uow: Callable[[], UnitOfWork], worker: str) -> Outcome:
    """Run a queued job once in effect; say whether to try it again and when."""
    try:
        with new_uow() as uow:
            attempt = uow.jobs.count_attempt(job_id, uow.clock.now(), worker)
            uow.commit()
        if attempt is None:
            return SKIPPED
        try:
            return _take_effect(job_id, new_uow)
        except Exception as error:  # noqa: BLE001 - whatever a job raises is kept with it, never lost in a log
            return _failed(job_id, new_uow, error, attempt)
    except Exception as error:
        if is_transient(error):  # the database did not answer even to count the attempt or keep the error
            return Outcome("retry", backoff(1))
        raise


def _take_effect(job_id: int, new_uow: Callable[[], UnitOfWork]) -> Outcome:
    with new_uow() as uow:
        job = uow.jobs.queued_for_update(job_id)
        if job is None:
            return SKIPPED
        if job.kind not in KINDS:
            raise EngineError(f"Không có loại việc '{job.kind}'; có: {', '.join(KINDS)}.")
        job.result = KINDS[job.kind](JobCall(uow, job))
        job.status, job.finished_at, job.error = JobStatus.DONE, uow.clock.now(), None
        uow.commit()
    return DONE


def _failed(job_id: int, new_uow: Callable[[], UnitOfWork], error: Exception, attempt: int) -> Outcome:
    transient = is_transient(error)
    if not transient and not isinstance(error, EngineError):
        log.exception("Việc nền %s lỗi", job_id)
    with new_uow() as uow:
        job = uow.jobs.get(job_id)
        job.error = f"{type(error).__name__}: {error}"[:4000]
        giving_up = not transient or attempt >= MAX_ATTEMPTS
        if giving_up:
            job.status, job.finished_at = JobStatus.DEAD, uow.clock.now()
        uow.commit()
    return DEAD if giving_up else Outcome("retry", backoff(attempt))


def is_transient(error: Exception) -> bool:
    """An error that trying again may cure: the database unreachable or restarting, a deadlock, a serialization
    failure, a row changed by a concurrent transaction."""
    return isinstance(error, (OperationalError, InterfaceError, StaleDataError, Conflict)) or (
        isinstance(error, DBAPIError) and error.connection_invalidated)


def backoff(attempt: int) -> timedelta:
    """10 s after the first attempt, doubling, at most 5 minutes."""
    return min(FIRST_RETRY * 2 ** (attempt - 1), LONGEST_RETRY)
