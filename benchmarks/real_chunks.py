"""A big translation row cut into small pairs: the same text at a memcon's size (report only).

The small rows of :mod:`benchmarks.real_small` are other books, so a difference from the
big rows may come from the text as much as from its size. Here a book of a big row
(Genesis, Proverbs; and two heavy paraphrases in Basic English) is cut into pairs of a few
chapters (30-100 verses), each edited by the seeded script of :mod:`benchmarks.real_edits`
on its own (seed ``seed + k`` for the k-th piece) and aligned on its own; the figures pool
every piece's links, omissions, additions and moves (micro F1), so they compare with the
whole book directly (``chapters=999``: one piece, the big row itself).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from webapp.collate import Settings

from .baselines import tfidf_nearest
from .metrics import Predicted
from .real_bible import BenchDataError, Verses, verses
from .real_edits import EditedPair, edit_pair, edit_scores
from .real_rows import THRESHOLDS, TRANSLATION_FIGURES, Figure, Row, _memcon_lines, _timed

__all__ = ["CHUNKED", "Chunked", "chunked_row", "chunks", "pooled", "texts_of"]


@dataclass(frozen=True)
class Chunked:
    """One row: the record version, the book, the additions' book, chapters a piece, and
    the account: the WEB, or a paraphrase of :mod:`benchmarks.real_semantic` ("bbe")
    over ``span`` (first and last chapter)."""

    version: str
    book: str
    filler: str
    chapters: int
    paraphrase: str = ""
    span: tuple[int, int] = (1, 999)


#: Rows: the big translation rows' Genesis and Proverbs; two heavy paraphrases of
#: :mod:`benchmarks.real_semantic` (Basic English, where the gaps' calibration does the
#: work), as there: Genesis 1-20 and Esther with additions from Proverbs and Nehemiah.
CHUNKED = {
    "kjv>web genesis in 2-chapter pairs": Chunked("KING_JAMES", "GENESIS", "EXODUS", 2),
    "kjv>web proverbs in 2-chapter pairs": Chunked("KING_JAMES", "PROVERBS", "ECCLESIASTES", 2),
    "kjv>bbe genesis 1-20 in 2-chapter pairs": Chunked(
        "KING_JAMES", "GENESIS", "PROVERBS", 2, "bbe", (1, 20)
    ),
    "kjv>bbe esther in 2-chapter pairs": Chunked(
        "KING_JAMES", "ESTHER", "NEHEMIAH", 2, "bbe", (1, 10)
    ),
}


def texts_of(row: Chunked) -> tuple[Verses, Verses, Sequence[str]]:
    """The record, the account and the additions of a row (a paraphrase package missing
    is a :class:`~benchmarks.real_bible.BenchDataError`)."""
    record = verses((row.book,), row.version)
    if not row.paraphrase:
        return record, verses((row.book,), "WORLD_ENGLISH"), verses((row.filler,)).texts
    from .real_semantic import bbe_verses

    account = bbe_verses(row.book, row.span, row.paraphrase)
    return record, account, bbe_verses(row.filler, (1, 200), row.paraphrase).texts


def chunks(record: Verses, account: Verses, chapters: int) -> list[tuple[list[str], list[str]]]:
    """The verses both versions have, cut every ``chapters`` chapters: (record, account)."""
    at_r, at_a = record.index(), account.index()
    pieces: dict[int, tuple[list[str], list[str]]] = {}
    for v in sorted(set(record.ids) & set(account.ids)):
        piece = pieces.setdefault((v // 1000 % 1000 - 1) // chapters, ([], []))
        piece[0].append(record.texts[at_r[v]])
        piece[1].append(account.texts[at_a[v]])
    return [pieces[k] for k in sorted(pieces)]


@dataclass
class _Sets:
    """Links, omissions, additions and moves of pieces joined into one pair."""

    links: set[tuple[int, int]] = field(default_factory=set)
    omitted: set[int] = field(default_factory=set)
    added: set[int] = field(default_factory=set)
    moved: set[int] = field(default_factory=set)

    def add(self, p: Predicted | EditedPair, dr: int, da: int) -> None:
        """One piece's sets, its record indices shifted by ``dr``, its account's by ``da``."""
        self.links |= {(i + dr, j + da) for i, j in p.links}
        self.omitted |= {i + dr for i in p.omitted}
        self.added |= {j + da for j in p.added}
        self.moved |= {j + da for j in p.moved}

    def predicted(self) -> Predicted:
        """As the benchmark's prediction type."""
        return Predicted(
            frozenset(self.links),
            frozenset(self.omitted),
            frozenset(self.added),
            frozenset(self.moved),
        )


