"""How well a text pair's chance sample (:class:`.gaps.NullScores`) tells chance, by size.

For synthetic pairs of 30-200 sentences (tuning data) and the tuning set, the engine runs
as usual with its gap step wrapped to keep what it saw (anchors, the cell scorer, the null
sample). The "true" chance distribution is then read off the gold: the scores of cells
that are known unrelated, over the whole pair and over the cells of the gaps between the
anchors (what the gap cut is actually applied to). The table sets the sample's quantiles
and size against them, and the score a perfect gap pair's chance cannot go below.

Usage: ``python -m benchmarks.small_calibration [--sizes 30,50,100,200] [--seeds 0,1,2]
[--tuning | --pieces] [--set FIELD=VALUE]``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import Any

import numpy as np

from webapp.collate import Document, Settings, compare
from webapp.collate.gaps import NullScores, gaps_between

from .real_bible import Verses, bibledit_table, gold_sets, verses
from .small_tuning import with_align
from .synthetic import make_pair

__all__ = ["Calibration", "main", "measure"]

align: Any = import_module("webapp.collate.align")
QUANTILES = (0.9, 0.99, 0.998)
#: The engine's settings of the runs (``--set`` changes one field of the aligner's).
SETTINGS = [Settings()]
#: Cells scored at most (a seeded sample of a bigger pair's).
MAX_CELLS = 2_000_000
#: A cell is far from the anchored chain beyond this many record sentences.
FAR = 3


@dataclass(frozen=True)
class Calibration:
    """One pair's null sample against the gold's unrelated cells."""

    name: str
    shape: tuple[int, int]
    anchors: int
    sample: int
    null_q: tuple[float, ...]
    true_q: tuple[float, ...]
    gap_q: tuple[float, ...]
    gap_cells: int
    near_q: tuple[float, ...]
    far_q: tuple[float, ...]
    min_tail: float
    true_in_sample: float
    gap_links: int


def _captured(record: Document, account: Document) -> dict[str, Any]:
    """The gap step's inputs and its null sample, from one engine run."""
    got: dict[str, Any] = {}
    real = align._fill

    def fill(*args: Any, **kw: Any) -> Any:
        out = real(*args, **kw)
        got.update(sizes=args[1], anchors=list(args[2]), evidence=args[5], null=out[2])
        got.update(settings=args[4], found=len(out[0]))
        return out

    align._fill = fill
    try:
        compare(record, [account], SETTINGS[0])
    finally:
        align._fill = real
    return got


def _quantiles(values: np.ndarray) -> tuple[float, ...]:
    if len(values) == 0:
        return tuple(float("nan") for _ in QUANTILES)
    return tuple(float(np.quantile(values, q)) for q in QUANTILES)


def measure(name: str, record: Document, account: Document, true: np.ndarray) -> Calibration:
    """``true``: a boolean matrix (record x account) of the cells that may correspond."""
    got = _captured(record, account)
    n, m = got["sizes"]
    cells = got["evidence"].cells
    if n * m <= MAX_CELLS:
        a, b = np.divmod(np.arange(n * m), m)
    else:  # a big pair: a seeded sample of its cells stands for all of them
        a, b = np.divmod(np.random.default_rng(1).choice(n * m, MAX_CELLS, replace=False), m)
    scores = cells(a, b)
    rel = true[a, b]
    unrelated = scores[~rel]
    in_gap = np.zeros((n, m), dtype=bool)
    for (s0, s1), (w0, w1) in gaps_between(got["anchors"], n, m):
        in_gap[s0:s1, w0:w1] = True
    gap = in_gap[a, b] & ~rel
    chain = sorted(got["anchors"], key=lambda p: p[1])
    at = np.interp(b, [j for _, j in chain], [i for i, _ in chain]) if chain else b * 0.0
    near = (np.abs(a - at) <= FAR) & ~rel
    far = (np.abs(a - at) > FAR) & ~rel
    null: NullScores = got["null"]
    size = got["settings"].null_pairs
    resampled = NullScores.sample(got["anchors"], (n, m), cells, size)
    assert np.array_equal(resampled.sorted, null.sorted)  # the sample is deterministic
    share = _true_share(got["anchors"], (n, m), true, size)
    return Calibration(
        name,
        (n, m),
        len(got["anchors"]),
        len(null.sorted),
        _quantiles(null.sorted),
        _quantiles(unrelated),
        _quantiles(scores[gap]),
        int(gap.sum()),
        _quantiles(scores[near]),
        _quantiles(scores[far]),
        1.0 / (len(null.sorted) + 1.0),
        share,
        got["found"],
    )


