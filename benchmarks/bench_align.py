"""Accuracy and speed of the alignment engine on synthetic record/retelling pairs.

Run from the repository root::

    python -m benchmarks.bench_align [--sizes 200,1000,5000] [--level light|heavy|both]
                                     [--segmenter pysbd] [--seed 0] [--no-tracemalloc]

For each size and level a pair is generated (:func:`benchmarks.synthetic.make_pair`) and
the engine is run end to end on the raw texts (segmentation included) in a fresh Python
process, so that the peak resident set size (``ru_maxrss``) belongs to that size alone.
The time is the wall time of segmenting both texts and comparing them, measured without
tracemalloc; the engine's import and the generation of the pair are not included.  A
second, traced run gives the tracemalloc peak (Python allocations, numpy included).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .metrics import predicted, score
from .synthetic import LEVELS, SyntheticPair, make_pair

ROOT = Path(__file__).resolve().parent.parent
RESULT_MARK = "BENCH-RESULT "

#: Wall-time targets in seconds, by sentences a side.
TIME_TARGETS = {1000: 2.0, 5000: 15.0}
MEMORY_TARGET_MIB = 1024.0
LINK_F1_TARGET = 0.95


# ---------------------------------------------------------------------------------------
# Worker: one size and level, in its own process
# ---------------------------------------------------------------------------------------


def _max_rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB."""
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def _segmentation_status(got: Sequence[str], want: Sequence[str]) -> str:
    """ "ok" when the segmenter recovered the generated sentences exactly."""
    if len(got) != len(want):
        return f"{len(got)}/{len(want)}"
    if [s.strip() for s in got] != list(want):
        return "text"
    return "ok"


def run_case(size: int, level: str, segmenter: str, seed: int, trace: bool) -> dict[str, Any]:
    """Generate a pair, run the engine on it and return measurements and scores."""
    started = time.perf_counter()
    from webapp.collate import Document, Settings, compare

    import_seconds = time.perf_counter() - started

    started = time.perf_counter()
    pair: SyntheticPair = make_pair(size, seed=seed, level=level)
    record_text, witness_text = pair.record_text, pair.witness_text
    generate_seconds = time.perf_counter() - started

    def run() -> tuple[Any, Any, Any, float, float]:
        gc.collect()
        t0 = time.perf_counter()
        record = Document.from_text("record", record_text, segmenter=segmenter)
        witness = Document.from_text("witness", witness_text, segmenter=segmenter)
        t1 = time.perf_counter()
        comparison = compare(record, [witness], Settings())
        t2 = time.perf_counter()
        return record, witness, comparison, t1 - t0, t2 - t0

    record, witness, comparison, segment_seconds, seconds = run()
    rss_mib = _max_rss_mib()

    traced_mib: float | None = None
    if trace:
        del comparison
        gc.collect()
        tracemalloc.start()
        record, witness, comparison, _, _ = run()
        traced_mib = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
        tracemalloc.stop()

    scores = score(predicted(comparison.witnesses[0]), pair)
    return {
        "size": size,
        "level": level,
        "segmenter": segmenter,
        "seed": seed,
        "record_sentences": len(pair.record_sentences),
        "witness_sentences": len(pair.witness_sentences),
        "record_segmented": len(record.sentences),
        "witness_segmented": len(witness.sentences),
        "segmentation": {
            "record": _segmentation_status(
                [s.text for s in record.sentences], pair.record_sentences
            ),
            "witness": _segmentation_status(
                [s.text for s in witness.sentences], pair.witness_sentences
            ),
        },
        "seconds": seconds,
        "segment_seconds": segment_seconds,
        "import_seconds": import_seconds,
        "generate_seconds": generate_seconds,
        "tracemalloc_peak_mib": traced_mib,
        "max_rss_mib": rss_mib,
        "truth": {
            "links": len(pair.links),
            "omitted": len(pair.omitted),
            "added": len(pair.added),
            "moved": len(pair.moved),
        },
        "scores": {
            "link_precision": scores.link_precision,
            "link_recall": scores.link_recall,
            "link_f1": scores.link_f1,
            "omitted_f1": scores.omitted_f1,
            "added_f1": scores.added_f1,
            "moved_f1": scores.moved_f1,
        },
    }


# ---------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------


def _machine() -> list[str]:
    """A few lines describing where the benchmark ran."""
    cpus = os.cpu_count()
    try:
        usable: int | None = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = None
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return [
        f"machine: nproc={usable if usable is not None else cpus} (cpu_count={cpus}), {model}",
        f"python:  {platform.python_implementation()} {platform.python_version()} "
        f"on {platform.platform()}",
    ]


def _targets() -> list[str]:
    return [
        "targets: 1,000 sentences a side < 2 s; 5,000 a side < 15 s; "
        f"memory < 1 GB (max RSS); link F1 >= {LINK_F1_TARGET}",
    ]


def _spawn(args: argparse.Namespace, size: int, level: str) -> dict[str, Any]:
    """Run one case in a fresh interpreter and return its result (or an error)."""
    command = [
        sys.executable,
        "-m",
        "benchmarks.bench_align",
        "--worker",
        f"{size}:{level}",
        "--segmenter",
        args.segmenter,
        "--seed",
        str(args.seed),
    ]
    if not args.tracemalloc:
        command.append("--no-tracemalloc")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    try:
        done = subprocess.run(
            command,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=args.timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"size": size, "level": level, "error": f"timed out after {args.timeout} s"}
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(RESULT_MARK):
            result: dict[str, Any] = json.loads(line[len(RESULT_MARK) :])
            return result
    lines = [ln for ln in done.stderr.strip().splitlines() if ln.strip()]
    last = lines[-1] if lines else f"exit status {done.returncode}, no output"
    return {"size": size, "level": level, "error": last, "stderr": done.stderr}


