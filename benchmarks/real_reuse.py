"""Why a gold set whose sentence is linked elsewhere stays unfound: doublet, conflation or
a wrong link (the classes of issue 10's reuse question).

For every unfound gold set of a reworking row, the best candidate pair inside the set
(as :mod:`.real_lonely` picks it) is classed by where its two sentences are linked at the
end: a record sentence linked to another account sentence that the gold also pairs with
it is a *doublet* (the account tells the record sentence twice, this telling is free); an
account sentence linked to another record sentence that the gold pairs with it is a
*conflation* (the account sentence draws on two record passages); a sentence linked to a
partner the gold does not give it is held by a *wrong link*. For each pair the tests a
lone further use would need are read too: above the row's chance (what chance reaches in
a record's row, as :mod:`webapp.collate.retell` asks of a run member), the free side's best
partner, no formula copy, and a context that tells no other passage (each linked neighbour
of the free side continues the other side's passage in order).

A second table lists the gold sets told twice (account verses in runs more than
:data:`.real_metrics.TELLING_GAP` apart) that are linked at one telling only: for each
telling without a link, its best pair, what holds its account verse (free, or the link
it is given and that link's score), and the two cuts it is read against: the row's chance
(a lone use) and the edge cut (:mod:`webapp.collate.retell`'s ``retell_edges``: a small
gap's calibrated cut, when the verse is free and next to a linked telling of the same
passage), with whether it is its verse's best partner.

Usage: ``python -m benchmarks.real_reuse [--only "mark>matthew,mark>luke"]``.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from webapp.collate.matching import TopPartners, crowded
from webapp.collate.tellings import TELLING_GAP as ENGINE_GAP

from .real_bible import GoldSet, label
from .real_lonely import RowRun, _run_row
from .real_metrics import TELLING_GAP, gold_moved

__all__ = ["ReuseCase", "classify", "main", "one_telling", "tellings"]


@dataclass(frozen=True)
class ReuseCase:
    """One unfound gold set with a sentence linked elsewhere, classed."""

    label: str
    pair: tuple[int, int]
    score: float
    #: "doublet", "conflation", "wrong link", joined by "+" when both sides are linked.
    kind: str
    #: The other link's score on each side ("" when that side is free).
    other: tuple[str, str]
    above_chance: bool
    best: bool
    copies: bool
    context: bool
    #: Whether the gold set is off the gold sets' longest chain (counts in moved-set F1).
    moved: bool = False


def _gold_pairs(sets: Sequence[GoldSet]) -> set[tuple[int, int]]:
    """Every (record, account) pair that some gold set holds."""
    return {(i, j) for s in sets for i in s.record for j in s.account}


def _side(partners: set[int], gold: set[tuple[int, int]], pair: tuple[int, int], rec: bool) -> str:
    """The class of one side: '' when free, else doublet/conflation or wrong link."""
    if not partners:
        return ""
    i, j = pair
    right = any(((i, o) if rec else (o, j)) in gold for o in partners)
    if not right:
        return "wrong link"
    return "doublet" if rec else "conflation"


def _context_free(links: dict[int, set[int]], free: int, other: int, step: int) -> bool:
    """Whether each linked neighbour of the ``free`` side continues ``other``'s passage in
    order (:mod:`webapp.collate.retell`'s guard on lone uses): the one before is linked 0 to
    ``step`` sentences before ``other``, the one after 0 to ``step`` after."""
    return all(
        any(0 <= (k - other) * d <= step for k in links[free + d])
        for d in (-1, 1)
        if free + d in links
    )


def classify(run: RowRun, step: int = 3) -> list[ReuseCase]:
    """The classed unfound sets of a row whose best pair has a sentence linked elsewhere.

    ``step``: how far (in sentences) a linked neighbour of the free side may be from the
    pair's other side and still continue its passage."""
    got, sets = run.got, run.sets
    pairs, s = got.pairs, got.settings
    assert pairs is not None and got.null is not None
    n, m = got.sizes
    index = {
        (int(a), int(b)): float(c)
        for a, b, c in zip(pairs.source, pairs.witness, pairs.score, strict=True)
    }
    top = (
        TopPartners(pairs.source, pairs.witness, pairs.score, n),
        TopPartners(pairs.witness, pairs.source, pairs.score, m),
    )
    by_src: dict[int, set[int]] = {}
    by_wit: dict[int, set[int]] = {}
    for link in run.result.links:
        for i in link.source:
            by_src.setdefault(i, set()).update(link.witness)
        for j in link.witness:
            by_wit.setdefault(j, set()).update(link.source)
    gold = _gold_pairs(sets)
    chance = got.null.quantile(s.gap_alpha / max(n, 1))
    moved = gold_moved(sets)
    out = []
    for k in run.scores.unfound:
        inside = [
            ((i, j), index[(i, j)])
            for i in sets[k].record
            for j in sets[k].account
            if (i, j) in index
        ]
        if not inside:
            continue
        (i, j), score = max(inside, key=lambda p: p[1])
        rec, acc = by_src.get(i, set()), by_wit.get(j, set())
        if not rec and not acc:
            continue
        kinds = [_side(rec, gold, (i, j), True), _side(acc, gold, (i, j), False)]
        other = (
            ",".join(f"{index.get((i, o), 0.0):.2f}" for o in sorted(rec)),
            ",".join(f"{index.get((o, j), 0.0):.2f}" for o in sorted(acc)),
        )
        # The free side's tests (the account side when the record is reused, and back).
        if not acc:
            best = score >= float(top[1].score[j][0]) - s.tie_margin
            near = _context_free(by_wit, j, i, step)
        else:
            best = score >= float(top[0].score[i][0]) - s.tie_margin
            near = _context_free(by_src, i, j, step)
        copies = bool(crowded(*top, s, [i], [j], [score])[0])
        sets_label = " = ".join(
            (
                label(run.record.ids[a] for a in sets[k].record),
                label(run.account.ids[b] for b in sets[k].account),
            )
        )
        kind = "+".join(x for x in kinds if x)
        out.append(
            ReuseCase(
                sets_label,
                (i, j),
                score,
                kind,
                other,
                score >= chance,
                best,
                copies,
                near,
                k in moved,
            )
        )
    return out


def tellings(account: frozenset[int], gap: int = TELLING_GAP) -> list[list[int]]:
    """A gold set's account verses in runs, neighbours at most ``gap`` apart."""
    out: list[list[int]] = []
    for j in sorted(account):
        if out and j - out[-1][-1] <= gap:
            out[-1].append(j)
        else:
            out.append([j])
    return out


def _scores(run: RowRun) -> tuple[dict[tuple[int, int], float], dict[int, float]]:
    """Every candidate pair's score, and each account verse's best score."""
    pairs = run.got.pairs
    assert pairs is not None
    index: dict[tuple[int, int], float] = {}
    best: dict[int, float] = {}
    found = (pairs.source.tolist(), pairs.witness.tolist(), pairs.score.tolist())
    for a, b, c in zip(*found, strict=True):
        index[(a, b)] = c
        best[b] = max(best.get(b, 0.0), c)
    return index, best


def one_telling(run: RowRun) -> list[str]:
    """Markdown rows for each unlinked telling of a gold set told twice and linked at
    another telling (see the module's text)."""
    got, (index, best) = run.got, _scores(run)
    assert got.null is not None
    s, ids, moved = got.settings, (run.record.ids, run.account.ids), gold_moved(run.sets)
    held = {j: link for link in run.result.links for j in link.witness}
    chance = got.null.quantile(s.gap_alpha / max(got.sizes[0], 1))
    rows = []
    for k, gold in enumerate(run.sets):
        told = tellings(gold.account)
        linked = [
            any(j in held and gold.record.intersection(held[j].source) for j in t) for t in told
        ]
        for t in [t for t, ok in zip(told, linked, strict=True) if not ok and any(linked)]:
            inside = [((i, j), index[(i, j)]) for i in gold.record for j in t if (i, j) in index]
            if not inside:
                continue
            (i, j), score = max(inside, key=lambda p: p[1])
            link = held.get(j)
            by = "free" if link is None else label(ids[0][a] for a in link.source)
            by += "" if link is None else f" ({link.score:.2f})"
            beside = link is None and any(j + d in held for d in (-1, 1))
            cells = s.block_step * (1 + ENGINE_GAP)
            cut = got.null.threshold(np.array([score]), cells, s.gap_alpha, s.gap_score, 1.0)
            rows.append(
                f"| {label(ids[0][a] for a in gold.record)} = {label(ids[1][b] for b in t)} "
                f"| {'yes' if k in moved else 'no'} | {score:.3f} | {by} | {chance:.3f} "
                f"| {f'{cut:.3f}' if beside else '-'} "
                f"| {'yes' if score >= best[j] - s.tie_margin else 'no'} |"
            )
    return rows


def render(name: str, cases: Sequence[ReuseCase], chance: float) -> str:
    """A markdown table of a row's classed cases, with the counts by class."""
    counts = Counter(c.kind for c in cases)
    moving = Counter(c.kind for c in cases if c.moved)
    lines = [
        f"#### {name}: {len(cases)} unfound sets with a sentence linked elsewhere "
        f"(row chance {chance:.3f})",
        "",
        "counts (of them gold moved): "
        + ", ".join(f"{k} {v} ({moving[k]})" for k, v in sorted(counts.items())),
        "",
        "| gold set | moved | score | class | other link r / a | > chance | best | copy "
        "| context free |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    yes = {True: "yes", False: "no"}
    for c in cases:
        lines.append(
            f"| {c.label} | {yes[c.moved]} | {c.score:.3f} | {c.kind} "
            f"| {c.other[0] or '-'} / {c.other[1] or '-'} "
            f"| {yes[c.above_chance]} | {yes[c.best]} | {yes[c.copies]} | {yes[c.context]} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the classed cases of the chosen reworking rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="mark>matthew,mark>luke,samuel-kings>chronicles")
    args = parser.parse_args(argv)
    for name in args.only.split(","):
        run = _run_row(name)
        s, null = run.got.settings, run.got.null
        chance = null.quantile(s.gap_alpha / max(run.got.sizes[0], 1))
        print(render(name, classify(run), chance))
        print()
        print(f"#### {name}: tellings without a link of gold sets linked at another telling")
        print()
        print(
            "| telling | gold moved | best score | held by | row chance "
            "| edge cut (beside a link) | best |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- |")
        print("\n".join(one_telling(run)))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
