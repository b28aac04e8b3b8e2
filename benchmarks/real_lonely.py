"""Why the engine leaves a gold moved set unlinked: one line per missed set of a row.

For each gold set of a reworking row that is not found, or found but not called moved,
the best candidate pair inside the set is traced through the link choice: its score, its
rank in each side's candidates, the best rival of each side (beyond the pair's
neighbours, as :meth:`.matching.TopPartners.rival`) and whether that rival is linked in
the final result (to a partner scoring better than the pair: *spoken for*), whether the
first matching took the pair and on which ground it was dropped, and the pair's chance
against the row's own random-pair scores (:class:`.gaps.NullScores`): the expected
number of chance pairs as good over all n x m cells (an out-of-order pair is a search
over the whole text) and over the cells still free at the end.

Usage: ``python -m benchmarks.real_lonely [--only "mark>matthew,mark>luke"]``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import Any

import numpy as np

from webapp.collate import Document, Settings, compare
from webapp.collate.gaps import PairIndex
from webapp.collate.lonely import open_rival, own_scores
from webapp.collate.matching import TopPartners, crowded
from webapp.collate.merges import DraftLink
from webapp.collate.similarity import PairScores

from .metrics import predicted
from .real_bible import GoldSet, bibledit_table, gold_sets, label, verses
from .real_metrics import rework_scores
from .real_rows import REWORKS

__all__ = ["Trace", "main", "trace_row"]

#: The engine modules whose steps are wrapped: the link choice is called from
#: :mod:`webapp.collate.candidates` (the package re-exports a function ``compare``
#: under the module's name, so modules are imported by path).
candidates_module: Any = import_module("webapp.collate.candidates")
align: Any = import_module("webapp.collate.align")


@dataclass
class _Captured:
    """What the engine's link choice saw and decided, captured by wrapping its steps."""

    pairs: PairScores | None = None
    settings: Any = None
    null: Any = None
    anchors: list[tuple[int, int]] | None = None
    kept: list[tuple[int, int]] | None = None
    late: list[tuple[int, int]] | None = None
    evidence: Any = None
    sizes: tuple[int, int] = (0, 0)


def _run_captured(record: Sequence[str], account: Sequence[str]) -> tuple[Any, _Captured]:
    """The engine on one row, with its candidate pairs, calibration and first links kept."""
    got = _Captured()
    real_choose, real_fill, real_first = (
        candidates_module.choose_links,
        align._fill,
        align._first_links,
    )

    def choose(pairs: PairScores, *args: Any, **kw: Any) -> Any:
        got.pairs, got.settings, got.evidence = pairs, args[2], args[3]
        got.sizes = (int(args[0]), int(args[1]))
        return real_choose(pairs, *args, **kw)

    def fill(*args: Any, **kw: Any) -> Any:
        out = real_fill(*args, **kw)
        got.null = out[2]
        return out

    def first(*args: Any, **kw: Any) -> Any:
        out = real_first(*args, **kw)
        got.anchors, got.kept, got.late = out
        return out

    candidates_module.choose_links, align._fill, align._first_links = choose, fill, first
    try:
        rec = Document.from_lines("record", "\n".join(record) + "\n")
        acc = Document.from_lines("account", "\n".join(account) + "\n")
        result = compare(rec, [acc], Settings()).witnesses[0]
    finally:
        candidates_module.choose_links, align._fill, align._first_links = (
            real_choose,
            real_fill,
            real_first,
        )
    return result, got


@dataclass(frozen=True)
class Trace:
    """One missed gold set's best in-set pair and what kept it from a moved link."""

    label: str
    missed: str  # "unfound" or "not moved"
    pair: tuple[int, int] | None
    score: float
    ranks: tuple[int, int]
    rivals: tuple[float, float]
    rival_linked: tuple[str, str]
    ratio: float
    chance_all: float
    chance_free: float
    rule: str
    #: Where the pair's own record and account sentences are linked now ("free", or the
    #: partner's distance in sentences from the pair's other side and that pair's score).
    now: tuple[str, str] = ("", "")
    #: The late step's three tests (:mod:`webapp.collate.lonely`), read on the final
    #: links: a rare shared phrase, one side a copy of a formula, and the ratio over the
    #: rivals not spoken for.
    rare: bool = False
    copies: bool = False
    open_ratio: float = 0.0


def _rank(top_scores: np.ndarray, score: float) -> int:
    """1 + how many candidates of the sentence score more than ``score``."""
    return 1 + int(np.sum(top_scores > score + 1e-12))


