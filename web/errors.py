"""Engine errors become HTTP answers in one place: JSON under /api, a page elsewhere."""
from flask import current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, TooManyRequests

from engine.errors import Conflict, DeploymentRefused, EngineError, Forbidden, InvalidInput, NotFound, WorkflowFailed

STATUS = ((NotFound, 404), (Forbidden, 403), (Conflict, 409), (InvalidInput, 422), (DeploymentRefused, 422),
          (WorkflowFailed, 500))


def status_of(error: EngineError) -> int:
    """The HTTP status an engine error answers with (400 for any kind not listed)."""
    return next((code for kind, code in STATUS if isinstance(error, kind)), 400)


def init_app(app) -> None:
    """Answer every engine error a view lets through: JSON under /api, the error page elsewhere."""
    @app.errorhandler(EngineError)
    def engine_error(error: EngineError):
        code = status_of(error)
        if request.path.startswith("/api/"):
            body = {"error": str(error)}
            if isinstance(error, InvalidInput):
                body["errors"] = error.errors
            return jsonify(body), code
        return render_template("error.html", message=str(error), code=code), code

    @app.errorhandler(CSRFError)
    def csrf_refused(error: CSRFError):
        """A form sent without the token of a live session (it expired, or the page stayed open past a sign-out):
        say so in Vietnamese (a task's form has its own answer, web.views.inbox)."""
        if request.path.startswith(("/api/", "/engine-rest/")):
            return jsonify({"error": "Thiếu hoặc sai mã CSRF."}), 400
        return render_template("session_expired.html", carried=None), 400

    @app.errorhandler(TooManyRequests)
    def too_many(error: TooManyRequests):
        """Throttled: the reason and when to try again."""
        return _refused(error.description, 429)

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge):
        """A body past a limit, naming which: Werkzeug's own refusal says neither the limit nor the part."""
        werkzeugs = error.description == RequestEntityTooLarge.description
        return _refused(_which_limit() if werkzeugs else error.description, 413)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        """Any other HTTP refusal (a path that names nothing, a method not allowed): JSON
        with its reason under /api, as the API's description says; the default page elsewhere."""
        if request.path.startswith("/api/"):
            headers = [(name, value) for name, value in error.get_headers() if name != "Content-Type"]  # e.g. Allow
            return jsonify({"error": error.description}), error.code, headers
        return error


def _refused(message: str, code: int):
    """A refusal as its reader needs it: JSON for programs (/api, /engine-rest), the error page for people."""
    if request.path.startswith(("/api/", "/engine-rest/")):
        return jsonify({"error": message}), code
    return render_template("error.html", message=message, code=code), code


def _which_limit() -> str:
    """Which of Werkzeug's limits a request passed: the whole body's (also when sent without a length), or a form's
    field or number of parts."""
    config, length = current_app.config, request.content_length
    if length is None or length > config["MAX_CONTENT_LENGTH"]:
        return f"Yêu cầu lớn hơn {config['MAX_CONTENT_LENGTH'] // 1_000_000} MB (các tệp của một bước cộng lại)."
    return (f"Một ô của biểu mẫu lớn hơn {config['MAX_FORM_MEMORY_SIZE'] // 1000} KB, "
            f"hoặc biểu mẫu có hơn {config['MAX_FORM_PARTS']} phần.")
