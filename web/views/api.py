"""The JSON API: the same accounts as the pages, by a token (programs: Authorization: Bearer) or the session (with a
CSRF header)."""
import dataclasses
from datetime import date, datetime
from enum import Enum

from flask import Blueprint, g, jsonify, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from engine.dossiers import starting, tasks, viewing
from engine.dossiers.attachments import Upload
from engine.errors import InvalidInput
from engine.recognition import registry
from engine.reporting import periods
from web import json_bodies, programs
from web.engine_access import uow
from web.forms import ascii_int

bp = Blueprint("api", __name__, url_prefix="/api")
MAX_PAGE = 500


def plain(value):
    """Dataclasses, enums and dates as JSON-ready values (ISO 8601 dates)."""
    if dataclasses.is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


@bp.before_request
def identify():
    """Who is calling: a program's token (scope read to read, act to act), else the browser's session, which must
    send its CSRF token on writes."""
    reading = request.method in ("GET", "HEAD", "OPTIONS")
    if programs.sends_credentials():
        return programs.sign_in(("read", "act") if reading else ("act",), _error)
    if not current_user.is_authenticated:
        return programs.unauthorised(_error("Cần mã truy cập (Authorization: Bearer <mã>) hoặc phiên đăng nhập."))
    g.official = current_user.official
    if not reading:
        try:
            validate_csrf(request.headers.get("X-CSRFToken", ""))
        except (ValidationError, CSRFError):
            return jsonify(_error("Thiếu hoặc sai mã CSRF (header X-CSRFToken).")), 400
    return None


def _error(message: str) -> dict:
    return {"error": message}


@bp.get("/processes")
def list_processes():
    """The processes the caller may start."""
    return jsonify([plain(p) for p in starting.startable_processes(g.official, uow())])


@bp.post("/dossiers")
def start_dossier():
    """Open a dossier: {"process": id, "data": {...}}; 201 with its id and first tasks."""
    body = json_bodies.body()
    data = body.get("data", {})
    if not isinstance(body.get("process"), str) or not isinstance(data, dict):
        raise InvalidInput({"process": "Cần 'process' (mã quy trình) và 'data' (đối tượng)."})
    dossier = starting.start_dossier(body["process"], g.official, data, uow())
    return jsonify({"id": dossier.id, "open_tasks": plain(dossier.open_tasks)}), 201


@bp.get("/dossiers/<int:dossier_id>")
def get_dossier(dossier_id: int):
    """A dossier with its data, open tasks and history."""
    return jsonify(plain(viewing.get_dossier(dossier_id, g.official, uow())))


@bp.get("/tasks")
def list_tasks():
    """The caller's open tasks, a page at a time: `size` (1 to 500), and `after` from the Link header."""
    size = ascii_int(request.args.get("size", str(tasks.INBOX_PAGE)))
    if size is None or not 1 <= size <= MAX_PAGE:
        raise InvalidInput({"size": f"Cỡ trang phải từ 1 đến {MAX_PAGE}."})
    page = tasks.inbox(g.official, uow(), after=request.args.get("after"), size=size)
    response = jsonify([plain(t) for t in page.tasks])
    response.headers["X-Total-Count"] = str(page.total)
    if page.next_page:
        response.headers["Link"] = f'<{url_for("api.list_tasks", after=page.next_page, size=size)}>; rel="next"'
    return response


@bp.get("/tasks/<task_id>")
def get_task(task_id: str):
    """A task with its form's fields and current values."""
    view = tasks.get_task(task_id, g.official, uow())
    return jsonify({**plain(view.task), "status": view.status, "form_title": view.form_title,
                    "documentation": view.documentation, "fields": plain(view.fields), "values": view.values,
                    "dossier_status": view.dossier.status.value})


@bp.post("/tasks/<task_id>/complete")
def complete_task(task_id: str):
    """JSON values; or, to send files, multipart with the values as JSON in part `values` and each file in a part
    named after its field (the field's value lists the ids of earlier files to keep)."""
    if request.mimetype == "multipart/form-data":
        values, uploads = _multipart_values(), {name: [Upload(f.filename or name, f.read()) for f in
                                                       request.files.getlist(name)] for name in request.files}
    else:
        values, uploads = json_bodies.body(), {}
    done = tasks.complete_task(task_id, g.official, values, uow(), uploads)
    return jsonify(plain(done))


def _multipart_values() -> dict:
    return json_bodies.parsed(request.form.get("values", "{}"), "values", "Phần 'values' phải là một đối tượng JSON.")


@bp.get("/reports/<kind>/<int:year>")
def get_report(kind: str, year: int):
    """A period's figures as the caller reaches them (provinces for the ministry, communes for a province)."""
    return jsonify(plain(periods.report_view(kind, year, g.official, uow())))


@bp.get("/decisions/<int:decision_id>")
def get_recognition_decision(decision_id: int):
    """A recognition decision with the subjects it recognises."""
    return jsonify(plain(registry.recognition_decision(decision_id, g.official, uow())))


@bp.get("/registry/expiring")
def get_expiring():
    """Titles whose validity ends in `year` (default this year) not yet renewed, under `unit`."""
    return jsonify(plain(registry.expiring_titles(g.official, uow(), **_registry_filter())))


def _registry_filter() -> dict:
    year = request.args.get("year")
    if year is not None and ascii_int(year) is None:
        raise InvalidInput({"year": "Năm phải là số, ví dụ 2026."})
    return {"year": ascii_int(year), "unit_code": request.args.get("unit") or None}


@bp.get("/registry")
def get_registry():
    """Recognised titles under `unit` (default: the caller's), of `year` if given."""
    return jsonify(plain(registry.recognised_titles(g.official, uow(), **_registry_filter())))


@bp.get("/registry/counts")
def get_registry_counts():
    """How many titles of each kind, per commune and year, under `unit`."""
    return jsonify(plain(registry.title_counts(g.official, uow(), **_registry_filter())))
