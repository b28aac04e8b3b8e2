"""The ``memcon`` commands on texts: align, order, dossiers, show and scan (the engine and
the readers imported inside each command, so that ``memcon --help`` stays fast)."""

from __future__ import annotations

import argparse
import dataclasses
import re
from pathlib import Path
from typing import TYPE_CHECKING

# The engine, the store and the readers are imported by the commands that use them, so
# that ``memcon --help`` answers at once (scikit-learn, SQLAlchemy and Alembic are slow).
if TYPE_CHECKING:
    from ..collate import Document, Settings

from .common import CommandError, _json


def _documents(args: argparse.Namespace) -> tuple[Document, list[Document], Settings]:
    from ..collate import Document, Settings
    from ..ingest import read_text

    if args.semantic:
        _check_semantic()
    variants = _read_variants(args.variants) if args.variants else {}
    docs = []
    for path in [args.record, *args.accounts]:
        text = read_text(path)
        name = Path(path).name
        doc = (
            Document.from_lines(name, text)
            if args.presegmented
            else Document.from_text(name, text, segmenter=args.segmenter)
        )
        if not doc.sentences:
            raise CommandError(f"{path}: no sentences found")
        docs.append(doc)
    return docs[0], docs[1:], Settings(variants=variants, semantic=args.semantic)


def _check_semantic() -> None:
    """Fail in one line, before any work, when the semantic scorer is not installed."""
    from ..collate.semantic import SemanticUnavailable, check_available

    try:
        check_available()
    except SemanticUnavailable as exc:
        raise CommandError(str(exc)) from None


def _read_variants(path: str) -> dict[str, str]:
    """Read 'variant = canonical' (or tab-separated) lines; '#' starts a comment."""
    from ..ingest import read_text

    table: dict[str, str] = {}
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [p.strip() for p in re.split(r"\s*=\s*|\t+", line) if p.strip()]
        if len(parts) != 2:
            raise CommandError(f"{path}: line {number}: expected 'variant = canonical'")
        table[parts[0]] = parts[1]
    return table


def _align(args: argparse.Namespace) -> str:
    from ..collate import compare
    from ..report import comparison_report, html_report

    record, accounts, settings = _documents(args)
    comparison = compare(record, accounts, settings)
    if args.format == "json":
        return _json(comparison.to_dict())
    if args.format == "html":
        return html_report(comparison)
    return comparison_report(comparison)


def _order(args: argparse.Namespace) -> str:
    from ..collate import compare, phrase_order
    from ..report import order_report

    if len(args.phrase) != 2:
        raise CommandError(f"give exactly two --phrase options (got {len(args.phrase)})")
    if args.format == "html":
        raise CommandError("memcon order writes text or json, not html")
    record, accounts, settings = _documents(args)
    comparison = compare(record, accounts, settings)
    answer = phrase_order(record, comparison, args.phrase[0], args.phrase[1])
    if args.format == "json":
        return _json(answer.to_dict())
    return order_report(answer)


def _dossiers(args: argparse.Namespace) -> str:
    from ..ingest.corpus import bundled_dossiers

    found = bundled_dossiers()
    if args.format == "json":
        return _json([{"id": d.id, "title": d.title, "date": d.date} for d in found])
    return "".join(f"{d.id}\t{d.date}\t{d.title}\n" for d in found)


def _show(args: argparse.Namespace) -> str:
    from ..collate import PhraseNotFound, compare, phrase_order
    from ..ingest.corpus import find_dossier
    from ..report import comparison_report, html_report, order_report

    dossier = find_dossier(args.dossier)
    if args.reference:
        files = [d.file for d in dossier.documents]
        if args.reference not in files:
            raise CommandError(
                f"{dossier.id} has no document {args.reference!r} (it has {', '.join(files)})"
            )
        dossier = dataclasses.replace(dossier, record=args.reference)
    record = dossier.document(dossier.record_meta)
    accounts = [dossier.document(meta) for meta in dossier.accounts]
    comparison = compare(record, accounts, dossier.settings())
    if args.format == "json":
        return _json(comparison.to_dict())
    if args.format == "html":
        return html_report(comparison)
    header = f"{dossier.title}\n{dossier.note}\n\n" if dossier.note else f"{dossier.title}\n\n"
    parts = [header, comparison_report(comparison)]
    for a, b in dossier.phrases:
        try:
            parts.append("\n" + order_report(phrase_order(record, comparison, a, b)))
        except PhraseNotFound:
            continue  # the question belongs to the default reference
    return "".join(parts)


def _scan(args: argparse.Namespace) -> str:
    """Rank the records of a folder by how much of the account each accounts for."""
    from ..collate import Document
    from ..collate.scan import ScanSettings
    from ..library.scanning import ScanError, read_document, scan_folder, scan_report

    if args.top < 1:
        raise CommandError(f"--top must be at least 1 (got {args.top})")
    if args.partitions is not None and args.partitions < 1:
        raise CommandError(f"--partitions must be at least 1 (got {args.partitions})")
    variants = _read_variants(args.variants) if args.variants else {}
    account = Document.from_text(
        Path(args.account).name, read_document(args.account), segmenter=args.segmenter
    )
    if not account.sentences:
        raise CommandError(f"{args.account}: no sentences found")
    try:
        found = scan_folder(
            account,
            args.folder,
            settings=ScanSettings(variants=variants),
            segmenter=args.segmenter,
            n_partitions=args.partitions,
            scheduler=args.scheduler,
            top=args.top,
            exclude=args.account,
        )
    except ScanError as exc:
        raise CommandError(str(exc)) from None
    if args.format == "json":
        return _json(found.to_dict())
    return scan_report(found)