def _spoken(others: set[int], scores: list[float], rival_score: float) -> str:
    """How a rival sentence is linked: 'free', 'taken>' (to a partner it scores better
    with than with the pair's sentence: spoken for) or 'taken<' (to a worse one)."""
    if not others:
        return "free"
    return "taken>" if max(scores, default=0.0) > rival_score else "taken<"


def _rule(
    pair: tuple[int, int],
    score: float,
    ratio: float,
    got: _Captured,
    linked: tuple[dict[int, set[int]], dict[int, set[int]]],
) -> str:
    """The step that left the pair out (or took it, but not as a move)."""
    s = got.settings
    assert s is not None and got.anchors is not None and got.kept is not None
    i, j = pair
    if i in linked[0] and j in linked[0][i]:
        return "linked, in order"
    if score < s.weak_score:
        return "under weak_score"
    if pair in got.anchors or pair in got.kept:
        return "first links, later undone"
    if got.late is not None and pair in got.late:
        return "late (phrase), taken"
    if score < s.min_score and ratio < s.distinct_ratio:
        return "weak, no stand-out"
    if score < s.moved_min_score and ratio < s.lone_move_ratio:
        return "weak lone move dropped"
    taken = ("i" if i in linked[0] else "") + ("j" if j in linked[1] else "")
    return f"not matched ({taken or 'both free'})"


def trace_row(name: str) -> list[Trace]:
    """Traces of every unfound or not-moved gold moved set of a reworking row."""
    return trace_run(_run_row(name))


@dataclass
class RowRun:
    """One reworking row run through the engine, with its gold sets and scores."""

    record: Any
    account: Any
    sets: list[GoldSet]
    result: Any
    got: _Captured
    scores: Any


def _run_row(name: str) -> RowRun:
    """The engine on a reworking row, captured, with the row's gold sets scored."""
    record_books, account_books, table, _ = REWORKS[name]
    record, account = verses(record_books), verses(account_books)
    sets = gold_sets(bibledit_table(table), record, account)
    result, got = _run_captured(record.texts, account.texts)
    return RowRun(record, account, sets, result, got, rework_scores(predicted(result), sets))


def trace_run(run: RowRun) -> list[Trace]:
    """Traces of every unfound or not-moved gold moved set of a row already run."""
    record, account, sets, result, got, m = (
        run.record,
        run.account,
        run.sets,
        run.result,
        run.got,
        run.scores,
    )
    pairs = got.pairs
    assert pairs is not None and got.null is not None
    n, w = len(record.texts), len(account.texts)
    top = (
        TopPartners(pairs.source, pairs.witness, pairs.score, n, keep=8),
        TopPartners(pairs.witness, pairs.source, pairs.score, w, keep=8),
    )
    index = {
        (int(a), int(b)): float(c)
        for a, b, c in zip(pairs.source, pairs.witness, pairs.score, strict=True)
    }
    by_src: dict[int, set[int]] = {}
    by_wit: dict[int, set[int]] = {}
    for link in result.links:
        for i in link.source:
            by_src.setdefault(i, set()).update(link.witness)
        for j in link.witness:
            by_wit.setdefault(j, set()).update(link.source)
    free = (n - len(by_src)) * (w - len(by_wit))
    wanted = [(k, "unfound") for k in m.unfound] + [
        (k, "not moved") for k in m.missed_moves if k not in set(m.unfound)
    ]
    out = []
    for k, missed in wanted:
        out.append(
            _trace(
                sets[k], missed, (record, account), got, top, index, (by_src, by_wit), n * w, free
            )
        )
    return out


