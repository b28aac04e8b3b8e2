"""Flask blueprints: ``pages`` (HTML for people) and ``api`` (JSON mirroring the pages)."""

from __future__ import annotations

from flask import current_app

from ..library import Library


def current_library() -> Library:
    """The app's :class:`Library` of dossiers and cached comparisons."""
    library: Library = current_app.extensions["memcon.library"]
    return library
