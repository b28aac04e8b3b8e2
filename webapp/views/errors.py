"""Errors as pages for people and as JSON for the API, always with a reason and status."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict as HTTPConflict
from werkzeug.exceptions import HTTPException

from ..collate.phrases import PhraseNotFound
from ..collate.semantic import SemanticUnavailable
from ..errors import MemconError, status_of

#: The answer to a change that lost a race with another one (409).
RACED = (
    "someone else changed this at the same moment and their change was saved first; "
    "nothing of yours was saved: reload and try again"
)


def is_unique_violation(exc: IntegrityError) -> bool:
    """Whether the database refused a second row where only one may be (SQLite, PostgreSQL)."""
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return code == "23505" or "UNIQUE constraint failed" in str(exc.orig)


#: Errors from outside the hierarchy (the engine, the database) and their statuses; every
#: error of :mod:`webapp.errors` carries its own. Pages and the JSON API both read this.
FOREIGN: dict[type[BaseException], int] = {
    StaleDataError: 409,  # two changes of one row from the same version: the first won
    SemanticUnavailable: 503,  # a semantic dossier where the extra is not installed
    PhraseNotFound: 400,
}


def http_status(exc: BaseException) -> int | None:
    """The status an error is answered with, or None for an error that is a bug (500)."""
    if isinstance(exc, MemconError):
        return status_of(exc)
    if isinstance(exc, IntegrityError):
        return 409 if is_unique_violation(exc) else None
    return next((code for kind, code in FOREIGN.items() if isinstance(exc, kind)), None)


def init_app(app: Flask) -> None:
    """Answer every HTTP error with a page, or with JSON under ``/api/``."""

    @app.errorhandler(MemconError)
    def _refused(exc: MemconError) -> ResponseReturnValue:
        return _answer(exc, status_of(exc))

    @app.errorhandler(SemanticUnavailable)
    def _no_semantic(exc: SemanticUnavailable) -> ResponseReturnValue:
        return _answer(exc, 503)

    @app.errorhandler(StaleDataError)
    def _raced(exc: StaleDataError) -> ResponseReturnValue:
        # Two changes of one row based on the same version: the database let the first
        # through (its transaction committed); this one changed nothing.
        return _http_error(HTTPConflict(description=RACED))

    @app.errorhandler(IntegrityError)
    def _duplicate(exc: IntegrityError) -> ResponseReturnValue:
        if http_status(exc) is None:
            raise exc
        return _http_error(HTTPConflict(description=RACED))

    def _answer(exc: BaseException, status: int) -> ResponseReturnValue:
        error = HTTPException(description=str(exc))
        error.code = status
        return _http_error(error)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> ResponseReturnValue:
        status = exc.code or 500
        message = exc.description or exc.name
        if status == 413:
            limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
            message = (
                f"the upload is larger than the limit of {limit / 1024 / 1024:.1f} MB "
                f"({limit} bytes); nothing was stored"
            )
        if request.path.startswith("/api/"):
            return jsonify({"error": message, "status": status}), status
        page = render_template("error.html", status=status, title=exc.name, message=message)
        return page, status