def pooled(
    pieces: Sequence[tuple[list[str], list[str]]],
    filler: Sequence[str],
    seed: int,
    settings: Settings,
) -> tuple[EditedPair, list[Predicted], float, float]:
    """Every piece edited and aligned on its own, joined: the truth, then the engine's and
    the baseline's (per threshold) predictions, and both times (seconds, summed)."""
    truth, found = _Sets(), [_Sets() for _ in range(1 + len(THRESHOLDS))]
    record: list[str] = []
    account: list[str] = []
    secs = base_secs = 0.0
    for k, (rec, acc) in enumerate(pieces):
        pair = edit_pair(rec, acc, filler, seed=seed + k)
        mine, took = _timed(partial(_memcon_lines, pair.record, pair.account, settings))
        theirs, base_took = _timed_baselines(pair)
        secs, base_secs = secs + took, base_secs + base_took
        truth.add(pair, len(record), len(account))
        for into, p in zip(found, [mine, *theirs], strict=True):
            into.add(p, len(record), len(account))
        record += pair.record
        account += pair.account
    joined = EditedPair(
        tuple(record),
        tuple(account),
        frozenset(truth.links),
        frozenset(truth.omitted),
        frozenset(truth.added),
        frozenset(truth.moved),
    )
    return joined, [f.predicted() for f in found], secs, base_secs


def _timed_baselines(pair: EditedPair) -> tuple[list[Predicted], float]:
    """The baseline at every threshold on one piece; the time of one run (the mean)."""
    out, took = _timed(lambda: tfidf_nearest(pair.record, pair.account, THRESHOLDS[0]))
    rest = [tfidf_nearest(pair.record, pair.account, t) for t in THRESHOLDS[1:]]
    return [out, *rest], took


def chunked_row(
    name: str, seed: int = 0, settings: Settings | None = None, chapters: int | None = None
) -> Row:
    """One book cut into small pairs, pooled (see the module's text); ``chapters`` a piece
    instead of the row's own (a large number gives the whole book as one pair)."""
    row = CHUNKED[name]
    try:
        return pooled_row(name, row, seed, settings, chapters, "compare the whole book")
    except BenchDataError as error:
        return Row(name, (), None, None, f"not run: {error}")


def pooled_row(
    name: str,
    row: Chunked,
    seed: int,
    settings: Settings | None,
    chapters: int | None,
    remark: str,
) -> Row:
    """The row of a book cut into pieces and pooled, its note ending in ``remark``."""
    record, account, extra = texts_of(row)
    pieces = chunks(record, account, chapters or row.chapters)
    truth, found, secs, base_secs = pooled(pieces, extra, seed, settings or Settings())
    mine, *theirs = (edit_scores(p, truth) for p in found)
    figures = tuple(
        Figure(label, getattr(mine, k), tuple(getattr(s, k) for s in theirs), target)
        for label, k, target in TRANSLATION_FIGURES
    )
    sizes = [len(r) for r, _ in pieces]
    note = (
        f"{len(pieces)} pairs of {min(sizes)}-{max(sizes)} verses ({sum(sizes)} in all), "
        f"seeds {seed}-{seed + len(pieces) - 1}; {len(truth.omitted)} dropped, "
        f"{len(truth.moved)} moved, {len(truth.added)} added; {remark}"
    )
    return Row(name, figures, secs, base_secs, note)
