"""The rows of :mod:`benchmarks.bench_real`: each runs the engine and the naive baseline.

A row function returns :class:`Row` objects: per figure the engine's value, the baseline's
values at each of :data:`THRESHOLDS` (its range is printed; the issue reports ranges) and
the target, plus both times. The baseline is :func:`benchmarks.baselines.tfidf_nearest`
(TF-IDF nearest neighbour with a threshold, moves off the longest increasing chain).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from webapp.collate import Document, Settings, compare

from .baselines import tfidf_nearest
from .metrics import Predicted, predicted, score
from .real_bible import Verses, bibledit_table, gold_sets, label, verses
from .real_edits import EditedPair, EditScores, edit_pair, edit_scores
from .real_findings import zavidovo_findings
from .real_metrics import ReworkScores, rework_scores
from .synthetic import make_pair

__all__ = [
    "FORMULAE",
    "GOSPELS",
    "HISTORIES",
    "REWORKS",
    "THRESHOLDS",
    "TRANSLATIONS",
    "TRANSLATION_FIGURES",
    "EditRun",
    "Figure",
    "Row",
    "edit_run",
    "edited_row",
    "rework_verses",
]

#: The baseline's thresholds (TF-IDF cosine from which it links).
THRESHOLDS = (0.3, 0.4, 0.5)

SAMUEL_KINGS = ("SAMUEL_1", "SAMUEL_2", "KINGS_1", "KINGS_2")
CHRONICLES = ("CHRONICLES_1", "CHRONICLES_2")
#: Reworking rows: name -> (record books, account books, bibledit table, tuning set?).
REWORKS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str, bool]] = {
    "samuel-kings>chronicles": (SAMUEL_KINGS, CHRONICLES, "parallel-passages-ot.xml", True),
    "mark>matthew": (("MARK",), ("MATTHEW",), "parallel-passages-nt.xml", False),
    "mark>luke": (("MARK",), ("LUKE",), "parallel-passages-nt.xml", False),
    "exodus-numbers>deuteronomy": (
        ("EXODUS", "LEVITICUS", "NUMBERS"),
        ("DEUTERONOMY",),
        "parallel-passages-ot.xml",
        False,
    ),
}
#: More held-out reworkings, added after the engine was tuned (session 17) and never tuned
#: on: the other pairs of the Gospels, each way. Matthew and Luke share sayings that each
#: places in its own order (the double tradition), so half their sets are moved; John
#: shares few passages with the others, so a false link there is plain to count.
GOSPELS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str, bool]] = {
    f"{a.lower()}>{b.lower()}": ((a,), (b,), "parallel-passages-nt.xml", False)
    for a, b in (
        ("MATTHEW", "LUKE"),
        ("LUKE", "MATTHEW"),
        ("MATTHEW", "MARK"),
        ("LUKE", "MARK"),
        ("MARK", "JOHN"),
        ("LUKE", "JOHN"),
    )
}
#: Held-out reworkings of whole books from bibledit's OT table (session 18, never tuned
#: on): 2 Kings told again in Isaiah 36-39 and Jeremiah 52 among 2,600 verses of prophecy
#: (a short retelling inside a long account, as a memoir is), and Jeremiah 39 telling the
#: fall of Jerusalem a first time; Ezra 2's list of the returned exiles repeated in
#: Nehemiah 7 (a list of names and numbers, line for line); Joshua's conquest stories
#: that Judges 1 tells again, four sets in 600 verses.
HISTORIES: dict[str, tuple[tuple[str, ...], tuple[str, ...], str, bool]] = {
    "2kings>isaiah-jeremiah": (
        ("KINGS_2",),
        ("ISAIAH", "JEREMIAH"),
        "parallel-passages-ot.xml",
        False,
    ),
    "ezra>nehemiah": (("EZRA",), ("NEHEMIAH",), "parallel-passages-ot.xml", False),
    "joshua>judges": (("JOSHUA",), ("JUDGES",), "parallel-passages-ot.xml", False),
}
#: Translation rows: name -> (record version, book, book the additions come from); the
#: account is always the WEB, edited.
TRANSLATIONS = {
    "kjv>web genesis": ("KING_JAMES", "GENESIS", "EXODUS"),
    "kjv>web proverbs": ("KING_JAMES", "PROVERBS", "ECCLESIASTES"),
    "asv>web acts": ("AMERICAN_STANDARD", "ACTS", "ROMANS"),
}
#: Held-out translation rows on books of repeated formulae (session 17, never tuned on):
#: the twelve near-identical offerings of Numbers 7 and its census lists, the rituals of
#: Leviticus, Ezekiel's refrains ("and they shall know that I am Yahweh"): which copy of
#: a repeated verse is which must come from the verses around it.
FORMULAE = {
    "kjv>web numbers": ("KING_JAMES", "NUMBERS", "JOSHUA"),
    "kjv>web leviticus": ("KING_JAMES", "LEVITICUS", "JOSHUA"),
    "kjv>web ezekiel": ("KING_JAMES", "EZEKIEL", "DANIEL"),
}


@dataclass(frozen=True)
class Figure:
    """One figure of a row: the engine's value, the baseline's per threshold, a target."""

    name: str
    memcon: float | str
    baseline: tuple[float, ...] | str = ()
    target: float | None = None  # the engine must reach it (>=; <= when ``at_most``)
    at_most: bool = False

    def verdict(self) -> str:
        """ "ok", "MISS" or "" (no target); strings pass when they read "pass"."""
        if isinstance(self.memcon, str):
            return {"pass": "ok", "FAIL": "MISS"}.get(self.memcon, "MISS")
        if self.target is None:
            return ""
        if self.at_most:
            return "ok" if self.memcon <= self.target else "MISS"
        return "ok" if self.memcon >= self.target - 1e-9 else "MISS"


@dataclass(frozen=True)
class Row:
    """A benchmark row: its figures and both times (seconds; None when not run)."""

    name: str
    figures: tuple[Figure, ...]
    memcon_seconds: float | None
    baseline_seconds: float | None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _timed(run: Callable[[], Predicted]) -> tuple[Predicted, float]:
    t0 = time.perf_counter()
    out = run()
    return out, time.perf_counter() - t0


def _memcon_lines(record: Sequence[str], account: Sequence[str], settings: Settings) -> Predicted:
    """The engine on presegmented input (one sentence a line)."""
    rec = Document.from_lines("record", "\n".join(record) + "\n")
    acc = Document.from_lines("account", "\n".join(account) + "\n")
    if len(rec.sentences) != len(record) or len(acc.sentences) != len(account):
        raise ValueError("a line was lost in presegmentation")
    return predicted(compare(rec, [acc], settings).witnesses[0])


def _baselines(record: Sequence[str], account: Sequence[str]) -> tuple[list[Predicted], float]:
    """The baseline at every threshold; the time is that of one run (the mean)."""
    t0 = time.perf_counter()
    out = [tfidf_nearest(record, account, t) for t in THRESHOLDS]
    return out, (time.perf_counter() - t0) / len(THRESHOLDS)


def rework_row(name: str, settings: Settings | None = None) -> Row:
    """A later account reworking a source, against bibledit's parallel passages."""
    record_books, account_books, table, tuning = {**REWORKS, **GOSPELS, **HISTORIES}[name]
    record, account = verses(record_books), verses(account_books)
    return rework_verses(name, record, account, table, tuning, settings)


