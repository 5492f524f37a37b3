"""Engine errors become HTTP answers in one place: JSON under /api, a page elsewhere."""
from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException, TooManyRequests

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

    @app.errorhandler(TooManyRequests)
    def too_many(error: TooManyRequests):
        """Throttled: the reason and when to try again, JSON for programs, the error page for people."""
        if request.path.startswith(("/api/", "/engine-rest/")):
            return jsonify({"error": error.description}), 429
        return render_template("error.html", message=error.description, code=429), 429

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        """Any other HTTP refusal (a body past its limit, a path that names nothing, a method not allowed): JSON
        with its reason under /api, as the API's description says; the default page elsewhere."""
        if request.path.startswith("/api/"):
            headers = [(name, value) for name, value in error.get_headers() if name != "Content-Type"]  # e.g. Allow
            return jsonify({"error": error.description}), error.code, headers
        return error
