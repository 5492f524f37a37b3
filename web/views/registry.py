"""The registry of recognised titles: by unit and year, expiring titles, recognition decisions, certificates."""
from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import login_required

from engine.clock import today_in_vietnam
from engine.recognition import batch_files, registry
from engine.recognition.registry_sheets import counts_sheet, titles_sheet
from web import exports, forms
from web.engine_access import app_engine, official, uow
from web.templating import unit as named

bp = Blueprint("registry", __name__)


@bp.route("/registry")
@login_required
def registry_page():
    """Recognised titles under my unit (or a unit within it), by year."""
    year, unit = _registry_filter()
    view = registry.registry_view(official(), uow(), year, unit)
    return render_template("registry.html", titles=view.titles, counts=view.counts, year=year,
                           unit=unit or official().unit_code)


@bp.route("/registry.xlsx")
@login_required
def registry_xlsx():
    """The registry page's titles and counts as an .xlsx file."""
    view = registry.registry_view(official(), uow(), *_registry_filter())
    return exports.download("so-danh-hieu", titles_sheet(view.titles, named), counts_sheet(view.counts, named))


def _registry_filter() -> tuple[int | None, str | None]:
    return forms.ascii_int(request.args.get("year")), request.args.get("unit") or None


@bp.route("/expiring")
@login_required
def expiring():
    """Titles whose validity ends in a year and that no later recognition has renewed: whom to re-evaluate."""
    year = forms.ascii_int(request.args.get("year")) or today_in_vietnam(app_engine().clock).year
    titles = registry.expiring_titles(official(), uow(), year, request.args.get("unit") or None)
    if request.args.get("format") == "xlsx":
        return exports.download(f"het-han-{year}", titles_sheet(titles, named))
    return render_template("expiring.html", titles=titles, year=year)


@bp.route("/decisions/<int:decision_id>")
@login_required
def recognition_decision(decision_id: int):
    """A province's recognition decision with every subject it recognises."""
    return render_template("decision.html", decision=registry.recognition_decision(decision_id, official(), uow()))


@bp.route("/decisions/<int:decision_id>.xlsx")
@login_required
def recognition_decision_xlsx(decision_id: int):
    """A recognition decision's subjects as an .xlsx file."""
    decision = registry.recognition_decision(decision_id, official(), uow())
    return exports.download(f"quyet-dinh-{decision_id}", titles_sheet(decision.subjects, named))


@bp.route("/decisions/<int:decision_id>/certificates", methods=["POST"])
@login_required
def decision_certificates(decision_id: int):
    """Ask for every certificate of the decision as one PDF, made in the background."""
    return redirect(url_for("jobs.job_page", job_id=batch_files.ask_for_certificates(decision_id, official(), uow())))


@bp.route("/registry/export", methods=["POST"])
@login_required
def registry_export():
    """Ask for the registry page's titles as an .xlsx file of any size, made in the background."""
    year, unit = forms.ascii_int(request.values.get("year")), request.values.get("unit") or None
    return redirect(url_for("jobs.job_page", job_id=batch_files.ask_for_registry_export(official(), uow(), year,
                                                                                           unit)))


@bp.route("/titles/<int:title_id>/certificate.pdf")
@login_required
def certificate(title_id: int):
    """A recognised title's certificate, shown in the browser."""
    name, pdf = registry.certificate(title_id, official(), uow())
    return exports.send(pdf, "application/pdf", name, "inline")
