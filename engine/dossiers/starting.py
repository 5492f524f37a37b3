"""Use cases that open a dossier: which processes an official may start, and starting one."""
from dataclasses import dataclass

from engine.dossiers import step_runner
from engine.dossiers.forms import unknown_fields
from engine.dossiers.viewing import open_task
from engine.errors import Forbidden, InvalidInput, ProcessNotFound
from engine.model import (BRANCH_KIND_LABELS, ROLE_LABELS, ROLE_LEVEL, TITLE_LABELS, UNIT_LEVEL_LABELS, BranchKind,
                          Official, OpenTask, ProcessInfo, Role, Title)
from engine.recognition.subjects import STARTER_KINDS
from engine.storage.tables import ProcessVersionRow, UnitRow
from engine.storage.unit_of_work import UnitOfWork

START_FIELDS = {"year", "name", "title"}
# The roles whose units propose titles (branches and learning units, communes): the menu offers them the page that
# opens a dossier; the page itself lists what the unit may open.
PROPOSERS = (Role.BRANCH, Role.COMMUNE)


def startable_processes(official: Official, uow: UnitOfWork) -> list[ProcessInfo]:
    """The latest version of each process the official's unit may open: its start lane is the official's role
    and, for a branch, the process accepts its kind."""
    with uow:
        return startable_in(uow, official)


def startable_in(uow: UnitOfWork, official: Official,
                 latest: list[ProcessVersionRow] | None = None) -> list[ProcessInfo]:
    """startable_processes inside the caller's transaction (`latest`: each process's latest version, if read)."""
    unit = uow.units.get(official.unit_code)
    return [ProcessInfo(v.process_id, v.name, v.version, tuple(v.title.split()))
            for v in (uow.processes.latest_of_each() if latest is None else latest)
            if v.starter_role == official.role and _starter_refusal(v, unit) is None]


@dataclass(frozen=True)
class Started:
    id: int
    open_tasks: tuple[OpenTask, ...]


def start_dossier(process_id: str, official: Official, data: dict, uow: UnitOfWork) -> Started:
    """Open a dossier for the official's unit on the latest version of a process: the year always named, the title
    too unless the process offers only one. An empty `process_id` is no choice made (the page chooses a process and
    its title in one field): refused as a missing title."""
    with uow:
        if not process_id:
            _start_values(data, uow.clock.now().year, ())
        version = uow.processes.latest(process_id)
        if version is None:
            raise ProcessNotFound(process_id)
        if version.starter_role != official.role:
            raise Forbidden(f"Tài khoản {ROLE_LABELS[official.role]} không mở được hồ sơ '{version.name}'.")
        proposer = uow.units.get(official.unit_code)
        refusal = _starter_refusal(version, proposer)
        if refusal:
            raise Forbidden(refusal)
        values = _start_values(data, uow.clock.now().year, tuple(version.title.split()))
        dossier, opened = step_runner.start(uow, official, version, proposer, values)
        uow.commit()
        return Started(dossier.id, tuple(open_task(task, dossier.title, version.process_id) for task in opened))


def _starter_refusal(version: ProcessVersionRow, unit: UnitRow | None) -> str | None:
    """Why this unit may not open a dossier of this process (its level, or its kind of branch), or None."""
    if "report" in version.properties:
        return f"Hồ sơ '{version.name}' tự mở khi Bộ mở kỳ báo cáo."
    level = ROLE_LEVEL[Role(version.starter_role)]
    if unit is None or unit.level != level:
        return f"Chỉ tài khoản của một {UNIT_LEVEL_LABELS[level]} mới mở được hồ sơ '{version.name}'."
    kinds = version.properties.get(STARTER_KINDS, "").split()
    if kinds and unit.kind not in kinds:
        allowed = ", ".join(BRANCH_KIND_LABELS[BranchKind(kind)] for kind in kinds)
        return f"Hồ sơ '{version.name}' chỉ do Ban khuyến học của: {allowed} lập."
    return None


def _start_values(data: dict, this_year: int, titles: tuple[str, ...]) -> dict:
    """The opening's values, or every field that is wrong. No silent default but one: a process offering a single
    title opens it (as programs have always called it). No titles: no process chosen, always refused."""
    errors = unknown_fields(sorted(set(data) - START_FIELDS),
                            "Trường này không dùng khi mở hồ sơ (chỉ có: year, name, title).", "form")
    title = data.get("title", titles[0] if len(titles) == 1 else None)
    if title not in titles:
        choices = ", ".join(f"{t} ({TITLE_LABELS[Title(t)]})" for t in titles)
        errors["title"] = "Chọn danh hiệu đề nghị" + (f", một trong: {choices}." if titles else ".")
    year = data.get("year")
    if year is None:
        errors["year"] = f"Cần năm đề nghị, từ 2000 đến {this_year + 1}."
    elif not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= this_year + 1:
        errors["year"] = f"Năm phải là số nguyên từ 2000 đến {this_year + 1}."
    name = data.get("name", "")
    if not isinstance(name, str) or len(name) > 200:
        errors["name"] = "Tên hồ sơ tối đa 200 ký tự."
    if errors:
        raise InvalidInput(errors)
    return {"year": year, "name": name.strip(), "title": title}
