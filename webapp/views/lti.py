"""LTI 1.3 launches of exercises from a learning platform (Moodle, Canvas, Blackboard).

Off by default: :func:`init_app` registers nothing unless ``LTI_PLATFORMS`` names a
platforms file (see webapp/library/lti_platforms.py and docs/lti.md). Then:

- ``/lti/login`` (GET or POST from the platform): OIDC third-party login initiation. The
  platform must be known; a fresh ``state`` and ``nonce`` ride in a signed cookie named
  by the state (10 minutes; ``SameSite=None; Secure``: the launch is a cross-site POST),
  and the browser goes to the platform's auth URL with them.
- ``/lti/launch`` (POST ``id_token`` and ``state``): the state must name this browser's
  login cookie and the token pass every check of lti_tokens.py; the launch is stored
  (the opaque subject and context only) and the student goes to the exercise's task page.
- ``/lti/exercises/<id>/launches.csv``: an exercise's launches, for its teacher.
- ``/lti/jwks``: the tool's public key, if ``LTI_TOOL_KEY`` names a PEM private key.

Both platform-facing POSTs are exempt from the CSRF token: a platform cannot know it, and
the state (bound to this browser by its cookie) and the single-use nonce (bound to the
signed token) are what stop a forged or replayed request. Requests under ``/lti`` leave
no client address in the server's log, like the exercise routes.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..errors import MemconError, Refused, status_of
from ..library import lti as store
from . import current_library
from .auth import csrf
from .exercise_log import forget_client
from .manage import _teacher_required

if TYPE_CHECKING:  # the JWT library is an extra: imported only when LTI is on
    from ..library.lti_platforms import Platform, Platforms

bp = Blueprint("lti", __name__, url_prefix="/lti")

#: How long a login may take before its launch comes back, in seconds.
LOGIN_SECONDS = 600
#: The student's session key of the launch their submissions are tied to.
LAUNCHED = "lti_launch"
#: What a state looks like (secrets.token_urlsafe): anything else names no cookie.
STATE = re.compile(r"[A-Za-z0-9_-]{16,64}")
COOKIE_PREFIX = "memcon-lti-"


def _platforms() -> Platforms:
    platforms: Platforms = current_app.extensions["memcon.lti"]
    return platforms


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt="memcon.lti.login")


def _required(names: Iterable[str], *, posted: bool = False) -> dict[str, str]:
    """The named parameters (the form's only, if ``posted``); Refused if any is missing."""
    values = request.form if posted else request.values
    given = {name: values.get(name, "").strip() for name in names}
    missing = [name for name, value in given.items() if not value]
    if missing:
        raise Refused(f"the LTI request lacks {', '.join(missing)}")
    return given


def _auth_url(platform: Platform, query: dict[str, str]) -> str:
    joiner = "&" if urlsplit(platform.auth_login_url).query else "?"
    return platform.auth_login_url + joiner + urlencode(query)


def _check_target(target: str) -> None:
    """The link to launch must lead to this tool (the Security Framework's advice)."""
    if urlsplit(target).netloc != request.host:
        raise Refused(f"target_link_uri {target!r} does not lead to this tool ({request.host})")


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Third-party login initiation: send the browser to the platform's auth endpoint."""
    given = _required(("iss", "login_hint", "target_link_uri"))
    platform = _platforms().find(given["iss"], request.values.get("client_id") or None)
    deployment = request.values.get("lti_deployment_id")
    if deployment and deployment not in platform.deployment_ids:
        raise Refused(f"the deployment {deployment!r} may not launch memcon", status=403)
    _check_target(given["target_link_uri"])
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    query = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": platform.client_id,
        "redirect_uri": url_for("lti.launch", _external=True),
        "login_hint": given["login_hint"],
        "state": state,
        "nonce": nonce,
    }
    if request.values.get("lti_message_hint"):
        query["lti_message_hint"] = request.values["lti_message_hint"]
    held = {"state": state, "nonce": nonce, "iss": platform.issuer, "aud": platform.client_id}
    response = redirect(_auth_url(platform, query), 302)
    response.set_cookie(
        COOKIE_PREFIX + state,
        _signer().dumps(held),
        max_age=LOGIN_SECONDS,
        path="/lti/",
        secure=True,
        httponly=True,
        samesite="None",
    )
    return response