def _trace(
    gold: GoldSet,
    missed: str,
    texts: tuple[Any, Any],
    got: _Captured,
    top: tuple[TopPartners, TopPartners],
    index: dict[tuple[int, int], float],
    linked: tuple[dict[int, set[int]], dict[int, set[int]]],
    cells: int,
    free: int,
) -> Trace:
    """The trace of one gold set (its best in-set candidate pair)."""
    record, account = texts
    name = " = ".join(
        (label(record.ids[i] for i in gold.record), label(account.ids[j] for j in gold.account))
    )
    inside = [((i, j), index[(i, j)]) for i in gold.record for j in gold.account if (i, j) in index]
    if not inside:
        return Trace(
            name, missed, None, 0.0, (0, 0), (0.0, 0.0), ("", ""), 0.0, 0.0, 0.0, "no candidate"
        )
    (i, j), score = max(inside, key=lambda p: p[1])
    ii, jj = np.array([i]), np.array([j])
    rivals = (float(top[0].rival(ii, jj)[0]), float(top[1].rival(jj, ii)[0]))
    r_src = _rival_partner(top[0], i, j)
    r_wit = _rival_partner(top[1], j, i)
    by_src, by_wit = linked
    spoken = (
        _spoken(
            by_wit.get(r_src, set()),
            [index.get((o, r_src), 0.0) for o in by_wit.get(r_src, set())],
            rivals[0],
        )
        if r_src >= 0
        else "-",
        _spoken(
            by_src.get(r_wit, set()),
            [index.get((r_wit, o), 0.0) for o in by_src.get(r_wit, set())],
            rivals[1],
        )
        if r_wit >= 0
        else "-",
    )
    ratio = score / max(max(rivals), 1e-9)
    tail = float(got.null.tail(np.array([score]))[0])
    ranks = (_rank(top[0].score[i], score), _rank(top[1].score[j], score))
    rule = _rule((i, j), score, ratio, got, linked)
    by_src, by_wit = linked
    now = (
        _now(by_src.get(i, set()), lambda o: index.get((i, o), 0.0), j),
        _now(by_wit.get(j, set()), lambda o: index.get((o, j), 0.0), i),
    )
    chance = (tail * cells, tail * free)
    rare, copies, open_ratio = _late_tests((i, j), score, got, linked)
    return Trace(
        name,
        missed,
        (i, j),
        score,
        ranks,
        rivals,
        spoken,
        ratio,
        *chance,
        rule,
        now,
        rare,
        copies,
        open_ratio,
    )


def _late_tests(
    pair: tuple[int, int],
    score: float,
    got: _Captured,
    linked: tuple[dict[int, set[int]], dict[int, set[int]]],
) -> tuple[bool, bool, float]:
    """The late step's tests for the pair: rare phrase, formula copy, open-rival ratio."""
    pairs, settings = got.pairs, got.settings
    assert pairs is not None
    i, j = pair
    phrases = got.evidence.phrases if got.evidence is not None else None
    rare = bool(phrases is not None and phrases.shared(i, j))
    n, m = got.sizes
    top = (
        TopPartners(pairs.source, pairs.witness, pairs.score, n),
        TopPartners(pairs.witness, pairs.source, pairs.score, m),
    )
    copies = bool(crowded(*top, settings, [i], [j], [score])[0])
    index = PairIndex(pairs)
    links = [DraftLink({a}, set(b)) for a, b in linked[0].items()]
    own = own_scores(links, index, (n, m))
    rival = float(open_rival(index, own, np.array([i]), np.array([j]))[0])
    return rare, copies, score / max(rival, 1e-9)


def _now(partners: set[int], score: Callable[[int], float], other: int) -> str:
    """Where a sentence is linked: 'free', or each partner's offset from ``other`` (the
    pair's other side) with its pair score: a further use of a linked sentence (doublet)."""
    if not partners:
        return "free"
    return ",".join(f"{o - other:+d}@{score(o):.2f}" for o in sorted(partners))


def _rival_partner(top: TopPartners, index: int, chosen: int) -> int:
    """The best partner of ``index`` beyond ``chosen`` and its neighbours (-1: none)."""
    for p, s in zip(top.partner[index], top.score[index], strict=True):
        if s >= 0 and abs(int(p) - chosen) > 1:
            return int(p)
    return -1


def render(name: str, traces: Sequence[Trace]) -> str:
    """A markdown table of a row's traces."""
    head = (
        f"#### {name}: {len(traces)} missed moved or unfound sets\n\n"
        "| gold set | missed | score | rank r/a | rival r/a (linked) | ratio | E all | E free "
        "| record now / account now | rule | rare / copies / open ratio |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    )
    lines = [head]
    for t in traces:
        lines.append(
            f"| {t.label} | {t.missed} | {t.score:.3f} | {t.ranks[0]}/{t.ranks[1]} | "
            f"{t.rivals[0]:.3f} ({t.rival_linked[0]}) / {t.rivals[1]:.3f} ({t.rival_linked[1]}) | "
            f"{t.ratio:.2f} | {t.chance_all:.3g} | {t.chance_free:.3g} | {t.now[0]} / {t.now[1]} | "
            f"{t.rule} | {'yes' if t.rare else 'no'} / {'yes' if t.copies else 'no'} / "
            f"{min(t.open_ratio, 99):.2f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the traces of the chosen reworking rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="mark>matthew,mark>luke")
    args = parser.parse_args(argv)
    for name in args.only.split(","):
        print(render(name, trace_row(name)))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