def _rework_targets(b: Sequence[ReworkScores], tuning: bool) -> tuple[float, float, float]:
    """Targets of the issue: fixed on the tuning set; elsewhere beat the baseline's best.

    Sets found is capped at 1.0 (a small row where the baseline finds every set asks the
    engine to find them all too), as moved-set F1 is.
    """
    if tuning:
        return (0.93, 0.97, 0.92)
    best = {k: max(getattr(s, k) for s in b) for k in ("sets_found", "moved_f1")}
    moved = 0.92 if best["moved_f1"] > 0.82 else best["moved_f1"] + 0.10
    return (min(best["sets_found"] + 0.03, 1.0), 0.95, min(moved, 1.0))


def rework_verses(
    name: str,
    record: Verses,
    account: Verses,
    table: str,
    tuning: bool = False,
    settings: Settings | None = None,
) -> Row:
    """The engine and the baseline on ``record`` and ``account``, against ``table``'s sets."""
    sets = gold_sets(bibledit_table(table), record, account)
    mine, secs = _timed(lambda: _memcon_lines(record.texts, account.texts, settings or Settings()))
    theirs, base_secs = _baselines(record.texts, account.texts)
    m = rework_scores(mine, sets)
    b = [rework_scores(p, sets) for p in theirs]
    targets = _rework_targets(b, tuning)
    figures = (
        Figure("sets found", m.sets_found, tuple(s.sets_found for s in b), targets[0]),
        Figure("link precision", m.link_precision, tuple(s.link_precision for s in b), targets[1]),
        Figure("moved-set F1", m.moved_f1, tuple(s.moved_f1 for s in b), targets[2]),
        # Tie-aware (see benchmarks.real_metrics): reported, the target stays the strict one.
        Figure("moved-set F1 (ties)", m.moved_f1_ties, tuple(s.moved_f1_ties for s in b)),
        # A set told twice judged by its first telling, where the gold places it: reported.
        Figure(
            "moved-set F1 (first telling)", m.moved_f1_first, tuple(s.moved_f1_first for s in b)
        ),
    )
    note = (
        f"{len(record.ids)} vs {len(account.ids)} verses, {m.n_sets} gold sets "
        f"({m.n_gold_moved} moved), {m.n_judged_links} judged links "
        f"({len(mine.links) - m.n_judged_links} not judged)"
        + ("; TUNING SET" if tuning else "; report only")
    )
    explain = {
        what: [
            f"{label(record.ids[i] for i in sets[k].record)} = "
            f"{label(account.ids[j] for j in sets[k].account)}"
            for k in getattr(m, what)
        ]
        for what in (
            "unfound",
            "missed_moves",
            "false_moves",
            "missed_moves_ties",
            "false_moves_ties",
        )
    }
    label_ = f"{name}{' (tuning)' if tuning else ''}"
    return Row(label_, figures, secs, base_secs, note, extra=explain)


