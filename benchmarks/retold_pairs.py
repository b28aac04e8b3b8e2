"""Synthetic pairs with second tellings (``make_pair(..., retold=...)``): how the engine
links a sentence told twice, with lone second tellings and telling edges on and off,
against the naive baseline in the same process.

A tuning-side check for :mod:`webapp.collate.retell` (the synthetic pairs are part of the
tuning set of issue 10): each pair's link F1, moved F1 and the share of the second
tellings linked (recall of their links), for light and heavy pairs and the seeds asked.

Usage: ``python -m benchmarks.retold_pairs [--seeds 0,1,2] [--share 0.03] [--size 1000]
[--between]``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import replace

from webapp.collate import Document, Settings, compare

from .baselines import tfidf_nearest
from .metrics import Predicted, predicted, score
from .real_rows import THRESHOLDS
from .synthetic import LEVELS, SyntheticPair, make_pair

__all__ = ["main", "retold_row"]


def _engine(pair: SyntheticPair, alone: bool, edges: bool = True) -> Predicted:
    """The engine on a pair's raw texts, lone second tellings and telling edges on or off."""
    settings = Settings()
    align = replace(settings.align, retell_alone=alone, retell_edges=edges)
    settings = replace(settings, align=align)
    rec = Document.from_text("record", pair.record_text)
    acc = Document.from_text("account", pair.witness_text)
    return predicted(compare(rec, [acc], settings).witnesses[0])


def _second(pair: SyntheticPair) -> set[tuple[int, int]]:
    """The true links of the pair's second tellings."""
    return {(i, j) for i, j in pair.links if j in pair.retold}


def retold_row(level: str, seed: int, share: float, size: int, between: bool = False) -> list[str]:
    """One markdown row per method: link F1, moved F1, second tellings linked
    (``between``: a new sentence inside each second telling of two)."""
    pair = make_pair(size, seed=seed, level=level, retold=share, between=between)
    second = _second(pair)
    rows = []
    for name, pred in (
        ("engine", _engine(pair, True)),
        ("engine, retell_edges off", _engine(pair, True, False)),
        ("engine, retell_alone off", _engine(pair, False)),
    ):
        s = score(pred, pair)
        got = len(second & set(pred.links)) / max(len(second), 1)
        rows.append(
            f"| {level} s{seed} | {name} | {s.link_f1:.3f} | {s.moved_f1:.3f} | {got:.3f} |"
        )
    rec = [s.text for s in Document.from_text("record", pair.record_text).sentences]
    acc = [s.text for s in Document.from_text("account", pair.witness_text).sentences]
    base = [score(tfidf_nearest(rec, acc, t), pair) for t in THRESHOLDS]
    links = "-".join(
        f"{f:.3f}" for f in (min(b.link_f1 for b in base), max(b.link_f1 for b in base))
    )
    moved = "-".join(
        f"{f:.3f}" for f in (min(b.moved_f1 for b in base), max(b.moved_f1 for b in base))
    )
    rows.append(f"| {level} s{seed} | baseline | {links} | {moved} | |")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table for the seeds and share asked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--share", type=float, default=0.03)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--between", action="store_true", help="a new sentence inside each")
    args = parser.parse_args(argv)
    print("| pair | method | link F1 | moved F1 | second tellings linked |")
    print("| --- | --- | --- | --- | --- |")
    for seed in (int(s) for s in args.seeds.split(",")):
        for level in LEVELS:
            print(
                "\n".join(retold_row(level, seed, args.share, args.size, args.between)), flush=True
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
