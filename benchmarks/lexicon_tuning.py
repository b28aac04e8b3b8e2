"""The learned lexicon's settings swept on the tuning set only (issue 10's tuning rule).

    python -m benchmarks.lexicon_tuning [--configs off,3:0.05,...] [--cost]

Each configuration is ``off`` or ``MIN_LINKS:ALPHA`` (:mod:`webapp.collate.lexicon`);
every one runs, in one process, on Samuel-Kings -> Chronicles, the synthetic light and
heavy pairs (1,000 a side) and KJV -> Basic English Genesis 1-20 (the tuning book of
:mod:`benchmarks.real_semantic`), with the CPU time of each case's comparisons.
``--cost`` times ``compare`` (CPU) on each shape of :mod:`benchmarks.shapes` and on
Samuel-Kings -> Chronicles with the lexicon off and on, alternating, and counts the
pairs learned.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from collections.abc import Callable, Sequence
from typing import Any

from webapp.collate import Document, Settings, compare
from webapp.collate.align_settings import AlignSettings

from . import real_rows as rr
from .real_edits import edit_scores
from .real_semantic import paraphrase_pair

Case = Callable[[Settings], list[float]]


def _rework(settings: Settings) -> list[float]:
    row = rr.rework_row("samuel-kings>chronicles", settings)
    return [float(f.memcon) for f in row.figures[:3]]


def _synthetic(level: str) -> Case:
    def run(settings: Settings) -> list[float]:
        row = rr.synthetic_row(level, settings=settings)
        return [float(f.memcon) for f in row.figures]

    return run


def _bbe(settings: Settings) -> list[float]:
    pair, _ = paraphrase_pair("kjv>bbe genesis 1-20")
    s = edit_scores(rr._memcon_lines(pair.record, pair.account, settings), pair)
    return [s.link_precision, s.link_f1, s.omitted_f1, s.added_f1, s.moved_f1]


CASES: tuple[tuple[str, str, Case], ...] = (
    ("samuel-kings", "sets/prec/moved", _rework),
    ("synthetic light", "link/moved", _synthetic("light")),
    ("synthetic heavy", "link/moved", _synthetic("heavy")),
    ("bbe genesis 1-20", "prec/link/omit/add/moved", _bbe),
)


def settings_of(config: str) -> Settings:
    """``off`` or ``MIN_LINKS:ALPHA`` as engine settings."""
    if config == "off":
        return Settings(align=AlignSettings(lexicon=False))
    links, alpha = config.split(":")
    align = dataclasses.replace(
        AlignSettings(), lexicon=True, lexicon_min_links=int(links), lexicon_alpha=float(alpha)
    )
    return Settings(align=align)


def sweep(configs: Sequence[str]) -> list[str]:
    """One line per configuration and case: the figures and the CPU seconds."""
    lines = []
    for config in configs:
        settings = settings_of(config)
        for name, what, case in CASES:
            started = time.process_time()
            figures = case(settings)
            cpu = time.process_time() - started
            cells = " / ".join(f"{v:.3f}" for v in figures)
            lines.append(f"| {config} | {name} | {what} | {cells} | {cpu:.1f} |")
            print(lines[-1], flush=True)
    return lines


def _cost_cases() -> list[tuple[str, Document, Document]]:
    """The shapes at their default sizes and the tuning reworking row, as documents."""
    from .real_bible import verses
    from .shapes import SHAPES, make_shape

    out = []
    for name, (_, n) in SHAPES.items():
        record, account, _truth = make_shape(name, n)
        out.append(
            (f"{name} {n}", Document.from_text("r", record), Document.from_text("a", account))
        )
    record_books, account_books, _, _ = rr.REWORKS["samuel-kings>chronicles"]
    texts = [verses(record_books).texts, verses(account_books).texts]
    docs = [Document.from_lines(k, "\n".join(t) + "\n") for k, t in zip("ra", texts, strict=True)]
    return [*out, ("samuel-kings>chronicles", docs[0], docs[1])]


def cost(repeats: int = 2) -> list[str]:
    """CPU seconds of ``compare`` off / on (best of ``repeats``, alternated), pairs learned."""
    from webapp.collate import lexicon

    inner, learned = lexicon.learn, [0]

    def counted(*args: Any, **kwargs: Any) -> dict[str, str]:
        table = inner(*args, **kwargs)
        learned[0] = len(table)
        return table

    lines = ["| case | off CPU s | on CPU s | pairs learned |", "|---|---|---|---|"]
    setattr(lexicon, "learn", counted)  # noqa: B010
    try:
        for name, record, account in _cost_cases():
            best = {"off": float("inf"), "on": float("inf")}
            for _ in range(repeats):
                for config in ("off", "3:0.05"):
                    started = time.process_time()
                    compare(record, [account], settings_of(config))
                    key = "off" if config == "off" else "on"
                    best[key] = min(best[key], time.process_time() - started)
            lines.append(f"| {name} | {best['off']:.2f} | {best['on']:.2f} | {learned[0]} |")
            print(lines[-1], flush=True)
    finally:
        setattr(lexicon, "learn", inner)  # noqa: B010
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    """Print the sweep as markdown table rows."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--configs", default="off,3:0.05")
    parser.add_argument("--cost", action="store_true", help="time compare off / on instead")
    args = parser.parse_args(argv)
    if args.cost:
        cost()
        return
    print("| config | case | figures | values | CPU s (incl. baseline) |\n|---|---|---|---|---|")
    sweep(args.configs.split(","))


if __name__ == "__main__":
    main()
