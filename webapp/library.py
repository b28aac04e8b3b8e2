"""The dossiers the web app serves, with their comparisons computed once and cached.

A comparison depends on the dossier's texts, the chosen reference and the engine
settings; it is computed on first use and kept, so pages and the API answer from memory.
Thread-safe: a WSGI server may call it from several threads.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from .collate import Comparison, Document, OrderAnswer, WitnessResult, compare, phrase_order
from .dossiers import DocumentMeta, Dossier, bundled_dossiers


class NotFound(LookupError):
    """An unknown dossier or document; the message says which."""


@dataclass(frozen=True, slots=True)
class Account:
    """One account of a dossier with its result against the reference."""

    slug: str
    meta: DocumentMeta
    document: Document
    result: WitnessResult


@dataclass(frozen=True, slots=True)
class DossierComparison:
    """A dossier compared: the reference, every account, and the engine's result."""

    dossier: Dossier
    record_meta: DocumentMeta
    record: Document
    accounts: tuple[Account, ...]
    comparison: Comparison

    def account(self, slug: str) -> Account:
        """The account with this slug, or :class:`NotFound`."""
        for account in self.accounts:
            if account.slug == slug:
                return account
        raise NotFound(f"dossier {self.dossier.id!r} has no account {slug!r}")

    def order(self, phrase_a: str, phrase_b: str) -> OrderAnswer:
        """Answer the phrase-order question for every account."""
        return phrase_order(self.record, self.comparison, phrase_a, phrase_b)


def slug(meta: DocumentMeta) -> str:
    """The stable name of a document in URLs: its file name without the extension."""
    return Path(meta.file).stem


class Library:
    """Dossiers read from a corpora folder (the bundled ones by default)."""

    def __init__(self, folder: Path | None = None) -> None:
        self._dossiers = {d.id: d for d in bundled_dossiers(folder)}
        self._cache: dict[tuple[str, str, str], DossierComparison] = {}
        self._lock = threading.Lock()

    def dossiers(self) -> list[Dossier]:
        """Every dossier, by date."""
        return sorted(self._dossiers.values(), key=lambda d: (d.date, d.id))

    def dossier(self, dossier_id: str) -> Dossier:
        """The dossier with this id, or :class:`NotFound`."""
        try:
            return self._dossiers[dossier_id]
        except KeyError:
            raise NotFound(f"no dossier {dossier_id!r}") from None

    def comparison(self, dossier_id: str, reference: str | None = None) -> DossierComparison:
        """The dossier compared against its record (or another reference), cached."""
        dossier = self.dossier(dossier_id)
        if reference:
            match = [d for d in dossier.documents if slug(d) == reference or d.file == reference]
            if not match:
                raise NotFound(f"dossier {dossier_id!r} has no document {reference!r}")
            dossier = replace(dossier, record=match[0].file)
        key = (dossier.id, dossier.record, _fingerprint(dossier))
        with self._lock:
            cached = self._cache.get(key)
            if cached is None:
                cached = _compute(dossier)
                self._cache[key] = cached
        return cached


def _fingerprint(dossier: Dossier) -> str:
    """Key of what a comparison depends on: settings, and each file's size and mtime.

    A text edited on disk changes its key, so the comparison is recomputed.
    """
    digest = hashlib.sha256(json.dumps(dossier.settings().to_dict(), sort_keys=True).encode())
    for meta in dossier.documents:
        stat = (dossier.folder / meta.file).stat()
        digest.update(f"{meta.file}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def _compute(dossier: Dossier) -> DossierComparison:
    record_meta = dossier.record_meta
    record = dossier.document(record_meta)
    documents = [(meta, dossier.document(meta)) for meta in dossier.accounts]
    comparison = compare(record, [doc for _, doc in documents], dossier.settings())
    accounts = tuple(
        Account(slug(meta), meta, doc, result)
        for (meta, doc), result in zip(documents, comparison.witnesses, strict=True)
    )
    return DossierComparison(dossier, record_meta, record, accounts, comparison)
