"""Every setting the web app reads from the environment, in one place."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Config:
    # SQLite file by default (the embedded demo); a postgresql+psycopg:// URL for a multi-user deployment.
    DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'learning_models.sqlite'}")
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-change-me")
    BPMN_DIR = Path(os.environ.get("BPMN_DIR", ROOT / "bpmn"))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None

