"""The inbox and the tasks in it: my unit's open tasks, a task's form, filling its list from Excel."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from engine import spreadsheets
from engine.dossiers import tasks
from engine.errors import NotFound
from web import exports, forms
from web.engine_access import official, uow

bp = Blueprint("inbox", __name__)


@bp.route("/")
@login_required
def index():
    """The inbox is the home page."""
    return redirect(url_for("inbox.inbox"))


@bp.route("/inbox")
@login_required
def inbox():
    """My unit's open tasks, newest first, and the processes I may start."""
    return inbox_page()


def inbox_page(status: int = 200):
    """The inbox page (with `status` 422 when it shows why a dossier could not be opened)."""
    desk = tasks.desk(official(), uow(), request.args.get("after"), forms.inbox_filter(request.args))
    shown = {name: request.args[name] for name in forms.FILTER_FIELDS if request.args.get(name)}
    return render_template("inbox.html", page=desk.inbox, processes=desk.startable, shown=shown), status


@bp.route("/inbox.xlsx")
@login_required
def inbox_xlsx():
    """My unit's open tasks (those the inbox's filter keeps) as an .xlsx file."""
    page = tasks.inbox(official(), uow(), size=exports.MAX_ROWS, narrowed=forms.inbox_filter(request.args))
    return exports.download("hop-viec", exports.inbox(page.tasks))


@bp.route("/tasks/<task_id>")
@login_required
def task(task_id: str):
    """A task's form with the dossier's history."""
    view = tasks.get_task(task_id, official(), uow())
    return _task_page(view, view.values)


@bp.route("/tasks/<task_id>", methods=["POST"])
@login_required
def submit_task(task_id: str):
    """Submitting the form completes the task, or shows it again with what is wrong."""
    sent = tasks.submit_task(task_id, official(), lambda fields: (forms.parse(fields, request.form),
                                                                  forms.uploads(fields, request.files)), uow())
    if sent.errors:
        flash("Biểu mẫu còn lỗi, xem các ô được đánh dấu.", "error")
        return _task_page(sent.task, sent.values, errors=sent.errors), 422
    flash(f"Đã hoàn thành bước “{sent.task.task.step_name}” của hồ sơ số {sent.completed.dossier_id}.", "success")
    return redirect(url_for("inbox.inbox"))


@bp.route("/tasks/<task_id>/list.xlsx")
@login_required
def task_list_xlsx(task_id: str):
    """The step's list as a file to fill in (empty for a new list, the current one for a revision)."""
    view = tasks.get_task(task_id, official(), uow())
    field = next((f for f in view.fields if f.kind == "list"), None)
    if field is None:
        raise NotFound(f"Biểu mẫu của bước “{view.task.step_name}” không có danh sách để tải về.")
    return exports.download(f"danh-sach-{view.task.dossier_id}",
                            exports.list_field(field, view.values.get(field.name, [])))


@bp.route("/tasks/<task_id>/import", methods=["POST"])
@login_required
def import_list(task_id: str):
    """Fill the task's list from an .xlsx file; the official reviews it and submits as usual."""
    upload = request.files.get("file")
    read = tasks.import_list(task_id, official(), upload.stream.read(spreadsheets.MAX_BYTES + 1) if upload else b"", uow())
    if read.errors:
        flash("Chưa nhập gì: tệp còn lỗi, sửa rồi chọn lại tệp.", "error")
        return _task_page(read.task, read.values, import_errors=read.errors), 422
    count = sum(len(v) for v in read.values.values())
    flash(f"Đã đọc {count} dòng từ tệp. Kiểm tra lại rồi bấm “Gửi”.", "success")
    return _task_page(read.task, read.values)


def _task_page(view, values: dict, errors: dict | None = None, **extra) -> str:
    return render_template("task.html", view=view, values=values, errors=errors or {}, blank_rows=forms.blank_rows,
                           **extra)
