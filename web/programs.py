"""One authenticator for programs, shared by /api (scripts) and /engine-rest (Camunda Modeler): a scoped token sent as
`Authorization: Bearer …`, checked without any slow hash. A password is checked only at sign-in: HTTP Basic is taken
nowhere (a slow hash per request would be a lever for load and for guessing past the sign-in throttle), and no answer
challenges for it, so no browser caches an official's password for this site and replays it for a page on another
origin. Each blueprint only says how its refusal reads."""
from collections.abc import Callable

from flask import Response, g, jsonify, request

from engine.organisation.tokens import verify_token
from web.engine_access import uow

# A refusal's body in the blueprint's own format, from its message.
Refusal = Callable[[str], dict]
CHALLENGE = 'Bearer realm="learning-models"'
REFUSED = "Mã truy cập (hoặc tài khoản) không đúng, đã hết hạn, đã bị thu hồi, hoặc không có quyền này."


def sends_credentials() -> bool:
    """Whether the request carries an Authorization header (a program's, not a browser session's)."""
    return request.authorization is not None


def sign_in(scopes: tuple[str, ...], refusal: Refusal) -> Response | None:
    """Check the request's token (one of `scopes`) once and set g.official; None when it is right, else a 401 with
    the blueprint's `refusal` body."""
    credentials = request.authorization
    if credentials.type != "bearer" or not credentials.token:
        g.official = None
        return unauthorised(refusal("Gửi mã truy cập: Authorization: Bearer <mã>; HTTP Basic không còn dùng ở đây "
                                    "(tạo mã ở trang Mã truy cập)."))
    g.official = verify_token(credentials.token, scopes, uow())
    return None if g.official is not None else unauthorised(refusal(REFUSED))


def unauthorised(body: dict) -> Response:
    """A 401 that asks for a token (never for Basic: a browser would ask for and cache a password)."""
    response = jsonify(body)
    response.status_code = 401
    response.headers["WWW-Authenticate"] = CHALLENGE
    return response
