"""memcon: set later accounts of an event against the record, sentence by sentence.

``create_app()`` builds the web app (``gunicorn 'webapp:create_app()'``); the engine is
``webapp.collate`` and imports no web code, so Flask is loaded only by the web app.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the Flask app (see :func:`webapp.app.create_app`)."""
    from .app import create_app as _create_app

    return _create_app(config)
