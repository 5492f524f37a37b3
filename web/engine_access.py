"""How a request reaches the engine: a fresh unit of work, and the signed-in official."""
from flask import current_app
from flask_login import UserMixin, current_user

from engine.model import Official
from engine.unit_of_work import UnitOfWork


class SignedIn(UserMixin):
    """Flask-Login's view of an official."""

    def __init__(self, official: Official):
        self.official = official

    def get_id(self) -> str:
        return self.official.username


def uow() -> UnitOfWork:
    return current_app.extensions["engine"].uow()


def official() -> Official:
    return current_user.official

