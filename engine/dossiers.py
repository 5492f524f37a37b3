"""Use cases on dossiers: which processes an official may start, start one, read one."""
from dataclasses import dataclass

from engine import attachments, progress
from engine.errors import DossierNotFound, Forbidden, InvalidInput, ProcessNotFound
from engine.model import (BRANCH_KIND_LABELS, ROLE_LEVEL, TITLE_LABELS, UNIT_LEVEL_LABELS, BranchKind, DossierStatus,
                          DossierView, Official, OpenTask, ProcessInfo, Role, Title)
from engine.orm import DossierRow, ProcessVersionRow, UnitRow
from engine.subjects import STARTER_KINDS
from engine.unit_of_work import UnitOfWork

START_FIELDS = {"year", "name", "title"}


def startable_processes(official: Official, uow: UnitOfWork) -> list[ProcessInfo]:
    """The latest version of each process the official's unit may open: its start lane is the official's role
    and, for a branch, the process accepts its kind."""
    with uow:
        unit = uow.units.get(official.unit_code)
        return [ProcessInfo(v.process_id, v.name, v.version, tuple(v.title.split()))
                for v in uow.processes.latest_of_each()
                if v.starter_role == official.role and _starter_refusal(v, unit) is None]


@dataclass(frozen=True)
class Started:
    id: int
    open_tasks: tuple[OpenTask, ...]


def start_dossier(process_id: str, official: Official, data: dict, uow: UnitOfWork) -> Started:
    """Open a dossier for the official's branch on the latest version of a process."""
    with uow:
        version = uow.processes.latest(process_id)
        if version is None:
            raise ProcessNotFound(process_id)
        if version.starter_role != official.role:
            raise Forbidden(f"Vai trò {official.role} không được mở hồ sơ quy trình '{process_id}'.")
        proposer = uow.units.get(official.unit_code)
        refusal = _starter_refusal(version, proposer)
        if refusal:
            raise Forbidden(refusal)
        values = _start_values(data, uow.clock.now().year, version.title.split())
        dossier, opened = progress.open_dossier(uow, version, proposer, values, official)
        uow.commit()
        return Started(dossier.id, tuple(progress.open_task(task, dossier.title, version.process_id) for task in opened))


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


def _start_values(data: dict, this_year: int, titles: list[str]) -> dict:
    unknown = sorted(set(data) - START_FIELDS)
    errors = {field: "Trường này không dùng khi mở hồ sơ (chỉ có: year, name, title)." for field in unknown}
    # Without a choice, the process's first title (the one its name is about).
    title = data.get("title", titles[0])
    if title not in titles:
        errors["title"] = "Chọn danh hiệu đề nghị, một trong: " + ", ".join(
            f"{t} ({TITLE_LABELS[Title(t)]})" for t in titles) + "."
    year = data.get("year", this_year)
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= this_year + 1:
        errors["year"] = f"Năm phải là số nguyên từ 2000 đến {this_year + 1}."
    name = data.get("name", "")
    if not isinstance(name, str) or len(name) > 200:
        errors["name"] = "Tên hồ sơ tối đa 200 ký tự."
    if errors:
        raise InvalidInput(errors)
    return {"year": year, "name": name.strip(), "title": title}


def get_dossier(dossier_id: int, official: Official, uow: UnitOfWork) -> DossierView:
    """A dossier the official's unit may see (its branch, commune, province, or the ministry)."""
    with uow:
        dossier = uow.dossiers.visible(official, dossier_id)
        if dossier is None:
            raise DossierNotFound(dossier_id)
        return dossier_view(uow, dossier)


def dossier_diagram(dossier_id: int, official: Official, uow: UnitOfWork) -> str:
    """The BPMN XML the dossier runs on (its own version), for drawing where it stands."""
    with uow:
        dossier = uow.dossiers.visible(official, dossier_id)
        if dossier is None:
            raise DossierNotFound(dossier_id)
        version = uow.processes.get(dossier.process_version_id)
        return version.files[version.diagram_file]


def dossier_view(uow: UnitOfWork, dossier: DossierRow) -> DossierView:
    version = uow.processes.get(dossier.process_version_id)
    open_tasks = tuple(progress.open_task(task, dossier.title, version.process_id) for task in uow.tasks.open_for_dossier(dossier.id))
    return DossierView(
        id=dossier.id, process=version.process_id, process_name=version.name, process_version=version.version,
        title=dossier.title, status=DossierStatus(dossier.status), year=dossier.year,
        branch_code=dossier.branch_code, commune_code=dossier.commune_code, province_code=dossier.province_code,
        data=dossier.data, open_tasks=open_tasks, history=progress.history(uow, dossier.id),
        created_at=dossier.created_at, updated_at=dossier.updated_at,
        attachments=attachments.attachments_of(uow, dossier.id), trail=tuple(dossier.trail or ()))
