"""A thread that fires due timers every TIMER_SWEEP_SECONDS, relays the jobs a crash left in the outbox and anchors
each past day's audit, so the embedded default (one process on SQLite, the demo) needs no worker. A deployment with
several processes leaves this to Celery beat and its workers (or `flask run-timers --every N`); sweeps in several
processes at once are safe anyway (see engine.dossiers.timers)."""
import threading

from flask import Flask

from engine.auditing import anchors
from engine.dossiers import timers
from engine.jobs import outbox


def start_timer_sweeper(app: Flask) -> threading.Event | None:
    """Sweep in the background unless TIMER_SWEEP_SECONDS is 0 or the app is under test; set the returned event
    (also app.extensions["timer_sweeper_stop"]) to stop."""
    every = app.config["TIMER_SWEEP_SECONDS"]
    if not every or app.testing:
        return None
    stop = app.extensions["timer_sweeper_stop"] = threading.Event()
    threading.Thread(target=_sweep_until, args=(app, every, stop), name="timer-sweep", daemon=True).start()
    return stop


def _sweep_until(app: Flask, every: int, stop: threading.Event) -> None:
    engine = app.extensions["engine"]
    while not stop.wait(every):
        try:
            timers.run_due_timers(engine.uow)
            outbox.relay_left_behind(engine.uow, engine.dispatcher)
            anchors.anchor_past_days(engine.uow)
        except Exception:  # noqa: BLE001 - e.g. the database is down: the thread must live to sweep again
            app.logger.exception("Quét mốc thời gian lỗi; sẽ quét lại.")
