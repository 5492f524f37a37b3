"""Every setting the web app reads from the environment, in one place."""
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


def _switch(name: str) -> bool:
    """An on/off setting from the environment: 1, true, yes or on turn it on."""
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


class Config:
    """The settings, each read from the environment with the embedded default beside it."""
    # SQLite file by default (the embedded demo); a postgresql+psycopg:// URL for a multi-user deployment.
    DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'learning_models.sqlite'}")
    # Unset: a random key kept in instance/secret_key (one host). Several hosts must share one via the environment.
    SECRET_KEY = os.environ.get("SECRET_KEY")
    BPMN_DIR = Path(os.environ.get("BPMN_DIR", ROOT / "bpmn"))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Off by default: the embedded demo is plain http on localhost. Production behind TLS turns both on (README).
    # SECURE_COOKIES=1: the session cookie is sent over HTTPS only.
    SESSION_COOKIE_SECURE = _switch("SECURE_COOKIES")
    # HTTPS=1: plain http is redirected to https and answers carry HSTS (a TLS proxy must send X-Forwarded-Proto).
    HTTPS = _switch("HTTPS")
    WTF_CSRF_TIME_LIMIT = None
    # Where failed sign-ins are counted (Flask-Limiter): this process's memory by default; several processes or hosts
    # share one store, e.g. RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # The embedded default (web.embedded) sweeps due timers every this many seconds (0: leave it to
    # `flask run-timers --every N`).
    TIMER_SWEEP_SECONDS = int(os.environ.get("TIMER_SWEEP_SECONDS", "60"))
    # Background jobs go to Celery workers through this broker, e.g. amqp://guest:guest@127.0.0.1:5672// (RabbitMQ).
    # Unset: they run in a thread of the web process (the embedded default; see web/background.py).
    BROKER_URL = os.environ.get("BROKER_URL", "")
    # The broker's queue for this deployment's jobs (two deployments on one broker keep apart by it).
    JOBS_QUEUE = os.environ.get("JOBS_QUEUE", "learning-models")
    # A step's files together (each at most engine.dossiers.attachments.MAX_FILE_BYTES); larger requests get a 413.
    MAX_CONTENT_LENGTH = 60_000_000
    # The JSON API's OpenAPI description (flask-smorest), served at /api/openapi.json; no docs UI (the CSP allows no
    # script from elsewhere, and none is vendored).
    API_TITLE = "Công nhận mô hình học tập: JSON API"
    API_VERSION = "1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"


class TestConfig(Config):
    """What every test app shares; a test adds its own database and clock. CSRF stays on: tests send the token as a
    browser does."""
    __test__ = False  # a settings class, not tests for pytest to collect
    TESTING = True
    SECRET_KEY = "test"  # nosec B105: TestConfig only; a running app's key comes from SECRET_KEY or instance/secret_key
    TIMER_SWEEP_SECONDS = 0
    SESSION_COOKIE_SECURE = HTTPS = False  # the test client speaks plain http unless a test says otherwise


def instance_secret_key() -> str:
    """A random signing key made once and kept readable by this user only: never a shared default."""
    path = INSTANCE / "secret_key"
    if not path.exists():
        INSTANCE.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()
