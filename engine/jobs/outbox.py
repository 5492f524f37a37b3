"""Use cases of the outbox: a use case asks for a job in its own transaction; the relay sends what a crash or a
broker that was down left behind."""
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Protocol

from engine.model import JobStatus, Official
from engine.storage.tables import JobRow
from engine.storage.unit_of_work import UnitOfWork

# A job is relayed right after its transaction commits: one still unsent this long after is left behind.
RELAY_GRACE = timedelta(seconds=10)
# A job sent this long ago and still queued may have lost its message (a broker that lost its queue): sent again,
# which is harmless (a job takes effect once). Longer than the longest back-off between retries.
RELAY_AGAIN_AFTER = timedelta(minutes=15)
RELAY_BATCH = 500


class Dispatcher(Protocol):
    """What runs jobs: told the ids of committed jobs, it gets each run by a worker, now or later."""

    def relay(self, job_ids: Sequence[int]) -> None: ...

    def health(self) -> dict: ...


def enqueue(uow: UnitOfWork, kind: str, params: dict, by: Official, key: str | None = None) -> int:
    """Ask for a job in the caller's transaction: it is relayed after the commit, and not at all if the transaction
    rolls back. A `key` already asked for is the same job (its id is returned, nothing is added)."""
    if key is not None and (same := uow.jobs.by_key(key)) is not None:
        return same.id
    job = JobRow(kind=kind, key=key, params=params, requested_by=by.username, status=JobStatus.QUEUED, attempts=0,
                 created_at=uow.clock.now())
    uow.jobs.add(job)
    uow.jobs_to_relay.append(job.id)
    return job.id


def mark_relayed(uow: UnitOfWork, job_ids: Sequence[int]) -> None:
    """Note that the jobs were handed to the workers, so the periodic relay leaves them alone."""
    with uow:
        uow.jobs.mark_relayed(job_ids, uow.clock.now())
        uow.commit()


def relay_left_behind(new_uow: Callable[[], UnitOfWork], dispatcher: Dispatcher, limit: int = RELAY_BATCH) -> int:
    """Send the queued jobs that no relay sent (or whose message may be lost); how many."""
    with new_uow() as uow:
        now = uow.clock.now()
        job_ids = uow.jobs.to_relay(now - RELAY_GRACE, now - RELAY_AGAIN_AFTER, limit)
    if job_ids:
        dispatcher.relay(job_ids)
    return len(job_ids)
