"""The engine on real texts, bundled findings, synthetic pairs and awkward shapes, with a baseline.

Run from the repository root::

    python -m benchmarks.bench_real [--quick] [--only NAME[,NAME]] [--markdown] [--big]
                                    [--sensitivity] [--semantic] [--seed 0] [--explain]
                                    [--json FILE] [--timeout 300]

Every row runs memcon and the naive baseline (:func:`benchmarks.baselines.tfidf_nearest`:
TF-IDF nearest neighbour with a threshold, moves off the longest increasing chain) in the
same process and prints both times. The baseline runs at each threshold of
:data:`~benchmarks.real_rows.THRESHOLDS`; its column gives the range, and *vs best* is the
engine's figure minus the baseline's best. Groups (``--only`` takes group or row names):

* ``reworking``: a later account reworking a source, gold from Debian's ``bibledit-data``
  parallel passages (fetched with apt at run time, never committed, see
  :mod:`benchmarks.real_bible`; figures in :mod:`benchmarks.real_metrics`).
  Samuel-Kings -> Chronicles is the one set allowed for tuning; Mark -> Matthew,
  Mark -> Luke and Exodus-Numbers -> Deuteronomy are report-only;
* ``gospels``: more held-out reworkings, added after the tuning and never tuned on
  (:data:`~benchmarks.real_rows.GOSPELS`): Matthew <-> Luke, whose shared sayings each
  places in its own order (half the sets moved), Matthew -> Mark, Luke -> Mark, and Mark
  and Luke -> John, which shares few passages with them;
* ``histories``: held-out reworkings of whole OT books, added in session 18 and never
  tuned on (:data:`~benchmarks.real_rows.HISTORIES`): 2 Kings in Isaiah and Jeremiah (a
  few chapters retold among 2,600 verses), Ezra's list of exiles in Nehemiah, Joshua in
  Judges;
* ``translation``: KJV as the record, WEB edited by a seeded script as the account
  (:mod:`benchmarks.real_edits`);
* ``formulae``: held-out translation rows as ``translation``, on books of repeated
  formulae, added after the tuning and never tuned on
  (:data:`~benchmarks.real_rows.FORMULAE`: Numbers, Leviticus, Ezekiel);
* ``small``: held-out texts of a memcon's size (:mod:`benchmarks.real_small`): short
  reworkings from bibledit's OT table (2 Kings -> Isaiah 36-39, -> Jeremiah 52, 2 Samuel 22
  -> Psalm 18, Psalms 14 -> 53 and 40 -> 70, 1 Chronicles 16 -> Psalms 96/105/106) and
  small KJV/ASV -> WEB pairs (Ruth, Jonah, Philemon, Ecclesiastes, Psalms 107-150), each
  over five seeds (mean; the note gives the spread, ``--explain`` every seed); and the
  Genesis and Proverbs rows cut into 2-chapter pairs, pooled (:mod:`benchmarks.real_chunks`:
  the same text at a memcon's size);
* ``haystack``: a short record against the whole book that holds its parallel, and the
  reverse (:mod:`benchmarks.real_haystack`: 2 Kings 18-20 in Isaiah, 2 Kings 24-25 in
  Jeremiah, 2 Samuel 22 and 1 Chronicles 16 in the Psalms), with the links outside every
  gold set counted and, under ``--explain``, listed;
* ``ylt`` (only with ``--only``): held-out rows in Young's Literal Translation
  (:mod:`benchmarks.real_ylt`): YLT -> WEB Judges and Hebrews edited by the seeded
  script, whole and in 2-chapter pairs; Samuel-Kings (YLT) -> Chronicles (WEB), Mark
  (YLT) -> Matthew (WEB) and the small group's short reworkings with a YLT record;
* ``findings``: the Zavidovo dossier's expected findings (:mod:`benchmarks.real_findings`);
* ``synthetic``: the project's generator, light and heavy, 1,000 a side;
* ``shapes``: awkward inputs in a subprocess each, with a timeout (:mod:`benchmarks.shapes`);
  ``--big`` adds 20,000 a side;
* ``--sensitivity``: every engine setting at x0.5 .. x1.5 (:mod:`benchmarks.sensitivity`);
* ``--semantic``: the reworking, translation and synthetic rows with the semantic scorer on;
* ``--explain``: the gold sets behind each reworking row's misses.

``--quick`` (for tuning loops): Samuel-Kings -> Chronicles, KJV/WEB Genesis, the findings
and synthetic 1,000 light and heavy.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from functools import partial
from pathlib import Path

from webapp.collate import Settings

from .real_rows import FORMULAE, GOSPELS, HISTORIES, REWORKS, THRESHOLDS, TRANSLATIONS, Row

ROOT = Path(__file__).resolve().parent.parent

__all__ = ["main", "render"]

#: Groups of rows: group name -> [(row name, thunk running it)].
Groups = dict[str, list[tuple[str, Callable[[], list[Row]]]]]


def _groups(args: argparse.Namespace) -> Groups:
    """Every group's rows, as (name, thunk) so that ``--only`` runs just the ones asked."""
    from . import real_rows as rr

    settings = Settings(semantic=args.semantic)
    reworks = ["samuel-kings>chronicles"] if args.quick else list(REWORKS)
    translations = ["kjv>web genesis"] if args.quick else list(TRANSLATIONS)
    groups: Groups = {
        "reworking": [(n, partial(_one, rr.rework_row, n, settings)) for n in reworks],
        "translation": [
            (n, partial(_one, rr.translation_row, n, settings, seed=args.seed))
            for n in translations
        ],
        "findings": [("zavidovo", rr.findings_rows)],
        "synthetic": [
            (f"synthetic {lv}", partial(_one, rr.synthetic_row, lv, settings, seed=args.seed))
            for lv in ("light", "heavy")
        ],
    }
    if not args.quick:
        groups["formulae"] = [
            (n, partial(_one, rr.translation_row, n, settings, seed=args.seed)) for n in FORMULAE
        ]
        groups["gospels"] = [(n, partial(_one, rr.rework_row, n, settings)) for n in GOSPELS]
        groups["histories"] = [(n, partial(_one, rr.rework_row, n, settings)) for n in HISTORIES]
        groups["small"] = _small(args, settings)
        groups["haystack"] = _haystack(settings)
        groups["shapes"] = [("shapes", partial(_shapes, args.big, args.timeout))]
    # Held out, in Young's Literal Translation: ~18 s, so only when asked by name.
    if getattr(args, "only", ""):
        from .real_ylt import rows_of_group

        groups["ylt"] = list(rows_of_group(args.seed, settings))
    return groups


