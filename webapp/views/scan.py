"""The scan page: which records does an account draw on?

Any visitor may paste or upload an account and scan it against the records of every
dossier they may see (and of the archive folder, ``MEMCON_ARCHIVE_DIR``); the rules, the
records and their cached profiles are :mod:`webapp.library.scan_sources`'.
"""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, current_app, g, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..errors import Refused
from ..ingest import IngestError
from ..library.scan_sources import Source, scan_account, sources
from ..library.scanning import ProfileCache
from ..store.dossiers import DossierError
from . import current_library, shares
from .manage import document_text, refusal_status

bp = Blueprint("scan", __name__)

#: Records shown in the results.
TOP = 20
#: Passages shown before the rest are folded.
SHOWN_PASSAGES = 3


def _cache() -> ProfileCache:
    """This app's profiles of records (keyed as :func:`webapp.library.cache_key` keys)."""
    cache: ProfileCache = current_app.extensions.setdefault("memcon.scan_profiles", ProfileCache())
    return cache


@bp.route("/scan", methods=["GET", "POST"])
def scan_page() -> ResponseReturnValue:
    """The form (GET) and the ranked records with their passages (POST)."""
    found, archive_note = sources(
        current_library(), g.user, shares(), current_app.config.get("ARCHIVE_DIR")
    )
    records = [_linked(source) for source in found]
    context: dict[str, object] = {
        "sources": records,
        "from_dossiers": sum(1 for s in records if s.origin != "archive"),
        "from_archive": sum(1 for s in records if s.origin == "archive"),
        "archive_note": archive_note,
        "error": "",
        "text": "",
        "result": None,
        "shown": SHOWN_PASSAGES,
        "limit": current_app.config.get("MAX_CONTENT_LENGTH"),
    }
    if request.method == "GET":
        return render_template("scan.html", **context)
    context["text"] = pasted = request.form.get("text", "")
    try:
        text, filename = document_text(request.files.get("file"), pasted)
        done = scan_account(text, filename, records, _cache(), TOP)
    except (IngestError, DossierError, Refused) as exc:
        context["error"] = str(exc)
        return render_template("scan.html", **context), refusal_status(exc)
    by_name = {s.name: s for s in records}
    context.update(
        result=done.result,
        hits=[(hit, by_name[hit.name]) for hit in done.result.records],
        skipped=done.skipped,
        account=done.account,
    )
    return render_template("scan.html", **context)


def _linked(source: Source) -> Source:
    """The record with its page: the dossier's (a document other than the record: its
    place on the dossier page); a file of the archive has none."""
    if source.dossier is None:
        return source
    url = url_for("pages.dossier", dossier_id=source.dossier)
    return replace(source, url=url if source.numbered else f"{url}#doc-{source.document}")
