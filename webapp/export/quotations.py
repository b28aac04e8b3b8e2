"""Quotation checks in the exports: their JSON form, read back strictly, and in words.

Every format says the same of a quotation: ``exact`` (verbatim in the record), ``altered``
(found with words changed: not verbatim, the changed words listed as record → account) or
``not_found`` (not in the record); ``altered`` and ``not_found`` together are the
quotations *not verbatim in the record*.
"""

from __future__ import annotations

import math
from typing import Any

from ..collate import Quote, QuoteChange
from .model import ExportQuote


def quote_json(quote: ExportQuote) -> dict[str, object]:
    """The engine's JSON form of the quotation (schema 2), similarity unrounded."""
    data = quote.quote.to_dict()
    data["similarity"] = quote.quote.similarity
    return data


def quote_from_json(value: object, where: str, account: str) -> ExportQuote:
    """Read one quotation of ``account`` back; ``ValueError`` says what and where.

    A schema-1 ``close`` reads as ``altered`` (with no changes listed).
    """
    if not isinstance(value, dict):
        raise ValueError(f"{where}: expected an object")
    row: dict[str, Any] = value

    def field(key: str, kinds: type | tuple[type, ...], optional: bool = False) -> Any:
        item = row.get(key)
        if item is None and optional:
            return None
        if isinstance(item, bool) or not isinstance(item, kinds):
            raise ValueError(f"{where}.{key}: missing or of the wrong type")
        return item

    status = field("status", str)
    status = "altered" if status == "close" else status
    similarity = float(field("similarity", (int, float)))
    if not math.isfinite(similarity):
        raise ValueError(f"{where}.similarity: not a number in [0, 1]")
    changes = []
    for n, change in enumerate(row.get("changes", [])):
        if not (
            isinstance(change, dict)
            and isinstance(change.get("record"), str)
            and isinstance(change.get("account"), str)
        ):
            raise ValueError(f"{where}.changes[{n}]: expected {{'record': ..., 'account': ...}}")
        changes.append(QuoteChange(change["record"], change["account"]))
    quote = Quote(
        witness=field("witness", int),
        start=field("start", int),
        end=field("end", int),
        text=field("text", str),
        status=status,
        source=field("source", int, optional=True),
        similarity=similarity,
        match=row.get("match", "") if isinstance(row.get("match", ""), str) else "",
        changes=tuple(changes),
    )
    return ExportQuote(account, quote)


def changes_text(quote: Quote) -> str:
    """The changed words, record -> account: ``treaty -> accord; (nothing) -> early``."""
    return "; ".join(
        f"{c.record or '(nothing)'} -> {c.account or '(dropped)'}" for c in quote.changes
    )


def verdict(quote: Quote) -> str:
    """The check in words, e.g. ``altered, not verbatim in record sentence 3: a -> b``."""
    if quote.source is None:
        return "not found in the record (not verbatim)"
    where = f"record sentence {quote.source + 1}"
    if quote.verbatim:
        return f"exact: verbatim in {where}"
    changed = changes_text(quote)
    return f"altered, not verbatim in {where}" + (f"; changed words: {changed}" if changed else "")