def _small(
    args: argparse.Namespace, settings: Settings
) -> list[tuple[str, Callable[[], list[Row]]]]:
    """The small held-out rows (:mod:`benchmarks.real_small`): short reworkings, small pairs."""
    from . import real_chunks
    from . import real_small as rs
    from .real_chunks import chunked_row

    out: list[tuple[str, Callable[[], list[Row]]]] = [
        (n, partial(_one, rs.small_rework_row, n, settings)) for n in rs.SMALL_REWORKS
    ]
    out += [
        (n, partial(_one, rs.small_translation_row, n, settings, seed=args.seed))
        for n in rs.SMALL_TRANSLATIONS
    ]
    out += [
        (n, partial(_one, chunked_row, n, settings, seed=args.seed)) for n in real_chunks.CHUNKED
    ]
    return out


def _haystack(settings: Settings) -> list[tuple[str, Callable[[], list[Row]]]]:
    """A short record in a whole book and the reverse (:mod:`benchmarks.real_haystack`)."""
    from . import real_haystack as rh

    return [(n, partial(_one, rh.haystack_row, n, settings)) for n in rh.HAYSTACKS]


def _one(make: Callable[..., Row], name: str, settings: Settings, **more: int) -> list[Row]:
    """One row, as a list."""
    return [make(name, settings=settings, **more)]


def _shapes(big: bool, timeout: float) -> list[Row]:
    """The awkward shapes (imported late: they spawn subprocesses)."""
    from .shapes import shape_rows

    return shape_rows(big=big, timeout=timeout)


def _fmt(value: float | str) -> str:
    return value if isinstance(value, str) else f"{value:.3f}"


def _cells(row: Row) -> list[list[str]]:
    """Table cells of a row, one line per figure."""
    out = []
    for k, fig in enumerate(row.figures):
        if isinstance(fig.baseline, str):
            base, diff = fig.baseline, ""
        elif fig.baseline:
            lo, hi = min(fig.baseline), max(fig.baseline)
            base = _fmt(lo) if abs(hi - lo) < 5e-4 else f"{lo:.3f}-{hi:.3f}"
            diff = "" if isinstance(fig.memcon, str) or fig.at_most else f"{fig.memcon - hi:+.3f}"
        else:
            base, diff = "-", ""
        target = "" if fig.target is None else f"{'<=' if fig.at_most else '>='}{fig.target:.2f}"
        times = ["", ""]
        if k == 0:
            times = [
                "-" if row.memcon_seconds is None else f"{row.memcon_seconds:.2f}",
                "-" if row.baseline_seconds is None else f"{row.baseline_seconds:.2f}",
            ]
        out.append(
            [
                row.name if k == 0 else "",
                fig.name,
                _fmt(fig.memcon),
                base,
                diff,
                target,
                fig.verdict(),
                *times,
            ]
        )
    return out


