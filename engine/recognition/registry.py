"""The registry of recognised titles: recording an approved dossier's subjects, and reading them back
as far as the official's unit reaches."""
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from engine.clock import today_in_vietnam
from engine.dossiers.service_call import ServiceCall
from engine.errors import Conflict, Forbidden, InvalidInput, NotFound, UnitNotFound, WorkflowFailed
from engine.model import TITLE_LABELS, Official, RecognisedTitle, RecognitionDecisionView, Role
from engine.recognition.certificates import Issuer, certificate_pdf, certificates_pdf
from engine.recognition.subjects import CANDIDATES, SUBJECT_PROPERTY, check_subjects, subjects_of
from engine.storage.tables import DossierRow, RecognitionDecisionRow, TitleRow, UnitRow
from engine.storage.unit_of_work import UnitOfWork

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


def record_titles(call: ServiceCall) -> None:
    """The recognised subjects of an approved dossier enter the registry of titles under their recognition
    decision; `deciding_level` (the diagram's parameter) says whose decision it was."""
    uow, dossier, params = call.uow, call.dossier, call.params
    data = dossier.data
    version = uow.processes.get(dossier.process_version_id)
    subjects = subjects_of(uow, version.properties.get(SUBJECT_PROPERTY, CANDIDATES), dossier, data)
    check_subjects(uow, dossier, subjects)
    deciding_unit = {"province": dossier.province_code, "commune": dossier.commune_code}.get(
        params.get("deciding_level", "province"))
    if deciding_unit is None:
        raise WorkflowFailed(f"Cấp quyết định '{params['deciding_level']}' không hợp lệ (province hoặc commune).")
    decision = _recognition_decision(uow, dossier, deciding_unit, data)
    valid_until = date(dossier.year + VALIDITY_YEARS[dossier.title], 12, 31)
    uow.titles.insert_all([
        dict(title=dossier.title, subject_name=subject.name, subject_key=subject.key, score=subject.score,
             level=subject.level, year=dossier.year, branch_code=dossier.branch_code,
             commune_code=dossier.commune_code, province_code=dossier.province_code, deciding_unit=deciding_unit,
             dossier_id=dossier.id, decision_id=decision.id, decision_number=decision.number,
             decision_date=decision.decided_on, signer=f"{decision.signer_name}, {decision.signer_office}",
             valid_until=valid_until, recorded_at=uow.clock.now())
        for subject in subjects])


def _signer(data: dict) -> tuple[str, str]:
    """(name, office) of the signer; approvals on process versions from before the office had its own field
    wrote both as "name, office"."""
    if "signer_office" in data:
        return " ".join(data["signer"].split()), " ".join(data["signer_office"].split())
    name, _, office = data["signer"].partition(",")
    return " ".join(name.split()), " ".join(office.split())


def _recognition_decision(uow: UnitOfWork, dossier: DossierRow, deciding_unit: str,
                          data: dict) -> RecognitionDecisionRow:
    """The decision the approval quotes: a new one, or one the same unit issued under that number this year
    (a province recognises many dossiers in one decision), which must then agree on date, signer and title."""
    number = " ".join(data["decision_number"].split())
    decided_on = date.fromisoformat(data["decision_date"])
    if decided_on > today_in_vietnam(uow.clock):
        raise InvalidInput({"decision_date": "Ngày quyết định không được sau hôm nay."})
    signer_name, signer_office = _signer(data)
    existing = uow.decisions.by_number(deciding_unit, number, decided_on.year)
    if existing is None:
        decision = RecognitionDecisionRow(deciding_unit=deciding_unit, number=number, year=decided_on.year,
                                          decided_on=decided_on, signer_name=signer_name,
                                          signer_office=signer_office, title=dossier.title,
                                          created_at=uow.clock.now())
        if not uow.decisions.add(decision):
            raise Conflict(f"Quyết định số {number} vừa được ghi bởi một hồ sơ khác cùng lúc; hãy gửi lại.")
        return decision
    if (existing.decided_on, existing.signer_name, existing.signer_office, existing.title) != \
            (decided_on, signer_name, signer_office, dossier.title):
        raise InvalidInput({"decision_number": (
            f"Quyết định số {number} năm {decided_on.year} đã có: ngày {existing.decided_on:%d/%m/%Y}, "
            f"{existing.signer_office} {existing.signer_name} ký, danh hiệu "
            f"{TITLE_LABELS.get(existing.title, existing.title)}. Nhập đúng quyết định đó hoặc một số khác.")})
    return existing


def recognised_titles(official: Official, uow: UnitOfWork, year: int | None = None,
                      unit_code: str | None = None) -> list[RecognisedTitle]:
    """Titles recognised under `unit_code` (default: the official's unit), which must lie within the official's unit."""
    with uow:
        unit = unit_in_reach(uow, official, unit_code)
        return [recognised(row) for row in uow.titles.under(unit, year)]