#: The figures of a translation row: (label, field of EditScores, target).
TRANSLATION_FIGURES = (
    ("link F1", "link_f1", 0.99),
    ("omitted F1", "omitted_f1", 0.95),
    ("added F1", "added_f1", 0.95),
    ("moved F1", "moved_f1", 0.95),
)


@dataclass(frozen=True)
class EditRun:
    """One edited translation pair scored: the engine's, the baseline's per threshold."""

    pair: EditedPair
    memcon: EditScores
    baseline: tuple[EditScores, ...]
    memcon_seconds: float
    baseline_seconds: float


def edit_run(
    record: Verses,
    web: Verses,
    filler: Sequence[str],
    seed: int = 0,
    settings: Settings | None = None,
) -> EditRun:
    """``record`` against the verses it shares with ``web``, edited by the seeded script."""
    shared = sorted(set(record.ids) & set(web.ids))
    at_k, at_w = record.index(), web.index()
    pair = edit_pair(
        [record.texts[at_k[v]] for v in shared],
        [web.texts[at_w[v]] for v in shared],
        filler,
        seed=seed,
    )
    mine, secs = _timed(lambda: _memcon_lines(pair.record, pair.account, settings or Settings()))
    theirs, base_secs = _baselines(pair.record, pair.account)
    b = tuple(edit_scores(p, pair) for p in theirs)
    return EditRun(pair, edit_scores(mine, pair), b, secs, base_secs)


def edit_note(pair: EditedPair, seed: int) -> str:
    """How big an edited pair is and which edits its script made."""
    c = pair.counts
    return (
        f"{len(pair.record)} vs {len(pair.account)} verses; {c['dropped']} dropped, "
        f"{c['merged']} merges, {c['moved']} moved, {len(pair.added)} added (seed {seed})"
    )


def translation_row(name: str, seed: int = 0, settings: Settings | None = None) -> Row:
    """KJV (or ASV) as the record, the WEB of the book edited by a seeded script as account."""
    version, book, filler = {**TRANSLATIONS, **FORMULAE}[name]
    return edited_row(name, (version, book, filler), seed, settings)


def edited_row(
    name: str,
    texts: tuple[str, str, str],
    seed: int = 0,
    settings: Settings | None = None,
    remark: str = "",
) -> Row:
    """``texts`` (record version, book, the additions' book) as the record, the WEB of the
    book edited by the seeded script as the account; the note ends in ``remark``."""
    version, book, filler = texts
    run = edit_run(
        verses((book,), version),
        verses((book,), "WORLD_ENGLISH"),
        verses((filler,), "WORLD_ENGLISH").texts,
        seed=seed,
        settings=settings,
    )
    figures = tuple(
        Figure(label, getattr(run.memcon, k), tuple(getattr(s, k) for s in run.baseline), t)
        for label, k, t in TRANSLATION_FIGURES
    )
    note = edit_note(run.pair, seed) + (f"; {remark}" if remark else "")
    return Row(name, figures, run.memcon_seconds, run.baseline_seconds, note)


def findings_rows() -> list[Row]:
    """The bundled dossier's expected findings, one row each."""
    found, secs, base_secs = zavidovo_findings(THRESHOLDS)
    rows = []
    for k, f in enumerate(found):
        theirs = "n/a" if f.baseline is None else ("pass" if f.baseline else "FAIL")
        fig = Figure("finding", "pass" if f.memcon else "FAIL", theirs)
        rows.append(
            Row(
                f"zavidovo: {f.name}",
                (fig,),
                secs if k == 0 else None,
                base_secs if k == 0 else None,
                f.detail,
            )
        )
    return rows


def synthetic_row(
    level: str, size: int = 1000, seed: int = 0, settings: Settings | None = None
) -> Row:
    """The project's generator (as bench_align: raw texts, segmented by the engine)."""
    pair = make_pair(size, seed=seed, level=level)

    def mine() -> Predicted:
        rec = Document.from_text("record", pair.record_text)
        acc = Document.from_text("account", pair.witness_text)
        return predicted(compare(rec, [acc], settings or Settings()).witnesses[0])

    found, secs = _timed(mine)
    t0 = time.perf_counter()
    rec = [s.text for s in Document.from_text("record", pair.record_text).sentences]
    acc = [s.text for s in Document.from_text("account", pair.witness_text).sentences]
    segment_secs = time.perf_counter() - t0
    theirs, base_secs = _baselines(rec, acc)
    base_secs += segment_secs
    m, b = score(found, pair), [score(p, pair) for p in theirs]
    target = 0.99 if level == "light" else 0.98
    figures = (
        Figure("link F1", m.link_f1, tuple(s.link_f1 for s in b), target),
        Figure("moved F1", m.moved_f1, tuple(s.moved_f1 for s in b), None),
    )
    note = f"{size:,} a side, seed {seed}; both times include segmentation (pysbd)"
    return Row(f"synthetic {level} {size}", figures, secs, base_secs, note)
