"""Reporting periods: the ministry opens one; the ministry and provinces read its figures, with a chart."""
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from engine.errors import Conflict, InvalidInput
from engine.model import REPORT_LABELS
from engine.reporting import periods
from engine.reporting.figures import MODELS
from web import exports, forms
from web.engine_access import official, uow

bp = Blueprint("reports", __name__)


@bp.route("/periods", methods=["GET", "POST"])
@login_required
def open_period():
    """The ministry opens a reporting period: every province gets its report with the deadline."""
    periods.check_opener(official())
    status = 200
    if request.method == "POST":
        form = request.form
        deadline = form.get("province_deadline", "").strip()
        try:
            opened = periods.open_reporting_period(
                form.get("kind", ""), forms.ascii_int(form.get("year")) or 0, official(), uow(),
                date.fromisoformat(deadline) if deadline else None, form.get("recipient", ""),
                forms.ascii_int(form.get("reminder_days", "3")) or 0)
        except ValueError:
            flash("Hạn nộp phải là một ngày (YYYY-MM-DD).", "error")
            status = 422
        except (InvalidInput, Conflict) as error:
            flash(f"Chưa mở được kỳ báo cáo: {error}", "error")
            status = 409 if isinstance(error, Conflict) else 422
        else:
            flash(f"Đã mở kỳ báo cáo năm {opened.year} cho {opened.dossiers} tỉnh.", "success")
            return redirect(url_for("reports.report", kind=opened.kind, year=opened.year))
    return render_template("periods.html", kinds=REPORT_LABELS, recipient=periods.DEFAULT_RECIPIENT), status


@bp.route("/reports/<kind>/<int:year>")
@login_required
def report(kind: str, year: int):
    """A reporting period's figures: provinces for the ministry, communes for a province, with a chart."""
    view = periods.report_view(kind, year, official(), uow())
    if request.args.get("format") == "xlsx":
        return exports.download(f"bao-cao-{kind}-{year}", exports.report(view))
    shown = request.args.get("show", "")
    choices = [m.value for m in MODELS] if view.totals else [i.name for i in view.indicators]
    shown = shown if shown in choices else choices[0]
    return render_template("report.html", view=view, shown=shown, choices=choices, chart=_chart(view, shown))


def _chart(view, shown: str) -> dict:
    """A bar per unit: for the annual report the share of a model recognised against its target line (%), for
    another report an indicator's value (the communes' and, for provinces, their own)."""
    labels = [row.name for row in view.rows]
    if not view.totals:
        return {"labels": labels, "bars": [row.values.get(shown, 0) + row.own.get(shown, 0) for row in view.rows],
                "percent": False}
    index = MODELS.index(shown)
    return {"labels": labels, "percent": True,
            "bars": [None if row.models[index].rate_of_total is None else round(row.models[index].rate_of_total * 100, 1)
                     for row in view.rows],
            "targets": [round(row.models[index].target * 100, 1) for row in view.rows]}
