"""CPU time of each stage of ``compare`` on an awkward shape (issue 10: where the time goes).

Run: ``python -m benchmarks.bench_stages repeated 5000 [--runs 3]``. The shape is built by
:func:`benchmarks.shapes.make_shape`; segmentation is timed apart, then ``compare`` with each
stage's function wrapped (every module that imported it), in CPU seconds of this process
(``time.process_time``), inclusive (a stage's time holds the stages it calls). The worker
processes of :mod:`webapp.collate.parallel` are turned off (``MEMCON_WORKERS=1``), so all
the CPU is counted here. The baseline (:func:`benchmarks.baselines.tfidf_nearest`) runs in
the same process, after each run. The median of the runs is printed.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import pkgutil
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

#: The stages timed, as ``module.function`` or ``module.Class.method`` of webapp.collate.
STAGES = (
    "compare._words_of",
    "compare._terms_of",
    "compare.check_quotes",
    "similarity.Scorer.__init__",
    "similarity.Scorer.candidates",
    "topk.top_k",
    "band.band_pairs",
    "candidates.scored_pairs",
    "similarity.Scorer._score_arrays",
    "similarity._rowwise",
    "candidates.neighbours",
    "align.choose_links",
    "matching.TopPartners.__init__",
    "align._first_links",
    "matching.max_weight_matching",
    "align._fill",
    "gaps.align_gaps",
    "order.heaviest_chain",
    "merges.join_neighbours",
    "lonely.lone_moves",
    "align._interiors",
    "moves.add_reuse",
    "retell.retold",
    "compare._finish_links",
    "diff.word_diffs",
    "compare._shared_words",
)


def _wrap(spent: dict[str, float], label: str, func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return func(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - start

    return timed


def instrument(spent: dict[str, float], stages: Sequence[str] = STAGES) -> None:
    """Wrap each stage's function where it is defined and wherever it was imported."""
    package = importlib.import_module("webapp.collate")
    modules = [
        importlib.import_module(f"webapp.collate.{m.name}")
        for m in pkgutil.iter_modules(package.__path__)
    ]
    for stage in stages:
        parts = stage.split(".")
        try:  # a stage an older checkout lacks (topk.py came in session 11) is left out
            owner: Any = importlib.import_module(f"webapp.collate.{parts[0]}")
            for part in parts[1:-1]:
                owner = getattr(owner, part)
            func = getattr(owner, parts[-1])
        except (ImportError, AttributeError):
            continue
        timed = _wrap(spent, stage, func)
        if isinstance(owner, type):
            setattr(owner, parts[-1], timed)
            continue
        for module in modules:
            for name, value in list(vars(module).items()):
                if value is func:
                    setattr(module, name, timed)


def measure(name: str, n: int, runs: int) -> dict[str, float]:
    """Median CPU seconds of each stage over ``runs`` runs (and segmentation, the whole
    comparison and the baseline)."""
    os.environ["MEMCON_WORKERS"] = "1"
    from webapp.collate import Document, Settings, compare

    from .baselines import tfidf_nearest
    from .shapes import make_shape

    record, account, _ = make_shape(name, n)
    spent: dict[str, float] = defaultdict(float)
    instrument(spent)
    seen: list[dict[str, float]] = []
    for _ in range(runs):
        spent.clear()
        start = time.process_time()
        docs = Document.from_text("record", record), Document.from_text("account", account)
        spent["segmentation"] = time.process_time() - start
        start = time.process_time()
        compare(docs[0], [docs[1]], Settings())
        spent["compare (all)"] = time.process_time() - start
        start = time.process_time()
        tfidf_nearest([s.text for s in docs[0].sentences], [s.text for s in docs[1].sentences])
        spent["baseline (after segmentation)"] = time.process_time() - start
        seen.append(dict(spent))
    return {key: statistics.median(run.get(key, 0.0) for run in seen) for key in seen[0]}


def main(argv: Sequence[str] | None = None) -> None:
    """Print the CPU seconds of each stage, largest first."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shape", choices=("repeated", "quotes", "long-sentence", "copies"))
    parser.add_argument("n", type=int)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    figures = measure(args.shape, args.n, args.runs)
    print(f"{args.shape} {args.n:,}: CPU s, median of {args.runs} (load {os.getloadavg()[0]:.1f})")
    for key, value in sorted(figures.items(), key=lambda kv: -kv[1]):
        print(f"  {key:40s} {value:7.3f}")


if __name__ == "__main__":
    main()
