"""Jobs run without a broker: in the caller's thread right after commit (tests, the command line), or in a thread
of the web process (the embedded default, where nothing else is started)."""
import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from engine.jobs import outbox
from engine.jobs.running import run_job
from engine.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


class Inline:
    """Runs each job as soon as the transaction that asked for it commits, in the same thread; a job to try again
    stays queued for the periodic relay."""

    def __init__(self, new_uow: Callable[[], UnitOfWork]):
        self.new_uow = new_uow

    def relay(self, job_ids: Sequence[int]) -> None:
        for job_id in job_ids:
            run_job(job_id, self.new_uow, "inline")

    def health(self) -> dict:
        return {"broker": {"ok": True, "used": False}, "workers": {"ok": True, "where": "the caller's thread"}}


class InThread:
    """Runs jobs one after another in a thread of this process; the thread finishes what it holds before the
    process exits, and what a crash loses is still queued in the outbox for the periodic relay."""

    def __init__(self, new_uow: Callable[[], UnitOfWork]):
        self.new_uow = new_uow
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jobs")

    def relay(self, job_ids: Sequence[int]) -> None:
        outbox.mark_relayed(self.new_uow(), job_ids)
        for job_id in job_ids:
            self.executor.submit(self._run, job_id)

    def _run(self, job_id: int) -> None:
        try:
            outcome = run_job(job_id, self.new_uow, f"thread@{threading.get_native_id()}")
        except Exception:  # noqa: BLE001 - the thread must live on for the next job; the job stays queued
            log.exception("Việc nền %s lỗi", job_id)
            return
        if outcome.retry_in is not None:
            timer = threading.Timer(outcome.retry_in.total_seconds(), self.executor.submit, (self._run, job_id))
            timer.daemon = True
            timer.start()

    def health(self) -> dict:
        return {"broker": {"ok": True, "used": False}, "workers": {"ok": True, "where": "a thread of this process"}}


def inline_units_of_work(session_factory, clock=None) -> Callable[[], UnitOfWork]:
    """Makes units of work whose jobs run as soon as each commits, in the caller's thread (tests, scripts)."""
    def new_uow() -> UnitOfWork:
        return UnitOfWork(session_factory, clock, dispatcher)

    dispatcher = Inline(new_uow)
    return new_uow
