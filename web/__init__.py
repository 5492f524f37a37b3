"""The web app: officials' pages, the JSON API and the CLI, all calling the engine's use cases."""
from pathlib import Path

from flask import Flask

from engine.dossiers import stored_state
from web import background, cli, errors, extensions, openapi, templating
from web.config import Config, instance_secret_key
from web.engine_access import Engine
from web.views import BLUEPRINTS, CSRF_EXEMPT


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
    _check_stored_state(app)
    background.init_app(app)

    extensions.init_app(app)
    description = openapi.init_app(app)
    for blueprint in BLUEPRINTS:
        # flask-smorest's blueprints (the JSON API) are registered through the description, which documents them.
        (description if isinstance(blueprint, openapi.Blueprint) else app).register_blueprint(blueprint)
    for blueprint in CSRF_EXEMPT:
        extensions.csrf.exempt(blueprint)
        # Only signing in is throttled: the limiter's check of every program's request found nothing to count.
        extensions.limiter.exempt(blueprint)
    errors.init_app(app)
    cli.init_app(app)
    templating.init_app(app)
    return app


def _check_stored_state(app: Flask) -> None:
    """Refuse to start on state a newer release wrote or under another SpiffWorkflow; say how to upgrade older state
    (dossiers stored in an older version are refused one by one until it is upgraded)."""
    advice = stored_state.check_stored_state(app.extensions["engine"].uow())
    if advice:
        app.logger.warning(advice)
