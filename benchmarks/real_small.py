"""Small held-out rows of :mod:`benchmarks.bench_real`: texts of a memcon's size (report only).

A memcon is 50-300 sentences; the big rows are 600-1,600 verses, and the engine calibrates
its thresholds from the pair's own unrelated pairs, which are fewer in a small pair. These
rows measure that. None of them is ever tuned on (issue 10's tuning rule).

* **short reworkings** (:data:`SMALL_REWORKS`): passages that bibledit's OT table pairs
  verse range to verse range, each restricted to the chapters it names: the record and the
  account are tens of verses. The account may hold verses the record lacks (Isaiah 38's
  psalm, the rest of Psalms 96, 105 and 106), as a real retelling does;
* **small translation pairs** (:data:`SMALL_TRANSLATIONS`): KJV or ASV against the WEB
  edited by :mod:`benchmarks.real_edits`' seeded script, additions taken from the next
  book. One small pair is noisy (a 25-verse book gets one merge and one moved verse), so
  each runs over :data:`SEEDS` seeds: a figure is the mean over the seeds, the note gives
  the spread and ``--explain`` every seed.

Targets are those of the big rows (:func:`benchmarks.real_rows.rework_verses`: beat the
baseline's best; translations: 0.99 link F1, 0.95 the others).
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean

from webapp.collate import Settings

from .real_bible import Verses, join, passage, verses
from .real_rows import TRANSLATION_FIGURES, EditRun, Figure, Row, edit_run, rework_verses

__all__ = [
    "SEEDS",
    "SMALL_REWORKS",
    "SMALL_TRANSLATIONS",
    "small_rework_row",
    "small_texts",
    "small_translation_row",
]

#: Seeds each small translation pair runs with (from ``--seed`` on).
SEEDS = 5

#: A passage: (``pythonbible`` book, first (chapter, verse), last (chapter, verse)).
Passage = tuple[str, tuple[int, int], tuple[int, int]]
#: To the end of a chapter.
END = 999

OT = "parallel-passages-ot.xml"
#: Short reworkings: name -> (record passages, account passages), all in the WEB; gold
#: from bibledit's OT table.
SMALL_REWORKS: dict[str, tuple[tuple[Passage, ...], tuple[Passage, ...]]] = {
    "2kings 18-20>isaiah 36-39": (
        (("KINGS_2", (18, 13), (20, 19)),),
        (("ISAIAH", (36, 1), (39, END)),),
    ),
    "2kings 24-25>jeremiah 52": (
        (("KINGS_2", (24, 18), (25, 30)),),
        (("JEREMIAH", (52, 1), (52, END)),),
    ),
    "2samuel 22>psalm 18": (
        (("SAMUEL_2", (22, 1), (22, END)),),
        (("PSALMS", (18, 1), (18, END)),),
    ),
    "psalm 14>psalm 53": (
        (("PSALMS", (14, 1), (14, END)),),
        (("PSALMS", (53, 1), (53, END)),),
    ),
    "psalm 40:13-17>psalm 70": (
        (("PSALMS", (40, 13), (40, 17)),),
        (("PSALMS", (70, 1), (70, END)),),
    ),
    # The account is three psalms in the book's order (96, 105, 106); the record tells
    # 105 first, so one of the two blocks is out of order.
    "1chronicles 16>psalms 96,105,106": (
        (("CHRONICLES_1", (16, 1), (16, END)),),
        (
            ("PSALMS", (96, 1), (96, END)),
            ("PSALMS", (105, 1), (105, END)),
            ("PSALMS", (106, 1), (106, END)),
        ),
    ),
}

#: Small translation pairs: name -> (record version, passage, book the additions come
#: from: the next book, as the big rows do); the account is the WEB, edited.
SMALL_TRANSLATIONS: dict[str, tuple[str, Passage, str]] = {
    "kjv>web ruth": ("KING_JAMES", ("RUTH", (1, 1), (END, END)), "SAMUEL_1"),
    "asv>web jonah": ("AMERICAN_STANDARD", ("JONAH", (1, 1), (END, END)), "MICAH"),
    "asv>web philemon": ("AMERICAN_STANDARD", ("PHILEMON", (1, 1), (END, END)), "HEBREWS"),
    "kjv>web ecclesiastes": (
        "KING_JAMES",
        ("ECCLESIASTES", (1, 1), (END, END)),
        "SONG_OF_SONGS",
    ),
    "kjv>web psalms 107-150": ("KING_JAMES", ("PSALMS", (107, 1), (150, END)), "PROVERBS"),
}


def small_texts(passages: Sequence[Passage], version: str = "WORLD_ENGLISH") -> Verses:
    """The passages' verses, one after the other."""
    return join(*(passage(book, first, last, version) for book, first, last in passages))


