"""The paraphrase settings swept on this brief's tuning set, in one process (issue 10).

    python -m benchmarks.real_paraphrase_tuning [--configs default,join_fall=1.0,...]
                                                [--held] [--seed 0]

Each configuration is ``default`` or ``FIELD=VALUE[;FIELD=VALUE]`` over
:class:`~webapp.collate.align_settings.AlignSettings`; every one runs on the tuning set:
Samuel-Kings -> Chronicles (sets found / precision / moved-set F1), the synthetic light
and heavy pairs (1,000 a side; link / moved F1) and KJV -> Basic English Genesis 1-20 in
2-chapter pairs (:mod:`benchmarks.real_chunks`; link / omitted / added / moved F1), with
the CPU seconds of each case. ``--held`` adds the held-out paraphrase rows (Esther in
pieces, and the whole-book rows of :mod:`benchmarks.real_semantic` without the semantic
scorer): measured and reported, never used to choose a value.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from collections.abc import Callable, Sequence

from webapp.collate import Settings
from webapp.collate.align_settings import AlignSettings

from . import real_rows as rr
from .lexicon_tuning import _rework, _synthetic
from .real_chunks import chunked_row
from .real_edits import edit_scores
from .real_semantic import PARAPHRASES, paraphrase_pair

Case = Callable[[Settings, int], list[float]]


def _chunked(name: str) -> Case:
    def run(settings: Settings, seed: int) -> list[float]:
        row = chunked_row(name, seed, settings)
        return [float(f.memcon) for f in row.figures]

    return run


def _whole(name: str) -> Case:
    def run(settings: Settings, seed: int) -> list[float]:
        pair, _ = paraphrase_pair(name, seed)
        s = edit_scores(rr._memcon_lines(pair.record, pair.account, settings), pair)
        return [s.link_precision, s.link_f1, s.omitted_f1, s.added_f1, s.moved_f1]

    return run


def _seedless(case: Callable[[Settings], list[float]]) -> Case:
    return lambda settings, seed: case(settings)


TUNING: tuple[tuple[str, str, Case], ...] = (
    ("samuel-kings", "sets/prec/moved", _seedless(_rework)),
    ("synthetic light", "link/moved", _seedless(_synthetic("light"))),
    ("synthetic heavy", "link/moved", _seedless(_synthetic("heavy"))),
    (
        "bbe genesis 1-20 pieces",
        "link/omit/add/moved",
        _chunked("kjv>bbe genesis 1-20 in 2-chapter pairs"),
    ),
)
HELD: tuple[tuple[str, str, Case], ...] = (
    (
        "bbe esther pieces (held out)",
        "link/omit/add/moved",
        _chunked("kjv>bbe esther in 2-chapter pairs"),
    ),
    *(
        (f"{name} (held out)", "prec/link/omit/add/moved", _whole(name))
        for name, row in PARAPHRASES.items()
        if not row.tuning
    ),
)


def settings_of(config: str) -> Settings:
    """``default`` or ``FIELD=VALUE[;FIELD=VALUE]`` as engine settings."""
    if config == "default":
        return Settings()
    fields = {f.name: f.type for f in dataclasses.fields(AlignSettings)}
    changes: dict[str, object] = {}
    for item in config.split(";"):
        key, value = item.split("=")
        kind = fields[key]
        changes[key] = (value == "True") if kind in (bool, "bool") else float(value)
        if kind in (int, "int"):
            changes[key] = int(value)
    return Settings(align=dataclasses.replace(AlignSettings(), **changes))  # type: ignore[arg-type]


def sweep(configs: Sequence[str], held: bool, seed: int) -> list[str]:
    """One line per configuration and case: the figures and the CPU seconds."""
    lines = []
    cases = TUNING + (HELD if held else ())
    for name, what, case in cases:
        for config in configs:
            started = time.process_time()
            figures = case(settings_of(config), seed)
            cpu = time.process_time() - started
            cells = " / ".join(f"{v:.3f}" for v in figures)
            lines.append(f"| {name} | {config} | {what} | {cells} | {cpu:.1f} |")
            print(lines[-1], flush=True)
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    """Print the sweep as markdown table rows."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--configs", default="default,join_fall=1.0")
    parser.add_argument("--held", action="store_true", help="add the held-out rows")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    print("| case | config | figures | values | CPU s (incl. baseline) |\n|---|---|---|---|---|")
    sweep(args.configs.split(","), args.held, args.seed)


if __name__ == "__main__":
    main()