HEADER = ["row", "figure", "memcon", "baseline", "vs best", "target", "", "memcon s", "base s"]


def render(rows: Sequence[Row], markdown: bool = False) -> str:
    """The table, as aligned text or as Markdown."""
    lines = [cell for row in rows for cell in _cells(row)]
    if markdown:
        out = ["| " + " | ".join(h or "ok?" for h in HEADER) + " |"]
        out.append("|" + " --- |" * len(HEADER))
        out += ["| " + " | ".join(c) + " |" for c in lines]
    else:
        widths = [max(len(r[k]) for r in [HEADER, *lines]) for k in range(len(HEADER))]

        def fmt(cells: list[str]) -> str:
            pairs = enumerate(zip(cells, widths, strict=True))
            return "  ".join(c.ljust(w) if k < 2 else c.rjust(w) for k, (c, w) in pairs)

        out = [fmt(HEADER), *[fmt(r) for r in lines]]
    judged = [(row.name, f) for row in rows for f in row.figures if f.verdict()]
    missed = [f"{name} / {f.name}" for name, f in judged if f.verdict() == "MISS"]
    out += ["", f"targets met: {len(judged) - len(missed)} of {len(judged)}"]
    if missed:
        out.append("missed: " + "; ".join(missed))
    bullet = "- " if markdown else "  "
    notes = [f"{bullet}{row.name}: {row.note}" for row in rows if row.note]
    return "\n".join(out + (["", "notes:", *notes] if notes else []))


def _explain(rows: Sequence[Row]) -> str:
    """The gold sets behind each reworking row's misses (record = account)."""
    out = []
    for row in rows:
        for what, sets in row.extra.items():
            out.append(f"\n{row.name}: {what.replace('_', ' ')} ({len(sets)})")
            out += [f"  {s}" for s in sets]
    return "\n".join(out)


def _git_commit() -> str:
    """The commit measured: ``$MEMCON_BENCH_COMMIT`` (for an exported tree) or git's HEAD."""
    if os.environ.get("MEMCON_BENCH_COMMIT"):
        return os.environ["MEMCON_BENCH_COMMIT"]
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_real", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="the tuning subset (a few minutes)")
    parser.add_argument("--only", default="", help="comma-separated group or row names")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--big", action="store_true", help="also the shapes at 20,000 a side")
    parser.add_argument("--sensitivity", action="store_true", help="sweep every engine setting")
    parser.add_argument(
        "--semantic", action="store_true", help="engine with the semantic scorer (needs the extra)"
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds allowed per shape")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument(
        "--explain", action="store_true", help="list the gold sets missed or wrongly moved"
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the edited translations and synthetic pairs"
    )
    return parser.parse_args(argv)


def _selected(
    groups: dict[str, list[tuple[str, Callable[[], list[Row]]]]], only: str
) -> list[Callable[[], list[Row]]]:
    """The thunks of the groups or rows named in ``only`` (all when empty)."""
    wanted = [w.strip() for w in only.split(",") if w.strip()]
    picked = []
    for group, members in groups.items():
        for name, thunk in members:
            if not wanted or group in wanted or any(w in name for w in wanted):
                picked.append(thunk)
    if wanted and not picked:
        names = sorted({*groups, *(n for m in groups.values() for n, _ in m)})
        raise SystemExit(f"--only {only}: no such group or row (have: {', '.join(names)})")
    return picked


def main(argv: Sequence[str] | None = None) -> int:
    """Run the selected rows and print the table."""
    args = _parse(argv)
    started = time.perf_counter()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    head = f"memcon {_git_commit()}; load at start {load}; baseline thresholds {THRESHOLDS}"
    head += "; semantic scorer ON" if args.semantic else ""
    print(head if not args.markdown else f"<!-- {head} -->", flush=True)
    rows: list[Row] = []
    groups = _groups(args)
    thunks = [] if args.sensitivity and not args.only else _selected(groups, args.only)
    for thunk in thunks:
        rows.extend(thunk())
    if rows:
        print(render(rows, args.markdown))
    if args.explain:
        print(_explain(rows))
    if args.sensitivity:
        from .sensitivity import sensitivity_table

        print(sensitivity_table(markdown=args.markdown))
    end_load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nwhole run {time.perf_counter() - started:.0f} s; load at end {end_load}")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
