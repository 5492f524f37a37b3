"""What every template may use: the labels, the date filters, and per page the engine's clock and what the signed-in
official's role allows, so no template keeps a clock or compares role strings of its own."""
from datetime import datetime

from flask_login import current_user

from engine.clock import VIETNAM
from engine.jobs.kinds import JOB_KIND_LABELS
from engine.model import (BRANCH_KIND_LABELS, DEPLOYERS, DOSSIER_STATUS_LABELS, INBOX_SORTS, JOB_STATUS_LABELS,
                          REPORT_LABELS, ROLE_LABELS, TITLE_LABELS, Role)
from engine.reporting.periods import OPENERS
from web.engine_access import app_engine

REPORT_READERS = (*OPENERS, Role.PROVINCE)


def init_app(app) -> None:
    """Register the labels, the filters and the context processor on `app`."""
    app.jinja_env.filters.update(local=local_time, age=age)
    app.jinja_env.globals.update(
        STATUS_LABELS=DOSSIER_STATUS_LABELS, ROLE_LABELS={r.value: label for r, label in ROLE_LABELS.items()},
        TITLE_LABELS={t.value: label for t, label in {**TITLE_LABELS, **REPORT_LABELS}.items()},
        BRANCH_KIND_LABELS={k.value: label for k, label in BRANCH_KIND_LABELS.items()},
        JOB_STATUS_LABELS={s.value: label for s, label in JOB_STATUS_LABELS.items()}, JOB_KIND_LABELS=JOB_KIND_LABELS,
        INBOX_SORTS=INBOX_SORTS,
        DECISION_LABELS={"approve": "đồng ý", "return": "trả lại", "reject": "không công nhận"})
    app.context_processor(page_context)


def page_context() -> dict:
    """The engine's time now and, for the signed-in official, which menus their role opens."""
    role = current_user.official.role if current_user.is_authenticated else None
    return {"now": app_engine().clock.now(), "can_read_reports": role in REPORT_READERS,
            "can_open_periods": role in OPENERS, "can_deploy": role in DEPLOYERS,
            "manages_branches": role == Role.COMMUNE}


def local_time(moment: datetime | None) -> str:
    """A moment as Vietnam reads it: 20/11/2026 08:00."""
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M") if moment else ""


def age(moment: datetime) -> str:
    """How long ago, by the engine's clock, in the largest whole unit: "3 ngày"."""
    seconds = (app_engine().clock.now() - moment).total_seconds()
    for size, unit in ((86400, "ngày"), (3600, "giờ"), (60, "phút")):
        if seconds >= size:
            return f"{int(seconds // size)} {unit}"
    return "vừa xong"
