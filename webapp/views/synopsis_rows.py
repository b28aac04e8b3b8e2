"""The synopsis: the record and every account in parallel columns, one row per record
sentence, the accounts' added sentences in rows of their own between them.

Plain functions over engine results (no Flask): the template only lays out the rows.

Invariants of :func:`synopsis_rows`:

* every record sentence has exactly one row, in record order;
* every account sentence appears in exactly one cell with its text: in the row of the
  first record sentence of its link, or in an added row; a link of several record
  sentences shows its account sentences again, without their text, in its later rows;
* an account's added sentence sits after the row of the nearest sentence before it that
  the account tells in the record's order (else before the row of the nearest after it),
  so added rows follow the account's own order.

>>> from webapp.collate import Link, OrderStats, Sentence, WitnessResult
>>> s = lambda i, t: Sentence(i, 0, len(t), t)
>>> w = WitnessResult("w", (s(0, "B."), s(1, "New."), s(2, "A.")),
...     (Link((0,), (2,), 0.9, "close", moved=True), Link((1,), (0,), 0.9, "close")),
...     (), (1,), OrderStats(-1.0, 1, 1), ())
>>> rows = synopsis_rows(["A.", "B."], [w])
>>> [(r.label, r.cells[0].label, r.cells[0].state) for r in rows]
[('R1', 'A3', 'moved'), ('R2', 'A1', 'kept'), ('', 'A2', 'added')]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..collate import Link, WitnessResult
from ..collate.tellings import retold_out_of_order
from ..library import DossierComparison

#: A link whose record sentence keeps fewer than this share of its words is reworded
#: heavily (counted in the heat strip): the words of the word diff's ``equal`` steps
#: against those of ``equal`` and ``delete`` (the record's side).
HEAVY_REWORD = 1 / 3

#: The states of a cell: what the account does with the row's record sentence (or that
#: the row is one of its added sentences); "" is an added row of another account.
#: ``retold``: a passage told twice, in place and again out of the record's order
#: (:func:`~webapp.collate.tellings.retold_out_of_order`), so neither kept nor moved.
KEPT, MOVED, POSSIBLE_MOVE, RETOLD, OMITTED, ADDED, NONE = (
    "kept",
    "moved",
    "possible-move",
    "retold",
    "omitted",
    "added",
    "",
)


@dataclass(frozen=True, slots=True)
class Cell:
    """What one account has in one row.

    ``numbers`` are the account's 1-based sentence numbers (several for a link of several
    account sentences), ``texts`` their texts (empty when ``continued``: the same link's
    sentences were shown in the row of its first record sentence), ``link`` the 1-based
    number of the link (as on the compare page).
    """

    state: str
    numbers: tuple[int, ...] = ()
    texts: tuple[str, ...] = ()
    link: int | None = None
    continued: bool = False
    heavy: bool = False
    #: For a ``continued`` cell: the 0-based record sentence whose row shows the texts.
    joined: int | None = None
    #: A passage told twice: each telling's numbers (``numbers`` holds them all) ...
    tellings: tuple[tuple[int, ...], ...] = ()
    #: ... and those of the tellings told again out of order (the link itself in place).
    retold: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        """The account sentence numbers as a reader sees them: ``A3`` or ``A3–A4``; a
        passage told twice, each telling: ``A6, A17``."""
        if self.tellings:
            return ", ".join(_span(run) for run in self.tellings)
        return _span(self.numbers) if self.numbers else ""


def _span(numbers: tuple[int, ...]) -> str:
    first, last = numbers[0], numbers[-1]
    return f"A{first}" if first == last else f"A{first}–A{last}"


@dataclass(frozen=True, slots=True)
class Divergence:
    """How many accounts diverge from the record at one sentence, and how."""

    omitted: int = 0
    moved: int = 0
    reworded: int = 0
    #: Accounts that tell it in place and again out of order (a passage told twice).
    retold: int = 0
    #: Accounts that diverge in any way (an account both moving and rewording counts once).
    accounts: int = 0

    def words(self, total: int) -> str:
        """The divergence in plain words, e.g. ``2 of 3 accounts diverge: 1 leaves it out,
        1 tells it elsewhere``."""
        if not self.accounts:
            return f"none of the {total} accounts diverges here"
        counts = [(self.omitted, "leave", "it out"), (self.moved, "tell", "it elsewhere")]
        counts.append((self.retold, "tell", "it again out of order"))
        counts.append((self.reworded, "reword", "it heavily"))
        parts = [f"{n} {v if n != 1 else v + 's'} {what}" for n, v, what in counts if n]
        verb = "diverges" if self.accounts == 1 else "diverge"
        return f"{self.accounts} of {total} accounts {verb}: " + ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Row:
    """One row: a record sentence (``record`` is its 0-based index) with each account's
    cell, or (``record`` None) added sentences of one or more accounts."""

    record: int | None
    text: str
    cells: tuple[Cell, ...]
    divergence: Divergence | None = None

    @property
    def label(self) -> str:
        """``R5`` for a record row, "" for an added row."""
        return "" if self.record is None else f"R{self.record + 1}"


def kept_share(link: Link) -> float:
    """Share of the record side's words that the link's word diff keeps (1.0 without a
    diff: nothing to judge a rewording by)."""
    kept = sum(len(op.text.split()) for op in link.diff if op.op == "equal")
    dropped = sum(len(op.text.split()) for op in link.diff if op.op == "delete")
    return kept / (kept + dropped) if kept + dropped else 1.0


def _state(link: Link) -> str:
    if link.moved:
        return MOVED
    if link.possible_move:  # also a link told twice whose other telling is only possibly off
        return POSSIBLE_MOVE
    return RETOLD if retold_out_of_order(link) else KEPT


def _record_cells(result: WitnessResult, n_record: int) -> list[Cell]:
    """The account's cell in each record row (omitted where it has no counterpart)."""
    cells = [Cell(OMITTED)] * n_record
    for number, link in enumerate(result.links, start=1):
        numbers = tuple(j + 1 for j in link.witness)
        texts = tuple(result.sentences[j].text for j in link.witness)
        heavy = kept_share(link) < HEAVY_REWORD
        told = tuple(tuple(j + 1 for j in t.witness) for t in link.tellings)
        again = tuple(j + 1 for t in link.tellings if t.moved for j in t.witness)
        for k, i in enumerate(link.source):
            joined = link.source[0] if k else None
            cells[i] = Cell(
                _state(link),
                numbers,
                () if k else texts,
                number,
                k > 0,
                heavy,
                joined,
                told,
                again if retold_out_of_order(link) else (),
            )
    return cells


