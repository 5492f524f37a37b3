"""Use cases on administrative units: the official list of provinces and communes, and the branches communes create."""
from vietnam_provinces import Province, Ward

from engine.errors import Forbidden, InvalidInput, UnitNotFound
from engine.model import MINISTRY_CODE, BranchKind, Official, Role, UnitLevel
from engine.storage.tables import UnitRow
from engine.storage.unit_of_work import UnitOfWork, commit_or_conflict

MINISTRY_NAME = "Bộ Giáo dục và Đào tạo"


def province_code(number: int) -> str:
    return f"{number:02d}"


def commune_code(number: int) -> str:
    return f"{number:05d}"


def load_administrative_units(uow: UnitOfWork) -> int:
    """Insert the ministry, the 34 provinces and 3,321 communes of `vietnam-provinces` if missing; return how many were added."""
    with uow:
        if uow.units.get(MINISTRY_CODE) is not None:
            return 0
        rows = [UnitRow(code=MINISTRY_CODE, name=MINISTRY_NAME, level=UnitLevel.MINISTRY)]
        for province in Province.iter_all():
            code = province_code(province.code.value)
            rows.append(UnitRow(code=code, name=province.name, level=UnitLevel.PROVINCE,
                                parent_code=MINISTRY_CODE, province_code=code))
        for ward in Ward.iter_all():
            code = province_code(ward.province_code.value)
            rows.append(UnitRow(code=commune_code(ward.code.value), name=ward.name, level=UnitLevel.COMMUNE,
                                parent_code=code, province_code=code))
        uow.units.add_all(rows)
        uow.commit()
        return len(rows)


def add_branch(commune: str, name: str, uow: UnitOfWork, by: Official | None = None,
               kind: str = BranchKind.VILLAGE) -> str:
    """Create a branch under a commune and return its code (commune code, dash, number); `by` None means the CLI.
    `kind` says whether it is a village's chi hội or the Ban khuyến học of a learning unit."""
    name = name.strip()
    if not name:
        raise InvalidInput({"name": "Bắt buộc nhập tên chi hội."})
    if kind not in set(BranchKind):
        raise InvalidInput({"kind": f"Loại chi hội phải là một trong: {', '.join(BranchKind)}."})
    if by is not None and not (by.role == Role.ADMIN or (by.role == Role.COMMUNE and by.unit_code == commune)):
        raise Forbidden("Chỉ xã hoặc quản trị mới được lập chi hội của xã.")
    with uow:
        parent = uow.units.get(commune)
        if parent is None or parent.level != UnitLevel.COMMUNE:
            raise UnitNotFound(commune)
        existing = uow.units.branches_of(commune)
        if any(branch.name.casefold() == name.casefold() for branch in existing):
            raise InvalidInput({"name": f"Xã đã có chi hội tên '{name}'."})
        number = max((int(branch.code.rsplit("-", 1)[1]) for branch in existing), default=0) + 1
        code = f"{commune}-{number:02d}"
        uow.units.add(UnitRow(code=code, name=name, level=UnitLevel.BRANCH, parent_code=commune,
                              province_code=parent.province_code, kind=kind))
        commit_or_conflict(uow, "Một chi hội khác vừa được lập cùng lúc; hãy thử lại.")
        return code


def unit_labels(uow: UnitOfWork, codes: list[str] | None = None) -> dict[str, str]:
    """The units as officials read them, by code ("Tỉnh Cao Bằng", "Phường Hoàn Kiếm"): of `codes`, or every unit."""
    with uow.reading():
        return {code: unit_label(name, level) for code, name, level in uow.units.names(codes)}


def unit_label(name: str, level: str) -> str:
    """A unit's name with its kind where the name leaves it out: the official list names a province "Cao Bằng" but
    a city "Thành phố Hà Nội"; communes and branches carry theirs ("Phường …", "Chi hội …", "Trường …")."""
    if level == UnitLevel.PROVINCE and not name.startswith(("Tỉnh", "Thành phố")):
        return f"Tỉnh {name}"
    return name


def branches_of_my_commune(official: Official, uow: UnitOfWork) -> list[tuple[str, str, str]]:
    """The branches (code, name, kind) of the commune official's own commune."""
    if official.role != Role.COMMUNE:
        raise Forbidden("Chỉ cán bộ xã mới quản lý chi hội của xã.")
    with uow:
        return [(branch.code, branch.name, branch.kind) for branch in uow.units.branches_of(official.unit_code)]
