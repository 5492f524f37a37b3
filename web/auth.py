"""Signing in and out with a username and password (hashed with scrypt in the engine)."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user

from engine.accounts import authenticate, find_official
from web import login_manager
from web.engine_access import SignedIn, uow

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(username: str):
    found = find_official(username, uow())
    return SignedIn(found) if found else None


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in, then go back to the page that asked for it."""
    if request.method == "POST":
        found = authenticate(request.form.get("username", ""), request.form.get("password", ""), uow())
        if found is not None:
            login_user(SignedIn(found))
            target = request.args.get("next", "")
            # Only same-site paths: an open redirect would let a phishing link borrow our login page.
            if not target.startswith("/") or urlsplit(target).netloc or target.startswith("//"):
                target = url_for("pages.inbox")
            return redirect(target)
        flash("Sai tên đăng nhập hoặc mật khẩu.", "error")
    return render_template("login.html")


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    return redirect(url_for("auth.login"))
