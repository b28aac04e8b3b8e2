"""JSON export and import: the engine's comparison schema 2 plus everything curators decided.

The document is a valid engine comparison (``Comparison.from_dict`` reads it: ``schema``,
``source``, ``witnesses`` with ``links``, ``omitted``, ``added``, ``order``, ``quotes`` and
``settings``; every link's ``possible_move`` and every account's quotation checks), so tools
written for the engine's JSON keep working; a schema-1 file is read too (a ``close``
quotation as ``altered``, no link a possible move). Curation rides along:

* every link carries ``id``, ``status``, ``resp``, ``label``, ``note``, ``created`` and
  ``position`` (its place in the dossier's list of links, which groups by account); a link
  whose passage the account tells twice carries the engine's ``tellings`` (each telling's
  sentences, score, kind, order flags and diff), read back on import;
* a top-level ``curation`` object, ``{"format": "memcon-curation", "version": 1}``, holds
  the dossier's metadata (``dossier``), the documents with their full text, version,
  splits and joins (``documents``: the record first, then the accounts in witness order),
  and ``rejected``, ``marks`` and ``history``.

``omitted``, ``added`` and ``order`` are derived from the links on export and ignored on
import. Scores are written unrounded, so ``from_json(to_json(d)) == d`` holds exactly.
"""

from __future__ import annotations

from ..collate.model import Telling
from ..collate.order import kendall_tau
from .common import (
    check_dossier,
    linked,
)
from .json_read import (
    _document,
    _get,
    _history,
    _link,
    _list,
    _mark,
    _object,
    _ordered,
    _rejected,
    _str,
)
from .model import (
    CuratedDossier,
    ExportDocument,
    ExportLink,
)
from .quotations import quote_from_json, quote_json

SCHEMA = 2
#: Schemas read on import (schema 1 had no possible moves and no changed words).
READABLE_SCHEMAS = (1, 2)
CURATION_FORMAT = "memcon-curation"
CURATION_VERSION = 1


def to_json(d: CuratedDossier) -> dict[str, object]:
    """The dossier as a JSON-ready dict (engine schema 2 plus ``curation``)."""
    check_dossier(d)
    position = {id(link): n for n, link in enumerate(d.links)}
    witnesses = []
    for account in d.accounts:
        links = [link for link in d.links if link.account == account.id]
        record_linked, account_linked = linked(d, account.id)
        pairs = [(min(link.source), min(link.witness)) for link in links]
        moved = sum(link.moved for link in links)
        witnesses.append(
            {
                "name": account.id,
                "sentences": [s.to_dict() for s in account.sentences],
                "links": [_link_json(link, position[id(link)]) for link in links],
                "omitted": [i for i in range(len(d.record.sentences)) if i not in record_linked],
                "added": [j for j in range(len(account.sentences)) if j not in account_linked],
                "order": {
                    "kendall_tau": kendall_tau(pairs),
                    "moved": moved,
                    "kept_in_order": len(links) - moved,
                },
                "quotes": [quote_json(q) for q in d.quotes if q.account == account.id],
            }
        )
    return {
        "schema": SCHEMA,
        "source": {"name": d.record.id, "sentences": [s.to_dict() for s in d.record.sentences]},
        "witnesses": witnesses,
        "settings": dict(d.settings),
        "curation": {
            "format": CURATION_FORMAT,
            "version": CURATION_VERSION,
            "dossier": {
                "id": d.id,
                "title": d.title,
                "date": d.date,
                "description": d.description,
                "url": d.url,
                "note": d.note,
                "exported": d.exported,
            },
            "documents": [_document_json(doc) for doc in (d.record, *d.accounts)],
            "rejected": [
                {
                    "id": r.id,
                    "account": r.account,
                    "source": list(r.source),
                    "witness": list(r.witness),
                    "resp": r.resp,
                    "created": r.created,
                    "note": r.note,
                }
                for r in d.rejected
            ],
            "marks": [
                {
                    "id": m.id,
                    "document": m.document,
                    "account": m.account,
                    "index": m.index,
                    "status": m.status,
                    "significant": m.significant,
                    "note": m.note,
                    "resp": m.resp,
                    "created": m.created,
                }
                for m in d.marks
            ],
            "history": [
                {
                    "id": h.id,
                    "when": h.when,
                    "who": h.who,
                    "target": h.target,
                    "action": h.action,
                    "before": h.before,
                    "after": h.after,
                }
                for h in d.history
            ],
        },
    }


