"""A report's figures: the indicators each kind of report asks of a unit, pre-filled from the registry where it knows
them, checked when submitted, and recorded once accepted (a commune's when the province accepts its report, the
province's own when it sends its report). The annual report asks per learning model how many registered, how many
were recognised and how many in total could be; the Lifelong Learning Week asks the activities held and the people
reached."""
from dataclasses import dataclass

from engine.dossiers.service_call import ServiceCall
from engine.errors import InvalidInput, WorkflowFailed
from engine.model import TITLE_LABELS, ReportKind, Title
from engine.storage.tables import DossierRow, ReportValueRow
from engine.storage.unit_of_work import UnitOfWork

# The models a commune reports on (its own community title is the province's to count).
MODELS = (Title.FAMILY, Title.CLAN, Title.COMMUNITY_VILLAGE, Title.UNIT, Title.CITIZEN)
PARTS = {"registered": "đăng ký", "recognised": "công nhận", "total": "tổng số"}


@dataclass(frozen=True)
class Indicator:
    name: str  # the form's field and the stored value's name
    label: str


INDICATORS: dict[str, tuple[Indicator, ...]] = {
    ReportKind.ANNUAL_MODELS: tuple(Indicator(f"{part}_{model}", f"{TITLE_LABELS[model]}: {label}")
                                    for model in MODELS for part, label in PARTS.items()),
    ReportKind.LEARNING_WEEK: (Indicator("activities", "Số hoạt động đã tổ chức"),
                               Indicator("participants", "Số lượt người tham gia")),
}


def from_registry(uow: UnitOfWork, kind: str, province_code: str, year: int) -> dict[str, dict]:
    """What the registry knows, for each commune of a province: for the annual report, each model's titles
    recognised that year, as the form's pre-filled `recognised_<model>` and the `registry_<model>` a different figure
    is checked against. Nothing for a report whose figures the registry does not hold."""
    if kind != ReportKind.ANNUAL_MODELS:
        return {}
    counts = {(commune, title): count for commune, title, count in uow.titles.counted_by_commune(province_code, year)}
    return {commune.code: {key: counts.get((commune.code, model), 0) for model in MODELS
                           for key in (f"recognised_{model}", f"registry_{model}")}
            for commune in uow.units.communes_of(province_code)}


def check(dossier: DossierRow, values: dict) -> None:
    """Figures that cannot be, refused field by field: more recognised or registered than the total, a recognised
    count unlike the registry without a reason, people reached by no activity."""
    if not any(indicator.name in values for indicator in INDICATORS.get(dossier.title, ())):
        return
    errors = _annual_errors(dossier, values) if dossier.title == ReportKind.ANNUAL_MODELS else _week_errors(values)
    if errors:
        raise InvalidInput(errors)


def _annual_errors(dossier: DossierRow, values: dict) -> dict[str, str]:
    errors = {}
    for model in MODELS:
        registered, recognised, total = (values[f"{part}_{model}"] for part in PARTS)
        if registered > total:
            errors[f"registered_{model}"] = f"Số đăng ký ({registered}) lớn hơn tổng số ({total})."
        if recognised > total:
            errors[f"recognised_{model}"] = f"Số được công nhận ({recognised}) lớn hơn tổng số ({total})."
        known = dossier.data.get(f"registry_{model}")
        if known is not None and recognised != known and not values.get("correction_reason", "").strip():
            errors.setdefault(f"recognised_{model}", f"Sổ danh hiệu ghi {known}; nhập lý do điều chỉnh nếu số "
                                                     f"thực tế là {recognised}.")
    return errors


def _week_errors(values: dict) -> dict[str, str]:
    if values["participants"] > 0 and values["activities"] == 0:
        return {"activities": f"Có {values['participants']} lượt người tham gia nhưng không có hoạt động nào: "
                              "nhập số hoạt động đã tổ chức."}
    return {}


def record_figures(call: ServiceCall) -> None:
    """The report was accepted (a commune's) or sent (a province's own figures): its values count in the period's
    aggregates, under the unit that reported them."""
    uow, dossier = call.uow, call.dossier
    data, now = dossier.data, uow.clock.now()
    names = [indicator.name for indicator in INDICATORS[dossier.title]]
    missing = [name for name in names if name not in data]
    if missing:
        raise WorkflowFailed(f"Bước ghi số liệu của báo cáo '{dossier.title}' chạy khi hồ sơ {dossier.id} chưa có "
                             f"{', '.join(missing)}: biểu mẫu trước bước này phải hỏi các số đó.")
    uow.report_values.add_all([
        ReportValueRow(period_id=data["period"], province_code=dossier.province_code, unit_code=dossier.commune_code,
                       indicator=name, value=data[name], dossier_id=dossier.id, accepted_at=now)
        for name in names])
