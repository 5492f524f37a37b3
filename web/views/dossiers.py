"""Dossiers: opening one, my unit's list of them, a dossier's page, withdrawing it, its candidate list and diagram,
its attached files."""
from io import BytesIO

from flask import Blueprint, Response, flash, redirect, render_template, request, send_file, url_for
from flask_login import login_required

from engine.dossiers import attachments, starting, viewing, withdrawing
from engine.dossiers import unit_dossiers as listing
from engine.errors import InvalidInput
from web import exports, forms
from web.engine_access import official, uow
from web.extensions import sandboxed

bp = Blueprint("dossiers", __name__)


@bp.route("/dossiers/new")
@login_required
def new_dossier():
    """The page that opens a dossier: the title chosen explicitly, the year, a name."""
    return _new_dossier_page({})


@bp.route("/dossiers", methods=["POST"])
@login_required
def start_dossier():
    """Open a dossier, then go straight to its first step; refused, the page again with what was typed."""
    # The choice names a process and the title to propose in it: "candidate_list_recognition:clan".
    process, _, title = request.form.get("process", "").partition(":")
    data = {"name": request.form.get("name", ""), **({"title": title} if title else {})}
    year = request.form.get("year", "").strip()
    if year:
        parsed = forms.ascii_int(year)
        data["year"] = year if parsed is None else parsed
    try:
        dossier = starting.start_dossier(process, official(), data, uow())
    except InvalidInput as error:
        return _new_dossier_page(request.form, error.errors), 422
    flash(f"Đã mở hồ sơ số {dossier.id}.", "success")
    if dossier.open_tasks:
        return redirect(url_for("inbox.task", task_id=dossier.open_tasks[0].id))
    return redirect(url_for("dossiers.dossier", dossier_id=dossier.id))


def _new_dossier_page(typed, errors: dict | None = None) -> str:
    return render_template("new_dossier.html", processes=starting.startable_processes(official(), uow()),
                           typed=typed, errors=errors or {})


@bp.route("/unit-dossiers")
@login_required
def unit_dossiers():
    """The dossiers my unit proposed or holds, newest first, by status and year, with where each waits."""
    status, year = request.args.get("status") or None, forms.ascii_int(request.args.get("year"))
    page = listing.unit_dossiers(official(), uow(), request.args.get("after"), status=status, year=year)
    shown = {name: request.args[name] for name in ("status", "year") if request.args.get(name)}
    return render_template("unit_dossiers.html", page=page, shown=shown)


@bp.route("/dossiers/<int:dossier_id>")
@login_required
def dossier(dossier_id: int):
    """A dossier: its data, open steps, history and diagram."""
    return render_template("dossier.html", dossier=viewing.get_dossier(dossier_id, official(), uow()))


@bp.route("/dossiers/<int:dossier_id>/withdraw", methods=["POST"])
@login_required
def withdraw_dossier(dossier_id: int):
    """Withdraw a dossier nobody else has acted on, with its reason; refused, the dossier page again keeps it."""
    reason = request.form.get("reason", "")
    try:
        withdrawing.withdraw_dossier(dossier_id, official(), reason, uow())
    except InvalidInput as error:
        flash("Chưa rút được hồ sơ: " + " ".join(error.errors.values()), "error")
        return render_template("dossier.html", dossier=viewing.get_dossier(dossier_id, official(), uow()),
                               withdrawal={"reason": reason, "errors": error.errors}), 422
    flash(f"Đã rút hồ sơ số {dossier_id}; hồ sơ đã kết thúc và không còn trong hộp việc nào.", "success")
    return redirect(url_for("dossiers.dossier", dossier_id=dossier_id))


@bp.route("/dossiers/<int:dossier_id>/candidates.xlsx")
@login_required
def dossier_candidates_xlsx(dossier_id: int):
    """The dossier's candidates as an .xlsx file."""
    return exports.download(f"ho-so-{dossier_id}",
                            exports.candidates(viewing.get_dossier(dossier_id, official(), uow())))


@bp.route("/dossiers/<int:dossier_id>/diagram.bpmn")
@login_required
@sandboxed
def dossier_diagram(dossier_id: int):
    """The diagram of the version the dossier runs on, as its designer drew it."""
    return Response(viewing.dossier_diagram(dossier_id, official(), uow()), mimetype="application/xml")


@bp.route("/attachments/<int:attachment_id>")
@login_required
@sandboxed
def attachment(attachment_id: int):
    """A file attached to a dossier, always as a download: an uploaded file must not run as a page."""
    info, content = attachments.download(attachment_id, official(), uow())
    return send_file(BytesIO(content), mimetype=info.media_type, as_attachment=True, download_name=info.file_name)
