"""Use cases on officials' accounts: create one, check a password."""
from engine.errors import InvalidInput, UnitNotFound
from engine.model import MINISTRY_CODE, ROLE_LEVEL, Official, Role
from engine.organisation.passwords import check_password, hash_password, password_problem
from engine.storage.tables import UserRow
from engine.storage.unit_of_work import UnitOfWork

_DUMMY_HASH = hash_password("not a password anyone has")


def create_user(username: str, password: str, role: str, unit_code: str | None, uow: UnitOfWork,
                full_name: str = "") -> Official:
    """Create an official's account; the unit must be of the role's level (ministry roles default to the ministry)."""
    errors = {}
    if not username.strip() or len(username) > 80:
        errors["username"] = "Tên đăng nhập phải có từ 1 đến 80 ký tự."
    problem = password_problem(password, username)
    if problem:
        errors["password"] = problem
    if role not in set(Role):
        errors["role"] = "Vai trò phải là một trong: " + ", ".join(Role) + "."
    if errors:
        raise InvalidInput(errors)
    role = Role(role)
    unit_code = unit_code or (MINISTRY_CODE if ROLE_LEVEL[role] == "ministry" else None)
    if unit_code is None:
        raise InvalidInput({"unit": f"Vai trò {role} cần mã đơn vị (--unit)."})
    with uow:
        unit = uow.units.get(unit_code)
        if unit is None:
            raise UnitNotFound(unit_code)
        if unit.level != ROLE_LEVEL[role]:
            raise InvalidInput({"unit": f"Vai trò {role} phải thuộc đơn vị cấp {ROLE_LEVEL[role]}, "
                                        f"còn {unit_code} là cấp {unit.level}."})
        if uow.users.get(username) is not None:
            raise InvalidInput({"username": f"Tên đăng nhập '{username}' đã có."})
        uow.users.add(UserRow(username=username, password_hash=hash_password(password), role=role,
                              unit_code=unit_code, full_name=full_name, created_at=uow.clock.now()))
        uow.commit()
    return Official(username, role, unit_code)


def authenticate(username: str, password: str, uow: UnitOfWork) -> Official | None:
    """The official if the password matches, else None (the same answer for an unknown user)."""
    with uow:
        user = uow.users.get(username)
        # An unknown name costs the same hashing as a wrong password, so timing does not reveal accounts.
        if not check_password(user.password_hash if user else _DUMMY_HASH, password) or user is None:
            return None
        return Official(user.username, Role(user.role), user.unit_code)


def find_official(username: str, uow: UnitOfWork) -> Official | None:
    with uow:
        user = uow.users.get(username)
        return Official(user.username, Role(user.role), user.unit_code) if user else None
