"""JSON export and import: the engine's comparison schema 2 plus everything curators decided.

The document is a valid engine comparison (``Comparison.from_dict`` reads it: ``schema``,
``source``, ``witnesses`` with ``links``, ``omitted``, ``added``, ``order``, ``quotes`` and
``settings``; every link's ``possible_move`` and every account's quotation checks), so tools
written for the engine's JSON keep working; a schema-1 file is read too (a ``close``
quotation as ``altered``, no link a possible move). Curation rides along:

* every link carries ``id``, ``status``, ``resp``, ``label``, ``note``, ``created`` and
  ``position`` (its place in the dossier's list of links, which groups by account);
* a top-level ``curation`` object, ``{"format": "memcon-curation", "version": 1}``, holds
  the dossier's metadata (``dossier``), the documents with their full text, version,
  splits and joins (``documents``: the record first, then the accounts in witness order),
  and ``rejected``, ``marks`` and ``history``.

``omitted``, ``added`` and ``order`` are derived from the links on export and ignored on
import. Scores are written unrounded, so ``from_json(to_json(d)) == d`` holds exactly.
"""

from __future__ import annotations

from ..collate import DiffOp, Sentence
from ..collate.order import kendall_tau
from .common import (
    DIFF_OPS,
    check_dossier,
    indices_problem,
    kind_problem,
    label_problem,
    linked,
    mark_status_problem,
    offsets_problem,
    score_problem,
    sentences_problem,
    status_problem,
)
from .model import (
    CuratedDossier,
    ExportDocument,
    ExportLink,
    ExportMark,
    HistoryEntry,
    RejectedLink,
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
    return {
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


# --- reading, with the JSON path of every value for the error messages ---------------------

_MISSING = object()


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string"}.get(
        type(value), "an array" if isinstance(value, list) else "an object"
    )


def _object(value: object, path: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise ValueError(f"{path}: expected an object, got {_type_name(value)}")
    return value


def _list(value: object, path: str) -> list[object]:
    if not isinstance(value, list):
        raise ValueError(f"{path}: expected an array, got {_type_name(value)}")
    return value


def _get(obj: dict[str, object], key: str, path: str) -> object:
    if key not in obj:
        raise ValueError(f"{_join(path, key)}: missing")
    return obj[key]


def _str(obj: dict[str, object], key: str, path: str, default: object = _MISSING) -> str:
    value = obj.get(key, default)
    if value is _MISSING:
        raise ValueError(f"{_join(path, key)}: missing")
    if not isinstance(value, str):
        raise ValueError(f"{_join(path, key)}: expected a string, got {_type_name(value)}")
    return value


def _optional_str(obj: dict[str, object], key: str, path: str) -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{_join(path, key)}: expected a string or null, got {_type_name(value)}")
    return value


def _int(obj: dict[str, object], key: str, path: str) -> int:
    value = _get(obj, key, path)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{_join(path, key)}: expected an integer, got {_type_name(value)}")
    return value


def _bool(obj: dict[str, object], key: str, path: str) -> bool:
    value = _get(obj, key, path)
    if not isinstance(value, bool):
        raise ValueError(f"{_join(path, key)}: expected true or false, got {_type_name(value)}")
    return value


def _ints(
    obj: dict[str, object], key: str, path: str, default: object = _MISSING
) -> tuple[int, ...]:
    value = obj.get(key, default)
    if value is _MISSING:
        raise ValueError(f"{_join(path, key)}: missing")
    items: list[int] = []
    for n, item in enumerate(_list(value, _join(path, key))):
        if isinstance(item, bool) or not isinstance(item, int):
            raise ValueError(
                f"{_join(path, key)}[{n}]: expected an integer, got {_type_name(item)}"
            )
        items.append(item)
    return tuple(items)


def _check(path: str, problem: str | None) -> None:
    if problem:
        raise ValueError(f"{path}: {problem}")


def _document(
    meta_value: object, meta_path: str, side_value: object, side_path: str
) -> ExportDocument:
    """One document: metadata and text from ``curation.documents``, sentences from the side."""
    meta = _object(meta_value, meta_path)
    side = _object(side_value, side_path)
    doc_id = _str(meta, "id", meta_path)
    name = _str(side, "name", side_path)
    if name != doc_id:
        raise ValueError(f"{meta_path}.id: {doc_id!r} does not match {side_path}.name {name!r}")
    text = _str(meta, "text", meta_path)
    sentences = []
    for n, row in enumerate(_list(_get(side, "sentences", side_path), f"{side_path}.sentences")):
        where = f"{side_path}.sentences[{n}]"
        row = _object(row, where)
        sentences.append(
            Sentence(
                _int(row, "index", where),
                _int(row, "start", where),
                _int(row, "end", where),
                _str(row, "text", where),
            )
        )
    if problem := sentences_problem(text, sentences):
        raise ValueError(f"{side_path}.{problem}")
    splits = _ints(meta, "splits", meta_path, [])
    joins = _ints(meta, "joins", meta_path, [])
    _check(f"{meta_path}.splits", offsets_problem(splits, len(text)))
    _check(f"{meta_path}.joins", offsets_problem(joins, len(text)))
    return ExportDocument(
        id=doc_id,
        title=_str(meta, "title", meta_path, ""),
        author=_str(meta, "author", meta_path, ""),
        date=_str(meta, "date", meta_path, ""),
        kind=_str(meta, "kind", meta_path, ""),
        provenance=_str(meta, "provenance", meta_path, ""),
        version=_int(meta, "version", meta_path),
        text=text,
        sentences=tuple(sentences),
        splits=splits,
        joins=joins,
    )


def _sides(
    row: dict[str, object], where: str, record: ExportDocument, account: ExportDocument
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    source = _ints(row, "source", where)
    witness = _ints(row, "witness", where)
    _check(f"{where}.source", indices_problem(source, len(record.sentences), "the record"))
    _check(f"{where}.witness", indices_problem(witness, len(account.sentences), account.id))
    return source, witness


def _link(
    value: object, where: str, record: ExportDocument, account: ExportDocument
) -> tuple[int | None, ExportLink]:
    row = _object(value, where)
    source, witness = _sides(row, where, record, account)
    score = _get(row, "score", where)
    _check(f"{where}.score", score_problem(score))
    assert isinstance(score, int | float)  # score_problem refused anything else
    kind = _str(row, "kind", where)
    _check(f"{where}.kind", kind_problem(kind))
    status = _str(row, "status", where)
    _check(f"{where}.status", status_problem(status))
    label = row.get("label")
    _check(f"{where}.label", label_problem(label))
    assert label is None or isinstance(label, str)  # label_problem refused anything else
    diff = []
    for n, op in enumerate(_list(row.get("diff", []), f"{where}.diff")):
        if (
            not isinstance(op, list)
            or len(op) != 2
            or op[0] not in DIFF_OPS
            or not isinstance(op[1], str)
        ):
            raise ValueError(
                f"{where}.diff[{n}]: expected [operation, text] with an operation of "
                f"{', '.join(DIFF_OPS)}, got {op!r}"
            )
        diff.append(DiffOp(op[0], op[1]))
    position = row.get("position")
    if position is not None and (isinstance(position, bool) or not isinstance(position, int)):
        raise ValueError(f"{where}.position: expected an integer, got {_type_name(position)}")
    link = ExportLink(
        id=_str(row, "id", where),
        account=account.id,
        source=source,
        witness=witness,
        score=float(score),
        kind=kind,
        moved=_bool(row, "moved", where),
        status=status,
        resp=_str(row, "resp", where),
        label=label,
        note=_str(row, "note", where, ""),
        created=_optional_str(row, "created", where),
        diff=tuple(diff),
        possible_move=_bool(row, "possible_move", where) if "possible_move" in row else False,
    )
    return position, link


def _ordered(placed: list[tuple[int | None, ExportLink, str]]) -> tuple[ExportLink, ...]:
    """The links in the dossier's order: by ``position`` when the links carry one."""
    with_position = [p for p in placed if p[0] is not None]
    if not with_position:
        return tuple(link for _, link, _ in placed)
    if len(with_position) != len(placed):
        where = next(w for p, _, w in placed if p is None)
        raise ValueError(f"{where}.position: missing (other links have one)")
    by_position: dict[int, ExportLink] = {}
    for position, link, where in placed:
        assert position is not None
        if not 0 <= position < len(placed) or position in by_position:
            raise ValueError(
                f"{where}.position: {position} is repeated or outside 0..{len(placed) - 1}"
            )
        by_position[position] = link
    return tuple(by_position[n] for n in range(len(placed)))


def _account(
    row: dict[str, object], where: str, accounts: dict[str, ExportDocument]
) -> ExportDocument:
    account_id = _str(row, "account", where)
    if account_id not in accounts:
        raise ValueError(f"{where}.account: {account_id!r} is not an account")
    return accounts[account_id]


def _rejected(
    value: object, where: str, record: ExportDocument, accounts: dict[str, ExportDocument]
) -> RejectedLink:
    row = _object(value, where)
    account = _account(row, where, accounts)
    source, witness = _sides(row, where, record, account)
    return RejectedLink(
        id=_str(row, "id", where),
        account=account.id,
        source=source,
        witness=witness,
        resp=_str(row, "resp", where),
        created=_optional_str(row, "created", where),
        note=_str(row, "note", where, ""),
    )


def _mark(value: object, where: str, documents: tuple[ExportDocument, ...]) -> ExportMark:
    row = _object(value, where)
    document_id = _str(row, "document", where)
    document = next((doc for doc in documents if doc.id == document_id), None)
    if document is None:
        raise ValueError(f"{where}.document: {document_id!r} is not a document")
    account = _account(row, where, {doc.id: doc for doc in documents[1:]})
    index = _int(row, "index", where)
    if not 0 <= index < len(document.sentences):
        raise ValueError(
            f"{where}.index: {index} is out of range ({document.id} has "
            f"{len(document.sentences)} sentences)"
        )
    status = _str(row, "status", where)
    _check(f"{where}.status", mark_status_problem(status))
    significant = row.get("significant")
    if significant is not None and not isinstance(significant, bool):
        raise ValueError(
            f"{where}.significant: expected true, false or null, got {_type_name(significant)}"
        )
    return ExportMark(
        id=_str(row, "id", where),
        document=document.id,
        account=account.id,
        index=index,
        status=status,
        significant=significant,
        note=_str(row, "note", where, ""),
        resp=_str(row, "resp", where),
        created=_optional_str(row, "created", where),
    )


def _history(value: object, where: str) -> HistoryEntry:
    row = _object(value, where)
    return HistoryEntry(
        id=_int(row, "id", where),
        when=_str(row, "when", where),
        who=_str(row, "who", where),
        target=_str(row, "target", where),
        action=_str(row, "action", where),
        before=_optional_str(row, "before", where),
        after=_optional_str(row, "after", where),
    )