def expiring_titles(official: Official, uow: UnitOfWork, year: int | None = None,
                    unit_code: str | None = None) -> list[RecognisedTitle]:
    """Titles under a unit within reach whose validity ends in `year` (default: this year) and that no later
    recognition of the same subject has renewed: the subjects to re-evaluate (re-recognition) before they lapse."""
    this_year = today_in_vietnam(uow.clock).year
    year = this_year if year is None else year
    if not 2000 <= year <= this_year + 5:
        raise InvalidInput({"year": f"Năm hết hạn phải từ 2000 đến {this_year + 5}."})
    with uow:
        unit = unit_in_reach(uow, official, unit_code)
        return [recognised(row) for row in uow.titles.expiring_under(unit, date(year, 1, 1), date(year, 12, 31))]


def certificate(title_id: int, official: Official, uow: UnitOfWork) -> tuple[str, bytes]:
    """The certificate (file name, PDF) of one recognised subject within the official's reach; a title out of reach
    is answered as one that does not exist, naming no unit."""
    with uow:
        row = uow.titles.get(title_id)
        if row is None or not _within(uow, uow.units.get(row.branch_code), official):
            raise NotFound(f"Không có danh hiệu số {title_id}.")
        return f"giay-cong-nhan-{row.year}-{row.id}.pdf", certificate_pdf(recognised(row), _issuer(uow, row))


def decision_certificates(decision_id: int, official: Official, uow: UnitOfWork) -> tuple[str, bytes]:
    """Every certificate of a recognition decision within the official's reach, one page each, as one PDF to print
    (file name, PDF): a batch job makes it, a decision may recognise thousands."""
    with uow:
        rows = decision_titles(uow, decision_id, official)
        return f"giay-cong-nhan-qd-{decision_id}.pdf", certificates_pdf((recognised(row), _issuer(uow, row))
                                                                         for row in rows)


def _issuer(uow: UnitOfWork, row: TitleRow) -> Issuer:
    decision = uow.decisions.get(row.decision_id)
    place = ", ".join(uow.units.get(code).name
                      for code in dict.fromkeys((row.branch_code, row.commune_code, row.province_code)))
    return Issuer(uow.units.get(row.deciding_unit).name, place, decision.signer_office, decision.signer_name)


def recognition_decision(decision_id: int, official: Official, uow: UnitOfWork) -> RecognitionDecisionView:
    """A recognition decision with its subjects, as far as the official's unit reaches: the deciding unit's
    officials (and those above) see every subject, a commune or branch only its own."""
    with uow:
        decision = uow.decisions.get(decision_id)
        subjects = decision_titles(uow, decision_id, official)
        return RecognitionDecisionView(
            id=decision.id, number=decision.number, decided_on=decision.decided_on,
            deciding_unit=decision.deciding_unit, signer_name=decision.signer_name,
            signer_office=decision.signer_office, title=decision.title,
            subjects=tuple(recognised(row) for row in subjects))


def decision_titles(uow: UnitOfWork, decision_id: int, official: Official) -> list[TitleRow]:
    """The decision's titles within the official's reach (in the caller's transaction); none is answered as a
    decision that does not exist."""
    rows = [row for row in uow.titles.of_decision(decision_id) if _within(uow, uow.units.get(row.branch_code),
                                                                          official)]
    if not rows:
        raise NotFound(f"Không có quyết định công nhận số {decision_id} trong phạm vi của bạn.")
    return rows


def recognised(row: TitleRow) -> RecognisedTitle:
    return RecognisedTitle(id=row.id, title=row.title, subject_name=row.subject_name, score=row.score, year=row.year,
                           branch_code=row.branch_code, commune_code=row.commune_code,
                           province_code=row.province_code, dossier_id=row.dossier_id,
                           decision_number=row.decision_number, decision_date=row.decision_date,
                           signer=row.signer, valid_until=row.valid_until, level=row.level,
                           decision_id=row.decision_id)


@dataclass(frozen=True)
class RegistryView:
    titles: list[RecognisedTitle]
    counts: list[TitleCount]


def registry_view(official: Official, uow: UnitOfWork, year: int | None = None,
                  unit_code: str | None = None) -> RegistryView:
    """The registry page under a unit within reach: its titles and how many each commune got, in one transaction."""
    with uow:
        unit = unit_in_reach(uow, official, unit_code)
        return RegistryView([recognised(row) for row in uow.titles.under(unit, year)],
                            [TitleCount(*row) for row in uow.titles.counts_under(unit, year)])


def title_counts(official: Official, uow: UnitOfWork, year: int | None = None,
                 unit_code: str | None = None) -> list[TitleCount]:
    """How many titles each commune got, per year and title, under a unit within the official's reach."""
    with uow:
        unit = unit_in_reach(uow, official, unit_code)
        return [TitleCount(*row) for row in uow.titles.counts_under(unit, year)]


def titles_streamed(official: Official, uow: UnitOfWork, year: int | None = None,
                    unit_code: str | None = None) -> Iterator[RecognisedTitle]:
    """Titles under a unit within reach as the database streams them, in one transaction held while they are read:
    an export of any size holds a batch of rows at a time, never all of them."""
    with uow:
        unit = unit_in_reach(uow, official, unit_code)
        for row in uow.titles.streamed_under(unit, year):
            yield recognised(row)


def unit_in_reach(uow: UnitOfWork, official: Official, unit_code: str | None) -> UnitRow:
    """The unit (the official's own by default), refused when outside the official's reach (in the caller's
    transaction)."""
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
