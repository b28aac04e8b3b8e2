"""Errors as pages for people and as JSON for the API, always with a reason and status."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, ServiceUnavailable
from werkzeug.exceptions import NotFound as HTTPNotFound

from .collate.semantic import SemanticUnavailable
from .library import NotFound


def init_app(app: Flask) -> None:
    """Answer every HTTP error with a page, or with JSON under ``/api/``."""

    @app.errorhandler(NotFound)
    def _not_found(exc: NotFound) -> Any:
        return _http_error(HTTPNotFound(description=str(exc)))

    @app.errorhandler(SemanticUnavailable)
    def _no_semantic(exc: SemanticUnavailable) -> Any:
        # A dossier set to the semantic scorer, served where its extra is not installed.
        return _http_error(ServiceUnavailable(description=str(exc)))

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
