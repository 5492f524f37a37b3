"""The JSON API: the same accounts as the pages, by a token (programs: Authorization: Bearer) or the session (with a
CSRF header). Each route declares what it reads and answers (web/api_schemas.py): flask-smorest parses the path, query
and body with them and writes the OpenAPI description served at /api/openapi.json."""
import dataclasses
from datetime import date, datetime
from enum import Enum
from http import HTTPStatus

from flask import g, jsonify, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from engine.dossiers import drafts, saved_filters, starting, tasks, viewing, withdrawing
from engine.dossiers import unit_dossiers as listing
from engine.errors import InvalidInput
from engine.model import InboxFilter, SavedFilter
from engine.recognition import registry
from engine.reporting import periods
from web import api_schemas as schemas
from web import forms, programs
from web.engine_access import uow
from web.openapi import READING, WRITING, ApiBlueprint
from web.templating import unit_names

bp = ApiBlueprint("api", __name__, url_prefix="/api", description="Hồ sơ, nhiệm vụ, sổ danh hiệu và báo cáo.")
# A multipart completion (files): the values as JSON in part `values`, each file in a part named after its field.
TASK_FILES = {"type": "object", "properties": {"values": {"type": "string", "description": "Giá trị biểu mẫu (JSON)."}},
              "additionalProperties": {"type": "string", "format": "binary"}}
PAGE_HEADERS = {"X-Total-Count": {"description": "Số nhiệm vụ khớp bộ lọc ở mọi trang, đếm đến 1000: quá 1000 thì "
                                                  "là \"1000+\" (đếm không làm chậm danh sách).",
                                   "schema": {"type": "string", "pattern": "^[0-9]+[+]?$"}},
                "Link": {"description": "Trang sau (rel=\"next\"), nếu còn.", "schema": {"type": "string"}}}


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


def refusals(*codes: int, writes: bool = False):
    """Document how an operation signs in and the refusals it may answer, each in web/errors.py's shape."""
    def decorate(view):
        for code in codes:
            view = bp.alt_response(code, response=HTTPStatus(code).name)(view)
        return bp.doc(security=WRITING if writes else READING)(view)
    return decorate


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
@bp.response(200, schemas.Process(many=True))
@refusals(401)
def list_processes():
    """The processes the caller may start."""
    return jsonify([plain(p) for p in starting.startable_processes(g.official, uow())])


@bp.get("/dossiers")
@bp.arguments(schemas.UnitDossiersQuery, location="query")
@bp.response(200, schemas.UnitDossier(many=True), headers={"Link": PAGE_HEADERS["Link"]})
@refusals(401, 403, 422)
def list_dossiers(query: dict):
    """The dossiers the caller's unit proposed or holds, newest first, a page at a time (`size`, `after` from the Link
    header), narrowed by `status` and `year`; each with where it waits (step and the unit holding it, by name)."""
    page = listing.unit_dossiers(g.official, uow(), query.pop("after", None), query.pop("size"),
                                 query.get("status") or None, query.get("year"))
    response = jsonify([plain(d) for d in page.dossiers])
    if page.next_page:
        link = url_for("api.list_dossiers", after=page.next_page, size=len(page.dossiers), **query)
        response.headers["Link"] = f'<{link}>; rel="next"'
    return response


@bp.post("/dossiers")
@bp.arguments(schemas.StartDossier)
@bp.response(201, schemas.Started)
@refusals(400, 401, 403, 404, 413, 422, writes=True)
def start_dossier(body: dict):
    """Open a dossier: {"process": id, "data": {...}}; 201 with its id and first tasks."""
    dossier = starting.start_dossier(body["process"], g.official, body["data"], uow())
    return jsonify({"id": dossier.id, "open_tasks": plain(dossier.open_tasks)}), 201


@bp.get("/dossiers/<int:dossier_id>")
@bp.arguments(schemas.DossierPath, location="path", as_kwargs=True)
@bp.response(200, schemas.Dossier)
@refusals(401, 403, 404)
def get_dossier(dossier_id: int):
    """A dossier with its data, open tasks and history."""
    view = viewing.get_dossier(dossier_id, g.official, uow())
    return jsonify({**plain(view), "unit_names": unit_names(view)})


