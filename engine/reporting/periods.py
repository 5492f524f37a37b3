"""Use cases on periodic reports: the ministry opens a reporting period (every province gets its report dossier
with the period's deadline, the ministry its national compilation), targets, and the figures of a period as the
ministry and each province see them."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from engine.clock import end_of_office_day, today_in_vietnam
from engine.dossiers import step_runner
from engine.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.model import (MINISTRY_CODE, REPORT_LABELS, REPORT_SHORT_LABELS, Official, ReportKind, Role, Title,
                          UnitLevel)
from engine.organisation.units import unit_label
from engine.reporting.figures import INDICATORS, MODELS, PARTS, Indicator
from engine.storage.tables import ReportingPeriodRow, TargetRow
from engine.storage.unit_of_work import UnitOfWork, commit_or_conflict

OPENERS = (Role.MINISTRY, Role.ADMIN)


# When provinces report by default (the ministry sets the period's own deadline when it opens it): the year's results
# before 15/12 (CV 6782/BGDĐT-GDTX); the Lifelong Learning Week (1–7 October) by 20/10.
DEFAULT_DEADLINES = {ReportKind.ANNUAL_MODELS: (12, 15), ReportKind.LEARNING_WEEK: (10, 20)}


def default_province_deadline(kind: str, year: int) -> date | None:
    """None for a kind of report that is not known."""
    month_day = DEFAULT_DEADLINES.get(kind)
    return date(year, *month_day) if month_day else None


@dataclass(frozen=True)
class OpenedPeriod:
    id: int
    kind: str
    year: int
    province_deadline: datetime
    dossiers: int  # one per province


DEFAULT_RECIPIENT = "Bộ Giáo dục và Đào tạo (Cục Giáo dục nghề nghiệp và Giáo dục thường xuyên)"


def check_opener(official: Official) -> None:
    if official.role not in OPENERS:
        raise Forbidden("Chỉ Bộ (hoặc quản trị) mới mở kỳ báo cáo.")


def open_reporting_period(kind: str, year: int, official: Official, uow: UnitOfWork,
                          province_deadline: date | None = None, recipient: str = DEFAULT_RECIPIENT,
                          reminder_days: int = 3) -> OpenedPeriod:
    """Open the period of a kind of report for a year: each province's report dossier starts, with its deadline
    (by default 15/12 for the annual report, 20/10 for the Lifelong Learning Week, at 17:00 in Vietnam) and the office
    it reports to, reminded `reminder_days` before; and the ministry's dossier to compile the national report. All of
    them or none."""
    check_opener(official)
    with uow:
        today = today_in_vietnam(uow.clock)
        recipient = " ".join(recipient.split())
        deadline_day = province_deadline or default_province_deadline(kind, year)
        _check_period(kind, year, deadline_day, today, recipient, reminder_days)
        if uow.periods.of(kind, year) is not None:
            raise Conflict(f"Kỳ {REPORT_LABELS[ReportKind(kind)]} năm {year} đã được mở.")
        province_version, national_version = (_deployed(uow, kind, starter) for starter in (Role.PROVINCE,
                                                                                            Role.MINISTRY))
        deadline = end_of_office_day(deadline_day)
        period = ReportingPeriodRow(kind=kind, year=year, province_deadline=deadline, recipient=recipient,
                                    opened_by=official.username, opened_at=uow.clock.now())
        uow.periods.add(period)
        values = {"year": year, "title": kind, "period": period.id, "recipient": recipient}
        context = {"period": period.id, "province_deadline": deadline.isoformat(),
                   "province_reminder_at": (deadline - timedelta(days=reminder_days)).isoformat()}
        provinces = uow.units.provinces()
        starts = [*((province, province_version) for province in provinces),
                  (uow.units.get(MINISTRY_CODE), national_version)]
        for unit, version in starts:
            named = {**values, "name": report_name(kind, year, unit_label(unit.name, unit.level))}
            step_runner.start(uow, official, version, unit, named, context)
        commit_or_conflict(uow, "Kỳ báo cáo này vừa được mở cùng lúc; hãy tải lại trang.")
        return OpenedPeriod(period.id, kind, year, deadline, len(provinces))


def report_name(kind: str, year: int, unit: str) -> str:
    """What a report dossier is called in every list and page: "Báo cáo năm 2026 · Thành phố Hà Nội"."""
    return f"{REPORT_SHORT_LABELS[kind]} {year} · {unit}"


def _deployed(uow: UnitOfWork, kind: str, starter: Role):
    version = uow.processes.latest_for_kind(kind, starter)
    if version is None:
        whose = "của tỉnh" if starter == Role.PROVINCE else "tổng hợp toàn quốc của Bộ"
        raise Conflict(f"Chưa triển khai quy trình báo cáo {whose} cho '{kind}': cần triển khai trước khi mở kỳ "
                       "báo cáo.")
    return version


def _check_period(kind: str, year: int, deadline: date | None, today: date, recipient: str,
                  reminder_days: int) -> None:
    errors = {}
    if not 1 <= reminder_days <= 30:
        errors["reminder_days"] = "Nhắc trước hạn từ 1 đến 30 ngày."
    if not recipient or len(recipient) > 300:
        errors["recipient"] = "Nhập cơ quan nhận báo cáo (tối đa 300 ký tự)."
    if kind not in set(ReportKind):
        errors["kind"] = f"Loại báo cáo phải là một trong: {', '.join(ReportKind)}."
    if not 2000 <= year <= today.year + 1:
        errors["year"] = f"Năm báo cáo phải từ 2000 đến {today.year + 1}."
    if deadline is not None and deadline < today:
        errors["province_deadline"] = f"Hạn nộp của tỉnh ({deadline:%d/%m/%Y}) đã qua."
    if errors:
        raise InvalidInput(errors)


# QĐ 387/QĐ-TTg and QĐ 677/QĐ-TTg: share of the total by milestone year (Công dân học tập: among working people in
# learning families, clans and communities). A province sets its own (often higher) with `set_target`.
NATIONAL_TARGETS = {
    Title.FAMILY: {2025: 0.70, 2030: 0.80},
    Title.CLAN: {2025: 0.65, 2030: 0.75},
    Title.COMMUNITY_VILLAGE: {2025: 0.65, 2030: 0.75},
    Title.UNIT: {2025: 0.80, 2030: 0.90},
    Title.CITIZEN: {2025: 0.40, 2030: 0.60},
}
SUBMIT_STEP = "submit_commune_report"
PROVINCE_STEP = "submit_province_report"


@dataclass(frozen=True)
class ModelFigures:
    model: str
    registered: int
    recognised: int
    total: int
    rate_of_registered: float | None  # recognised / registered
    rate_of_total: float | None  # recognised / total
    target: float  # for the next milestone year (the province's own where it set one)
    gap: float | None  # target - rate_of_total; positive: still to do


@dataclass(frozen=True)
class UnitFigures:
    code: str
    name: str
    values: dict[str, int]  # indicator: the sum of the accepted communes' values
    own: dict[str, int]  # indicator: a province's figures at its own level (none for a commune)
    models: tuple[ModelFigures, ...]  # the annual report: per learning model, with rates and target
    communes: int  # communes expected to report
    accepted: int  # communes whose report the province accepted
    waiting: int  # communes that have not submitted yet
    overdue: int  # of those, past their deadline
    sent_at: datetime | None = None  # a province: when it sent its own report to the ministry
    asked: bool = True  # its communes were asked to report (a province that has not set their deadline: not yet)


@dataclass(frozen=True)
class ReportView:
    kind: str
    year: int
    unit_code: str
    indicators: tuple[Indicator, ...]
    rows: tuple[UnitFigures, ...]
    values: dict[str, int]  # the communes' values summed over every row
    own: dict[str, int]  # the province's own figures (the ministry: summed over the provinces)
    totals: tuple[ModelFigures, ...]  # the annual report: per model over every row
    deadline: datetime  # the provinces' deadline
    past_deadline: bool
    sent_at: datetime | None  # a province's view: when it sent its own report


def report_view(kind: str, year: int, official: Official, uow: UnitOfWork) -> ReportView:
    """The figures of a period as far as the official reaches: the ministry sees every province, a province its
    communes; each indicator's sum (for the annual report per model the two rates, the target and the gap); who is
    late, overdue or missing."""
    province = _reach(official)
    with uow:
        period = uow.periods.of(kind, year)
        if period is None:
            raise NotFound(f"Chưa mở kỳ “{REPORT_LABELS.get(kind, kind)}” năm {year}: Bộ mở kỳ ở trang "
                           "“Mở kỳ báo cáo”; khi đó các số liệu hiện ở đây.")
        waiting = uow.tasks.open_step_counts(SUBMIT_STEP, kind, year, uow.clock.now(), province)
        asked = uow.tasks.units_reached(SUBMIT_STEP, kind, year, province)
        units = uow.units.communes_of(province) if province else uow.units.provinces()
        expected = {u.code: 1 for u in units} if province else uow.units.commune_counts()
        communes, own, accepted = _sums(uow.report_values.sums(period.id, province))
        sent = uow.tasks.completed_step_times(PROVINCE_STEP, kind, year, province)
        annual = kind == ReportKind.ANNUAL_MODELS
        targets = _targets(uow, [province] if province else [u.code for u in units]) if annual else {}
        rows = tuple(UnitFigures(u.code, unit_label(u.name, u.level), communes.get(u.code, {}), own.get(u.code, {}),
                                 _models(communes.get(u.code, {}), targets.get(province or u.code), year),
                                 expected.get(u.code, 0), accepted.get(u.code, 0), *waiting.get(u.code, (0, 0)),
                                 sent.get(u.code), u.code in asked)
                     for u in units)
        values = _added(row.values for row in rows)
        return ReportView(kind, year, province or MINISTRY_CODE, INDICATORS[kind], rows, values,
                          own.get(province, {}) if province else _added(row.own for row in rows),
                          _models(values, targets.get(province or MINISTRY_CODE), year), period.province_deadline,
                          uow.clock.now() > period.province_deadline, sent.get(province))


def _reach(official: Official) -> str | None:
    """The province whose communes the official sees; None for the whole country."""
    if official.role in OPENERS:
        return None
    if official.role == Role.PROVINCE:
        return official.unit_code
    raise Forbidden("Chỉ Bộ và tỉnh xem tổng hợp báo cáo.")


def _sums(sums) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]], dict[str, int]]:
    """Per unit: the communes' values, the province's own, and how many communes were accepted."""
    communes: dict[str, dict[str, int]] = {}
    own: dict[str, dict[str, int]] = {}
    accepted: dict[str, int] = {}
    for code, indicator, is_own, total, units in sums:
        (own if is_own else communes).setdefault(code, {})[indicator] = total
        if not is_own:
            accepted[code] = max(accepted.get(code, 0), units)
    return communes, own, accepted


def _added(dicts) -> dict[str, int]:
    added: dict[str, int] = {}
    for values in dicts:
        for name, value in values.items():
            added[name] = added.get(name, 0) + value
    return added


def _targets(uow: UnitOfWork, provinces: list[str]) -> dict[str, dict[str, dict[int, float]]]:
    """{province: {model: {milestone: rate}}}: the province's own, else national rows, else NATIONAL_TARGETS; the
    national ones under the ministry's code."""
    rows = uow.targets.set_for([*provinces, MINISTRY_CODE])
    national = {model: dict(milestones) for model, milestones in NATIONAL_TARGETS.items()}
    for row in rows:
        if row.province_code == MINISTRY_CODE:
            national.setdefault(row.model, {})[row.milestone_year] = row.rate
    found = {province: {model: dict(m) for model, m in national.items()} for province in provinces}
    own: dict[tuple[str, str], dict[int, float]] = {}
    for row in rows:
        if row.province_code != MINISTRY_CODE:
            own.setdefault((row.province_code, row.model), {})[row.milestone_year] = row.rate
    for (province, model), milestones in own.items():
        found[province][model] = milestones
    found[MINISTRY_CODE] = national
    return found


