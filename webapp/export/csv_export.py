"""CSV export: one row per link (and telling), omission, addition and quotation of every account.

Rows come account by account (in the dossier's order): first the links and the omissions
interleaved in record order, then the additions in account order, then the quotations
(``row_type`` ``quotation``: ``kind`` is the check, ``exact``, ``altered`` or
``not_found``; ``verbatim`` is ``no`` for the last two; ``changes`` lists an altered
quotation's changed words as ``record -> account`` pairs; ``score`` is the similarity;
``record_text`` is the record's passage, normalised). Sentence numbers are
**1-based**, as people read them and as the TEI ids (``<doc>-s1``) count, and a side of
several sentences lists them separated by spaces (``"3 4"``). ``score`` has four decimals,
``moved``, ``possible_move`` (off the record's order on weak evidence only, not counted as
moved), ``verbatim`` and ``significant`` read ``yes``/``no`` (empty when unknown or not
applicable).
A link whose passage the account tells twice (its account sentences fall in several runs,
each judged on its own order) is followed by one ``telling`` row per telling, in account
order: ``link_id`` is the link's, ``account_sentences``/``account_text`` the telling's,
``score``, ``kind``, ``moved`` and ``possible_move`` the telling's own (``resp`` ``machine``:
the order is the machine's judgement); the record columns are left empty (they are the
link's). The link row's ``moved`` is ``yes`` only when every telling is moved.
An omission or addition row carries the curator's mark on that sentence for that account
(significance, note, resp), when there is one.

Spreadsheet formula injection: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return gets a leading apostrophe (``'=HYPERLINK(...)``), so a spreadsheet
shows the text instead of running it. The apostrophe is the only change made to any cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from .common import check_dossier, linked, sentence_numbers
from .model import MACHINE, CuratedDossier, ExportDocument, ExportLink, ExportMark, ExportQuote
from .quotations import changes_text

COLUMNS = (
    "account",
    "row_type",
    "link_id",
    "record_sentences",
    "record_text",
    "account_sentences",
    "account_text",
    "score",
    "kind",
    "moved",
    "status",
    "resp",
    "label",
    "significant",
    "note",
    "possible_move",
    "verbatim",
    "changes",
)
#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def to_csv(d: CuratedDossier) -> str:
    """The dossier's alignment as CSV text (header row, ``\\r\\n`` line ends, all of UTF-8)."""
    check_dossier(d)
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for account in d.accounts:
        for row in _rows(d, account):
            writer.writerow([guard_cell(cell) for cell in row])
    return out.getvalue()


def guard_cell(value: str) -> str:
    """``value`` with a leading apostrophe when a spreadsheet would take it for a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _rows(d: CuratedDossier, account: ExportDocument) -> list[list[str]]:
    marks = {(mark.document, mark.index): mark for mark in d.marks if mark.account == account.id}
    record_linked, account_linked = linked(d, account.id)
    keyed: list[tuple[int, int, list[str]]] = []
    for link in d.links:
        if link.account == account.id:
            keyed.append((min(link.source), 0, _link_row(d.record, account, link)))
            keyed += [(min(link.source), 0, row) for row in _telling_rows(account, link)]
    for i, sentence in enumerate(d.record.sentences):
        if i not in record_linked:
            row = _unlinked_row(account, "omission", marks.get((d.record.id, i)))
            row[3:5] = [sentence_numbers([i]), sentence.text]
            keyed.append((i, 1, row))
    rows = [row for _, _, row in sorted(keyed, key=lambda item: item[:2])]
    for j, sentence in enumerate(account.sentences):
        if j not in account_linked:
            row = _unlinked_row(account, "addition", marks.get((account.id, j)))
            row[5:7] = [sentence_numbers([j]), sentence.text]
            rows.append(row)
    rows += [_quote_row(account, q) for q in d.quotes if q.account == account.id]
    return rows


def _quote_row(account: ExportDocument, found: ExportQuote) -> list[str]:
    q = found.quote
    row = [account.id, "quotation"] + [""] * (len(COLUMNS) - 2)
    if q.source is not None:
        row[3:5] = [sentence_numbers([q.source]), q.match]
    row[5:7] = [sentence_numbers([q.witness]), q.text]
    row[7:9] = [f"{q.similarity:.4f}", q.status]
    row[COLUMNS.index("resp")] = MACHINE
    row[COLUMNS.index("verbatim")] = _yes_no(q.verbatim)
    row[COLUMNS.index("changes")] = changes_text(q)
    return row


def _link_row(record: ExportDocument, account: ExportDocument, link: ExportLink) -> list[str]:
    return [
        account.id,
        "link",
        link.id,
        sentence_numbers(link.source),
        _joined(record.sentences[i].text for i in link.source),
        sentence_numbers(link.witness),
        _joined(account.sentences[j].text for j in link.witness),
        f"{link.score:.4f}",
        link.kind,
        _yes_no(link.moved),
        link.status,
        link.resp,
        link.label or "",
        "",
        link.note,
        _yes_no(link.possible_move),
        "",
        "",
    ]


def _telling_rows(account: ExportDocument, link: ExportLink) -> list[list[str]]:
    """A passage told twice: after its link's row, one ``telling`` row per telling (the
    link's id and record side; the telling's own sentences, score, kind and order flags)."""
    rows = []
    for told in link.tellings:
        row = [account.id, "telling", link.id] + [""] * (len(COLUMNS) - 3)
        row[5:10] = [
            sentence_numbers(told.witness),
            _joined(account.sentences[j].text for j in told.witness),
            f"{told.score:.4f}",
            told.kind,
            _yes_no(told.moved),
        ]
        row[COLUMNS.index("resp")] = MACHINE
        row[COLUMNS.index("possible_move")] = _yes_no(told.possible_move)
        rows.append(row)
    return rows


def _unlinked_row(account: ExportDocument, row_type: str, mark: ExportMark | None) -> list[str]:
    row = [account.id, row_type] + [""] * (len(COLUMNS) - 2)
    if mark is not None:
        row[COLUMNS.index("resp")] = mark.resp
        row[COLUMNS.index("significant")] = _yes_no(mark.significant)
        row[COLUMNS.index("note")] = mark.note
    return row


def _joined(texts: Iterable[str]) -> str:
    return " ".join(texts)


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")