def from_json(data: dict[str, object]) -> CuratedDossier:
    """Rebuild the dossier from :func:`to_json` output; ``ValueError`` says what and where."""
    root = _object(data, "the JSON document")
    if root.get("schema") not in READABLE_SCHEMAS:
        raise ValueError(f"schema: expected {SCHEMA} (or 1), got {root.get('schema')!r}")
    if "curation" not in root:
        raise ValueError(
            "curation: missing (an engine comparison without curation cannot be imported)"
        )
    curation = _object(root["curation"], "curation")
    if curation.get("format") != CURATION_FORMAT:
        raise ValueError(
            f"curation.format: expected {CURATION_FORMAT!r}, got {curation.get('format')!r}"
        )
    if curation.get("version") != CURATION_VERSION:
        raise ValueError(
            f"curation.version: expected {CURATION_VERSION}, got {curation.get('version')!r}"
        )
    source = _object(_get(root, "source", ""), "source")
    witnesses = _list(_get(root, "witnesses", ""), "witnesses")
    metas = _list(_get(curation, "documents", "curation"), "curation.documents")
    if len(metas) != 1 + len(witnesses):
        raise ValueError(
            f"curation.documents: {len(metas)} documents for 1 record and "
            f"{len(witnesses)} witnesses"
        )
    record = _document(metas[0], "curation.documents[0]", source, "source")
    accounts: list[ExportDocument] = []
    for n, witness in enumerate(witnesses):
        where = f"witnesses[{n}]"
        accounts.append(_document(metas[n + 1], f"curation.documents[{n + 1}]", witness, where))
    names = [record.id]
    for n, account in enumerate(accounts):
        if account.id in names:
            raise ValueError(f"witnesses[{n}].name: {account.id!r} names two documents")
        names.append(account.id)
    by_id = {account.id: account for account in accounts}

    placed: list[tuple[int | None, ExportLink, str]] = []
    link_ids: set[str] = set()
    # Every witness was checked to be an object by _document above.
    sides = [_object(witness, f"witnesses[{n}]") for n, witness in enumerate(witnesses)]
    for n, witness in enumerate(sides):
        rows = _list(_get(witness, "links", f"witnesses[{n}]"), f"witnesses[{n}].links")
        for k, row in enumerate(rows):
            where = f"witnesses[{n}].links[{k}]"
            position, link = _link(row, where, record, accounts[n])
            if link.id in link_ids:
                raise ValueError(f"{where}.id: {link.id!r} is used by another link")
            link_ids.add(link.id)
            placed.append((position, link, where))
    links = _ordered(placed)
    quotes = tuple(
        quote_from_json(row, f"witnesses[{n}].quotes[{k}]", accounts[n].id)
        for n, witness in enumerate(sides)
        for k, row in enumerate(_list(witness.get("quotes", []), f"witnesses[{n}].quotes"))
    )

    dossier = _object(_get(curation, "dossier", "curation"), "curation.dossier")
    settings = _object(root.get("settings", {}), "settings")
    d = CuratedDossier(
        id=_str(dossier, "id", "curation.dossier"),
        title=_str(dossier, "title", "curation.dossier"),
        date=_str(dossier, "date", "curation.dossier", ""),
        description=_str(dossier, "description", "curation.dossier", ""),
        url=_str(dossier, "url", "curation.dossier"),
        note=_str(dossier, "note", "curation.dossier", ""),
        record=record,
        accounts=tuple(accounts),
        links=links,
        rejected=tuple(
            _rejected(row, f"curation.rejected[{n}]", record, by_id)
            for n, row in enumerate(_list(curation.get("rejected", []), "curation.rejected"))
        ),
        marks=tuple(
            _mark(row, f"curation.marks[{n}]", (record, *accounts))
            for n, row in enumerate(_list(curation.get("marks", []), "curation.marks"))
        ),
        history=tuple(
            _history(row, f"curation.history[{n}]")
            for n, row in enumerate(_list(curation.get("history", []), "curation.history"))
        ),
        exported=_str(dossier, "exported", "curation.dossier", ""),
        settings=dict(settings),
        quotes=quotes,
    )
    check_dossier(d)  # what the readers above cannot see (e.g. ids repeated across lists)
    return d


def _link_json(link: ExportLink, position: int) -> dict[str, object]:
    out: dict[str, object] = {
        "source": list(link.source),
        "witness": list(link.witness),
        "score": link.score,
        "kind": link.kind,
        "moved": link.moved,
        "diff": [op.to_list() for op in link.diff],
        "shared": [],
        "possible_move": link.possible_move,
        "id": link.id,
        "status": link.status,
        "resp": link.resp,
        "label": link.label,
        "note": link.note,
        "created": link.created,
        "position": position,
    }
    if link.tellings:
        out["tellings"] = [_telling_json(t) for t in link.tellings]
    return out


def _telling_json(told: Telling) -> dict[str, object]:
    """A telling as the engine writes it (:meth:`Telling.to_dict`), its score unrounded."""
    return {**told.to_dict(), "score": told.score}


def _document_json(doc: ExportDocument) -> dict[str, object]:
    return {
        "id": doc.id,
        "title": doc.title,
        "author": doc.author,
        "date": doc.date,
        "kind": doc.kind,
        "provenance": doc.provenance,
        "version": doc.version,
        "text": doc.text,
        "splits": list(doc.splits),
        "joins": list(doc.joins),
    }