@bp.post("/dossiers/<int:dossier_id>/withdraw")
@bp.arguments(schemas.DossierPath, location="path", as_kwargs=True)
@bp.arguments(schemas.Withdrawal)
@bp.response(200, schemas.Withdrawn)
@refusals(400, 401, 403, 404, 409, 413, 422, writes=True)
def withdraw_dossier(body: dict, dossier_id: int):
    """Withdraw a dossier nobody but its proposer has acted on: {"reason": "..."} (required); it is closed, its open
    tasks cancelled. 403 not its proposer; 409 another unit already acted or it has ended."""
    return jsonify(plain(withdrawing.withdraw_dossier(dossier_id, g.official, body["reason"], uow())))


@bp.get("/tasks")
@bp.arguments(schemas.InboxQuery, location="query")
@bp.response(200, schemas.OpenTask(many=True), headers=PAGE_HEADERS)
@refusals(401, 422)
def list_tasks(query: dict):
    """The caller's open tasks, a page at a time: `size` (1 to 500), `after` from the Link header, and a filter (`q`
    a dossier number or words of its names, accents ignored; `title`, `year`, `step`, `unit`, `overdue`,
    `returned`); X-Total-Count counts up to 1000, past which it says "1000+"."""
    size, after = query.pop("size"), query.pop("after", None)
    page = tasks.inbox(g.official, uow(), after=after, size=size, narrowed=_inbox_filter(query))
    response = jsonify([plain(t) for t in page.tasks])
    response.headers["X-Total-Count"] = f"{tasks.COUNT_CAP}+" if page.capped else str(page.total)
    if page.next_page:
        link = url_for("api.list_tasks", after=page.next_page, size=size, **query)
        response.headers["Link"] = f'<{link}>; rel="next"'
    return response


def _inbox_filter(query: dict) -> InboxFilter:
    """The inbox filter named by an InboxFilter schema's values."""
    return InboxFilter(text=query.get("q", "").strip(), title=query.get("title") or None, year=query.get("year"),
                       step=query.get("step") or None, unit=query.get("unit") or None,
                       overdue=query.get("overdue", False), returned=query.get("returned", False),
                       sort=query.get("sort") or "received")


@bp.get("/filters")
@bp.response(200, schemas.SavedFilter(many=True))
@refusals(401)
def list_filters():
    """The caller's saved inbox filters and those shared within their unit and role, by name."""
    return jsonify([_saved(f) for f in saved_filters.saved_filters(g.official, uow())])


@bp.post("/filters")
@bp.arguments(schemas.SaveFilter)
@bp.response(201, schemas.SavedFilter)
@refusals(400, 401, 413, 422, writes=True)
def save_filter(body: dict):
    """Save an inbox filter under a name (at most 50 each), for the caller or `shared` with their unit and role; a
    name the caller already used replaces that filter."""
    saved = saved_filters.save_filter(g.official, body["name"], _inbox_filter(body["filter"]), body["shared"], uow())
    return jsonify(_saved(saved)), 201


@bp.delete("/filters/<int:filter_id>")
@bp.arguments(schemas.FilterPath, location="path", as_kwargs=True)
@bp.response(204)
@refusals(400, 401, 403, 404, writes=True)
def delete_filter(filter_id: int):
    """Delete an inbox filter the caller saved (403: another official's shared one; 404: none the caller sees)."""
    saved_filters.delete_filter(filter_id, g.official, uow())
    return "", 204


def _saved(saved: SavedFilter) -> dict:
    narrowed = saved.narrowed
    return {"id": saved.id, "name": saved.name, "owner": saved.owner, "shared": saved.shared,
            "mine": saved.owner == g.official.username,
            "filter": {"q": narrowed.text, "title": narrowed.title, "year": narrowed.year, "step": narrowed.step,
                       "unit": narrowed.unit, "overdue": narrowed.overdue, "returned": narrowed.returned,
                       "sort": narrowed.sort}}


@bp.get("/tasks/<task_id>")
@bp.arguments(schemas.TaskPath, location="path", as_kwargs=True)
@bp.response(200, schemas.TaskDetail)
@refusals(401, 403, 404)
def get_task(task_id: str):
    """A task with its form's fields and current values."""
    view = tasks.get_task(task_id, g.official, uow())
    return jsonify({**plain(view.task), "status": view.status, "form_title": view.form_title,
                    "documentation": view.documentation, "fields": plain(view.fields), "values": view.values,
                    "rules": plain(view.rules), "dossier_status": view.dossier.status.value})


