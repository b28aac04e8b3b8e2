"""Flask blueprints: ``pages`` (HTML for people) and ``api`` (JSON mirroring the pages)."""

from __future__ import annotations

from flask import current_app, g, request, session

from ..library import DossierComparison, DossierInfo, Library


def current_library() -> Library:
    """The app's :class:`Library` of dossiers and cached comparisons."""
    library: Library = current_app.extensions["memcon.library"]
    return library


#: The request header a program sends a share link's token in (as a browser holds it in
#: its session once it has opened ``/shared/<token>``).
SHARE_HEADER = "X-Memcon-Share"


def shares() -> list[str]:
    """Share-link tokens this request holds: links opened in this browser (the session),
    the :data:`SHARE_HEADER` header and ``?share=``. A token only lets one read."""
    held = list(session.get("shares", []))
    for token in (request.headers.get(SHARE_HEADER), request.args.get("share")):
        if token:
            held.append(token.strip())
    return held


def visible_dossier(slug: str) -> DossierInfo:
    """The dossier if the current person may see it, else NotFound (shown as 404)."""
    return current_library().dossier(slug, g.user, shares())


def visible_comparison(slug: str) -> DossierComparison:
    """The dossier's comparison (``?reference=`` chooses another reference), if visible."""
    reference = request.args.get("reference") or None
    return current_library().comparison(slug, g.user, shares(), reference)
