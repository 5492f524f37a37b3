"""A commune's report figures: pre-filled from the registry, checked when submitted, recorded when the province
accepts them. Per learning model: how many registered, how many were recognised, how many in total could be."""
from engine.errors import InvalidInput
from engine.model import Title
from engine.orm import DossierRow, ReportFigureRow
from engine.unit_of_work import UnitOfWork

# The models a commune reports on (its own community title is the province's to count).
MODELS = (Title.FAMILY, Title.CLAN, Title.COMMUNITY_VILLAGE, Title.UNIT, Title.CITIZEN)


def from_registry(uow: UnitOfWork, province_code: str, year: int) -> dict[str, dict]:
    """What the registry knows, for each commune of a province: each model's titles recognised that year, as the
    form's pre-filled `recognised_<model>` and the `registry_<model>` a different figure is checked against."""
    counts = {(commune, title): count for commune, title, count in uow.titles.counted_by_commune(province_code, year)}
    return {commune.code: {key: counts.get((commune.code, model), 0) for model in MODELS
                           for key in (f"recognised_{model}", f"registry_{model}")}
            for commune in uow.units.communes_of(province_code)}


def submits_figures(values: dict) -> bool:
    return f"recognised_{MODELS[0]}" in values


def check(dossier: DossierRow, values: dict) -> None:
    """Figures that cannot be (more recognised or registered than the total), and a recognised count that differs
    from the registry without a reason, are refused field by field."""
    errors = {}
    for model in MODELS:
        registered, recognised, total = (values[f"{part}_{model}"] for part in ("registered", "recognised", "total"))
        if registered > total:
            errors[f"registered_{model}"] = f"Số đăng ký ({registered}) lớn hơn tổng số ({total})."
        if recognised > total:
            errors[f"recognised_{model}"] = f"Số được công nhận ({recognised}) lớn hơn tổng số ({total})."
        known = dossier.data.get(f"registry_{model}")
        if known is not None and recognised != known and not values.get("correction_reason", "").strip():
            errors.setdefault(f"recognised_{model}", f"Sổ danh hiệu ghi {known}; nhập lý do điều chỉnh nếu số "
                                                     f"thực tế là {recognised}.")
    if errors:
        raise InvalidInput(errors)


def record_commune_report(uow: UnitOfWork, dossier: DossierRow, params: dict) -> None:
    """The province accepted the commune's report: its figures count in the period's aggregates."""
    data, now = dossier.data, uow.clock.now()
    uow.report_figures.add_all([
        ReportFigureRow(period_id=data["period"], province_code=dossier.province_code,
                        commune_code=dossier.commune_code, model=model, registered=data[f"registered_{model}"],
                        recognised=data[f"recognised_{model}"], total=data[f"total_{model}"], dossier_id=dossier.id,
                        accepted_at=now)
        for model in MODELS])
