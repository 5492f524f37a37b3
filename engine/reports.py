"""Use cases on periodic reports: the ministry opens a reporting period, and every province gets its report
dossier with the deadline the period sets."""
from dataclasses import dataclass
from datetime import date, datetime

from engine import progress
from engine.clock import end_of_office_day, today_in_vietnam
from engine.errors import Conflict, Forbidden, InvalidInput
from engine.model import REPORT_LABELS, Official, ReportKind, Role
from engine.orm import ReportingPeriodRow
from engine.unit_of_work import UnitOfWork, commit_or_conflict

OPENERS = (Role.MINISTRY, Role.ADMIN)


def default_province_deadline(year: int) -> date:
    """CV 6782/BGDĐT-GDTX: provinces report the year's results to the ministry before 15/12."""
    return date(year, 12, 15)


@dataclass(frozen=True)
class OpenedPeriod:
    id: int
    kind: str
    year: int
    province_deadline: datetime
    dossiers: int  # one per province


def open_reporting_period(kind: str, year: int, official: Official, uow: UnitOfWork,
                          province_deadline: date | None = None) -> OpenedPeriod:
    """Open the period of a kind of report for a year: each province's report dossier starts, with its deadline
    (default 15/12 of that year, at 17:00 in Vietnam). All provinces or none."""
    if official.role not in OPENERS:
        raise Forbidden("Chỉ Bộ (hoặc quản trị) mới mở kỳ báo cáo.")
    with uow:
        today = today_in_vietnam(uow.clock)
        deadline_day = province_deadline or default_province_deadline(year)
        _check_period(kind, year, deadline_day, today)
        if uow.periods.of(kind, year) is not None:
            raise Conflict(f"Kỳ {REPORT_LABELS[ReportKind(kind)]} năm {year} đã được mở.")
        version = uow.processes.latest_for_kind(kind)
        if version is None:
            raise Conflict(f"Chưa triển khai quy trình cho '{kind}': cần triển khai trước khi mở kỳ báo cáo.")
        deadline = end_of_office_day(deadline_day)
        period = ReportingPeriodRow(kind=kind, year=year, province_deadline=deadline, opened_by=official.username,
                                    opened_at=uow.clock.now())
        uow.periods.add(period)
        provinces = uow.units.provinces()
        for province in provinces:
            progress.open_dossier(uow, version, province, {"year": year, "title": kind, "period": period.id},
                                  official, context={"period": period.id, "province_deadline": deadline.isoformat()})
        commit_or_conflict(uow, "Kỳ báo cáo này vừa được mở cùng lúc; hãy tải lại trang.")
        return OpenedPeriod(period.id, kind, year, deadline, len(provinces))


def _check_period(kind: str, year: int, deadline: date, today: date) -> None:
    errors = {}
    if kind not in set(ReportKind):
        errors["kind"] = f"Loại báo cáo phải là một trong: {', '.join(ReportKind)}."
    if not 2000 <= year <= today.year + 1:
        errors["year"] = f"Năm báo cáo phải từ 2000 đến {today.year + 1}."
    if deadline < today:
        errors["province_deadline"] = f"Hạn nộp của tỉnh ({deadline:%d/%m/%Y}) đã qua."
    if errors:
        raise InvalidInput(errors)
