"""The dossiers of an official's unit ("Hồ sơ của đơn vị"): what it proposed or holds, with status and where each
waits; a branch finds here the dossiers it has sent."""
from dataclasses import dataclass
from datetime import datetime

from engine.errors import BAD_PAGE, Forbidden, InvalidInput
from engine.model import ACTING_ROLES, DossierStatus, Official, Role, TaskStatus
from engine.organisation.units import unit_label
from engine.storage.unit_of_work import UnitOfWork

PAGE = 50
MAX_PAGE = 500
# Who has a unit whose dossiers to list: a branch its own, a commune its own and its branches', a province its
# communes', the ministry (and an administrator) every dossier.
LISTERS = (*ACTING_ROLES, Role.ADMIN)


@dataclass(frozen=True)
class Waiting:
    step_name: str
    unit: str  # the unit holding the step, as officials read it ("Tỉnh Cao Bằng", "Phường Hoàn Kiếm")
    since: datetime


@dataclass(frozen=True)
class UnitDossier:
    id: int
    name: str | None
    title: str
    year: int
    status: DossierStatus
    proposer: str  # the proposing unit, as officials read it
    waiting: tuple[Waiting, ...]  # its open steps (none once it has ended)
    updated_at: datetime


@dataclass(frozen=True)
class UnitDossierPage:
    dossiers: list[UnitDossier]
    next_page: str | None  # the cursor of the page after this one (the last dossier's number), None on the last page


def unit_dossiers(official: Official, uow: UnitOfWork, after: str | None = None, size: int = PAGE,
                  status: str | None = None, year: int | None = None) -> UnitDossierPage:
    """A page of the dossiers the official's unit proposed or holds, newest first, narrowed by status and year;
    `after` is a page's next_page."""
    if official.role not in LISTERS:
        raise Forbidden("Tài khoản này không thuộc đơn vị nào có hồ sơ.")
    before = _checked(after, size, status, year)
    with uow.reading():
        rows = uow.dossiers.of_unit(official, size + 1, before, status, year)
        shown = rows[:size]
        waiting = _waiting(uow, [row[0] for row in shown])
        dossiers = [UnitDossier(id_, name, title, year_, DossierStatus(status_), unit_label(proposer, level),
                                tuple(waiting.get(id_, ())), updated_at)
                    for id_, name, title, year_, status_, proposer, level, updated_at in shown]
    return UnitDossierPage(dossiers, str(shown[-1][0]) if len(rows) > size else None)


def _checked(after: str | None, size: int, status: str | None, year: int | None) -> int | None:
    """The page's start (the number the previous page ended before), once every part is one a page could have."""
    errors = {}
    if status and status not in set(DossierStatus):
        errors["status"] = "Trạng thái không có: chọn trong danh sách."
    if year is not None and not 2000 <= year <= 2100:
        errors["year"] = "Năm phải từ 2000 đến 2100."
    if not 1 <= size <= MAX_PAGE:
        errors["size"] = f"Cỡ trang phải từ 1 đến {MAX_PAGE}."
    if after is not None and not (after.isascii() and after.isdigit() and len(after) < 19):
        errors["after"] = BAD_PAGE
    if errors:
        raise InvalidInput(errors)
    return int(after) if after is not None else None


def _waiting(uow: UnitOfWork, dossier_ids: list[int]) -> dict[int, list[Waiting]]:
    """Each dossier's open steps with the unit holding them, by name: one query for the page."""
    waiting: dict[int, list[Waiting]] = {}
    for dossier_id, status, step_name, unit, level, since in uow.tasks.of_dossiers_with_units(dossier_ids):
        if status == TaskStatus.OPEN:
            waiting.setdefault(dossier_id, []).append(Waiting(step_name, unit_label(unit, level), since))
    return waiting
