"""Officials' pages: inbox, task, dossier, registry. Each view parses, calls one use case, renders."""
from datetime import UTC, date, datetime
from io import BytesIO

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import login_required

from engine.clock import VIETNAM, today_in_vietnam
from engine import attachments, dossiers, registry, reports, spreadsheets, tasks, units
from engine.report_figures import MODELS
from engine.errors import Conflict, InvalidInput
from engine.model import (BRANCH_KIND_LABELS, DOSSIER_STATUS_LABELS, REPORT_LABELS, ROLE_LABELS, TITLE_LABELS, BranchKind,
                          Role)
from web import exports, forms
from web.engine_access import official, uow

bp = Blueprint("pages", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_EXPORT = 50_000


@bp.route("/")
@login_required
def index():
    return redirect(url_for("pages.inbox"))


@bp.route("/inbox")
@login_required
def inbox():
    """My unit's open tasks, newest first, and the processes I may start."""
    return render_template("inbox.html", page=tasks.inbox(official(), uow(), after=request.args.get("after")),
                           processes=dossiers.startable_processes(official(), uow()))


@bp.route("/inbox.xlsx")
@login_required
def inbox_xlsx():
    page = tasks.inbox(official(), uow(), size=MAX_EXPORT)
    return _xlsx("hop-viec", exports.inbox(page.tasks))


@bp.route("/dossiers", methods=["POST"])
@login_required
def start_dossier():
    """Open a dossier, then go straight to its first step."""
    # The choice names a process and the title to propose in it: "candidate_list_recognition:clan".
    process, _, title = request.form.get("process", "").partition(":")
    data = {"name": request.form.get("name", ""), **({"title": title} if title else {})}
    year = request.form.get("year", "").strip()
    if year:
        parsed = forms.ascii_int(year)
        data["year"] = year if parsed is None else parsed
    try:
        dossier = dossiers.start_dossier(process, official(), data, uow())
    except InvalidInput as error:
        flash("Không mở được hồ sơ: " + str(error), "error")
        return redirect(url_for("pages.inbox"))
    flash(f"Đã mở hồ sơ số {dossier.id}.", "success")
    first = dossier.open_tasks[0].id if dossier.open_tasks else None
    return redirect(url_for("pages.task", task_id=first) if first else url_for("pages.dossier", dossier_id=dossier.id))


@bp.route("/tasks/<task_id>", methods=["GET", "POST"])
@login_required
def task(task_id: str):
    """A task's form with the dossier's history; submitting completes it."""
    view = tasks.get_task(task_id, official(), uow())
    values, errors = view.values, {}
    if request.method == "POST":
        values = forms.parse(view.fields, request.form)
        try:
            done = tasks.complete_task(task_id, official(), values, uow(), forms.uploads(view.fields, request.files))
        except InvalidInput as error:
            errors = error.errors
            flash("Biểu mẫu còn lỗi, xem các ô được đánh dấu.", "error")
        else:
            flash(f"Đã hoàn thành bước “{view.task.step_name}” của hồ sơ số {done.dossier_id}.", "success")
            return redirect(url_for("pages.inbox"))
    return render_template("task.html", view=view, values=values, errors=errors, blank_rows=forms.blank_rows),\
        422 if errors else 200


@bp.route("/dossiers/<int:dossier_id>")
@login_required
def dossier(dossier_id: int):
    return render_template("dossier.html", dossier=dossiers.get_dossier(dossier_id, official(), uow()))


@bp.route("/dossiers/<int:dossier_id>/candidates.xlsx")
@login_required
def dossier_candidates_xlsx(dossier_id: int):
    return _xlsx(f"ho-so-{dossier_id}", exports.candidates(dossiers.get_dossier(dossier_id, official(), uow())))


@bp.route("/tasks/<task_id>/list.xlsx")
@login_required
def task_list_xlsx(task_id: str):
    """The step's list as a file to fill in (empty for a new list, the current one for a revision)."""
    view = tasks.get_task(task_id, official(), uow())
    field = next(f for f in view.fields if f.kind == "list")
    return _xlsx(f"danh-sach-{view.task.dossier_id}", exports.list_field(field, view.values.get(field.name, [])))


@bp.route("/tasks/<task_id>/import", methods=["POST"])
@login_required
def import_list(task_id: str):
    """Fill the task's list from an .xlsx file; the official reviews it and submits as usual."""
    view = tasks.get_task(task_id, official(), uow())
    upload = request.files.get("file")
    try:
        values = tasks.import_list(task_id, official(), upload.read() if upload else b"", uow())
    except InvalidInput as error:
        flash("Chưa nhập gì: tệp còn lỗi, sửa rồi chọn lại tệp.", "error")
        return render_template("task.html", view=view, values=view.values, errors={}, import_errors=error.errors,
                               blank_rows=forms.blank_rows), 422
    count = sum(len(v) for v in values.values())
    flash(f"Đã đọc {count} dòng từ tệp. Kiểm tra lại rồi bấm “Gửi”.", "success")
    return render_template("task.html", view=view, values=values, errors={}, blank_rows=forms.blank_rows)


@bp.route("/dossiers/<int:dossier_id>/diagram.bpmn")
@login_required
def dossier_diagram(dossier_id: int):
    xml = dossiers.dossier_diagram(dossier_id, official(), uow())
    # A designer's file, served on our origin: never let a browser run anything inside it.
    return Response(xml, mimetype="application/xml", headers={
        "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox; default-src 'none'"})


@bp.route("/attachments/<int:attachment_id>")
@login_required
def attachment(attachment_id: int):
    info, content = attachments.download(attachment_id, official(), uow())
    # Always a download, never rendered on our origin: an uploaded file must not run as a page.
    response = send_file(BytesIO(content), mimetype=info.media_type, as_attachment=True, download_name=info.file_name)
    response.headers.update({"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox; default-src 'none'"})
    return response


@bp.route("/decisions/<int:decision_id>")
@login_required
def recognition_decision(decision_id: int):
    return render_template("decision.html", decision=registry.recognition_decision(decision_id, official(), uow()))


@bp.route("/decisions/<int:decision_id>.xlsx")
@login_required
def recognition_decision_xlsx(decision_id: int):
    decision = registry.recognition_decision(decision_id, official(), uow())
    return _xlsx(f"quyet-dinh-{decision_id}", exports.registry(list(decision.subjects)))


@bp.route("/expiring")
@login_required
def expiring():
    """Titles whose validity ends in a year and that no later recognition has renewed: whom to re-evaluate."""
    year = forms.ascii_int(request.args.get("year")) or today_in_vietnam(current_app.extensions["engine"].clock).year
    titles = registry.expiring_titles(official(), uow(), year, request.args.get("unit") or None)
    if request.args.get("format") == "xlsx":
        return _xlsx(f"het-han-{year}", exports.registry(titles))
    return render_template("expiring.html", titles=titles, year=year)


@bp.route("/periods", methods=["GET", "POST"])
@login_required
def open_period():
    """The ministry opens a reporting period: every province gets its report with the deadline."""
    reports.check_opener(official())
    if request.method == "POST":
        form = request.form
        deadline = form.get("province_deadline", "").strip()
        try:
            opened = reports.open_reporting_period(
                form.get("kind", ""), forms.ascii_int(form.get("year")) or 0, official(), uow(),
                date.fromisoformat(deadline) if deadline else None, form.get("recipient", ""),
                forms.ascii_int(form.get("reminder_days", "3")) or 0)
        except ValueError:
            flash("Hạn nộp phải là một ngày (YYYY-MM-DD).", "error")
        except (InvalidInput, Conflict) as error:
            flash(f"Chưa mở được kỳ báo cáo: {error}", "error")
        else:
            flash(f"Đã mở kỳ báo cáo năm {opened.year} cho {opened.dossiers} tỉnh.", "success")
            return redirect(url_for("pages.report", kind=opened.kind, year=opened.year))
    return render_template("periods.html", kinds=REPORT_LABELS, recipient=reports.DEFAULT_RECIPIENT)


@bp.route("/reports/<kind>/<int:year>")
@login_required
def report(kind: str, year: int):
    """A reporting period's figures: provinces for the ministry, communes for a province, with a chart."""
    view = reports.report_view(kind, year, official(), uow())
    if request.args.get("format") == "xlsx":
        return _xlsx(f"bao-cao-{kind}-{year}", exports.report(view))
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


@bp.route("/branches", methods=["GET", "POST"])
@login_required
def branches():
    """A commune lists its branches and creates new ones."""
    if request.method == "POST":
        try:
            code = units.add_branch(official().unit_code, request.form.get("name", ""), uow(), by=official(),
                                    kind=request.form.get("kind", BranchKind.VILLAGE))
        except InvalidInput as error:
            flash(str(error), "error")
        else:
            flash(f"Đã lập chi hội mã {code}.", "success")
        return redirect(url_for("pages.branches"))
    return render_template("branches.html", branches=units.branches_of_my_commune(official(), uow()))


@bp.route("/titles/<int:title_id>/certificate.pdf")
@login_required
def certificate(title_id: int):
    name, pdf = registry.certificate(title_id, official(), uow())
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})


