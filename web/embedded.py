"""The embedded default (SQLite, the demo): one process that also fires due timers, so it needs no worker.

    flask --app web.embedded run

Flask finds `create_app` here and serves what it returns. CLI commands keep `flask --app web ...`, which starts no
thread; several processes (`gunicorn 'web:create_app()'`) leave timers to `flask run-timers --every N`."""
from flask import Flask

import web
from web.timer_sweeper import start_timer_sweeper


def create_app(config=None) -> Flask:
    """The app as web.create_app builds it, sweeping its timers every TIMER_SWEEP_SECONDS."""
    app = web.create_app(config)
    start_timer_sweeper(app)
    return app
