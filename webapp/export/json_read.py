"""Read the parts of a memcon JSON export, naming the JSON path of any bad value.

Each reader checks what it takes (types, ranges, references) and raises ``ValueError``
with the path (``links[3].source``) and the problem.
"""

from __future__ import annotations

from ..collate import DiffOp, Sentence, Telling
from .common import (
    DIFF_OPS,
    indices_problem,
    kind_problem,
    label_problem,
    mark_status_problem,
    offsets_problem,
    score_problem,
    sentences_problem,
    status_problem,
    tellings_problems,
)
from .model import (
    ExportDocument,
    ExportLink,
    ExportMark,
    HistoryEntry,
    RejectedLink,
)

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
        diff=_diff(row, where),
        possible_move=_bool(row, "possible_move", where) if "possible_move" in row else False,
        tellings=tuple(
            _telling(t, f"{where}.tellings[{k}]", account)
            for k, t in enumerate(_list(row.get("tellings", []), f"{where}.tellings"))
        ),
    )
    _check(where, "; ".join(tellings_problems(where, link)) or None)
    return position, link


def _diff(row: dict[str, object], where: str) -> tuple[DiffOp, ...]:
    """A link's or telling's ``diff``: ``[[operation, text], ...]`` (absent: none)."""
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
    return tuple(diff)


def _telling(value: object, where: str, account: ExportDocument) -> Telling:
    """One telling of a link told twice: its account sentences, score, kind, order flags."""
    row = _object(value, where)
    witness = _ints(row, "witness", where)
    _check(f"{where}.witness", indices_problem(witness, len(account.sentences), account.id))
    score = _get(row, "score", where)
    _check(f"{where}.score", score_problem(score))
    assert isinstance(score, int | float)  # score_problem refused anything else
    kind = _str(row, "kind", where)
    _check(f"{where}.kind", kind_problem(kind))
    return Telling(
        witness=witness,
        score=float(score),
        kind=kind,
        moved=_bool(row, "moved", where),
        possible_move=_bool(row, "possible_move", where),
        diff=_diff(row, where),
    )


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
