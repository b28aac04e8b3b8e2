"""How each engine setting moves the figures: ``python -m benchmarks.bench_real --sensitivity``.

Every field of the engine's settings is found with :func:`dataclasses.fields`, walking
:class:`webapp.collate.Settings` and every dataclass inside it (``AlignSettings`` today,
and whatever settings are added later, without touching this file). Each number is run at
x0.5, x0.75, x1.25 and x1.5 of its default; an int is rounded half up, and when that gives
back the default it moves one step in the factor's direction (so 1 gives 0 and 2); values
already tried are skipped. A boolean is flipped. ``Settings.semantic`` (a mode that needs
the embedding model) and non-numeric fields are not swept.

The figures are those of the tuning set (Samuel-Kings -> Chronicles: sets found, link
precision, moved-set F1) and of one synthetic pair (heavy, 1,000 a side: link and moved
F1); each cell is the change from the default run ("." when below 0.0005).
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from webapp.collate import Document, Settings, compare

from .metrics import predicted, score
from .real_bible import bibledit_table, gold_sets, verses
from .real_metrics import rework_scores
from .real_rows import CHRONICLES, SAMUEL_KINGS
from .synthetic import make_pair

__all__ = ["FACTORS", "settings_paths", "sensitivity_table", "swept_values", "with_value"]

FACTORS = (0.5, 0.75, 1.25, 1.5)
FIGURES = ("SK found", "SK prec", "SK moved", "syn link", "syn moved")
#: Fields of :class:`Settings` itself that are modes, not parameters.
NOT_SWEPT = frozenset({"semantic", "variants"})


def settings_paths(
    value: Any, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(path, default) of every number or boolean inside a settings dataclass, recursively."""
    for f in dataclasses.fields(value):
        if not prefix and f.name in NOT_SWEPT:
            continue
        inner = getattr(value, f.name)
        if dataclasses.is_dataclass(inner) and not isinstance(inner, type):
            yield from settings_paths(inner, (*prefix, f.name))
        elif isinstance(inner, bool | int | float):
            yield (*prefix, f.name), inner


def swept_values(default: bool | float) -> list[bool | float]:
    """The values tried for one setting (see the module's text)."""
    if isinstance(default, bool):
        return [not default]
    out: list[bool | float] = []
    for factor in FACTORS:
        if isinstance(default, int):
            value: float = math.floor(default * factor + 0.5)
            if value == default:
                value = default + (1 if factor > 1 else -1)
            value = max(int(value), 0)
        else:
            value = default * factor
        if value != default and value not in out:
            out.append(value)
    return out


def with_value(settings: Any, path: tuple[str, ...], value: Any) -> Any:
    """A copy of a (nested, frozen) settings dataclass with one field changed."""
    head, *rest = path
    if not rest:
        return dataclasses.replace(settings, **{head: value})
    return dataclasses.replace(
        settings, **{head: with_value(getattr(settings, head), tuple(rest), value)}
    )


@dataclass(frozen=True)
class _Data:
    """The two test pairs, loaded and segmented once."""

    sk_record: Document
    sk_account: Document
    sets: list[Any]
    syn_record: Document
    syn_account: Document
    syn_pair: Any


def _load() -> _Data:
    record, account = verses(SAMUEL_KINGS), verses(CHRONICLES)
    pair = make_pair(1000, seed=0, level="heavy")
    return _Data(
        Document.from_lines("record", record.text),
        Document.from_lines("account", account.text),
        gold_sets(bibledit_table("parallel-passages-ot.xml"), record, account),
        Document.from_text("record", pair.record_text),
        Document.from_text("account", pair.witness_text),
        pair,
    )


def _figures(data: _Data, settings: Settings) -> tuple[float, ...]:
    sk = rework_scores(
        predicted(compare(data.sk_record, [data.sk_account], settings).witnesses[0]), data.sets
    )
    syn = score(
        predicted(compare(data.syn_record, [data.syn_account], settings).witnesses[0]),
        data.syn_pair,
    )
    return (sk.sets_found, sk.link_precision, sk.moved_f1, syn.link_f1, syn.moved_f1)


def _delta(value: float, base: float) -> str:
    d = value - base
    return "." if abs(d) < 5e-4 else f"{d:+.3f}"


def sensitivity_table(markdown: bool = False) -> str:
    """Run the sweep and return its table (text or Markdown)."""
    data = _load()
    started = time.perf_counter()
    base = _figures(data, Settings())
    header = ["setting", "value", *FIGURES, "secs"]
    rows = [["(defaults)", "", *(f"{v:.3f}" for v in base), f"{time.perf_counter() - started:.1f}"]]
    for path, default in settings_paths(Settings()):
        for value in swept_values(default):
            t0 = time.perf_counter()
            try:
                got = _figures(data, with_value(Settings(), path, value))
                cells = [_delta(v, b) for v, b in zip(got, base, strict=True)]
            except Exception as exc:  # a value the engine refuses: show why, go on
                cells = [f"error: {exc}"[:40], *[""] * (len(FIGURES) - 1)]
            shown = f"{value:g}" if not isinstance(value, bool) else str(value)
            name = (
                ".".join(path) + f" ({default:g})"
                if not isinstance(default, bool)
                else ".".join(path)
            )
            rows.append([name, shown, *cells, f"{time.perf_counter() - t0:.1f}"])
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
        return "\n".join(["", *lines, *("| " + " | ".join(r) + " |" for r in rows)])
    widths = [max(len(r[k]) for r in [header, *rows]) for k in range(len(header))]
    fmt = "  ".join(f"{{:{'<' if k == 0 else '>'}{w}}}" for k, w in enumerate(widths))
    return "\n".join(
        [
            "",
            "sensitivity (change from the defaults):",
            fmt.format(*header),
            *(fmt.format(*r) for r in rows),
        ]
    )