def _login_of(state: str) -> dict[str, Any]:
    """The login this browser started with ``state``; Refused (401) if there is none."""
    if not STATE.fullmatch(state):
        raise Refused("the launch's state is not one this tool made", status=401)
    cookie = request.cookies.get(COOKIE_PREFIX + state)
    if not cookie:
        raise Refused(
            "this browser started no login with that state (or its cookies are blocked): "
            "open the activity again from the course",
            status=401,
        )
    try:
        held: dict[str, Any] = _signer().loads(cookie, max_age=LOGIN_SECONDS)
    except SignatureExpired as exc:
        raise Refused("the login took too long: open the activity again", status=401) from exc
    except BadSignature as exc:
        raise Refused("the login cookie was tampered with", status=401) from exc
    if not secrets.compare_digest(str(held.get("state", "")), state):
        raise Refused("the launch's state does not match the login's", status=401)
    return held


@bp.post("/launch")
def launch() -> ResponseReturnValue:
    """The platform's signed launch: check it, store who (opaquely), open the task."""
    from ..library.lti_tokens import verify

    given = _required(("id_token", "state"), posted=True)  # never a token in a URL
    held = _login_of(given["state"])
    platform = _platforms().find(str(held["iss"]), str(held["aud"]))
    made = store.record_launch(
        current_library(), verify(given["id_token"], platform, held["nonce"])
    )
    session[LAUNCHED] = {"launch": made.id, "exercise": made.exercise_id}
    response = redirect(url_for("exercise_student.task", code=made.code), 303)
    response.delete_cookie(
        COOKIE_PREFIX + given["state"], path="/lti/", secure=True, samesite="None"
    )
    return response


@bp.get("/exercises/<int:exercise_id>/launches.csv")
def launches_csv(exercise_id: int) -> ResponseReturnValue:
    """The exercise's launches for its teacher: the platform's subject and context of
    each, with the pseudonym and receipt block of what they submitted."""
    _teacher_required("the launches of its exercises")
    out = io.StringIO()
    csv.writer(out).writerows(store.launch_rows(current_library(), g.user, exercise_id))
    name = f"exercise-{exercise_id}-lti-launches.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def note_submission(submission_id: str) -> None:
    """Tie a new submission to the launch that brought the student (if LTI is on and one
    did); called by the students' submit view. Does nothing otherwise."""
    if "memcon.lti" not in current_app.extensions:
        return
    held = session.get(LAUNCHED)
    if isinstance(held, dict) and isinstance(held.get("launch"), str):
        store.tie_submission(current_library(), held["launch"], submission_id)


@bp.errorhandler(MemconError)
def _refused(exc: MemconError) -> ResponseReturnValue:
    """A refused login or launch: its reason, and the way back to the course."""
    status = status_of(exc)
    return render_template("lti_error.html", status=status, message=str(exc)), status


class _ForgetLtiClients:
    """WSGI middleware: the students' launch requests keep no client address in logs."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if str(environ.get("PATH_INFO", "")).startswith(bp.url_prefix or "/lti"):
            forget_client(environ)
        result: Iterable[bytes] = self.app(environ, start_response)
        return result


def init_app(app: Flask) -> None:
    """With ``LTI_PLATFORMS`` set: read the platforms (start-up fails with the field at
    fault) and register the routes; without it: nothing, not one /lti/ route."""
    path = app.config.get("LTI_PLATFORMS")
    if not path:
        return
    try:
        from ..library.lti_platforms import load_platforms
    except ImportError as exc:
        raise RuntimeError(
            f"LTI_PLATFORMS is set but the LTI extra is missing ({exc}): pip install 'memcon[lti]'"
        ) from exc
    app.extensions["memcon.lti"] = load_platforms(Path(str(path)))
    key = app.config.get("LTI_TOOL_KEY")
    if key:
        from .lti_jwks import init_jwks

        init_jwks(app, Path(str(key)))
    csrf.exempt(bp)  # the state cookie and the single-use nonce stand in for the token
    app.register_blueprint(bp)
    app.wsgi_app = _ForgetLtiClients(app.wsgi_app)  # type: ignore[method-assign]
