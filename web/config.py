"""Every setting the web app reads from the environment, in one place."""
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


class Config:
    # SQLite file by default (the embedded demo); a postgresql+psycopg:// URL for a multi-user deployment.
    DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'learning_models.sqlite'}")
    # Unset: a random key kept in instance/secret_key (one host). Several hosts must share one via the environment.
    SECRET_KEY = os.environ.get("SECRET_KEY")
    BPMN_DIR = Path(os.environ.get("BPMN_DIR", ROOT / "bpmn"))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    # The app sweeps due timers itself every this many seconds (0: leave it to `flask run-timers --every N`).
    TIMER_SWEEP_SECONDS = int(os.environ.get("TIMER_SWEEP_SECONDS", "60"))
    # A step's files together (each at most engine.attachments.MAX_FILE_BYTES); larger requests get a 413.
    MAX_CONTENT_LENGTH = 60_000_000



def instance_secret_key() -> str:
    """A random signing key made once and kept readable by this user only: never a shared default."""
    path = INSTANCE / "secret_key"
    if not path.exists():
        INSTANCE.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()
