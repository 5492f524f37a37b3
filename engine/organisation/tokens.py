"""Use cases on tokens for programs: an official (or an administrator, for a service account) creates a named token
with a scope and an expiry, sees its secret once, lists the tokens with their last use, revokes one; a program's
request is checked against it without any slow password hash."""
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from engine.errors import Forbidden, InvalidInput, NotFound
from engine.model import DEPLOYERS, Official, Role
from engine.organisation.passwords import secret_hash
from engine.storage.tables import ApiTokenRow, UserRow
from engine.storage.unit_of_work import UnitOfWork

# read: GET the API; act: also start dossiers and complete tasks; deploy: send diagrams (designers, administrators).
SCOPES = ("read", "act", "deploy")
MAX_DAYS = 366
PREFIX = "lmt_"
# The last use is written at most this often, so a busy script does not write on every request.
LAST_USE_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class TokenInfo:
    id: int
    name: str
    username: str
    scopes: tuple[str, ...]
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked: bool


@dataclass(frozen=True)
class NewToken:
    info: TokenInfo
    secret: str  # shown once: `Authorization: Bearer <secret>`


def create_token(official: Official, name: str, scopes: list[str], days: int, uow: UnitOfWork,
                 for_username: str | None = None) -> NewToken:
    """A token of the official's own, or, by an administrator, of a service account `for_username`."""
    _check_request(name, scopes, days)
    with uow:
        owner = uow.users.get(for_username or official.username)
        if owner is None or owner.disabled_at is not None:
            raise NotFound(f"Không có tài khoản '{for_username or official.username}' (hoặc tài khoản đã bị khoá).")
        if owner.username != official.username and official.role != Role.ADMIN:
            raise Forbidden("Chỉ quản trị mới tạo được mã truy cập cho tài khoản khác.")
        if "deploy" in scopes and Role(owner.role) not in DEPLOYERS:
            raise InvalidInput({"scopes": "Chỉ tài khoản thiết kế quy trình hoặc quản trị mới có quyền deploy."})
        secret, now = secrets.token_urlsafe(32), uow.clock.now()
        row = ApiTokenRow(user_id=owner.id, name=name.strip(), scopes=" ".join(s for s in SCOPES if s in scopes),
                          secret_hash=secret_hash(secret), created_by=official.username, created_at=now,
                          expires_at=now + timedelta(days=days))
        uow.tokens.add(row)
        uow.session.flush()
        uow.commit()
        return NewToken(_info(row, owner), f"{PREFIX}{row.id}_{secret}")


def list_tokens(official: Official, uow: UnitOfWork) -> list[TokenInfo]:
    """The official's tokens (an administrator: everyone's), newest first."""
    with uow:
        rows = uow.tokens.listed(None if official.role == Role.ADMIN else official.username)
        return [_info(token, user) for token, user in rows]


def revoke_token(official: Official, token_id: int, uow: UnitOfWork) -> None:
    """End a token at once (the official's own; an administrator's: anyone's)."""
    with uow:
        found = uow.tokens.with_owner(token_id)
        if found is None or (found[1].username != official.username and official.role != Role.ADMIN):
            raise NotFound(f"Không có mã truy cập số {token_id}.")
        found[0].revoked_at = found[0].revoked_at or uow.clock.now()
        uow.commit()


def verify_token(presented: str, accepted: tuple[str, ...], uow: UnitOfWork) -> Official | None:
    """The official a live token with one of the `accepted` scopes belongs to, else None (the same answer for any
    reason: unknown, wrong secret, expired, revoked, disabled account, scope)."""
    token_id, secret = _parts(presented)
    if token_id is None:
        return None
    with uow.reading():
        token = uow.tokens.credentials(token_id)
        if token is None:
            return None
        now = uow.clock.now()
        alive = token.revoked_at is None and token.expires_at > now and token.disabled_at is None
        in_scope = bool(set(accepted) & set(token.scopes.split()))
        if not (hmac.compare_digest(token.secret_hash, secret_hash(secret)) and alive and in_scope):
            return None
        if token.last_used_at is None or now - token.last_used_at > LAST_USE_EVERY:
            uow.tokens.touch(token_id, now)
            uow.commit()
        return Official(token.username, Role(token.role), token.unit_code)


def _check_request(name: str, scopes: list[str], days: int) -> None:
    errors = {}
    if not name.strip() or len(name) > 100:
        errors["name"] = "Tên mã truy cập có từ 1 đến 100 ký tự (để biết chương trình nào dùng nó)."
    if not scopes or any(scope not in SCOPES for scope in scopes):
        errors["scopes"] = "Phạm vi là một hay nhiều trong: " + ", ".join(SCOPES) + "."
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        errors["days"] = f"Thời hạn từ 1 đến {MAX_DAYS} ngày."
    if errors:
        raise InvalidInput(errors)


def _parts(presented: str) -> tuple[int | None, str]:
    body = presented.removeprefix(PREFIX) if presented.startswith(PREFIX) else ""
    token_id, _, secret = body.partition("_")
    return (int(token_id), secret) if token_id.isdigit() and len(token_id) < 12 and secret else (None, "")



def _info(token: ApiTokenRow, user: UserRow) -> TokenInfo:
    return TokenInfo(token.id, token.name, user.username, tuple(token.scopes.split()), token.created_at,
                     token.expires_at, token.last_used_at, token.revoked_at is not None)