def _target(milestones: dict[int, float], year: int) -> float:
    """The rate of the next milestone on or after `year` (the last one once all have passed)."""
    ahead = [m for m in sorted(milestones) if m >= year]
    return milestones[ahead[0] if ahead else max(milestones)]


def _models(values: dict[str, int], targets: dict | None, year: int) -> tuple[ModelFigures, ...]:
    """Per learning model: the sums, the two rates, the target and the gap (nothing without targets: not the annual
    report)."""
    if targets is None:
        return ()
    return tuple(_figures(model, *(values.get(f"{part}_{model}", 0) for part in PARTS),
                          _target(targets.get(model, NATIONAL_TARGETS[model]), year)) for model in MODELS)


def _figures(model: str, registered: int, recognised: int, total: int, target: float) -> ModelFigures:
    rate = recognised / total if total else None
    return ModelFigures(model, registered, recognised, total, recognised / registered if registered else None, rate,
                        target, None if rate is None else round(target - rate, 4))


def set_target(province_code: str, model: str, milestone_year: int, rate: float, official: Official,
               uow: UnitOfWork) -> None:
    """A province's own target (or the ministry's national one, province VN) for a model by a milestone year."""
    if official.role not in (*OPENERS, Role.PROVINCE) or (official.role == Role.PROVINCE
                                                          and official.unit_code != province_code):
        raise Forbidden("Tỉnh chỉ đặt chỉ tiêu của tỉnh mình; Bộ đặt chỉ tiêu toàn quốc.")
    errors = {}
    if model not in MODELS:
        errors["model"] = f"Mô hình phải là một trong: {', '.join(MODELS)}."
    if not 0 < rate <= 1:
        errors["rate"] = "Chỉ tiêu là một tỷ lệ trong (0, 1], ví dụ 0.85."
    if not 2020 <= milestone_year <= 2100:
        errors["milestone_year"] = "Năm mốc từ 2020 đến 2100."
    if errors:
        raise InvalidInput(errors)
    with uow:
        unit = uow.units.get(province_code)
        if unit is None or unit.level not in (UnitLevel.PROVINCE, UnitLevel.MINISTRY):
            raise InvalidInput({"province": f"Không có tỉnh mã {province_code} (VN: toàn quốc)."})
        for row in uow.targets.set_for([province_code]):
            if (row.model, row.milestone_year) == (model, milestone_year):
                row.rate, row.set_by, row.set_at = rate, official.username, uow.clock.now()
                break
        else:
            uow.targets.add(TargetRow(province_code=province_code, model=model, milestone_year=milestone_year,
                                      rate=rate, set_by=official.username, set_at=uow.clock.now()))
        commit_or_conflict(uow, "Chỉ tiêu này vừa được đặt cùng lúc; hãy thử lại.")