@bp.post("/tasks/<task_id>/complete")
@bp.arguments(schemas.TaskPath, location="path", as_kwargs=True)
@bp.arguments(schemas.Values, location="json_or_multipart", description="Các giá trị của biểu mẫu (xem GET nhiệm vụ).")
@bp.doc(requestBody={"content": {"multipart/form-data": {"schema": TASK_FILES}}})
@bp.response(200, schemas.Completed)
@refusals(400, 401, 403, 404, 409, 413, 422, writes=True)
def complete_task(values: dict, task_id: str):
    """Complete a task: its form's values as JSON; or, to send files, multipart with the values as JSON in part
    `values` and each file in a part named after its field (the field's value lists the ids of earlier files to keep)."""
    return jsonify(plain(tasks.complete_task(task_id, g.official, values, uow(), _uploads())))


@bp.get("/tasks/<task_id>/draft")
@bp.arguments(schemas.TaskPath, location="path", as_kwargs=True)
@bp.response(200, schemas.Draft)
@refusals(401, 403, 404)
def get_draft(task_id: str):
    """The caller's own draft of a task (404 when they saved none)."""
    return jsonify(plain(drafts.draft_of(task_id, g.official, uow())))


@bp.put("/tasks/<task_id>/draft")
@bp.arguments(schemas.TaskPath, location="path", as_kwargs=True)
@bp.arguments(schemas.Values, location="json_or_multipart", description="Các giá trị đang nhập (chưa cần đủ, đúng).")
@bp.doc(requestBody={"content": {"multipart/form-data": {"schema": TASK_FILES}}})
@bp.response(200, schemas.Draft)
@refusals(400, 401, 403, 404, 409, 413, 422, writes=True)
def put_draft(values: dict, task_id: str):
    """Save the caller's draft of an open task: its values replace the draft's; files sent (multipart, as for a
    completion) join the draft's earlier ones. Only the caller sees it; completing the task deletes it."""
    saved = drafts.save_draft(task_id, g.official, lambda fields: (values, _uploads()), None, uow())
    if saved.errors:
        raise InvalidInput(saved.errors)
    return jsonify(plain(saved.draft))


@bp.delete("/tasks/<task_id>/draft")
@bp.arguments(schemas.TaskPath, location="path", as_kwargs=True)
@bp.response(204)
@refusals(400, 401, 403, 404, writes=True)
def delete_draft(task_id: str):
    """Delete the caller's draft of a task with its files (204 also when there was none)."""
    drafts.discard_draft(task_id, g.official, uow())
    return "", 204


def _uploads() -> dict:
    """Each file part of a multipart request under its part's name."""
    return {name: [forms.upload(f, f.filename or name) for f in request.files.getlist(name)] for name in request.files}


@bp.get("/reports/<kind>/<int:year>")
@bp.arguments(schemas.ReportPath, location="path", as_kwargs=True)
@bp.response(200, schemas.Report)
@refusals(401, 403, 404)
def get_report(kind: str, year: int):
    """A period's figures as the caller reaches them (provinces for the ministry, communes for a province)."""
    return jsonify(plain(periods.report_view(kind, year, g.official, uow())))


@bp.get("/decisions/<int:decision_id>")
@bp.arguments(schemas.DecisionPath, location="path", as_kwargs=True)
@bp.response(200, schemas.RecognitionDecision)
@refusals(401, 403, 404)
def get_recognition_decision(decision_id: int):
    """A recognition decision with the subjects it recognises."""
    return jsonify(plain(registry.recognition_decision(decision_id, g.official, uow())))


@bp.get("/registry/expiring")
@bp.arguments(schemas.RegistryQuery, location="query")
@bp.response(200, schemas.RecognisedTitle(many=True))
@refusals(401, 403, 404, 422)
def get_expiring(query: dict):
    """Titles whose validity ends in `year` (default this year) not yet renewed, under `unit`."""
    return jsonify(plain(registry.expiring_titles(g.official, uow(), **_registry_filter(query))))


def _registry_filter(query: dict) -> dict:
    return {"year": query.get("year"), "unit_code": query.get("unit") or None}


@bp.get("/registry")
@bp.arguments(schemas.RegistryQuery, location="query")
@bp.response(200, schemas.RecognisedTitle(many=True))
@refusals(401, 403, 404, 422)
def get_registry(query: dict):
    """Recognised titles under `unit` (default: the caller's), of `year` if given."""
    return jsonify(plain(registry.recognised_titles(g.official, uow(), **_registry_filter(query))))


@bp.get("/registry/counts")
@bp.arguments(schemas.RegistryQuery, location="query")
@bp.response(200, schemas.TitleCount(many=True))
@refusals(401, 403, 404, 422)
def get_registry_counts(query: dict):
    """How many titles of each kind, per commune and year, under `unit`."""
    return jsonify(plain(registry.title_counts(g.official, uow(), **_registry_filter(query))))
