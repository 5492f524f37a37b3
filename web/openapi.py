"""The JSON API described in OpenAPI by flask-smorest, from the schemas its routes declare (web/api_schemas.py), and
served at /api/openapi.json. The library only documents and parses here: bodies are still read by web.json_bodies
(its limits before any parsing), refusals are web.errors' JSON under /api, and the pages keep their own error pages."""
from flask_smorest import Api, Blueprint
from marshmallow import ValidationError
from webargs.flaskparser import FlaskParser

from engine.errors import InvalidInput
from web import api_schemas, json_bodies

SECURITY_SCHEMES = {
    "bearerAuth": {"type": "http", "scheme": "bearer",
                   "description": "Mã truy cập của chương trình (trang Mã truy cập): read để đọc, act để làm."},
    "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "session",
                      "description": "Phiên đăng nhập của trình duyệt."},
    "csrfToken": {"type": "apiKey", "in": "header", "name": "X-CSRFToken",
                  "description": "Mã CSRF của trang, bắt buộc khi ghi bằng phiên đăng nhập."},
}
READING = [{"bearerAuth": []}, {"sessionCookie": []}]
WRITING = [{"bearerAuth": []}, {"sessionCookie": [], "csrfToken": []}]
SPEC_ENDPOINT = "api-docs.openapi_json"  # flask-smorest's rule serving the description (OPENAPI_URL_PREFIX: /api)
# Where webargs files a refused field: the field alone names it.
LOCATIONS = ("json", "json_or_multipart", "query", "querystring", "path", "view_args")


class LimitedParser(FlaskParser):
    """webargs reading a body through json_bodies, and refusing bad input as the engine does (422 naming fields)."""
    __location_map__ = {**FlaskParser.__location_map__, "json_or_multipart": "load_json_or_multipart"}

    def load_json(self, req, schema):
        """The JSON object within json_bodies' limits (size before parsing, then depth and keys)."""
        return json_bodies.body()

    def load_json_or_multipart(self, req, schema):
        """A form's values: the JSON body, or in a multipart request (files) the JSON object in its part `values`."""
        if req.mimetype != "multipart/form-data":
            return json_bodies.body()
        return json_bodies.parsed(req.form.get("values", "{}"), "values", "Phần 'values' phải là một đối tượng JSON.")

    def handle_error(self, error: ValidationError, req, schema, *, error_status_code, error_headers):
        """Each refused field with its first message, as InvalidInput (errors.py makes it a 422)."""
        raise InvalidInput(dict(_field_messages(error.messages)))


def _field_messages(messages, prefix: str = ""):
    """(dotted field name, first message) pairs from marshmallow's nested messages, under their location."""
    for name, message in messages.items():
        if isinstance(message, dict):
            yield from _field_messages(message, "" if not prefix and name in LOCATIONS else f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", message[0] if isinstance(message, list) else str(message)


class ApiBlueprint(Blueprint):
    """A flask-smorest blueprint whose arguments go through LimitedParser."""
    ARGUMENTS_PARSER = LimitedParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {**Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
                                             "json_or_multipart": "application/json"}


class Description(Api):
    """flask-smorest's Api without its app-wide JSON error pages: web/errors.py answers errors, JSON under /api."""
    ERROR_SCHEMA = api_schemas.Error
    DEFAULT_ERROR_RESPONSE_NAME = None  # every status an operation answers is listed, so a fuzzer can hold it to them

    def _register_error_handlers(self):
        """None: errors are web/errors.py's."""


def init_app(app) -> Description:
    """Make the app's description (kept in app.extensions["flask-smorest"]) with its security schemes and the rule
    serving it."""
    description = Description(app)
    for name, scheme in SECURITY_SCHEMES.items():
        description.spec.components.security_scheme(name, scheme)
    (rule,) = app.url_map.iter_rules(SPEC_ENDPOINT)
    description.spec.path(rule=rule, operations={"get": {
        "summary": "Bản mô tả OpenAPI này (không cần đăng nhập).", "security": [], "tags": ["api-docs"],
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}}}})
    return description
