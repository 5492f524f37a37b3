"""The web app: officials' pages, the JSON API and the CLI, all calling the engine's use cases."""
import threading
from pathlib import Path

from flask import Flask
from flask_login import LoginManager
from flask_wtf import CSRFProtect

from engine import timers
from engine.clock import SystemClock
from engine.db import make_engine, make_session_factory
from engine.unit_of_work import UnitOfWork
from web.config import Config, instance_secret_key

login_manager = LoginManager()
csrf = CSRFProtect()


class Engine:
    """What the app keeps for the engine: built once per app, shared by every request."""

    def __init__(self, database_url: str, clock=None):
        self.database = make_engine(database_url)
        self.session_factory = make_session_factory(self.database)
        self.clock = clock or SystemClock()

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory, self.clock)


def _sweep_timers_in_background(app: Flask) -> None:
    """The embedded default fires timers itself (a thread sweeping every TIMER_SWEEP_SECONDS), so a demo needs no
    worker; a deployment with several processes runs `flask run-timers --every N` instead and sets it to 0.
    Sweeps in several processes at once are safe (see engine.timers)."""
    engine, every = app.extensions["engine"], app.config["TIMER_SWEEP_SECONDS"]
    stop = app.extensions["timer_sweeper_stop"] = threading.Event()

    def sweep_forever():
        while not stop.wait(every):
            try:
                timers.run_due_timers(engine.uow)
            except Exception:  # noqa: BLE001 - e.g. the database is down: the thread must live to sweep again
                app.logger.exception("Quét mốc thời gian lỗi; sẽ quét lại.")

    threading.Thread(target=sweep_forever, name="timer-sweep", daemon=True).start()


def create_app(config=None) -> Flask:
    """Application factory: `config` is a Config class or a mapping overriding the environment's settings."""
    app = Flask(__name__)
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = instance_secret_key()
    if app.config["DATABASE_URL"].startswith("sqlite:///"):
        Path(app.config["DATABASE_URL"].removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    app.json.ensure_ascii = False  # Vietnamese stays readable in API answers
    app.extensions["engine"] = Engine(app.config["DATABASE_URL"], app.config.get("CLOCK"))

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Vui lòng đăng nhập."
    csrf.init_app(app)

    from web import api, auth, cli, designer, engine_rest, errors, pages
    app.register_blueprint(auth.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(designer.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(engine_rest.bp)
    csrf.exempt(api.bp)
    csrf.exempt(engine_rest.bp)
    errors.init_app(app)
    cli.init_app(app)
    pages.init_app(app)
    if app.config["TIMER_SWEEP_SECONDS"] and not app.testing:
        _sweep_timers_in_background(app)
    return app
