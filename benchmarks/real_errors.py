"""The errors of one edited translation row, each with the figures the aligner decided on.

    python -m benchmarks.real_errors [--only NAME] [--seed N]

For every true link the engine missed and every link it made that the edit script did
not, print the pair's score and containments, each side's best other partner, and what
kind of edit the truth is (a merged half, a moved verse, a kept verse). No decision is
made here: it shows why the decision step went as it did (issue 10's Proverbs errors).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

import webapp.collate.align as align_module
from webapp.collate import Document, Settings, compare
from webapp.collate.similarity import PairScores

from .metrics import predicted
from .real_edits import EditedPair
from .real_evidence import translation_pair


def _run(pair: EditedPair) -> tuple[Any, PairScores]:
    """The engine's prediction and the candidate pairs it aligned."""
    seen: list[PairScores] = []
    inner = align_module.choose_links

    def spy(pairs: PairScores, *args: Any, **kwargs: Any) -> Any:
        seen.append(pairs)
        return inner(pairs, *args, **kwargs)

    rec = Document.from_lines("record", "\n".join(pair.record) + "\n")
    acc = Document.from_lines("account", "\n".join(pair.account) + "\n")
    compare_module = sys.modules["webapp.collate.candidates"]  # where the link choice is called
    compare_module.choose_links = spy
    try:
        result = compare(rec, [acc], Settings()).witnesses[0]
    finally:
        compare_module.choose_links = inner
    return predicted(result), seen[0]


def _table(pairs: PairScores) -> dict[tuple[int, int], tuple[float, float, float]]:
    return {
        (int(i), int(j)): (float(s), float(a), float(b))
        for i, j, s, a, b in zip(
            pairs.source,
            pairs.witness,
            pairs.score,
            pairs.containment_source,
            pairs.containment_witness,
            strict=True,
        )
    }


def _best_other(
    table: dict[tuple[int, int], tuple[float, float, float]], i: int, j: int
) -> tuple[tuple[int, float], tuple[int, float]]:
    """Each side's best partner other than the pair itself: (index, score)."""
    row = [(b, v[0]) for (a, b), v in table.items() if a == i and b != j]
    col = [(a, v[0]) for (a, b), v in table.items() if b == j and a != i]
    return (
        max(row, key=lambda t: t[1], default=(-1, 0.0)),
        max(col, key=lambda t: t[1], default=(-1, 0.0)),
    )


def report(name: str, seed: int) -> list[str]:
    """Lines describing each missed and each false link of the row."""
    pair = translation_pair(name, seed)
    pred, pairs = _run(pair)
    table = _table(pairs)
    merged = {j for j in range(len(pair.account)) if sum(1 for _, b in pair.links if b == j) > 1}
    out = [f"{name} seed {seed}: {len(pair.links)} true links, {len(pred.links)} predicted"]
    for what, links in (
        ("missed", sorted(pair.links - pred.links)),
        ("false", sorted(pred.links - pair.links)),
    ):
        for i, j in links:
            kind = "merge" if j in merged else ("moved" if j in pair.moved else "kept")
            s, a, b = table.get((i, j), (0.0, 0.0, 0.0))
            (rj, rs), (ri, ris) = _best_other(table, i, j)
            out.append(
                f"{what:6} {kind:5} ({i}, {j}) score {s:.3f} cont {a:.2f}/{b:.2f} "
                f"row best {rj}:{rs:.3f} col best {ri}:{ris:.3f}"
            )
            out.append(f"    R: {pair.record[i][:110]}")
            out.append(f"    A: {pair.account[j][:110]}")
    return out


def main(argv: Sequence[str] | None = None) -> None:
    """Print the errors of the asked row."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="kjv>web proverbs")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    print("\n".join(report(args.only, args.seed)))


if __name__ == "__main__":
    main()
