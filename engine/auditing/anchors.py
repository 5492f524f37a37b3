"""Use cases: the daily anchors. Each past day, every province (and the ministry, whose own dossiers stand as a
province) gets one anchor naming the heads of its dossiers' chains that changed that day, chained to its anchor
before: a chain's tail removed after its day, or an anchor removed, no longer matches. Days are Vietnam's."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from engine.auditing import chain
from engine.clock import VIETNAM
from engine.errors import InvalidInput
from engine.model import MINISTRY_CODE
from engine.storage.tables import AuditAnchorRow
from engine.storage.unit_of_work import UnitOfWork, commit_or_conflict

# A day is anchored only this long after it ended: a transaction still open at midnight has committed by then.
GRACE = timedelta(minutes=10)


@dataclass(frozen=True)
class Anchored:
    day: date
    anchors: int  # anchors made that day (0: every province was anchored already)
    heads: int  # dossiers whose heads they name


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first moment of a day in Vietnam and the first moment of the next."""
    start = datetime.combine(day, time(0), VIETNAM)
    return start, start + timedelta(days=1)


def last_anchorable_day(now: datetime) -> date:
    """The latest day that has ended (with the grace) at `now`."""
    return (now - GRACE).astimezone(VIETNAM).date() - timedelta(days=1)


def anchor_audit(day: date, uow: UnitOfWork) -> Anchored:
    """Anchor `day` for each province not yet anchored that day; re-running it changes nothing."""
    with uow:
        if day > last_anchorable_day(uow.clock.now()):
            raise InvalidInput({"day": f"Ngày {day:%d/%m/%Y} chưa qua hết (neo được từ ngày "
                                       f"{last_anchorable_day(uow.clock.now()):%d/%m/%Y} trở về trước)."})
        heads = uow.audit.heads_between(*day_bounds(day))
        provinces = {unit.code for unit in uow.units.provinces()} | {MINISTRY_CODE} | set(heads)
        waiting = sorted(provinces - uow.audit.anchored_provinces(day))
        for province in waiting:
            uow.audit.add_anchor(_anchor(uow, province, day, heads.get(province, {})))
        commit_or_conflict(uow, f"Một tiến trình khác đang neo nhật ký ngày {day:%d/%m/%Y}; hãy thử lại.")
        return Anchored(day, len(waiting), sum(len(heads.get(province, {})) for province in waiting))


def anchor_past_days(new_uow) -> list[Anchored]:
    """Anchor every past day since the first audit row that is not anchored yet (the timer worker's job)."""
    with new_uow() as uow:
        first = uow.audit.first_moment()
        if first is None:
            return []
        anchored = uow.audit.anchored_days()
        days = _days(first.astimezone(VIETNAM).date(), last_anchorable_day(uow.clock.now()))
        waiting = [day for day in days if day not in anchored]
    return [anchor_audit(day, new_uow()) for day in waiting]


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _anchor(uow: UnitOfWork, province: str, day: date, heads: dict) -> AuditAnchorRow:
    previous = uow.audit.last_anchor_hash(province) or chain.GENESIS
    return AuditAnchorRow(province_code=province, day=day, heads=heads, previous_hash=previous,
                          anchor_hash=chain.anchor_hash(province, day.isoformat(), heads, previous),
                          made_at=uow.clock.now())
