"""Who a dossier proposes for recognition, and what must hold before it may: a subject holds a title once a year
and not again while an earlier recognition still stands (bảo lưu); level 2 only after 12 months at level 1;
a learning unit's share of members holding Công dân học tập is read from the registry, never typed in."""
import calendar
import unicodedata
from dataclasses import dataclass
from datetime import date

from engine.clock import today_in_vietnam
from engine.errors import InvalidInput
from engine.model import BranchKind, Title
from engine.storage.tables import DossierRow, TitleRow
from engine.storage.unit_of_work import UnitOfWork

# Process property saying who the dossier's subjects are (`candidates` when absent).
SUBJECT_PROPERTY = "subject"
CANDIDATES = "candidates"  # the list the branch proposes: households, clans, villages
CITIZEN = "citizen"  # one person, registered by their branch
PROPOSER = "proposer"  # the proposing unit itself: a commune (community) or a learning unit
SUBJECTS = (CANDIDATES, CITIZEN, PROPOSER)
# Process property limiting which kinds of branch may open its dossiers (any branch when absent).
STARTER_KINDS = "starter_kinds"
LEVEL_TWO_AFTER_MONTHS = 12


# The form field whose presence says a submission proposes subjects (the others decide or comment).
_PROPOSING_FIELD = {CANDIDATES: "candidates", CITIZEN: "id_number", PROPOSER: "level"}


def proposes(kind: str, values: dict) -> bool:
    return _PROPOSING_FIELD[kind] in values


@dataclass(frozen=True)
class Subject:
    key: str  # who, however the name was typed: see subject_key
    name: str
    score: float | None
    level: int | None
    field: str  # the form field a refusal points at


def subject_key(branch_code: str, name: str) -> str:
    """A household, clan or village as the registry knows it: its branch and its name, however it was typed."""
    return f"{branch_code}:" + unicodedata.normalize("NFC", " ".join(name.split())).casefold()


def subjects_of(uow: UnitOfWork, kind: str, dossier: DossierRow, data: dict) -> list[Subject]:
    """The subjects a dossier's data proposes."""
    if kind == CITIZEN:
        return [Subject(f"citizen:{data['id_number']}", data["full_name"], data.get("score"), None, "id_number")]
    if kind == PROPOSER:
        proposer = uow.units.get(dossier.branch_code)
        return [Subject(f"unit:{proposer.code}", proposer.name, None, int(data["level"]), "level")]
    return [Subject(subject_key(dossier.branch_code, c["name"]), c["name"], c.get("score"), None,
                    f"candidates.{index}.name") for index, c in enumerate(data.get("candidates", []))]


def check_subjects(uow: UnitOfWork, dossier: DossierRow, subjects: list[Subject]) -> None:
    """Refuse a subject named twice, one already recognised this year or still holding the title beyond this
    year, and level 2 before 12 months at level 1. The messages name the row and the decision in the way."""
    errors, seen = {}, {}
    held = _by_subject(uow.titles.of_subjects(dossier.title, [s.key for s in subjects]))
    today = today_in_vietnam(uow.clock)
    for index, subject in enumerate(subjects):
        if subject.key in seen:
            errors[subject.field] = f"Trùng với dòng {seen[subject.key] + 1} của danh sách."
        elif message := _standing(held.get(subject.key, []), subject, dossier) or \
                _too_early(held.get(subject.key, []), subject, today):
            errors[subject.field] = message
        seen.setdefault(subject.key, index)
    if errors:
        raise InvalidInput(errors)


def _by_subject(rows: list[TitleRow]) -> dict[str, list[TitleRow]]:
    found: dict[str, list[TitleRow]] = {}
    for row in rows:
        found.setdefault(row.subject_key, []).append(row)
    return found


def _standing(rows: list[TitleRow], subject: Subject, dossier: DossierRow) -> str | None:
    year = dossier.year
    for row in rows:
        if row.branch_code != dossier.branch_code:
            # A citizen recognised through another branch: say so without telling where or by which decision.
            if row.year == year or row.valid_until > date(year, 12, 31):
                return f"Số định danh này đã có danh hiệu còn hiệu lực cho năm {year} ở một đơn vị khác."
            continue
        if row.year == year:
            return f"Đã được công nhận năm {row.year} theo quyết định {row.decision_number}."
        if row.valid_until > date(year, 12, 31) and (row.level or 0) >= (subject.level or 0):
            level = f" mức độ {row.level}" if row.level else ""
            return (f"Đang giữ danh hiệu{level} đến {row.valid_until:%d/%m/%Y} theo quyết định {row.decision_number} "
                    f"(bảo lưu); chỉ đề nghị lại cho năm hết hạn hoặc ở mức độ cao hơn.")
    return None


def _too_early(rows: list[TitleRow], subject: Subject, today: date) -> str | None:
    if subject.level != 2:
        return None
    start = _chain_start([row for row in rows if (row.level or 0) >= 1], today)
    if start is None:
        return (f"Chưa đạt mức độ 1 (hoặc đã hết hạn): mức độ 2 chỉ được đề nghị sau ít nhất "
                f"{LEVEL_TWO_AFTER_MONTHS} tháng đạt mức độ 1.")
    eligible = _months_after(start.decision_date, LEVEL_TWO_AFTER_MONTHS)
    if today < eligible:
        return (f"Mức độ 2 chỉ được đề nghị sau ít nhất {LEVEL_TWO_AFTER_MONTHS} tháng đạt mức độ 1: đạt mức độ 1 "
                f"theo quyết định {start.decision_number} ngày {start.decision_date:%d/%m/%Y}, đủ "
                f"{LEVEL_TWO_AFTER_MONTHS} tháng từ ngày {eligible:%d/%m/%Y}.")
    return None


def _chain_start(rows: list[TitleRow], today: date) -> TitleRow | None:
    """The first recognition of the unbroken run (each renewed before the previous lapsed) that still stands
    today, or None if nothing stands: time at level 1 or above counts from it."""
    standing = [row for row in rows if row.valid_until >= today]
    if not standing:
        return None
    start = min(standing, key=lambda row: row.decision_date)
    for row in sorted(rows, key=lambda row: row.decision_date, reverse=True):
        if row.decision_date < start.decision_date and row.valid_until >= start.decision_date:
            start = row
    return start


def _months_after(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def unit_facts(uow: UnitOfWork, dossier: DossierRow, values: dict) -> dict:
    """What a learning unit's criteria table reads besides the form: its kind, and how many of its members hold a
    valid Công dân học tập title today, counted in the registry, as a share of the members the unit declared."""
    unit = uow.units.get(dossier.branch_code)
    if unit.kind not in (BranchKind.AGENCY, BranchKind.SCHOOL, BranchKind.ENTERPRISE):
        return {}
    holders = uow.titles.count_valid(Title.CITIZEN, unit.code, today_in_vietnam(uow.clock))
    members = values.get("members") or 0
    # The exact share: rounding before the table compares it could lift 96.995 % over 97 %.
    return {"unit_kind": unit.kind, "citizen_holders": holders, "citizen_rate": holders / members if members else 0.0}
