"""Use cases on officials' accounts: create one, check a password, sessions kept on the server, change a password,
disable an account."""
import secrets
from dataclasses import dataclass

from engine.errors import Forbidden, InvalidInput, NotFound, UnitNotFound
from engine.model import MINISTRY_CODE, ROLE_LEVEL, Official, Role
from engine.organisation.passwords import check_password, hash_password, password_problem, secret_hash
from engine.storage.tables import SignInRow, UserRow
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


@dataclass(frozen=True)
class Session:
    official: Official
    secret: str  # what the browser's cookie keeps; the server keeps only its hash


def sign_in(username: str, password: str, uow: UnitOfWork) -> Session | None:
    """Open a session for an enabled account whose password matches, else None."""
    with uow:
        user = _checked(uow, username, password)
        if user is None:
            return None
        secret = secrets.token_urlsafe(32)
        uow.users.add_sign_in(SignInRow(id=secret_hash(secret), user_id=user.id, created_at=uow.clock.now()))
        uow.commit()
        return Session(_official(user), secret)


def signed_in(secret: str, uow: UnitOfWork) -> Official | None:
    """The official of a live session (not signed out, not ended by a password change, account enabled)."""
    with uow.reading():
        user = uow.users.signed_in(secret_hash(secret))
        return _official(user) if user else None


def sign_out(secret: str, uow: UnitOfWork) -> None:
    """End this session on the server: its cookie, even kept or copied, no longer signs anyone in."""
    with uow:
        row = uow.users.sign_in(secret_hash(secret))
        if row is not None and row.revoked_at is None:
            row.revoked_at = uow.clock.now()
            uow.commit()


def change_password(secret: str, current: str, new: str, uow: UnitOfWork) -> None:
    """The signed-in official changes their password; every other session of the account ends."""
    with uow:
        user = uow.users.signed_in(secret_hash(secret))
        if user is None or not check_password(user.password_hash, current):
            raise InvalidInput({"current_password": "Mật khẩu hiện tại không đúng."})  # nosec B105: a message, no password
        problem = password_problem(new, user.username)
        if problem:
            raise InvalidInput({"new_password": problem})
        user.password_hash = hash_password(new)
        uow.users.revoke_sign_ins(user.id, uow.clock.now(), keep=secret_hash(secret))
        uow.commit()


def disable_account(username: str, by: Official, uow: UnitOfWork) -> None:
    """An administrator disables an account: it signs in no more, by any means, and its sessions end."""
    if by.role != Role.ADMIN:
        raise Forbidden("Chỉ quản trị mới khoá được tài khoản.")
    with uow:
        user = uow.users.get(username)
        if user is None:
            raise NotFound(f"Không có tài khoản '{username}'.")
        user.disabled_at = user.disabled_at or uow.clock.now()
        uow.users.revoke_sign_ins(user.id, uow.clock.now())
        uow.commit()


def _checked(uow: UnitOfWork, username: str, password: str) -> UserRow | None:
    user = uow.users.get(username)
    # An unknown name costs the same hashing as a wrong password, so timing does not reveal accounts.
    matches = check_password(user.password_hash if user else _DUMMY_HASH, password)
    return user if matches and user is not None and user.disabled_at is None else None


def _official(user: UserRow) -> Official:
    return Official(user.username, Role(user.role), user.unit_code)


def active_official(uow: UnitOfWork, username: str) -> Official:
    """The official of an enabled account, as they stand now (in the caller's transaction): work done for them in
    the background runs with their current role and unit, and not at all once the account is disabled."""
    user = uow.users.get(username)
    if user is None or user.disabled_at is not None:
        raise Forbidden(f"Tài khoản '{username}' không còn hoạt động: việc của tài khoản này không chạy nữa.")
    return _official(user)
