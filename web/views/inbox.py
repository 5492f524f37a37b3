"""The inbox and the tasks in it: my unit's open tasks, a task's form, filling its list from Excel."""
from functools import wraps

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError

from engine import spreadsheets
from engine.dossiers import drafts, saved_filters, tasks
from engine.errors import InvalidInput, NotFound
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
    """My unit's open tasks that the filter keeps, in its order, with the saved filters and the units below."""
    desk = tasks.desk(official(), uow(), request.args.get("after"), forms.inbox_filter(request.args))
    shown = {name: request.args[name] for name in forms.FILTER_FIELDS if request.args.get(name)}
    saved = [(f, forms.filter_query(f.narrowed)) for f in desk.saved]
    counted = f"{tasks.COUNT_CAP:,}+".replace(",", " ") if desk.inbox.capped else str(desk.inbox.total)
    return render_template("inbox.html", page=desk.inbox, processes=desk.startable, shown=shown, saved=saved,
                           units_below=desk.units_below, steps=desk.steps, counted=counted, me=official().username)


# What the save form's fields are called on the page, to name them in a refusal.
FILTER_LABELS = {"name": "Tên bộ lọc", "q": "Tìm", "title": "Danh hiệu", "year": "Năm", "step": "Bước",
                 "unit": "Đơn vị đề nghị", "sort": "Sắp xếp"}


@bp.route("/inbox/filters", methods=["POST"])
@login_required
def save_filter():
    """Save the inbox's current filter under a name, for me or shared with my unit; back to the inbox it gives."""
    narrowed = forms.inbox_filter(request.form)
    try:
        saved = saved_filters.save_filter(official(), request.form.get("name", "")[:1000], narrowed,
                                          request.form.get("shared") in ("1", "on"), uow())
    except InvalidInput as error:
        flash("Chưa lưu bộ lọc: " + "; ".join(f"{FILTER_LABELS.get(k, k)}: {m}" for k, m in error.errors.items()),
              "error")
        kept = forms.filter_query(narrowed) if set(error.errors) == {"name"} else {}
        return redirect(url_for("inbox.inbox", **kept))
    flash(f"Đã lưu bộ lọc “{saved.name}”{' (chia sẻ với đơn vị)' if saved.shared else ''}.", "success")
    return redirect(url_for("inbox.inbox", **forms.filter_query(saved.narrowed)))


@bp.route("/inbox/filters/<int:filter_id>/delete", methods=["POST"])
@login_required
def delete_filter(filter_id: int):
    """Delete a filter I saved."""
    saved_filters.delete_filter(filter_id, official(), uow())
    flash("Đã xoá bộ lọc.", "success")
    return redirect(url_for("inbox.inbox"))


@bp.route("/inbox.xlsx")
@login_required
def inbox_xlsx():
    """My unit's open tasks (those the inbox's filter keeps) as an .xlsx file."""
    page = tasks.inbox(official(), uow(), size=exports.MAX_ROWS, narrowed=forms.inbox_filter(request.args))
    return exports.download("hop-viec", exports.inbox(page.tasks))


@bp.route("/tasks/<task_id>")
@login_required
def task(task_id: str):
    """A task's form with the dossier's history; the official's draft of it, if they saved one, fills the form."""
    opened = drafts.task_with_draft(task_id, official(), uow())
    return _task_page(opened.task, opened.values, draft=opened.draft, restored=opened.draft is not None)


def _typed_work_kept(view):
    """login_required for a task form's sending: signed out (the session ended on the server, or in another tab),
    what the form carried goes on through the sign-in instead of being lost to a redirect."""
    @wraps(view)
    def signed_in_only(task_id: str):
        if not current_user.is_authenticated:
            return _through_sign_in(task_id), 401
        return view(task_id)
    return signed_in_only


@bp.route("/tasks/<task_id>", methods=["POST"])
@_typed_work_kept
def submit_task(task_id: str):
    """Submitting the form completes the task, or shows it again with what is wrong and the valid files kept."""
    sent = drafts.submit_task(task_id, official(), _read_form, _kept_draft_files(), uow())
    if sent.errors:
        flash("Biểu mẫu còn lỗi, xem các ô được đánh dấu.", "error")
        return _task_page(sent.task, sent.values, errors=sent.errors, draft=sent.draft), 422
    flash(f"Đã hoàn thành bước “{sent.task.task.step_name}” của hồ sơ số {sent.completed.dossier_id}.", "success")
    return redirect(url_for("inbox.inbox"))


