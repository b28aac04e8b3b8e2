"""The scan page's side of a scan: the records a visitor may scan, their cached profiles,
and one pasted or uploaded account scanned against them.

Records are the documents of kind ``memcon`` of every dossier the person may see, plus,
when an archive folder is configured, every document of that folder. Profiles are kept
between requests in a :class:`~webapp.library.scanning.ProfileCache`, keyed by document
version (or file size and time), so a second scan reads and segments nothing again.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from pathlib import Path

from ..collate import Document
from ..collate.scan import Profile, ScanResult, ScanSettings, profile, scan_profiles
from ..errors import Refused
from ..ingest import IngestError
from ..store import User
from .comparisons import Library, document_of
from .infos import DocInfo, DossierInfo
from .scanning import DEFAULT_SEGMENTER, ProfileCache, ScanError, find_records, read_document

#: Longest account the page scans (longer ones: ``memcon scan`` on the command line),
#: in sentences, and in characters (checked first, before segmenting).
MAX_ACCOUNT_SENTENCES = 2000
MAX_ACCOUNT_CHARS = 400_000


@dataclass(frozen=True, slots=True)
class Source:
    """A record the page may scan: where it comes from and where it links to."""

    name: str
    title: str
    origin: str
    #: The dossier and document it is stored as (None for a file of the archive).
    dossier: str | None
    document: str | None
    #: The dossier page numbers this document's sentences (``#r12``): it is the record.
    numbered: bool
    key: tuple[object, ...]
    load: Callable[[], Profile]
    #: Its page, set by the web layer (None: it has no page).
    url: str | None = None

    def sentence_url(self, index: int) -> str | None:
        """Where record sentence ``index`` (0-based) is shown, if anywhere."""
        if self.url is None:
            return None
        return f"{self.url}#r{index + 1}" if self.numbered else self.url


@dataclass(frozen=True, slots=True)
class AccountScan:
    """One account scanned: the ranked records, the account, and the unreadable files."""

    result: ScanResult
    account: Document
    skipped: list[tuple[str, str]]


def sources(
    library: Library, user: User | None, shares: Collection[str], archive: str | None
) -> tuple[list[Source], str]:
    """Every record this person may scan, and a note if the archive folder is missing."""
    found = [
        _stored_source(library, dossier, meta)
        for dossier in library.visible(user, shares)
        for meta in dossier.documents
        if meta.kind == "memcon"
    ]
    note = ""
    if archive:
        try:
            found.extend(_file_source(Path(archive), path) for path in find_records(archive))
        except ScanError:
            note = "The archive folder is not available or holds no records; it was left out."
    return found, note


def scan_account(
    text: str, filename: str, records: list[Source], cache: ProfileCache, top: int
) -> AccountScan:
    """Scan one account against the records; :class:`Refused` if it is empty or too long."""
    too_long = (
        f"the page scans accounts of up to {MAX_ACCOUNT_SENTENCES} sentences "
        f"({MAX_ACCOUNT_CHARS:,} characters); use memcon scan on the command line"
    )
    if len(text) > MAX_ACCOUNT_CHARS:
        raise Refused(too_long)
    account = Document.from_text(filename or "pasted account", text)
    if not account.sentences:
        raise Refused("the account has no sentences")
    if len(account.sentences) > MAX_ACCOUNT_SENTENCES:
        raise Refused(too_long)
    settings = ScanSettings()
    profiles, skipped = _profiles(records, cache)
    result = scan_profiles(profile(account, settings.normalizer()), profiles, settings, top=top)
    return AccountScan(result, account, skipped)


def _stored_source(library: Library, dossier: DossierInfo, meta: DocInfo) -> Source:
    """A memcon stored in a dossier, numbered as the dossier page numbers it."""
    name = f"{dossier.id}/{meta.slug}"

    def load() -> Profile:
        document = document_of(meta, library.text_of(meta))
        return profile(replace(document, name=name), ScanSettings().normalizer())

    return Source(
        name=name,
        title=meta.title,
        origin=dossier.title,
        dossier=dossier.id,
        document=meta.slug,
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
        dossier=None,
        document=None,
        numbered=False,
        key=("file", str(path.resolve()), stat.st_mtime_ns, stat.st_size, DEFAULT_SEGMENTER),
        load=load,
    )


def _profiles(
    records: list[Source], cache: ProfileCache
) -> tuple[list[Profile], list[tuple[str, str]]]:
    """The profiles of the records (cached), and the files that could not be read."""
    profiles: list[Profile] = []
    skipped: list[tuple[str, str]] = []
    for source in records:
        try:
            profiles.append(cache.get(source.key, source.load))
        except (IngestError, OSError) as exc:
            skipped.append((source.title, str(exc)))
    return profiles, skipped
