"""Before and after: two runs of ``bench_real --json FILE`` side by side.

    python -m benchmarks.real_compare BEFORE.json AFTER.json [--markdown]

Rows are matched by row and figure name; the baseline and the target shown are the
second run's. A figure only one run has is shown with "-" for the other.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["compare_runs", "main"]

HEADER = ["row", "figure", "before", "after", "change", "baseline", "target", "after ok?"]


def _load(path: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """(row, figure) -> the figure's JSON, in the file's order."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    return {(r["name"], f["name"]): f for r in rows for f in r["figures"]}


def _value(fig: dict[str, Any] | None) -> str:
    if fig is None:
        return "-"
    value = fig["memcon"]
    return value if isinstance(value, str) else f"{value:.3f}"


def _baseline(fig: dict[str, Any]) -> str:
    base = fig["baseline"]
    if isinstance(base, str):
        return base
    if not base:
        return "-"
    lo, hi = min(base), max(base)
    return f"{lo:.3f}" if abs(hi - lo) < 5e-4 else f"{lo:.3f}-{hi:.3f}"


def _verdict(fig: dict[str, Any]) -> str:
    value, target = fig["memcon"], fig.get("target")
    if isinstance(value, str):
        return {"pass": "ok", "FAIL": "MISS"}.get(value, "MISS")
    if target is None:
        return ""
    met = value <= target if fig.get("at_most") else value >= target - 1e-9
    return "ok" if met else "MISS"


def compare_runs(before: Path, after: Path) -> list[list[str]]:
    """The cells of the before/after table."""
    old, new = _load(before), _load(after)
    keys = list(old) + [k for k in new if k not in old]
    cells = []
    previous = None
    for row, figure in keys:
        a, b = old.get((row, figure)), new.get((row, figure))
        shown = b or a
        assert shown is not None
        change = ""
        if a and b and not isinstance(a["memcon"], str) and not isinstance(b["memcon"], str):
            change = f"{b['memcon'] - a['memcon']:+.3f}"
        target = shown.get("target")
        target_text = (
            "" if target is None else f"{'<=' if shown.get('at_most') else '>='}{target:.2f}"
        )
        name = "" if row == previous else row
        previous = row
        verdict = _verdict(b) if b else ""
        cells.append(
            [name, figure, _value(a), _value(b), change, _baseline(shown), target_text, verdict]
        )
    return cells


def main(argv: Sequence[str] | None = None) -> int:
    """Print the before/after table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.real_compare")
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    cells = compare_runs(args.before, args.after)
    if args.markdown:
        print("| " + " | ".join(HEADER) + " |")
        print("|" + " --- |" * len(HEADER))
        for c in cells:
            print("| " + " | ".join(c) + " |")
    else:
        widths = [max(len(r[k]) for r in [HEADER, *cells]) for k in range(len(HEADER))]
        for r in [HEADER, *cells]:
            print(
                "  ".join(
                    c.ljust(w) if k < 2 else c.rjust(w)
                    for k, (c, w) in enumerate(zip(r, widths, strict=True))
                )
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
