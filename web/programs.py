"""One authenticator for programs, shared by /api (scripts) and /engine-rest (Camunda Modeler): HTTP Basic read and
checked in one place. Each blueprint only says how its refusal reads."""
from collections.abc import Callable

from flask import Response, g, jsonify, request

from engine.organisation.accounts import authenticate
from web.engine_access import uow

# A refusal's body in the blueprint's own format, from its message.
Refusal = Callable[[str], dict]
CHALLENGE = 'Basic realm="learning-models", charset="UTF-8"'
WRONG_CREDENTIALS = "Sai tên đăng nhập hoặc mật khẩu."


def sends_basic() -> bool:
    """Whether the request carries HTTP Basic credentials."""
    credentials = request.authorization
    return credentials is not None and credentials.type == "basic"


def sign_in(refusal: Refusal) -> Response | None:
    """Check the Basic credentials (of a request that sends_basic) once and set g.official; None when they are
    right, else a 401 with the blueprint's `refusal` body."""
    credentials = request.authorization
    g.official = authenticate(credentials.username or "", credentials.password or "", uow())
    return None if g.official is not None else unauthorised(refusal(WRONG_CREDENTIALS))


def unauthorised(body: dict) -> Response:
    """A 401 carrying the Basic challenge, so the program knows to send credentials."""
    response = jsonify(body)
    response.status_code = 401
    response.headers["WWW-Authenticate"] = CHALLENGE
    return response
