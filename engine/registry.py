"""The registry of recognised titles: recording an approved dossier's subjects, and reading them back
as far as the official's unit reaches."""
import unicodedata
from dataclasses import dataclass
from datetime import date

from engine.certificates import Issuer, certificate_pdf
from engine.errors import Forbidden, InvalidInput, NotFound, UnitNotFound, WorkflowFailed
from engine.model import Official, RecognisedTitle, Role
from engine.orm import DossierRow, TitleRow, UnitRow
from engine.unit_of_work import UnitOfWork

# How long a recognition holds, in years after its year, by title: yearly titles, and the 3-year retention
# (bảo lưu) of commune communities and learning units.
VALIDITY_YEARS = {"family": 1, "clan": 1, "community_village": 1, "citizen": 1, "community_commune": 3, "unit": 3}


@dataclass(frozen=True)
class TitleCount:
    year: int
    title: str
    province_code: str
    commune_code: str
    count: int


def subject_key(branch_code: str, name: str) -> str:
    """A household as the registry knows it: its branch and its head's name, however it was typed."""
    return f"{branch_code}:" + unicodedata.normalize("NFC", " ".join(name.split())).casefold()


def check_candidates(uow: UnitOfWork, dossier: DossierRow, candidates: list[dict]) -> None:
    """Refuse a list naming a household twice, or one already holding this title for this year."""
    errors, seen = {}, {}
    keys = [subject_key(dossier.branch_code, candidate["name"]) for candidate in candidates]
    held = uow.titles.held(dossier.title, dossier.year, keys)
    for index, key in enumerate(keys):
        if key in seen:
            errors[f"candidates.{index}.name"] = f"Trùng với dòng {seen[key] + 1} của danh sách."
        elif key in held:
            row = held[key]
            errors[f"candidates.{index}.name"] = (
                f"Hộ này đã được công nhận năm {row.year} theo quyết định {row.decision_number}.")
        seen.setdefault(key, index)
    if errors:
        raise InvalidInput(errors)


def record_titles(uow: UnitOfWork, dossier: DossierRow, params: dict) -> None:
    """The recognised subjects of an approved dossier enter the registry of titles; `deciding_level` (the
    diagram's parameter) says whose decision it was."""
    data = dossier.data
    candidates = data.get("candidates", [])
    check_candidates(uow, dossier, candidates)
    decided_on = date.fromisoformat(data["decision_date"])
    deciding_unit = {"province": dossier.province_code, "commune": dossier.commune_code}.get(
        params.get("deciding_level", "province"))
    if deciding_unit is None:
        raise WorkflowFailed(f"Cấp quyết định '{params['deciding_level']}' không hợp lệ (province hoặc commune).")
    valid_until = date(dossier.year + VALIDITY_YEARS[dossier.title], 12, 31)
    uow.titles.add_all([
        TitleRow(title=dossier.title, subject_name=candidate["name"],
                 subject_key=subject_key(dossier.branch_code, candidate["name"]), score=candidate.get("score"),
                 year=dossier.year, branch_code=dossier.branch_code, commune_code=dossier.commune_code,
                 province_code=dossier.province_code, deciding_unit=deciding_unit, dossier_id=dossier.id,
                 decision_number=data["decision_number"], decision_date=decided_on, signer=data["signer"],
                 valid_until=valid_until, recorded_at=uow.clock.now())
        for candidate in candidates])


def recognised_titles(official: Official, uow: UnitOfWork, year: int | None = None,
                      unit_code: str | None = None) -> list[RecognisedTitle]:
    """Titles recognised under `unit_code` (default: the official's unit), which must lie within the official's unit."""
    with uow:
        unit = _unit_in_reach(uow, official, unit_code)
        return [_recognised(row) for row in uow.titles.under(unit, year)]


def certificate(title_id: int, official: Official, uow: UnitOfWork) -> tuple[str, bytes]:
    """The certificate (file name, PDF) of one recognised subject within the official's reach."""
    with uow:
        row = uow.titles.get(title_id)
        if row is None:
            raise NotFound(f"Không có danh hiệu số {title_id}.")
        _unit_in_reach(uow, official, row.branch_code)
        names = Issuer(*(uow.units.get(code).name for code in (row.province_code, row.commune_code, row.branch_code)))
        return f"giay-cong-nhan-{row.year}-{row.id}.pdf", certificate_pdf(_recognised(row), names)


def _recognised(row: TitleRow) -> RecognisedTitle:
    return RecognisedTitle(id=row.id, title=row.title, subject_name=row.subject_name, score=row.score, year=row.year,
                           branch_code=row.branch_code, commune_code=row.commune_code,
                           province_code=row.province_code, dossier_id=row.dossier_id,
                           decision_number=row.decision_number, decision_date=row.decision_date,
                           signer=row.signer, valid_until=row.valid_until)


def title_counts(official: Official, uow: UnitOfWork, year: int | None = None,
                 unit_code: str | None = None) -> list[TitleCount]:
    """How many titles each commune got, per year and title, under a unit within the official's reach."""
    with uow:
        unit = _unit_in_reach(uow, official, unit_code)
        return [TitleCount(*row) for row in uow.titles.counts_under(unit, year)]


def _unit_in_reach(uow: UnitOfWork, official: Official, unit_code: str | None) -> UnitRow:
    unit = uow.units.get(unit_code or official.unit_code)
    if unit is None:
        raise UnitNotFound(unit_code)
    if not _within(uow, unit, official):
        raise Forbidden(f"Đơn vị {unit.code} nằm ngoài phạm vi của bạn.")
    return unit


def _within(uow: UnitOfWork, unit: UnitRow, official: Official) -> bool:
    if official.role in (Role.MINISTRY, Role.ADMIN):
        return True
    if official.role not in (Role.PROVINCE, Role.COMMUNE, Role.BRANCH):
        return False
    current = unit
    while current is not None:
        if current.code == official.unit_code:
            return True
        current = uow.units.get(current.parent_code) if current.parent_code else None
    return False
