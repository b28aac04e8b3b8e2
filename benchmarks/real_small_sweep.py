"""How engine settings move the small held-out rows: a report, never a tuning loop.

``python -m benchmarks.real_small_sweep [--settings min_score,gap_alpha] [--factors 0.5,1.5]``

The rows of :mod:`benchmarks.real_small` are held out (issue 10's tuning rule): this sweep
shows which rules their figures depend on, for the error analysis; a value must never be
chosen because it helps here (:mod:`benchmarks.sensitivity` sweeps the tuning set). Each
cell is the change from the defaults ("." under 0.0005) of a figure pooled over the rows:
the reworkings' mean sets found, link precision and moved-set F1 and their links that no
gold set judges (a count), the translations' mean link, omitted, added and moved F1 over
every pair and seed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from statistics import fmean

from webapp.collate import Settings

from .real_bible import bibledit_table, gold_sets, passage, verses
from .real_edits import edit_pair, edit_scores
from .real_metrics import rework_scores
from .real_rows import _memcon_lines
from .real_small import OT, SEEDS, SMALL_REWORKS, SMALL_TRANSLATIONS, small_texts
from .sensitivity import swept_values, with_value

__all__ = ["FIGURES", "small_figures", "sweep_table"]

FIGURES = (
    "rw found",
    "rw prec",
    "rw moved",
    "rw unjudged",
    "tr link",
    "tr omit",
    "tr add",
    "tr moved",
)
#: The settings swept by default: those the error analysis points at.
DEFAULT_SETTINGS = (
    "min_score",
    "weak_score",
    "distinct_ratio",
    "lone_move_ratio",
    "gap_alpha",
    "null_pairs",
    "join_containment",
    "join_score",
)


def _reworks(settings: Settings) -> list[float]:
    """Pooled figures of the short reworkings."""
    table = bibledit_table(OT)
    found, prec, moved, unjudged = [], [], [], 0
    for record_parts, account_parts in SMALL_REWORKS.values():
        record, account = small_texts(record_parts), small_texts(account_parts)
        sets = gold_sets(table, record, account)
        mine = _memcon_lines(record.texts, account.texts, settings)
        m = rework_scores(mine, sets)
        found.append(m.sets_found)
        prec.append(m.link_precision)
        moved.append(m.moved_f1)
        unjudged += len(mine.links) - m.n_judged_links
    return [fmean(found), fmean(prec), fmean(moved), float(unjudged)]


def _translations(settings: Settings, seeds: Sequence[int]) -> list[float]:
    """Pooled figures of the small translation pairs over ``seeds``."""
    scores = []
    for version, (book, first, last), filler in SMALL_TRANSLATIONS.values():
        record = passage(book, first, last, version)
        web = passage(book, first, last, "WORLD_ENGLISH")
        extra = verses((filler,), "WORLD_ENGLISH").texts
        for seed in seeds:
            pair = edit_pair(record.texts, web.texts, extra, seed=seed)
            scores.append(edit_scores(_memcon_lines(pair.record, pair.account, settings), pair))
    keys = ("link_f1", "omitted_f1", "added_f1", "moved_f1")
    return [fmean(getattr(s, k) for s in scores) for k in keys]


def small_figures(settings: Settings, seeds: Sequence[int] = range(SEEDS)) -> list[float]:
    """Every pooled figure of :data:`FIGURES` under ``settings``."""
    return _reworks(settings) + _translations(settings, seeds)


def _cell(value: float, base: float, count: bool) -> str:
    d = value - base
    if count:
        return "." if d == 0 else f"{d:+.0f}"
    return "." if abs(d) < 5e-4 else f"{d:+.3f}"


def sweep_table(names: Sequence[str], factors: Sequence[float] | None = None) -> str:
    """The sweep of the ``AlignSettings`` fields ``names``, as a Markdown table."""
    t0 = time.perf_counter()
    base = small_figures(Settings())
    header = ["setting", "value", *FIGURES, "secs"]
    shown = [
        f"{v:.0f}" if f == "rw unjudged" else f"{v:.3f}" for f, v in zip(FIGURES, base, strict=True)
    ]
    rows = [["(defaults)", "", *shown, f"{time.perf_counter() - t0:.0f}"]]
    for name in names:
        default = getattr(Settings().align, name)
        values = swept_values(default)
        if factors is not None and not isinstance(default, bool):
            values = [type(default)(default * f) for f in factors if default * f != default]
        for value in values:
            t0 = time.perf_counter()
            got = small_figures(with_value(Settings(), ("align", name), value))
            cells = [
                _cell(v, b, f == "rw unjudged") for f, v, b in zip(FIGURES, got, base, strict=True)
            ]
            rows.append(
                [f"{name} ({default:g})", f"{value:g}", *cells, f"{time.perf_counter() - t0:.0f}"]
            )
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    return "\n".join([*lines, *("| " + " | ".join(r) + " |" for r in rows)])


def main(argv: Sequence[str] | None = None) -> int:
    """Print the sweep."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.real_small_sweep")
    parser.add_argument("--settings", default=",".join(DEFAULT_SETTINGS))
    parser.add_argument("--factors", default="0.5,1.5", help="multiples of each default")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.settings.split(",") if n.strip()]
    factors = [float(f) for f in args.factors.split(",")]
    print(sweep_table(names, factors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