def small_rework_row(name: str, settings: Settings | None = None) -> Row:
    """One short reworking, the engine and the baseline against bibledit's sets."""
    record, account = SMALL_REWORKS[name]
    return rework_verses(name, small_texts(record), small_texts(account), OT, False, settings)


def _spread(values: Sequence[float]) -> str:
    """``min-max`` of some figures (one value when they agree)."""
    lo, hi = min(values), max(values)
    return f"{lo:.3f}" if hi - lo < 5e-4 else f"{lo:.3f}-{hi:.3f}"


def _best(run: EditRun, key: str) -> float:
    """The baseline's best value of one figure over its thresholds."""
    return max(float(getattr(s, key)) for s in run.baseline)


def _seed_line(seed: int, run: EditRun) -> str:
    """One seed's figures, the engine's against the baseline's best (for ``--explain``)."""
    cells = [
        f"{label} {getattr(run.memcon, k):.3f} (base {_best(run, k):.3f})"
        for label, k, _ in TRANSLATION_FIGURES
    ]
    counts = run.pair.counts
    edits = (
        f"{counts['dropped']} dropped, {counts['merged']} merges, "
        f"{counts['moved']} moved, {len(run.pair.added)} added"
    )
    return f"seed {seed}: " + "; ".join(cells) + f" [{edits}]"


def _figures(runs: Sequence[EditRun]) -> tuple[Figure, ...]:
    """Each figure as the mean over the seeds (the baseline's per threshold)."""
    out = []
    for label, key, target in TRANSLATION_FIGURES:
        mine = fmean(getattr(r.memcon, key) for r in runs)
        n_thresholds = len(runs[0].baseline)
        theirs = tuple(
            fmean(getattr(r.baseline[t], key) for r in runs) for t in range(n_thresholds)
        )
        out.append(Figure(f"{label} (mean)", mine, theirs, target))
    return tuple(out)


def _note(runs: Sequence[EditRun], seeds: Sequence[int]) -> str:
    """Size, the spread over seeds of each figure, and how many seeds the baseline beat or
    missed the target (a mean can hide one bad seed)."""
    pair = runs[0].pair
    parts = []
    for label, key, target in TRANSLATION_FIGURES:
        mine = [getattr(r.memcon, key) for r in runs]
        best = [_best(r, key) for r in runs]
        below = sum(m < b - 1e-9 for m, b in zip(mine, best, strict=True))
        under = sum(m < target - 1e-9 for m in mine)
        parts.append(
            f"{label} {_spread(mine)} (base best {_spread(best)}; seeds below base {below}, "
            f"under target {under})"
        )
    return (
        f"{len(pair.record)} verses a side before edits; seeds {seeds[0]}-{seeds[-1]}: "
        + "; ".join(parts)
    )


def small_translation_row(name: str, seed: int = 0, settings: Settings | None = None) -> Row:
    """One small translation pair over :data:`SEEDS` seeds from ``seed`` (mean and spread)."""
    version, (book, first, last), filler = SMALL_TRANSLATIONS[name]
    record = passage(book, first, last, version)
    web = passage(book, first, last, "WORLD_ENGLISH")
    extra = verses((filler,), "WORLD_ENGLISH").texts
    seeds = list(range(seed, seed + SEEDS))
    runs = [edit_run(record, web, extra, seed=s, settings=settings) for s in seeds]
    per_seed = [_seed_line(s, r) for s, r in zip(seeds, runs, strict=True)]
    return Row(
        name,
        _figures(runs),
        sum(r.memcon_seconds for r in runs),
        sum(r.baseline_seconds for r in runs),
        _note(runs, seeds),
        extra={"per_seed": per_seed},
    )
