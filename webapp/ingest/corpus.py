"""Bundled dossiers: one folder per event, with texts and a ``dossier.json`` metadata file.

A dossier is one event: a record (the memcon, or the closest thing to it) and the
accounts of it. ``dossier.json`` gives the title, date, a provenance note, the record's
file name, spelling variants, suggested phrase-order questions and, per document, title,
author, date, kind, provenance and whether the text is a reconstruction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..collate import Document, Settings
from ..errors import Refused
from ..resources import resource_dir
from .text import read_text

KINDS = ("memcon", "memoir", "article", "statement")


class DossierError(Refused):
    """A dossier folder or its metadata is unusable; the message says why."""


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """What is known of one text: where it comes from and how far to trust it."""

    file: str
    siglum: str
    title: str
    author: str
    date: str
    kind: str
    provenance: str
    reconstructed: bool
    source: str


@dataclass(frozen=True, slots=True)
class Dossier:
    """One event's record and accounts, read from a folder."""

    id: str
    title: str
    date: str
    description: str
    note: str
    record: str
    variants: dict[str, str]
    phrases: tuple[tuple[str, str], ...]
    documents: tuple[DocumentMeta, ...]
    folder: Path

    def text(self, meta: DocumentMeta) -> str:
        """Return the stored text of one document."""
        return read_text(self.folder / meta.file)

    @property
    def record_meta(self) -> DocumentMeta:
        """The document used as the reference."""
        return next(d for d in self.documents if d.file == self.record)

    @property
    def accounts(self) -> tuple[DocumentMeta, ...]:
        """Every document but the record, in metadata order."""
        return tuple(d for d in self.documents if d.file != self.record)

    def document(self, meta: DocumentMeta, *, segmenter: str = "pysbd") -> Document:
        """Return the engine's :class:`Document` for one text, named by its title."""
        return Document.from_text(meta.title, self.text(meta), segmenter=segmenter)

    def settings(self) -> Settings:
        """Engine settings for this dossier (its spelling variants)."""
        return Settings(variants=self.variants)


def load_dossier(folder: Path) -> Dossier:
    """Read one dossier folder, checking its metadata."""
    meta_path = folder / "dossier.json"
    try:
        raw = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DossierError(f"{meta_path}: missing") from None
    except json.JSONDecodeError as exc:
        raise DossierError(f"{meta_path}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    try:
        documents = tuple(_document_meta(d) for d in raw["documents"])
        dossier = Dossier(
            id=str(raw["id"]),
            title=str(raw["title"]),
            date=str(raw.get("date", "")),
            description=str(raw.get("description", "")),
            note=str(raw.get("note", "")),
            record=str(raw.get("record") or documents[0].file),
            variants={str(a): str(b) for a, b in raw.get("variants", [])},
            phrases=tuple((str(a), str(b)) for a, b in raw.get("phrases", [])),
            documents=documents,
            folder=folder,
        )
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise DossierError(f"{meta_path}: incomplete metadata ({exc})") from None
    files = {d.file for d in documents}
    if dossier.record not in files:
        raise DossierError(f"{meta_path}: the record {dossier.record!r} is not a document")
    for doc in documents:
        if not (folder / doc.file).is_file():
            raise DossierError(f"{meta_path}: {doc.file!r} is listed but missing")
    return dossier


def _document_meta(raw: dict[str, Any]) -> DocumentMeta:
    kind = str(raw["kind"])
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    return DocumentMeta(
        file=str(raw["file"]),
        siglum=str(raw.get("siglum", "")),
        title=str(raw["title"]),
        author=str(raw.get("author", "")),
        date=str(raw.get("date", "")),
        kind=kind,
        provenance=str(raw["provenance"]),
        reconstructed=bool(raw.get("reconstructed", False)),
        source=str(raw.get("source", "")),
    )


def bundled_dossiers(folder: Path | None = None) -> list[Dossier]:
    """Return every dossier under the corpora folder, sorted by date."""
    root = folder or resource_dir("corpora")
    found = [load_dossier(p) for p in sorted(root.iterdir()) if (p / "dossier.json").is_file()]
    return sorted(found, key=lambda d: (d.date, d.id))


def find_dossier(dossier_id: str, folder: Path | None = None) -> Dossier:
    """Return the bundled dossier with this id, or raise :class:`DossierError`."""
    for dossier in bundled_dossiers(folder):
        if dossier.id == dossier_id:
            return dossier
    known = ", ".join(d.id for d in bundled_dossiers(folder))
    raise DossierError(f"no dossier {dossier_id!r} (bundled: {known})")
