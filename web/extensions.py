"""The Flask extensions, created once here and bound to each app in create_app; the security headers they send."""
from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_talisman import Talisman
from flask_wtf import CSRFProtect

login_manager = LoginManager()
login_manager.login_view = "organisation.login"
login_manager.login_message = "Vui lòng đăng nhập."

csrf = CSRFProtect()

# Counts failed sign-ins per account and per address (the limits sit on the views that check a password or token).
limiter = Limiter(get_remote_address, headers_enabled=True)

# The pages' policy: scripts and styles only from our own files, never inline (data a page's script needs sits in
# data-* attributes or a <script type="application/json"> block); bpmn-js's stylesheet draws its logo from a data: URL.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# A file served from a dossier (an upload, a diagram) on our origin: nothing inside it may run or load, even when a
# browser opens it as a page.
SANDBOX_POLICY = "sandbox; default-src 'none'; frame-ancestors 'none'"


def sandboxed(view):
    """Mark a view that serves a dossier's file: its answer carries SANDBOX_POLICY instead of the pages' policy."""
    view.sandboxed = True
    return view


def init_app(app) -> None:
    """Bind every extension to `app`."""
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    # Flask runs after_request hooks last registered first: this one, registered before Talisman's, runs after it.
    app.after_request(_sandbox_files)
    # Talisman keeps its options and its app on the instance, so each app gets its own (the tests make many).
    app.extensions["talisman"] = Talisman(
        app,
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="same-origin",
        force_https=app.config["HTTPS"],
        strict_transport_security=app.config["HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
    )


def _sandbox_files(response):
    """Put the sandbox back on a dossier's file: Talisman gives every answer the pages' policy."""
    if getattr(current_app.view_functions.get(request.endpoint), "sandboxed", False):
        response.headers.update({"Content-Security-Policy": SANDBOX_POLICY, "X-Content-Type-Options": "nosniff"})
    return response
