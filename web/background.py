"""Background work: Celery workers on RabbitMQ when BROKER_URL is set, else a thread of this process (the embedded
default, nothing else to start); under test, jobs run as soon as the request's transaction commits.

    celery -A web.workers worker --loglevel INFO      # on each worker machine, one or more
    celery -A web.workers beat                        # exactly one: timer sweeps, the outbox relay, audit anchors

The engine decides what a job does and that it takes effect once (engine.jobs); this module only carries job ids to
the workers and back: each message is acknowledged after the job ran (`acks_late`), and put back when a worker dies
under it, so a job is never lost with its worker."""
import logging
import time
from collections.abc import Callable, Sequence

from celery import Celery, Task, shared_task
from flask import Flask
from kombu.exceptions import KombuError

from engine.auditing import anchors
from engine.dossiers import timers
from engine.jobs import outbox, running
from engine.jobs.dispatchers import Inline, InThread
from engine.storage.unit_of_work import UnitOfWork
from web.engine_access import app_engine

log = logging.getLogger(__name__)
RUN_JOB = "jobs.run"
# After the broker failed to take a message, the web nodes leave relaying to the periodic relay this long, rather than
# make every request that asks for a job wait on a broker that is down.
PAUSE_AFTER_BROKER_FAILURE = 30.0
HEALTH_TIMEOUT = 1.0


def init_app(app: Flask) -> None:
    """Choose what runs the app's jobs."""
    engine = app.extensions["engine"]
    if app.config["BROKER_URL"]:
        celery = app.extensions["celery"] = make_celery(app)
        engine.dispatcher = CeleryDispatcher(celery, engine.uow)
    else:
        engine.dispatcher = (Inline if app.testing else InThread)(engine.uow)


def make_celery(app: Flask) -> Celery:
    """The Celery app of a Flask app, its tasks run inside the Flask app's context (Flask's documented pattern)."""
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery = Celery(app.name, task_cls=FlaskTask, broker=app.config["BROKER_URL"])
    sweep_every = float(app.config["TIMER_SWEEP_SECONDS"] or 60)
    celery.conf.update(
        task_default_queue=app.config["JOBS_QUEUE"],
        task_ignore_result=True,
        # A job's message is acknowledged once it ran, put back if its worker dies, and a worker takes one at a time.
        task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
        # RabbitMQ confirms each message is stored before the relay marks its job as sent.
        broker_transport_options={"confirm_publish": True},
        broker_connection_timeout=2.0, broker_connection_retry_on_startup=True,
        task_publish_retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5},
        worker_hijack_root_logger=False,
        beat_schedule={
            # A periodic task not taken before the next one is due is dropped: a backlog never piles up behind it.
            "sweep-timers": {"task": "jobs.sweep_timers", "schedule": sweep_every,
                             "options": {"expires": sweep_every}},
            "relay-outbox": {"task": "jobs.relay", "schedule": 15.0, "options": {"expires": 15.0}},
            "anchor-audit": {"task": "jobs.anchor_audit", "schedule": 3600.0, "options": {"expires": 3600.0}},
        })
    celery.set_default()
    return celery


class CeleryDispatcher:
    """Hands committed jobs to the Celery workers through the broker."""

    def __init__(self, celery: Celery, new_uow: Callable[[], UnitOfWork]):
        self.celery, self.new_uow = celery, new_uow
        self.paused_until = 0.0

    def relay(self, job_ids: Sequence[int]) -> None:
        if time.monotonic() < self.paused_until:
            return
        try:
            with self.celery.producer_or_acquire() as producer:
                for job_id in job_ids:
                    self.celery.send_task(RUN_JOB, args=[job_id], producer=producer)
        except (KombuError, OSError) as error:
            self.paused_until = time.monotonic() + PAUSE_AFTER_BROKER_FAILURE
            log.warning("Bộ chuyển tin không nhận việc nền %s (%s): việc vẫn chờ trong hộp thư đi.", job_ids, error)
            return
        outbox.mark_relayed(self.new_uow(), job_ids)

    def health(self) -> dict:
        try:
            with self.celery.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=HEALTH_TIMEOUT)
        except (KombuError, OSError) as error:
            return {"broker": {"ok": False, "error": str(error)}, "workers": {"ok": False, "answered": []}}
        answered = sorted(name for reply in self.celery.control.ping(timeout=HEALTH_TIMEOUT) for name in reply)
        return {"broker": {"ok": True}, "workers": {"ok": bool(answered), "answered": answered}}


@shared_task(name=RUN_JOB, bind=True)
def run_job(task: Task, job_id: int) -> str:
    """Run one job of the outbox; a transient failure comes back after its back-off."""
    outcome = running.run_job(job_id, app_engine().uow, task.request.hostname or "celery")
    if outcome.retry_in is not None:
        raise task.retry(countdown=outcome.retry_in.total_seconds(), max_retries=None)
    return outcome.status


@shared_task(name="jobs.sweep_timers")
def sweep_timers() -> dict:
    """Fire the timers due now (two sweeps at once never fire one twice)."""
    sweep = timers.run_due_timers(app_engine().uow)
    return {"fired": sweep.fired, "opened": sweep.opened, "failed": len(sweep.failed)}


@shared_task(name="jobs.relay")
def relay() -> int:
    """Send the jobs a crash or a broker that was down left in the outbox."""
    engine = app_engine()
    return outbox.relay_left_behind(engine.uow, engine.dispatcher)


@shared_task(name="jobs.anchor_audit")
def anchor_audit() -> int:
    """Anchor each past day's audit, per province."""
    return len(anchors.anchor_past_days(app_engine().uow))
