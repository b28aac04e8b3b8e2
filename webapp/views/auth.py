"""Who is asking: session log-in for the browser, bearer tokens for the API.

``g.user`` is the logged-in :class:`~webapp.store.User` or ``None``. Browser forms carry
a CSRF token (Flask-WTF); API calls authenticated by ``Authorization: Bearer <token>``
carry no cookie, so they need none. Repeated failed log-ins are slowed down (429).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFProtect
from werkzeug.wrappers import Response

from ..library import accounts
from ..store import Database
from ..store.users import UserError

bp = Blueprint("auth", __name__)
csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    """Set the secret key, CSRF protection and the per-request user loader."""
    app.config["SECRET_KEY"] = _secret_key(app)
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    csrf.init_app(app)
    app.before_request(_load_user)
    app.register_blueprint(bp)


def _secret_key(app: Flask) -> str:
    """The configured key, or one generated once and kept in the instance folder (0600).

    No development key is ever used: a fresh install gets its own random key.
    """
    configured = app.config.get("SECRET_KEY")
    if configured:
        if configured in {"dev", "development", "changeme", "secret"} and not (
            app.debug or app.testing
        ):
            raise RuntimeError("refusing a development SECRET_KEY outside debug or testing")
        return str(configured)
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def database() -> Database:
    """The app's database."""
    db: Database = current_app.extensions["memcon.db"]
    return db


def _load_user() -> None:
    g.user = None
    g.token_auth = False
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        checked = accounts.token_user(database(), header[7:].strip())
        if checked.user is None:
            abort(401, description=checked.reason)
        g.user = checked.user
        g.token_auth = True
        return
    user_id = session.get("user_id")
    if user_id is not None:
        # A cookie from before a log-out or password change carries an older version (one
        # made before session versions existed carries none: version 1).
        user = accounts.session_user(database(), user_id, session.get("session_version", 1))
        if user is None:
            session.clear()
            return
        g.user = user


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Log in with name and password; repeated failures must wait."""
    error = ""
    status = 200
    retry_after = 0
    if request.method == "POST":
        name = request.form.get("name", "").strip()
        password = request.form.get("password", "")
        result = accounts.log_in(database(), name, password)
        if result.user is not None:
            session.clear()
            session["user_id"] = result.user.id
            session["session_version"] = result.user.session_version
            flash("You are logged in.")
            return redirect(_safe_next(request.args.get("next")))
        if result.retry_after:  # not checked: a wait started by earlier failures runs
            retry_after = result.retry_after
            error = f"Too many failed log-ins: wait {retry_after} seconds and try again."
            status = 429
        else:
            retry_after = result.wait
            error = "Wrong name or password."
            if retry_after:
                error += f" Too many failed log-ins: wait {retry_after} seconds before the next."
            status = 401
    response = current_app.make_response((render_template("login.html", error=error), status))
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


@bp.post("/logout")
def logout() -> Response:
    """Log out (a POST with a CSRF token, so no other site can log you out).

    Every session of the user ends, in every browser: a copy of the cookie stops working.
    """
    if g.user is not None:
        accounts.log_out(database(), g.user)
    session.clear()
    flash("You are logged out.")
    return redirect(url_for("pages.library"))


def local_path(target: str | None, fallback: str) -> str:
    """``target`` if it is a path on this site, else ``fallback`` (no open redirect).

    Browsers read a backslash as a slash and drop tabs and line breaks, so ``/\\host`` or
    ``/<TAB>/host`` would leave the site like ``//host``: any of them is refused.
    """
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not any(ord(c) < 0x20 or ord(c) == 0x7F for c in target)
    ):
        return target
    return fallback


def _safe_next(target: str | None) -> str:
    """Only local paths are followed after log-in."""
    return local_path(target, url_for("pages.library"))


@bp.route("/tokens", methods=["GET", "POST"])
def tokens() -> ResponseReturnValue:
    """The logged-in person's API tokens: list, make a new one (shown once), revoke."""
    if g.user is None:
        return redirect(url_for("auth.login", next=url_for("auth.tokens")))
    made = ""
    error = ""
    status = 200
    if request.method == "POST":
        days = request.form.get("expires_days", "").strip()
        try:
            made = accounts.make_token(database(), g.user, float(days) if days else None)
        except ValueError:  # not a number, or UserError (out of range)
            error = "a token expires after 1 to 36500 days, or leave the field empty"
            status = 400
    rows = accounts.tokens(database(), g.user)
    page = render_template("tokens.html", rows=rows, made=made, error=error)
    return page, status


@bp.post("/tokens/<int:token_id>/revoke")
def revoke(token_id: int) -> Response:
    """Revoke one of the logged-in person's tokens (another's is 404)."""
    if g.user is None:
        abort(401, description="log in first")
    try:
        accounts.revoke(database(), g.user, token_id)
    except UserError:
        abort(404, description=f"you have no token {token_id}")
    flash(f"Token {token_id} revoked: it is refused from now on.")
    return redirect(url_for("auth.tokens"))
