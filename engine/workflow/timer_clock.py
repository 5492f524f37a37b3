"""The clock hook: SpiffWorkflow's timers read the instant the use case runs at, not the system clock, so a sweep
fires exactly what it found due and scenarios move time instead of sleeping. Imported by running.py, which sets it
around every run of a workflow."""
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta, timezone

from SpiffWorkflow.bpmn.specs.event_definitions import timer as _spiff_timer

_NOW: ContextVar[datetime | None] = ContextVar("engine_now", default=None)
# A timer given without a time zone is Vietnam's (not the server's), for Spiff and for the due time we index.
LOCAL_ZONE = timezone(timedelta(hours=7))


class _EngineTime(datetime):
    @classmethod
    def now(cls, tz=None):
        moment = _NOW.get() or datetime.now(timezone.utc)
        return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)


_spiff_timer.datetime = _EngineTime
_spiff_timer.LOCALTZ = LOCAL_ZONE


@contextmanager
def running_at(now: datetime | None) -> Iterator[None]:
    """Spiff's timers see `now` (the system clock if None) while the block runs."""
    token = _NOW.set(now)
    try:
        yield
    finally:
        _NOW.reset(token)
