"""Time as the engine sees it: tests and scenarios move a clock instead of sleeping."""
from datetime import UTC, date, datetime, time, timedelta, timezone

# Deadlines, decision dates and "today" are Vietnam's (UTC+7, no daylight saving).
VIETNAM = timezone(timedelta(hours=7))


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class MovableClock:
    """A clock that stands still until told to move."""

    def __init__(self, start: datetime):
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta) -> None:
        self._now += timedelta(**delta)



def today_in_vietnam(clock) -> date:
    return clock.now().astimezone(VIETNAM).date()


def end_of_office_day(day: date) -> datetime:
    """A deadline day ends at the close of office hours in Vietnam, 17:00."""
    return datetime.combine(day, time(17, 0), VIETNAM)
