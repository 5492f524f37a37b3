"""What every template may use: the labels, the date filters, and per page the engine's clock and what the signed-in
official's role allows, so no template keeps a clock or compares role strings of its own."""
from datetime import date, datetime

from flask import current_app, url_for
from markupsafe import Markup, escape
from flask_login import current_user

from engine.clock import VIETNAM
from engine.dossiers.starting import PROPOSERS
from engine.dossiers.unit_dossiers import LISTERS
from engine.jobs.kinds import JOB_KIND_LABELS
from engine.model import (BRANCH_KIND_LABELS, DEPLOYERS, DOSSIER_STATUS_LABELS, INBOX_SORTS, JOB_STATUS_LABELS,
                          REPORT_LABELS, ROLE_LABELS, TITLE_LABELS, Role)
from engine.organisation.units import unit_labels
from engine.reporting.periods import OPENERS, report_name
from web.engine_access import app_engine

REPORT_READERS = (*OPENERS, Role.PROVINCE)


def init_app(app) -> None:
    """Register the labels, the filters and the context processor on `app`."""
    app.extensions["unit_labels"] = UnitLabels()
    app.jinja_env.filters.update(local=local_time, day=day, age=age, unit=unit,
                                 units_of=units_of, dossier_label=dossier_label, page_links=page_links)
    app.jinja_env.globals.update(who=who, acting=acting)
    app.jinja_env.globals.update(
        STATUS_LABELS=DOSSIER_STATUS_LABELS, ROLE_LABELS={r.value: label for r, label in ROLE_LABELS.items()},
        TITLE_LABELS={t.value: label for t, label in {**TITLE_LABELS, **REPORT_LABELS}.items()},
        BRANCH_KIND_LABELS={k.value: label for k, label in BRANCH_KIND_LABELS.items()},
        JOB_STATUS_LABELS={s.value: label for s, label in JOB_STATUS_LABELS.items()}, JOB_KIND_LABELS=JOB_KIND_LABELS,
        REPORT_LABELS={k.value: label for k, label in REPORT_LABELS.items()}, INBOX_SORTS=INBOX_SORTS,
        DECISION_LABELS={"approve": "đồng ý", "return": "trả lại", "reject": "không công nhận"},
        # What a history entry of no step records (a step's own entries say its name).
        HISTORY_ACTIONS={"start": "mở hồ sơ", "withdraw": "rút hồ sơ", "timer": "đến hạn", "reminder": "nhắc hạn",
                         "migrate": "chuyển sang phiên bản quy trình mới", "timer_failed": "hẹn giờ lỗi"})
    app.context_processor(page_context)


def page_context() -> dict:
    """The engine's time now and, for the signed-in official, which menus their role opens."""
    role = current_user.official.role if current_user.is_authenticated else None
    return {"now": app_engine().clock.now(), "can_read_reports": role in REPORT_READERS,
            "can_open_periods": role in OPENERS, "can_deploy": role in DEPLOYERS,
            "manages_branches": role == Role.COMMUNE, "opens_dossiers": role in PROPOSERS,
            "lists_unit_dossiers": role in LISTERS}


def local_time(moment: datetime | None) -> str:
    """A moment as Vietnam reads it: 20/11/2026 08:00."""
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M") if moment else ""


def day(value: date | str | None) -> str:
    """A day as Vietnam writes it, 02/12/2026, from a date or the ISO text a form stored ("2026-12-02")."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    return value.strftime("%d/%m/%Y") if value else ""


class UnitLabels:
    """Every unit's label by code, read once per app (units are never renamed, codes never reused); a unit added
    since (a new branch) is read the first time a page shows it, so no page reads units row by row."""

    def __init__(self):
        self._labels: dict[str, str] | None = None

    def __call__(self, code: str) -> str:
        if self._labels is None:
            self._labels = unit_labels(app_engine().uow())
        if code not in self._labels:
            self._labels[code] = unit_labels(app_engine().uow(), [code]).get(code, code)
        return self._labels[code]


def unit(code: str | None, with_code: bool = False) -> str:
    """A unit as officials read it, "Phường Hoàn Kiếm", or with its code where one is typed elsewhere (a filter, the
    command line): "Phường Hoàn Kiếm (00070)"."""
    if not code:
        return ""
    label = current_app.extensions["unit_labels"](code)
    return f"{label} ({code})" if with_code and label != code else label


# The officials of a unit, whom the unit's name says (a learning unit's Ban khuyến học is a branch official, but no
# "Chi hội"): the others (designers, administrators) also show their role.
_UNITS_OFFICIALS = {Role.BRANCH, Role.COMMUNE, Role.PROVINCE, Role.MINISTRY}


def who(official) -> str:
    """The signed-in official as the header names them: "truong · Trường THCS Ngô Sĩ Liên", "thietke · Thiết kế quy
    trình · Bộ Giáo dục và Đào tạo"."""
    return f"{official.username} · {acting(official.role, official.unit_code)}"


def acting(role: str, unit_code: str | None) -> str:
    """For whom an official acts, by their unit's name, with their role where the unit does not say it."""
    parts = [*([] if role in _UNITS_OFFICIALS else [ROLE_LABELS.get(role, role)]), unit(unit_code)]
    return " · ".join(part for part in parts if part)


def units_of(dossier) -> str:
    """The units a dossier belongs to, from its proposer up, each once: "Chi hội tổ 1 · Phường Hoàn Kiếm · Thành phố
    Hà Nội"; a province's report "Thành phố Hà Nội"."""
    codes = dict.fromkeys((dossier.branch_code, dossier.commune_code, dossier.province_code))
    return " · ".join(unit(code) for code in codes)


def unit_names(dossier) -> dict[str, str]:
    """Every unit a dossier names (its own, those its steps wait on, those in its history) by code, as pages read
    them: what the API gives beside the codes."""
    codes = (dossier.branch_code, dossier.commune_code, dossier.province_code,
             *(task.unit_code for task in dossier.open_tasks), *(entry.unit_code for entry in dossier.history))
    return {code: unit(code) for code in dict.fromkeys(codes) if code}


def dossier_label(dossier) -> str:
    """What a dossier is called: its name (a report's is given when it opens), or for a report opened before reports
    were named, its kind, year and unit."""
    if not dossier.data.get("name") and dossier.title in REPORT_LABELS:
        return report_name(dossier.title, dossier.year, unit(dossier.branch_code))
    return dossier.data.get("name") or ""


def page_links(text: str, dossier) -> Markup:
    """A step's text (from its diagram, so escaped) with the app's pages it names made links: in a report's steps,
    "trang Báo cáo" goes to the report of the dossier's kind and year."""
    html = escape(text)
    for name, url in _named_pages(dossier).items():
        html = html.replace(escape(name), Markup('<a href="{}">{}</a>').format(url, name), 1)
    return html


def _named_pages(dossier) -> dict[str, str]:
    if dossier.title in REPORT_LABELS:
        return {"trang Báo cáo": url_for("reports.report", kind=dossier.title, year=dossier.year)}
    return {}


def age(moment: datetime) -> str:
    """How long ago, by the engine's clock, in the largest whole unit: "3 ngày"."""
    seconds = (app_engine().clock.now() - moment).total_seconds()
    for size, unit in ((86400, "ngày"), (3600, "giờ"), (60, "phút")):
        if seconds >= size:
            return f"{int(seconds // size)} {unit}"
    return "vừa xong"