def _slots(result: WitnessResult, n_record: int) -> dict[int, list[int]]:
    """The added sentences of an account by the record row they come before (0..n).

    Anchored on the sentences the account tells in the record's order (its links, or of a
    passage told twice its tellings, that are neither moved nor possible moves): an added
    sentence comes after the last record row of the nearest such sentence before it, else
    before the first row of the nearest after.
    """
    added = set(result.added)
    anchor: dict[int, tuple[int, int]] = {}  # account index -> (first, last) record row
    for link in result.links:
        for told in link.tellings or (link,):
            if not told.moved and not told.possible_move:
                for j in told.witness:
                    anchor[j] = (link.source[0], link.source[-1])
    slots: dict[int, list[int]] = {}
    last: int | None = None  # the slot after the nearest anchored sentence before
    waiting: list[int] = []  # added sentences before any anchored one
    for j in range(len(result.sentences)):
        if j in anchor:
            if waiting:  # those before the first anchored sentence: just before its row
                slots.setdefault(anchor[j][0], []).extend(waiting)
                waiting = []
            last = anchor[j][1] + 1
        elif j in added:
            if last is None:
                waiting.append(j)
            else:
                slots.setdefault(last, []).append(j)
    if waiting:  # no sentence told in order at all: at the end
        slots.setdefault(n_record, []).extend(waiting)
    return slots


def _divergence(cells: Sequence[Cell]) -> Divergence:
    omitted = sum(c.state == OMITTED for c in cells)
    moved = sum(c.state == MOVED for c in cells)
    reworded = sum(c.heavy and c.state != OMITTED for c in cells)
    retold = sum(c.state == RETOLD for c in cells)
    accounts = sum(c.state in (OMITTED, MOVED, RETOLD) or c.heavy for c in cells)
    return Divergence(omitted, moved, reworded, retold, accounts)


def _added_rows(results: Sequence[WitnessResult], slots: Sequence[list[int]]) -> list[Row]:
    """The rows of one slot: the k-th row holds each account's k-th added sentence there."""
    rows = []
    for k in range(max((len(s) for s in slots), default=0)):
        cells = tuple(
            Cell(ADDED, (s[k] + 1,), (r.sentences[s[k]].text,)) if k < len(s) else Cell(NONE)
            for r, s in zip(results, slots, strict=True)
        )
        rows.append(Row(None, "", cells))
    return rows


def synopsis_rows(record: Sequence[str], results: Sequence[WitnessResult]) -> list[Row]:
    """The synopsis of a record (its sentences' texts) and the accounts' results against it:
    a row per record sentence with a cell per account, added sentences in rows between."""
    n = len(record)
    columns = [_record_cells(r, n) for r in results]
    slots = [_slots(r, n) for r in results]
    rows: list[Row] = []
    for i in range(n + 1):
        rows.extend(_added_rows(results, [s.get(i, []) for s in slots]))
        if i < n:
            cells = tuple(column[i] for column in columns)
            rows.append(Row(i, record[i], cells, _divergence(cells)))
    return rows


def synopsis(result: DossierComparison) -> list[Row]:
    """The synopsis of a dossier compared against its record (or the chosen reference),
    with people's decisions applied."""
    record = [s.text for s in result.record.sentences]
    return synopsis_rows(record, [a.result for a in result.accounts])


def retold_links(result: WitnessResult) -> int:
    """How many of an account's links are told again out of order (the count line's
    "4 told again out of order", as the printed alignment and the reports count them)."""
    return sum(retold_out_of_order(link) for link in result.links)


def heat_levels(rows: Sequence[Row], accounts: int) -> dict[int, int]:
    """The heat level of each record row (by its 0-based sentence index): 0 when no account
    diverges there, up to 4 when all of them do."""
    levels = {}
    for row in rows:
        if row.record is None or row.divergence is None:
            continue
        share = row.divergence.accounts / accounts if accounts else 0.0
        levels[row.record] = 0 if share == 0 else max(1, round(share * 4))
    return levels
