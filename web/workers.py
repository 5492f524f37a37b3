"""What Celery's command line loads (`celery -A web.workers worker`, `celery -A web.workers beat`): the app as the
environment configures it, with its Celery app."""
from web import create_app

flask_app = create_app()
if "celery" not in flask_app.extensions:
    raise SystemExit("Đặt BROKER_URL (vd. amqp://guest:guest@127.0.0.1:5672//) trước khi chạy worker hay beat.")
celery = flask_app.extensions["celery"]