_HEADER = (
    f"{'size':>6} {'level':<5} {'rec':>6} {'wit':>6} {'seg ok':<11} {'secs':>7} {'seg s':>6} "
    f"{'trace MiB':>9} {'RSS MiB':>8} {'link P':>6} {'link R':>6} {'link F1':>7} "
    f"{'omit F1':>7} {'add F1':>6} {'move F1':>7}  targets"
)


def _verdict(result: dict[str, Any]) -> str:
    """Which targets a result misses ("ok" when none)."""
    missed: list[str] = []
    limit = TIME_TARGETS.get(result["size"])
    if limit is not None and result["seconds"] >= limit:
        missed.append(f"time>={limit:g}s")
    if result["max_rss_mib"] >= MEMORY_TARGET_MIB:
        missed.append("memory")
    if result["scores"]["link_f1"] < LINK_F1_TARGET:
        missed.append("link F1")
    return "ok" if not missed else "MISSED " + ", ".join(missed)


def _row(result: dict[str, Any]) -> str:
    """One line of the table."""
    if "error" in result:
        return f"{result['size']:>6} {result['level']:<5} ERROR: {result['error']}"
    seg = result["segmentation"]
    if seg["record"] == "ok" and seg["witness"] == "ok":
        seg_ok = "yes"
    else:
        seg_ok = f"r {seg['record']} w {seg['witness']}"
    traced = result["tracemalloc_peak_mib"]
    traced_text = f"{traced:9.1f}" if traced is not None else f"{'-':>9}"
    s = result["scores"]
    return (
        f"{result['size']:>6} {result['level']:<5} {result['record_sentences']:>6} "
        f"{result['witness_sentences']:>6} {seg_ok:<11} {result['seconds']:7.2f} "
        f"{result['segment_seconds']:6.2f} {traced_text} {result['max_rss_mib']:8.1f} "
        f"{s['link_precision']:6.3f} {s['link_recall']:6.3f} {s['link_f1']:7.3f} "
        f"{s['omitted_f1']:7.3f} {s['added_f1']:6.3f} {s['moved_f1']:7.3f}  {_verdict(result)}"
    )


def _engine_problem() -> str | None:
    """Why the engine cannot be benchmarked, or None when it can."""
    try:
        import webapp.collate as engine
    except Exception as error:  # report whatever stops the import
        return f"cannot import webapp.collate: {error!r}"
    missing = [name for name in ("Document", "Settings", "compare") if not hasattr(engine, name)]
    if missing:
        return "webapp.collate lacks " + ", ".join(missing)
    return None


def _parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"bad --sizes {text!r}: {error}") from error
    if not sizes or any(n < 1 for n in sizes):
        raise argparse.ArgumentTypeError("--sizes needs positive integers, e.g. 200,1000")
    return sizes


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_align",
        description="Accuracy and speed of the memcon engine on synthetic retellings.",
    )
    parser.add_argument(
        "--sizes",
        type=_parse_sizes,
        default=[200, 1000, 5000],
        help="record sentences per pair, comma separated (default 200,1000,5000)",
    )
    parser.add_argument(
        "--level",
        choices=(*LEVELS, "both"),
        default="both",
        help="paraphrase level of the retelling (default both)",
    )
    parser.add_argument("--segmenter", default="pysbd", help="segmenter name (default pysbd)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument(
        "--no-tracemalloc",
        dest="tracemalloc",
        action="store_false",
        help="skip the second, traced run (no tracemalloc peak)",
    )
    parser.add_argument(
        "--timeout", type=float, default=1800.0, help="seconds allowed per case (default 1800)"
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit status."""
    args = _parser().parse_args(argv)

    if args.worker:
        size_text, _, level = args.worker.partition(":")
        result = run_case(int(size_text), level, args.segmenter, args.seed, args.tracemalloc)
        print(RESULT_MARK + json.dumps(result), flush=True)
        return 0

    for line in [*_machine(), *_targets()]:
        print(line)
    problem = _engine_problem()
    if problem is not None:
        print(f"engine not available: {problem}", file=sys.stderr)
        return 2
    levels = list(LEVELS) if args.level == "both" else [args.level]
    print(
        f"segmenter: {args.segmenter}; seed {args.seed}; one fresh process per row; "
        "secs = segmentation + compare, wall clock, untraced"
    )
    print()
    print(_HEADER)
    results: list[dict[str, Any]] = []
    for level in levels:
        for size in args.sizes:
            result = _spawn(args, size, level)
            results.append(result)
            print(_row(result), flush=True)
    ok = [r for r in results if "error" not in r]
    if ok:
        imports = max(r["import_seconds"] for r in ok)
        generation = max(r["generate_seconds"] for r in ok)
        print()
        print(
            f"not included above: engine import up to {imports:.2f} s, "
            f"pair generation up to {generation:.2f} s"
        )
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0 if len(ok) == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