def _true_share(
    anchors: list[tuple[int, int]], shape: tuple[int, int], true: np.ndarray, size: int
) -> float:
    """Share of the sample's cells that the gold calls related (should be near 0)."""
    seen: list[tuple[np.ndarray, np.ndarray]] = []

    def record(src: np.ndarray, wit: np.ndarray) -> np.ndarray:
        seen.append((src, wit))
        return np.zeros(len(src))

    NullScores.sample(anchors, shape, record, size)
    src, wit = seen[0]
    return float(true[src, wit].mean()) if len(src) else 0.0


def synthetic(size: int, seed: int, level: str) -> Calibration:
    """A synthetic pair; related cells are its true links (and their merge partners)."""
    pair = make_pair(size, seed=seed, level=level)
    rec = Document.from_lines("record", "\n".join(pair.record_sentences) + "\n")
    acc = Document.from_lines("account", "\n".join(pair.witness_sentences) + "\n")
    true = np.zeros((len(rec.sentences), len(acc.sentences)), dtype=bool)
    for i, j in pair.links:
        true[i, j] = True
    return measure(f"synthetic {level} {size} s{seed}", rec, acc, true)


def tuning(pieces: bool = False) -> list[Calibration]:
    """Samuel-Kings -> Chronicles, whole or in pieces (:func:`.small_tuning.pieces`)."""
    from .real_rows import CHRONICLES, SAMUEL_KINGS
    from .small_tuning import pieces as cut

    if not pieces:
        return [_rework("samuel-kings>chronicles", verses(SAMUEL_KINGS), verses(CHRONICLES))]
    return [_rework(name, rec, acc) for name, rec, acc in cut()]


def _rework(name: str, record: Verses, account: Verses) -> Calibration:
    """A reworking; related cells are every cell of a gold set's box."""
    sets = gold_sets(bibledit_table("parallel-passages-ot.xml"), record, account)
    rec = Document.from_lines("record", "\n".join(record.texts) + "\n")
    acc = Document.from_lines("account", "\n".join(account.texts) + "\n")
    true = np.zeros((len(rec.sentences), len(acc.sentences)), dtype=bool)
    for s in sets:
        true[np.ix_(list(s.record), list(s.account))] = True
    return measure(name, rec, acc, true)


def _fmt(q: Sequence[float]) -> str:
    return " / ".join(f"{v:.3f}" for v in q)


def render(rows: Sequence[Calibration]) -> str:
    """A markdown table: sample vs true chance quantiles (q90 / q99 / q99.8)."""
    head = (
        "| pair | size | anchors | sample | sample q90/q99/q99.8 | unrelated (all) | "
        "unrelated in gaps | gap cells | near chain | far from chain | min chance | "
        "true share | gap links |\n|" + " --- |" * 13
    )
    lines = [head]
    for r in rows:
        lines.append(
            f"| {r.name} | {r.shape[0]} x {r.shape[1]} | {r.anchors} | {r.sample:,} | "
            f"{_fmt(r.null_q)} | {_fmt(r.true_q)} | {_fmt(r.gap_q)} | {r.gap_cells:,} | "
            f"{_fmt(r.near_q)} | {_fmt(r.far_q)} | "
            f"{r.min_tail:.4f} | {r.true_in_sample:.3f} | {r.gap_links} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="30,50,100,200")
    parser.add_argument("--set", default=None, help="FIELD=VALUE of AlignSettings")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--levels", default="light,heavy")
    parser.add_argument("--tuning", action="store_true")
    parser.add_argument("--pieces", action="store_true", help="the tuning set in pieces")
    args = parser.parse_args(argv)
    if args.set is not None:
        field, value = args.set.split("=")
        SETTINGS[0] = with_align(SETTINGS[0], field, float(value))
    rows = [
        synthetic(int(n), int(s), level)
        for level in args.levels.split(",")
        for n in args.sizes.split(",")
        for s in args.seeds.split(",")
    ]
    if args.tuning or args.pieces:
        rows.extend(tuning(args.pieces))
    print(render(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
