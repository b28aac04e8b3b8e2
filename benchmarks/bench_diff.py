"""The word diff's step budget: what it costs and how fine a diff it leaves, by budget.

Run: ``python -m benchmarks.bench_diff`` (``--real`` also counts the cells every word diff
of the real reworking rows uses). Each costly pair is a sentence of words drawn from 400
and a copy with a share of them replaced; for each budget (:data:`BUDGETS`, the default
:data:`webapp.collate.diff.DIFF_STEPS` among them) and for diff-match-patch's old clock
deadline of 0.5 s, it prints the time of :func:`~webapp.collate.diff.word_diff` and the
pieces of the diff (2: everything deleted and inserted, the coarse answer).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from diff_match_patch import diff_match_patch

from webapp.collate import bounded, diff
from webapp.collate.normalize import Normalizer

#: Budgets (cells per diff) swept, around the default.
BUDGETS = (100_000, 200_000, 400_000, 800_000)
#: Costly pairs: (words, share replaced, seed).
PAIRS = (
    (900, 0.3, 1),
    (900, 0.7, 1),
    (1500, 0.6, 1),
    (4000, 0.5, 1),
    (500, 1.0, 2),
    (1000, 1.0, 2),
    (5000, 1.0, 2),
)


def changed_pair(words: int, share: float, seed: int) -> tuple[str, str]:
    """A sentence of ``words`` words and a copy with ``share`` of them replaced."""
    rng = random.Random(seed)
    vocab = [f"w{k}" for k in range(400)]
    source = [rng.choice(vocab) for _ in range(words)]
    witness = [rng.choice(vocab) if rng.random() < share else w for w in source]
    return " ".join(source), " ".join(witness)


class _Deadline(diff_match_patch):  # type: ignore[misc]  # the library is untyped
    """The old engine: diff-match-patch's own 0.5 s deadline (the budget is ignored)."""

    def __init__(self, _steps: int) -> None:
        super().__init__()
        self.Diff_Timeout = 0.5


@contextmanager
def _engine(steps: int | None) -> Iterator[None]:
    """Word diffs under a budget of ``steps`` cells, or the old deadline for ``None``."""
    default = diff.DIFF_STEPS
    setattr(diff, "BoundedDiff", _Deadline if steps is None else bounded.BoundedDiff)  # noqa: B010
    diff.DIFF_STEPS = steps or default
    try:
        yield
    finally:
        setattr(diff, "BoundedDiff", bounded.BoundedDiff)  # noqa: B010
        diff.DIFF_STEPS = default


def sweep() -> None:
    """Print the table: one row a pair, one column a budget."""
    heads = ["0.5 s deadline"] + [
        f"{s:,}" + (" (default)" if s == diff.DIFF_STEPS else "") for s in BUDGETS
    ]
    print("| pair | " + " | ".join(heads) + " |")
    print("| --- " * (len(heads) + 1) + "|")
    for words, share, seed in PAIRS:
        source, witness = changed_pair(words, share, seed)
        cells = []
        for steps in (None, *BUDGETS):
            with _engine(steps):
                t0 = time.perf_counter()
                found = diff.word_diff(source, witness, Normalizer())
                cells.append(f"{time.perf_counter() - t0:.2f} s, {len(found):,}")
        print(f"| {words:,} words, {share:.0%} changed | " + " | ".join(cells) + " |", flush=True)


@contextmanager
def counted_cells() -> Iterator[list[int]]:
    """The cells each word diff spends while the block runs (one entry a top-level diff)."""
    used: list[int] = []
    inner = bounded.BoundedDiff.diff_main

    def counted(self: Any, a: str, b: str, checklines: bool = True, deadline: Any = None) -> Any:
        if deadline is not None:
            return inner(self, a, b, checklines, deadline)
        budget = bounded.StepBudget(self.steps)
        found = inner(self, a, b, checklines, budget)
        used.append(self.steps - budget.left)
        return found

    setattr(bounded.BoundedDiff, "diff_main", counted)  # noqa: B010  # patched for the count
    try:
        yield used
    finally:
        setattr(bounded.BoundedDiff, "diff_main", inner)  # noqa: B010


def real_cells() -> None:
    """Cells used by every word diff of ``compare`` on the real reworking rows."""
    from benchmarks.real_bible import verses
    from benchmarks.real_rows import REWORKS
    from webapp.collate import Document, Settings, compare

    print("| row | diffs | median | 99th percentile | most | over budget |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, (record_books, account_books, _table, _tuning) in REWORKS.items():
        record, account = verses(record_books), verses(account_books)
        rec = Document.from_lines("record", "\n".join(record.texts) + "\n")
        acc = Document.from_lines("account", "\n".join(account.texts) + "\n")
        with counted_cells() as used:
            compare(rec, [acc], Settings())
        u = sorted(used)
        over = sum(x > diff.DIFF_STEPS for x in u)
        print(
            f"| {name} | {len(u)} | {u[len(u) // 2]:,} | {u[int(len(u) * 0.99)]:,} "
            f"| {u[-1]:,} | {over} |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", action="store_true", help="also the cells of the real rows")
    args = parser.parse_args()
    sweep()
    if args.real:
        real_cells()


if __name__ == "__main__":
    main()
