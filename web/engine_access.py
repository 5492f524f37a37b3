"""How a request reaches the engine: the engine built once per app, a fresh unit of work, the signed-in official."""
from flask import current_app
from flask_login import UserMixin, current_user

from engine.clock import SystemClock
from engine.model import Official
from engine.storage.database import make_engine, make_session_factory
from engine.storage.unit_of_work import UnitOfWork


class Engine:
    """What the app keeps for the engine: built once per app, shared by every request."""

    def __init__(self, database_url: str, clock=None):
        self.database = make_engine(database_url)
        self.session_factory = make_session_factory(self.database)
        self.clock = clock or SystemClock()
        # What runs the jobs a use case asks for (web.background sets it; None leaves them in the outbox).
        self.dispatcher = None

    def uow(self) -> UnitOfWork:
        """A fresh unit of work on this engine's database and clock."""
        return UnitOfWork(self.session_factory, self.clock, self.dispatcher)


class SignedIn(UserMixin):
    """Flask-Login's view of an official in one of their sessions."""

    def __init__(self, official: Official, secret: str):
        self.official, self.secret = official, secret

    def get_id(self) -> str:
        """What the session cookie keeps: the session's secret (the server keeps its hash and can end it)."""
        return self.secret


def app_engine() -> Engine:
    """The current app's engine."""
    return current_app.extensions["engine"]


def uow() -> UnitOfWork:
    """A fresh unit of work: each use case opens and commits its own transaction."""
    return app_engine().uow()


def official() -> Official:
    """The official signed in to the pages."""
    return current_user.official