@bp.route("/tasks/<task_id>/draft", methods=["POST"])
@_typed_work_kept
def save_draft(task_id: str):
    """Keep what the form holds (files chosen included) as the official's draft, to send later."""
    saved = drafts.save_draft(task_id, official(), _read_form, _kept_draft_files(), uow())
    if saved.errors:
        flash("Chưa lưu nháp: biểu mẫu có chỗ không lưu được, xem các ô được đánh dấu.", "error")
        return _task_page(saved.task, saved.values, errors=saved.errors, draft=saved.draft), 422
    flash("Đã lưu nháp. Mở lại việc này sẽ thấy đúng những gì bạn đã nhập.", "success")
    return redirect(url_for("inbox.task", task_id=task_id))


@bp.route("/tasks/<task_id>/draft/delete", methods=["POST"])
@login_required
def discard_draft(task_id: str):
    """Throw the official's draft away: the form shows the dossier's values again."""
    drafts.discard_draft(task_id, official(), uow())
    flash("Đã bỏ bản nháp.", "success")
    return redirect(url_for("inbox.task", task_id=task_id))


@bp.errorhandler(CSRFError)
def stale_form(error: CSRFError):
    """A task's form sent without its session's token: the session expired or the page outlived it. Signed in
    still, the form comes back with what was typed; signed out, a page carries it on through the sign-in to the
    official's draft. Nothing is stored from this request: without its token it may be another site's."""
    if request.endpoint not in ("inbox.submit_task", "inbox.save_draft"):
        return render_template("session_expired.html", carried=None), 400
    task_id = request.view_args["task_id"]
    if not current_user.is_authenticated:
        return _through_sign_in(task_id), 400
    opened = drafts.task_with_draft(task_id, official(), uow())
    flash("Trang đã mở quá lâu nên biểu mẫu chưa được gửi. Những gì bạn đã nhập vẫn còn dưới đây"
          + (" (các tệp đã chọn cần chọn lại)" if _chosen_files() else "") + ": kiểm tra rồi bấm “Gửi” lần nữa.",
          "error")
    return _task_page(opened.task, forms.parse(opened.task.fields, request.form), draft=opened.draft), 400


def _through_sign_in(task_id: str) -> str:
    """The page that signs the official in again and takes what the form carried on to their draft of the task."""
    return render_template("session_expired.html", carried=forms.carried(request.form, "csrf_token"),
                           draft=url_for("inbox.save_draft", task_id=task_id), files=_chosen_files())


def _chosen_files() -> list[str]:
    """The names of the files a form sent (a page cannot carry them on)."""
    return [file.filename for file in request.files.values() if file.filename]


def _read_form(fields) -> tuple[dict, dict]:
    return forms.parse(fields, request.form), forms.uploads(fields, request.files)


def _kept_draft_files() -> list[int]:
    """The draft's files the form's "giữ tệp" boxes keep."""
    return [number for value in request.form.getlist("_draft_files") if (number := forms.ascii_int(value)) is not None]


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
    """Fill the task's list from an .xlsx file; the official reviews it and submits as usual. What the page's form
    held when the file was read (form.js carries it along) comes back with the list, so nothing typed is lost."""
    upload = request.files.get("file")
    read = tasks.import_list(task_id, official(), upload.stream.read(spreadsheets.MAX_BYTES + 1) if upload else b"", uow())
    typed = forms.parse(read.task.fields, request.form)
    if read.errors:
        flash("Chưa nhập gì: tệp còn lỗi, sửa rồi chọn lại tệp.", "error")
        return _task_page(read.task, {**read.values, **typed}, import_errors=read.errors), 422
    count = sum(len(v) for v in read.values.values())
    flash(f"Đã đọc {count} dòng từ tệp. Kiểm tra lại rồi bấm “Gửi”.", "success")
    return _task_page(read.task, {**typed, **read.values})


def _task_page(view, values: dict, errors: dict | None = None, **extra) -> str:
    errors = errors or {}
    return render_template("task.html", view=view, values=values, errors=errors, blank_rows=forms.blank_rows,
                           summary=forms.error_summary(view.fields, errors), **extra)
