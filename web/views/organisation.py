"""Who works here: officials signing in and out (accounts), and a commune keeping its branches (units)."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.exceptions import HTTPException

from engine.errors import InvalidInput
from engine.model import BranchKind
from engine.organisation import accounts, tokens, units
from web import exports, forms
from web.forms import ascii_int
from web.engine_access import SignedIn, official, uow
from web.extensions import limiter, login_manager

bp = Blueprint("organisation", __name__)
LOCKED = "Đăng nhập sai quá nhiều lần; hãy thử lại sau ít phút (hoặc nhờ quản trị đặt lại mật khẩu)."


@login_manager.user_loader
def load_user(secret: str):
    """The official of the session the cookie names, or None once it has ended on the server."""
    found = accounts.signed_in(secret, uow())
    return SignedIn(found, secret) if found else None


def _failed(response) -> bool:
    """A sign-in that did not go through: only these count against the limits."""
    return not g.get("signed_in")


def _account() -> str:
    return "account:" + request.form.get("username", "").strip().casefold()[:80]


# Stepped back-off: a few tries, then a quarter of an hour's wait, then the day's; per account (a password guessed
# from many addresses) and per address (many accounts tried from one). The right password counts as none while locked.
@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes;20 per day", key_func=_account, methods=["POST"], deduct_when=_failed,
               error_message=LOCKED)
@limiter.limit("50 per 15 minutes;200 per day", methods=["POST"], deduct_when=_failed, error_message=LOCKED)
def login():
    """Sign in, then go back to the page that asked for it."""
    if request.method == "POST":
        session = accounts.sign_in(request.form.get("username", ""), request.form.get("password", ""), uow())
        carry_to = _draft_path(request.form.get("_carry_to", ""))
        if session is not None:
            login_user(SignedIn(session.official, session.secret))
            g.signed_in = True
            if carry_to:
                return _carrying(carry_to, resumed=True)
            return redirect(_same_site(request.args.get("next", "")) or url_for("inbox.inbox"))
        flash("Sai tên đăng nhập hoặc mật khẩu.", "error")
        if carry_to:  # a mistyped password must not cost the typed work: the page carries it on for another try
            return _carrying(carry_to, resumed=False)
    return render_template("login.html")


def _carrying(carry_to: str, resumed: bool) -> str:
    """The page taking a task form's typed work on through the sign-in to the official's draft of the task."""
    return render_template("session_expired.html", resumed=resumed, draft=carry_to,
                           carried=forms.carried(request.form, "csrf_token", "username", "password", "_carry_to"))


def _same_site(target: str) -> str | None:
    # Only same-site paths: an open redirect would let a phishing link borrow our login page.
    if not target.startswith("/") or urlsplit(target).netloc or target.startswith("//"):
        return None
    return target


def _draft_path(target: str) -> str | None:
    """The path of a task's draft that typed work from an expired session goes on to, once signed in; no other."""
    try:
        endpoint, _ = current_app.url_map.bind("").match(_same_site(target) or "/", method="POST")
    except HTTPException:
        return None
    return target if endpoint == "inbox.save_draft" else None


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out, ending the session on the server too, and go back to the login page."""
    accounts.sign_out(current_user.get_id(), uow())
    logout_user()
    return redirect(url_for("organisation.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change my password; my other sessions (another browser, a lost phone) end."""
    errors = {}
    if request.method == "POST":
        try:
            accounts.change_password(current_user.get_id(), request.form.get("current_password", ""),
                                     request.form.get("new_password", ""), uow())
        except InvalidInput as error:
            errors = error.errors
        else:
            flash("Đã đổi mật khẩu; các phiên đăng nhập khác của tài khoản đã kết thúc.", "success")
            return redirect(url_for("inbox.inbox"))
    return render_template("password.html", errors=errors), 422 if errors else 200


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def api_tokens():
    """My tokens for programs (an administrator: everyone's); create one, its secret shown this once."""
    created, errors = None, {}
    if request.method == "POST":
        try:
            created = tokens.create_token(official(), request.form.get("name", ""), request.form.getlist("scopes"),
                                          ascii_int(request.form.get("days")) or 0, uow(),
                                          request.form.get("for_username") or None)
        except InvalidInput as error:
            errors = error.errors
    return render_template("tokens.html", tokens=tokens.list_tokens(official(), uow()), created=created,
                           errors=errors, scopes=tokens.SCOPES), 422 if errors else 200


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_api_token(token_id: int):
    """End a token at once."""
    tokens.revoke_token(official(), token_id, uow())
    flash(f"Đã thu hồi mã truy cập số {token_id}.", "success")
    return redirect(url_for("organisation.api_tokens"))


@bp.route("/branches", methods=["GET", "POST"])
@login_required
def branches():
    """A commune lists its branches and creates new ones (a refusal shows the list again, with a 422)."""
    if request.method == "POST":
        try:
            code = units.add_branch(official().unit_code, request.form.get("name", ""), uow(), by=official(),
                                    kind=request.form.get("kind", BranchKind.VILLAGE))
        except InvalidInput as error:
            flash(str(error), "error")
            return render_template("branches.html", branches=units.branches_of_my_commune(official(), uow())), 422
        flash(f"Đã lập chi hội mã {code}.", "success")
        return redirect(url_for("organisation.branches"))
    return render_template("branches.html", branches=units.branches_of_my_commune(official(), uow()))


@bp.route("/branches.xlsx")
@login_required
def branches_xlsx():
    """My commune's branches as an .xlsx file."""
    return exports.download("chi-hoi", exports.branches(units.branches_of_my_commune(official(), uow())))
