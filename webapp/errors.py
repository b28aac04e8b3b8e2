"""Errors as pages for people and as JSON for the API, always with a reason and status."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, jsonify, render_template, request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict, HTTPException, ServiceUnavailable
from werkzeug.exceptions import NotFound as HTTPNotFound

from .collate.semantic import SemanticUnavailable
from .library import NotFound

#: The answer to a change that lost a race with another one (409).
RACED = (
    "someone else changed this at the same moment and their change was saved first; "
    "nothing of yours was saved: reload and try again"
)


def is_unique_violation(exc: IntegrityError) -> bool:
    """Whether the database refused a second row where only one may be (SQLite, PostgreSQL)."""
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return code == "23505" or "UNIQUE constraint failed" in str(exc.orig)


def init_app(app: Flask) -> None:
    """Answer every HTTP error with a page, or with JSON under ``/api/``."""

    @app.errorhandler(NotFound)
    def _not_found(exc: NotFound) -> Any:
        return _http_error(HTTPNotFound(description=str(exc)))

    @app.errorhandler(SemanticUnavailable)
    def _no_semantic(exc: SemanticUnavailable) -> Any:
        # A dossier set to the semantic scorer, served where its extra is not installed.
        return _http_error(ServiceUnavailable(description=str(exc)))

    @app.errorhandler(StaleDataError)
    def _raced(exc: StaleDataError) -> Any:
        # Two changes of one row based on the same version: the database let the first
        # through (its transaction committed); this one changed nothing.
        return _http_error(Conflict(description=RACED))

    @app.errorhandler(IntegrityError)
    def _duplicate(exc: IntegrityError) -> Any:
        if not is_unique_violation(exc):
            raise exc
        return _http_error(Conflict(description=RACED))

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
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
