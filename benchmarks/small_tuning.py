"""The tuning data at a memcon's size, for the chance calibration (issue 10's tuning rule).

Two kinds of small pairs, both tuning data: synthetic pairs of 30-200 sentences
(:func:`benchmarks.synthetic.make_pair`, light and heavy, several seeds) and the tuning
set cut into pieces (:func:`pieces`: Chronicles in windows of ``WINDOW`` verses, each
against the span of Samuel-Kings its gold sets come from). Each figure is a mean over
the pairs (the tuning-set pieces pooled: their counts summed), the engine's and the
baseline's best, from one process. ``--set FIELD=V1,V2`` runs the values given of one
field of ``AlignSettings`` (a sensitivity on small tuning pairs).

Usage: ``python -m benchmarks.small_tuning [--set gap_alpha=0.05,0.1] [--seeds 0,1,2]
[--pieces-only]``.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Sequence
from statistics import fmean

from webapp.collate import Settings

from .real_bible import GoldSet, Verses, bibledit_table, gold_sets, verses
from .real_metrics import ReworkScores, rework_scores
from .real_rows import (
    CHRONICLES,
    SAMUEL_KINGS,
    THRESHOLDS,
    Row,
    _baselines,
    _memcon_lines,
    synthetic_row,
)

__all__ = ["WINDOW", "main", "pieces", "tuning_pieces", "with_align"]

#: Account verses of a tuning-set piece.
WINDOW = 80
#: The cuttings measured (three, so that one piece's luck weighs less).
WINDOWS = (60, 80, 120)
#: A piece whose gold sets come from a record span longer than this many times the
#: window is dropped (Chronicles gathers those from far apart: not one small pair).
SPAN = 2.5
TABLE = "parallel-passages-ot.xml"
SIZES = (30, 50, 100, 200)


def _slice(v: Verses, lo: int, hi: int) -> Verses:
    return Verses(v.ids[lo:hi], v.texts[lo:hi])


def pieces(window: int = WINDOW) -> list[tuple[str, Verses, Verses]]:
    """Windows of Chronicles, each with the Samuel-Kings span its gold sets lie in."""
    record, account = verses(SAMUEL_KINGS), verses(CHRONICLES)
    sets: list[GoldSet] = gold_sets(bibledit_table(TABLE), record, account)
    out = []
    for k in range(0, len(account.ids), window):
        inside = [s for s in sets if min(s.account) >= k and max(s.account) < k + window]
        if not inside:
            continue
        lo = min(min(s.record) for s in inside)
        hi = max(max(s.record) for s in inside) + 1
        if hi - lo > SPAN * window:
            continue
        name = f"sk>chr piece {k}-{k + window} ({hi - lo} x {window})"
        out.append((name, _slice(record, lo, hi), _slice(account, k, k + window)))
    return out


def _pooled(scores: Sequence[ReworkScores]) -> dict[str, float]:
    """Sets found, link precision and moved-set F1 over all pieces' counts together."""
    sets = sum(s.n_sets for s in scores)
    found = sum(s.n_sets - len(s.unfound) for s in scores)
    judged = sum(s.n_judged_links for s in scores)
    right = sum(s.link_precision * s.n_judged_links for s in scores)
    missed = sum(len(s.missed_moves) for s in scores)
    false = sum(len(s.false_moves) for s in scores)
    hit = sum(s.n_gold_moved for s in scores) - missed
    f1 = 2 * hit / (2 * hit + missed + false) if hit + missed + false else 1.0
    return {
        "sets found": found / sets,
        "link precision": right / judged if judged else 1.0,
        "moved-set F1": f1,
    }


def tuning_pieces(settings: Settings) -> dict[str, dict[str, tuple[float, float]]]:
    """The tuning set in pieces of each of :data:`WINDOWS` (pooled figures)."""
    out = {}
    for window in WINDOWS:
        mine: list[ReworkScores] = []
        theirs: list[list[ReworkScores]] = [[] for _ in THRESHOLDS]
        unjudged = 0
        for _, record, account in pieces(window):
            sets = gold_sets(bibledit_table(TABLE), record, account)
            found = _memcon_lines(record.texts, account.texts, settings)
            mine.append(rework_scores(found, sets))
            unjudged += len(found.links) - mine[-1].n_judged_links
            for k, base in enumerate(_baselines(record.texts, account.texts)[0]):
                theirs[k].append(rework_scores(base, sets))
        ours = _pooled(mine)
        best = [_pooled(t) for t in theirs]
        figures = {k: (v, max(b[k] for b in best)) for k, v in ours.items()}
        figures["links not judged"] = (float(unjudged), float("nan"))
        out[f"tuning set, {len(mine)} pieces of {window}"] = figures
    return out


def with_align(settings: Settings, field: str, value: float) -> Settings:
    """``settings`` with one field of its aligner's settings changed (an int stays one)."""
    kind = type(getattr(settings.align, field))
    align = dataclasses.replace(settings.align, **{field: kind(value)})
    return dataclasses.replace(settings, align=align)


def _mean(rows: Sequence[Row]) -> dict[str, tuple[float, float]]:
    """Per figure: the engine's mean and the mean of the baseline's best."""
    names = [f.name for f in rows[0].figures]
    out = {}
    for k, name in enumerate(names):
        mine = [float(r.figures[k].memcon) for r in rows]
        base = [max(r.figures[k].baseline) for r in rows]  # type: ignore[type-var]
        out[name] = (fmean(mine), fmean(base))
    return out


def run(settings: Settings, seeds: Sequence[int]) -> dict[str, dict[str, tuple[float, float]]]:
    """The figures of the synthetic small pairs (by level) and of the tuning-set pieces."""
    out = {}
    for level in ("light", "heavy"):
        rows = [synthetic_row(level, n, s, settings) for n in SIZES for s in seeds]
        out[f"synthetic {level} 30-200"] = _mean(rows)
    out.update(tuning_pieces(settings))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", default="", help="FIELD=V1,V2 of AlignSettings")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--pieces-only", action="store_true")
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    field, values = args.set.split("=") if args.set else ("(defaults)", "")
    print(f"| {field} | rows | figure | memcon | baseline's best |")
    print("| --- | --- | --- | --- | --- |")
    for value in values.split(",") if values else [""]:
        settings = with_align(Settings(), field, float(value)) if value else Settings()
        got = tuning_pieces(settings) if args.pieces_only else run(settings, seeds)
        for rows, figures in got.items():
            for name, (mine, theirs) in figures.items():
                print(f"| {value} | {rows} | {name} | {mine:.4f} | {theirs:.4f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
