"""Flask blueprints: ``pages`` (HTML for people) and ``api`` (JSON mirroring the pages)."""

from __future__ import annotations

from flask import current_app, g, request, session

from ..library import DossierComparison, DossierInfo, Library


def current_library() -> Library:
    """The app's :class:`Library` of dossiers and cached comparisons."""
    library: Library = current_app.extensions["memcon.library"]
    return library


def shares() -> list[str]:
    """Share-link tokens this request holds: opened links (session) and ``?share=``."""
    held = list(session.get("shares", []))
    if request.args.get("share"):
        held.append(request.args["share"])
    return held


def visible_dossier(slug: str) -> DossierInfo:
    """The dossier if the current person may see it, else NotFound (shown as 404)."""
    return current_library().dossier(slug, g.user, shares())


def visible_comparison(slug: str) -> DossierComparison:
    """The dossier's comparison (``?reference=`` chooses another reference), if visible."""
    reference = request.args.get("reference") or None
    return current_library().comparison(slug, g.user, shares(), reference)