@bp.route("/registry.xlsx")
@login_required
def registry_xlsx():
    titles, counts, _, _ = _registry_query()
    return _xlsx("so-danh-hieu", exports.registry(titles), exports.counts(counts))


@bp.route("/branches.xlsx")
@login_required
def branches_xlsx():
    return _xlsx("chi-hoi", exports.branches(units.branches_of_my_commune(official(), uow())))


def _xlsx(name: str, *sheets) -> Response:
    return Response(spreadsheets.write(*sheets), mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})


@bp.route("/registry")
@login_required
def registry_page():
    """Recognised titles under my unit (or a unit within it), by year."""
    titles, counts, year, unit = _registry_query()
    return render_template("registry.html", titles=titles, counts=counts, year=year, unit=unit or official().unit_code)


def _registry_query():
    year, unit = forms.ascii_int(request.args.get("year")), request.args.get("unit") or None
    return (registry.recognised_titles(official(), uow(), year, unit), registry.title_counts(official(), uow(), year, unit),
            year, unit)


def _local(moment: datetime) -> str:
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M") if moment else ""


def _age(moment: datetime) -> str:
    seconds = (current_app.extensions["engine"].clock.now() - moment).total_seconds()
    for size, unit in ((86400, "ngày"), (3600, "giờ"), (60, "phút")):
        if seconds >= size:
            return f"{int(seconds // size)} {unit}"
    return "vừa xong"


def init_app(app) -> None:
    app.jinja_env.filters.update(local=_local, age=_age)
    app.jinja_env.globals.update(
        STATUS_LABELS=DOSSIER_STATUS_LABELS, ROLE_LABELS={r.value: label for r, label in ROLE_LABELS.items()},
        TITLE_LABELS={t.value: label for t, label in {**TITLE_LABELS, **REPORT_LABELS}.items()},
        BRANCH_KIND_LABELS={k.value: label for k, label in BRANCH_KIND_LABELS.items()}, Role=Role, now_utc=lambda: datetime.now(UTC),
        now=lambda: current_app.extensions["engine"].clock.now(),
        DECISION_LABELS={"approve": "đồng ý", "return": "trả lại", "reject": "không công nhận"})
