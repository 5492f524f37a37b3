"""Queries on units and accounts."""


from sqlalchemy import Row, bindparam, func, select, update

from engine.model import UnitLevel
from engine.storage.repositories.base import Repository
from engine.storage.tables import ApiTokenRow, SignInRow, UnitRow, UserRow


class UnitRepository(Repository[UnitRow]):
    row = UnitRow

    def commune_counts(self) -> dict[str, int]:
        """How many communes each province has."""
        query = (select(UnitRow.parent_code, func.count()).where(UnitRow.level == UnitLevel.COMMUNE)
                 .group_by(UnitRow.parent_code))
        return dict(self.session.execute(query).all())

    def provinces(self) -> list[UnitRow]:
        return list(self.session.scalars(select(UnitRow).where(UnitRow.level == UnitLevel.PROVINCE)
                                         .order_by(UnitRow.code)))

    def communes_of(self, province_code: str) -> list[UnitRow]:
        query = select(UnitRow).where(UnitRow.parent_code == province_code, UnitRow.level == UnitLevel.COMMUNE)
        return list(self.session.scalars(query.order_by(UnitRow.code)))

    def branches_of(self, commune_code: str) -> list[UnitRow]:
        query = select(UnitRow).where(UnitRow.parent_code == commune_code, UnitRow.level == UnitLevel.BRANCH)
        return list(self.session.scalars(query.order_by(UnitRow.code)))

    def names(self, codes: list[str] | None = None) -> list[tuple[str, str, str]]:
        """(code, name, level) of the units with these codes, or of every unit."""
        query = select(UnitRow.code, UnitRow.name, UnitRow.level)
        return [tuple(row) for row in self.session.execute(query if codes is None else
                                                           query.where(UnitRow.code.in_(codes)))]


class UserRepository(Repository[UserRow]):
    row = UserRow

    def get(self, username: str) -> UserRow | None:
        return self.session.scalar(select(UserRow).where(UserRow.username == username))

    def signed_in(self, sign_in_id: str) -> UserRow | None:
        """The enabled account a live session belongs to."""
        return self.session.scalar(select(UserRow).join(SignInRow, SignInRow.user_id == UserRow.id).where(
            SignInRow.id == sign_in_id, SignInRow.revoked_at.is_(None), UserRow.disabled_at.is_(None)))

    def sign_in(self, sign_in_id: str) -> SignInRow | None:
        return self.session.get(SignInRow, sign_in_id)

    def add_sign_in(self, sign_in: SignInRow) -> None:
        self.session.add(sign_in)

    def revoke_sign_ins(self, user_id: int, at, keep: str | None = None) -> None:
        """End the account's live sessions, but `keep`."""
        query = update(SignInRow).where(SignInRow.user_id == user_id, SignInRow.revoked_at.is_(None))
        self.session.execute((query.where(SignInRow.id != keep) if keep else query).values(revoked_at=at))

    def names_other_than(self, usernames: list[str], limit: int) -> list[str]:
        """Up to `limit` accounts whose name is not one of `usernames`."""
        query = select(UserRow.username).where(UserRow.username.not_in(usernames))
        return list(self.session.scalars(query.order_by(UserRow.username).limit(limit)))


# A program's every request reads its token: the statement is built once, and reads only what the check needs
# (no ORM objects to build, no password hash fetched).
_CREDENTIALS = (select(ApiTokenRow.scopes, ApiTokenRow.secret_hash, ApiTokenRow.expires_at, ApiTokenRow.revoked_at,
                       ApiTokenRow.last_used_at, UserRow.username, UserRow.role, UserRow.unit_code,
                       UserRow.disabled_at)
                .join(UserRow, UserRow.id == ApiTokenRow.user_id).where(ApiTokenRow.id == bindparam("token_id")))
_TOUCH = update(ApiTokenRow).where(ApiTokenRow.id == bindparam("token_id")).values(last_used_at=bindparam("at"))


class TokenRepository(Repository[ApiTokenRow]):
    row = ApiTokenRow

    def credentials(self, token_id: int) -> Row | None:
        """What checking a token needs: its scopes, secret's hash, expiry, revocation and last use, and its owner's
        username, role, unit and whether the account is disabled."""
        return self.session.execute(_CREDENTIALS, {"token_id": token_id}).first()

    def touch(self, token_id: int, at) -> None:
        self.session.execute(_TOUCH, {"token_id": token_id, "at": at})

    def with_owner(self, token_id: int) -> tuple[ApiTokenRow, UserRow] | None:
        found = self.session.execute(select(ApiTokenRow, UserRow).join(UserRow, UserRow.id == ApiTokenRow.user_id)
                                     .where(ApiTokenRow.id == token_id)).first()
        return tuple(found) if found else None

    def listed(self, username: str | None) -> list[tuple[ApiTokenRow, UserRow]]:
        """Tokens with their owner, newest first: one account's, or every one's (None)."""
        query = select(ApiTokenRow, UserRow).join(UserRow, UserRow.id == ApiTokenRow.user_id)
        if username is not None:
            query = query.where(UserRow.username == username)
        return [tuple(row) for row in self.session.execute(query.order_by(ApiTokenRow.id.desc()))]
