"""The scan page: which records does an account draw on?

Any visitor may paste or upload an account and scan it against the records (documents
of kind ``memcon``) of every dossier they may see, plus, when ``MEMCON_ARCHIVE_DIR`` is
set, every document of that folder. Profiles of the records are kept between requests
(:class:`~webapp.library.scanning.ProfileCache`, keyed by document version or file size and
time), so a second scan reads and segments nothing again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from flask import Blueprint, current_app, g, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..collate import Document
from ..collate.scan import Profile, ScanSettings, profile, scan_profiles
from ..ingest import IngestError
from ..library import DocInfo, DossierInfo, document_of
from ..library.scanning import (
    DEFAULT_SEGMENTER,
    ProfileCache,
    ScanError,
    find_records,
    read_document,
)
from ..store.dossiers import DossierError
from . import current_library, shares
from .manage import document_text, refusal_status

bp = Blueprint("scan", __name__)

#: Records shown in the results.
TOP = 20
#: Passages shown before the rest are folded.
SHOWN_PASSAGES = 3
#: Longest account the page scans (longer ones: ``memcon scan`` on the command line),
#: in sentences, and in characters (checked first, before segmenting).
MAX_ACCOUNT_SENTENCES = 2000
MAX_ACCOUNT_CHARS = 400_000


def _cache() -> ProfileCache:
    """This app's profiles of records (keyed as :func:`webapp.library.cache_key` keys)."""
    cache: ProfileCache = current_app.extensions.setdefault("memcon.scan_profiles", ProfileCache())
    return cache


@dataclass(frozen=True, slots=True)
class Source:
    """A record the page may scan: where it comes from and where it links to."""

    name: str
    title: str
    origin: str
    url: str | None
    #: The dossier page numbers this document's sentences (``#r12``): it is the record.
    numbered: bool
    key: tuple[object, ...]
    load: Callable[[], Profile]

    def sentence_url(self, index: int) -> str | None:
        """Where record sentence ``index`` (0-based) is shown, if anywhere."""
        if self.url is None:
            return None
        return f"{self.url}#r{index + 1}" if self.numbered else self.url


@bp.route("/scan", methods=["GET", "POST"])
def scan_page() -> ResponseReturnValue:
    """The form (GET) and the ranked records with their passages (POST)."""
    sources, archive_note = _sources()
    context: dict[str, object] = {
        "sources": sources,
        "from_dossiers": sum(1 for s in sources if s.origin != "archive"),
        "from_archive": sum(1 for s in sources if s.origin == "archive"),
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
    except (IngestError, DossierError) as exc:
        context["error"] = str(exc)
        return render_template("scan.html", **context), refusal_status(exc)
    too_long = (
        f"the page scans accounts of up to {MAX_ACCOUNT_SENTENCES} sentences "
        f"({MAX_ACCOUNT_CHARS:,} characters); use memcon scan on the command line"
    )
    if len(text) > MAX_ACCOUNT_CHARS:
        context["error"] = too_long
        return render_template("scan.html", **context), 400
    account = Document.from_text(filename or "pasted account", text)
    if not account.sentences or len(account.sentences) > MAX_ACCOUNT_SENTENCES:
        context["error"] = "the account has no sentences" if not account.sentences else too_long
        return render_template("scan.html", **context), 400
    settings = ScanSettings()
    profiles, skipped = _profiles(sources)
    result = scan_profiles(profile(account, settings.normalizer()), profiles, settings, top=TOP)
    by_name = {s.name: s for s in sources}
    context.update(
        result=result,
        hits=[(hit, by_name[hit.name]) for hit in result.records],
        skipped=skipped,
        account=account,
    )
    return render_template("scan.html", **context)


def _sources() -> tuple[list[Source], str]:
    """Every record this visitor may scan, and a note if the archive folder is missing."""
    sources = [
        _stored_source(dossier, meta)
        for dossier in current_library().visible(g.user, shares())
        for meta in dossier.documents
        if meta.kind == "memcon"
    ]
    folder = current_app.config.get("ARCHIVE_DIR")
    note = ""
    if folder:
        try:
            sources.extend(_file_source(Path(folder), path) for path in find_records(folder))
        except ScanError:
            note = "The archive folder is not available or holds no records; it was left out."
    return sources, note


def _stored_source(dossier: DossierInfo, meta: DocInfo) -> Source:
    """A memcon stored in a dossier, numbered as the dossier page numbers it."""
    name = f"{dossier.id}/{meta.slug}"

    def load() -> Profile:
        document = document_of(meta, current_library().text_of(meta))
        return profile(replace(document, name=name), ScanSettings().normalizer())

    return Source(
        name=name,
        title=meta.title,
        origin=dossier.title,
        url=url_for("pages.dossier", dossier_id=dossier.id)
        + ("" if meta.slug == dossier.record else f"#doc-{meta.slug}"),
        numbered=meta.slug == dossier.record,
        key=("stored", name, meta.id, meta.version, meta.splits, meta.joins),
        load=load,
    )


def _file_source(folder: Path, relative: str) -> Source:
    """A document of the archive folder (not linked: it has no page)."""
    path = folder / relative
    stat = path.stat()
    name = f"archive/{relative}"

    def load() -> Profile:
        document = Document.from_text(name, read_document(path), segmenter=DEFAULT_SEGMENTER)
        return profile(document, ScanSettings().normalizer())

    return Source(
        name=name,
        title=relative,
        origin="archive",
        url=None,
        numbered=False,
        key=("file", str(path.resolve()), stat.st_mtime_ns, stat.st_size, DEFAULT_SEGMENTER),
        load=load,
    )


def _profiles(sources: list[Source]) -> tuple[list[Profile], list[tuple[str, str]]]:
    """The profiles of the sources (cached), and the files that could not be read."""
    profiles: list[Profile] = []
    skipped: list[tuple[str, str]] = []
    cache = _cache()
    for source in sources:
        try:
            profiles.append(cache.get(source.key, source.load))
        except (IngestError, OSError) as exc:
            skipped.append((source.title, str(exc)))
    return profiles, skipped
