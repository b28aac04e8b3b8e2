"""Accuracy, speed and memory of the engine and of simple baselines on synthetic retellings.

Run from the repository root::

    python -m benchmarks.bench_align [--sizes 100,200,1000,5000,20000] [--level light|heavy|both]
                                     [--methods memcon,tfidf,difflib,collatex]
                                     [--baseline-timeout 120] [--trace] [--seed 0]

For each size, level and method a pair is generated (:func:`benchmarks.synthetic.make_pair`)
and aligned end to end from the raw texts in a fresh Python process, so that time and
peak memory belong to that row alone. Every method segments the texts the same way
(pysbd, through the engine's :func:`~webapp.collate.segment`), then aligns:

* ``memcon``: the engine, :func:`webapp.collate.compare`;
* ``tfidf``, ``difflib``, ``collatex``: the baselines of :mod:`benchmarks.baselines`.

*secs* is the wall time of segmentation plus alignment (engine import and pair generation
excluded); *RSS* the peak resident set of the row's process and, when the engine forked
helpers (:mod:`webapp.collate.parallel`), of the largest of them. A baseline row that
takes longer than ``--baseline-timeout`` seconds prints ``timeout``, and that baseline is
not tried at larger sizes of the same level. ``--trace`` adds a second, traced run of
the engine for the tracemalloc peak (Python allocations, numpy included).

The last lines give the growth exponent of the engine's time between the two largest
sizes, log(t_large / t_small) / log(large / small), and which targets are met.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .metrics import Predicted, predicted, score
from .synthetic import LEVELS, SyntheticPair, make_pair

ROOT = Path(__file__).resolve().parent.parent
RESULT_MARK = "BENCH-RESULT "
METHODS = ("memcon", "tfidf", "difflib", "collatex")

#: Wall-time targets of the engine in seconds, by sentences a side.
TIME_TARGETS = {1000: 2.0, 5000: 15.0, 20000: 30.0}
MEMORY_TARGET_MIB = 2048.0
GROWTH_TARGET = 1.2
LINK_F1_TARGETS = {"light": 0.97, "heavy": 0.90}
MOVE_F1_TARGET = 0.90
#: The accuracy targets are judged from this size on: the 100-sentence rows (there so that
#: CollateX has a row it can finish) hold about five moved sentences, where one wrong
#: link moves F1 by 0.1.
SCORED_FROM = 200


# ---------------------------------------------------------------------------------------
# Worker: one size, level and method, in its own process
# ---------------------------------------------------------------------------------------


def _max_rss_mib(who: int) -> float:
    """Peak resident set size of this process (or of its largest child), in MiB."""
    import resource

    rss = resource.getrusage(who).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def _segmentation_status(got: Sequence[str], want: Sequence[str]) -> str:
    """ "ok" when the segmenter recovered the generated sentences exactly."""
    if len(got) != len(want):
        return f"{len(got)}/{len(want)}"
    if [s.strip() for s in got] != list(want):
        return "text"
    return "ok"


def run_case(size: int, level: str, method: str, seed: int, trace: bool) -> dict[str, Any]:
    """Generate a pair, align it with ``method`` and return measurements and scores."""
    import resource

    started = time.perf_counter()
    from webapp.collate import Document, Settings, compare, parallel

    from .baselines import BASELINES

    import_seconds = time.perf_counter() - started
    started = time.perf_counter()
    pair: SyntheticPair = make_pair(size, seed=seed, level=level)
    record_text, witness_text = pair.record_text, pair.witness_text
    generate_seconds = time.perf_counter() - started

    def run() -> tuple[Any, Any, Predicted, float, float]:
        gc.collect()
        t0 = time.perf_counter()
        record = Document.from_text("record", record_text)
        witness = Document.from_text("witness", witness_text)
        t1 = time.perf_counter()
        if method == "memcon":
            found = predicted(compare(record, [witness], Settings()).witnesses[0])
        else:
            found = BASELINES[method](
                [s.text for s in record.sentences], [s.text for s in witness.sentences]
            )
        t2 = time.perf_counter()
        return record, witness, found, t1 - t0, t2 - t0

    record, witness, found, segment_seconds, seconds = run()
    rss_mib = _max_rss_mib(resource.RUSAGE_SELF)
    child_mib = _max_rss_mib(resource.RUSAGE_CHILDREN)

    traced_mib: float | None = None
    if trace and method == "memcon":
        gc.collect()
        tracemalloc.start()
        run()
        traced_mib = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
        tracemalloc.stop()

    scores = score(found, pair)
    return {
        "size": size,
        "level": level,
        "method": method,
        "seed": seed,
        "workers": parallel.workers(),
        "record_sentences": len(pair.record_sentences),
        "witness_sentences": len(pair.witness_sentences),
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
        "child_rss_mib": child_mib,
        "load": os.getloadavg()[0],
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
    memory = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("MemTotal"):
                    memory = f", {int(line.split()[1]) / 1024**2:.1f} GiB RAM"
                    break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"machine: nproc={usable if usable is not None else cpus} (cpu_count={cpus}), "
        f"{model}{memory}",
        f"python:  {platform.python_implementation()} {platform.python_version()} "
        f"on {platform.platform()}",
        f"load average at start: {load}",
    ]


def _targets() -> list[str]:
    times = "; ".join(f"{n:,} a side < {t:g} s" for n, t in TIME_TARGETS.items())
    return [
        f"targets (memcon): {times}; peak RSS < {MEMORY_TARGET_MIB / 1024:g} GB; growth "
        f"exponent <= {GROWTH_TARGET}; link F1 >= {LINK_F1_TARGETS['light']} light, "
        f">= {LINK_F1_TARGETS['heavy']} heavy; move F1 >= {MOVE_F1_TARGET} "
        f"(F1 targets from {SCORED_FROM} sentences a side)",
    ]


def _spawn(args: argparse.Namespace, size: int, level: str, method: str) -> dict[str, Any]:
    """Run one case in a fresh interpreter and return its result (or an error)."""
    command = [
        sys.executable,
        "-m",
        "benchmarks.bench_align",
        "--worker",
        f"{size}:{level}:{method}",
        "--seed",
        str(args.seed),
    ]
    if args.trace:
        command.append("--trace")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    timeout = args.timeout if method == "memcon" else args.baseline_timeout
    base = {"size": size, "level": level, "method": method}
    try:
        done = subprocess.run(
            command,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {**base, "timeout": timeout}
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(RESULT_MARK):
            result: dict[str, Any] = json.loads(line[len(RESULT_MARK) :])
            return result
    lines = [ln for ln in done.stderr.strip().splitlines() if ln.strip()]
    last = lines[-1] if lines else f"exit status {done.returncode}, no output"
    return {**base, "error": last, "stderr": done.stderr}


_HEADER = (
    f"{'size':>6} {'level':<5} {'method':<8} {'rec':>6} {'wit':>6} {'seg':<4} {'secs':>7} "
    f"{'seg s':>6} {'RSS MiB':>8} {'child':>6} {'trace':>6} {'link P':>6} {'link R':>6} "
    f"{'link F1':>7} {'omit F1':>7} {'add F1':>6} {'move F1':>7}  targets"
)


def _verdict(result: dict[str, Any]) -> str:
    """Which of the engine's targets a result misses ("ok" when none; "" for baselines)."""
    if result["method"] != "memcon":
        return ""
    missed: list[str] = []
    limit = TIME_TARGETS.get(result["size"])
    if limit is not None and result["seconds"] >= limit:
        missed.append(f"time>={limit:g}s")
    if result["max_rss_mib"] + result["child_rss_mib"] >= MEMORY_TARGET_MIB:
        missed.append("memory")
    scored = result["size"] >= SCORED_FROM
    if scored and result["scores"]["link_f1"] < LINK_F1_TARGETS[result["level"]]:
        missed.append("link F1")
    if scored and result["scores"]["moved_f1"] < MOVE_F1_TARGET:
        missed.append("move F1")
    if missed:
        return "MISSED " + ", ".join(missed)
    return "ok" if scored else "ok (F1 not judged)"


def _row(result: dict[str, Any]) -> str:
    """One line of the table."""
    head = f"{result['size']:>6} {result['level']:<5} {result['method']:<8}"
    if "timeout" in result:
        return f"{head} timeout (over {result['timeout']:g} s)"
    if "skipped" in result:
        return f"{head} skipped: {result['skipped']}"
    if "error" in result:
        return f"{head} ERROR: {result['error']}"
    seg = result["segmentation"]
    seg_ok = "yes" if seg["record"] == "ok" and seg["witness"] == "ok" else "NO"
    traced = result["tracemalloc_peak_mib"]
    traced_text = f"{traced:6.0f}" if traced is not None else f"{'-':>6}"
    child = result["child_rss_mib"]
    child_text = f"{child:6.0f}" if child > 0 else f"{'-':>6}"
    s = result["scores"]
    return (
        f"{head} {result['record_sentences']:>6} {result['witness_sentences']:>6} "
        f"{seg_ok:<4} {result['seconds']:7.2f} {result['segment_seconds']:6.2f} "
        f"{result['max_rss_mib']:8.0f} {child_text} {traced_text} "
        f"{s['link_precision']:6.3f} {s['link_recall']:6.3f} {s['link_f1']:7.3f} "
        f"{s['omitted_f1']:7.3f} {s['added_f1']:6.3f} {s['moved_f1']:7.3f}  {_verdict(result)}"
    )


def growth(results: Sequence[dict[str, Any]], level: str) -> tuple[int, int, float] | None:
    """Growth exponent of the engine's time between the two largest sizes of a level."""
    done = sorted(
        (r["size"], r["seconds"])
        for r in results
        if r["method"] == "memcon" and r["level"] == level and "seconds" in r
    )
    if len(done) < 2 or done[-2][1] <= 0:
        return None
    (small, t_small), (large, t_large) = done[-2], done[-1]
    return small, large, math.log(t_large / t_small) / math.log(large / small)


def _summary(results: Sequence[dict[str, Any]], levels: Sequence[str]) -> list[str]:
    """Growth exponents and the targets met or missed, in words."""
    lines: list[str] = []
    for level in levels:
        found = growth(results, level)
        if found is not None:
            small, large, exponent = found
            verdict = "ok" if exponent <= GROWTH_TARGET else "MISSED"
            lines.append(
                f"growth exponent ({level}, memcon, {small:,} -> {large:,}): "
                f"{exponent:.2f}  {verdict}"
            )
    ours = [r for r in results if r["method"] == "memcon" and "seconds" in r]
    missed = [
        f"{r['size']} {r['level']}: {_verdict(r)}" for r in ours if _verdict(r).startswith("MISSED")
    ]
    lines.append("memcon rows: " + ("all targets met" if not missed else "; ".join(missed)))
    if ours:
        imports = max(r["import_seconds"] for r in ours)
        generation = max(r["generate_seconds"] for r in ours)
        lines.append(
            f"not included in secs: engine import up to {imports:.2f} s, "
            f"pair generation up to {generation:.2f} s"
        )
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    lines.append(f"load average at end: {load}")
    return lines


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
    return sorted(sizes)


def _parse_methods(text: str) -> list[str]:
    methods = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [m for m in methods if m not in METHODS]
    if unknown or not methods:
        raise argparse.ArgumentTypeError(f"--methods takes some of {', '.join(METHODS)}")
    return methods


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_align",
        description="Accuracy, speed and memory of the memcon engine and of baselines.",
    )
    parser.add_argument(
        "--sizes",
        type=_parse_sizes,
        default=[100, 200, 1000, 5000, 20000],
        help="record sentences per pair, comma separated (default 100,200,1000,5000,20000)",
    )
    parser.add_argument(
        "--level",
        choices=(*LEVELS, "both"),
        default="both",
        help="paraphrase level of the retelling (default both)",
    )
    parser.add_argument(
        "--methods",
        type=_parse_methods,
        default=list(METHODS),
        help=f"aligners to run, comma separated (default {','.join(METHODS)})",
    )
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument(
        "--trace",
        action="store_true",
        help="also measure the engine's tracemalloc peak (a second, slower run)",
    )
    parser.add_argument(
        "--timeout", type=float, default=1800.0, help="seconds allowed per engine row"
    )
    parser.add_argument(
        "--baseline-timeout",
        type=float,
        default=120.0,
        help="seconds allowed per baseline row (default 120)",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit status."""
    args = _parser().parse_args(argv)

    if args.worker:
        size_text, level, method = args.worker.split(":")
        result = run_case(int(size_text), level, method, args.seed, args.trace)
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
        f"seed {args.seed}; one fresh process per row; secs = pysbd segmentation + alignment, "
        f"wall clock; baselines time out after {args.baseline_timeout:g} s"
    )
    print()
    print(_HEADER)
    results: list[dict[str, Any]] = []
    for level in levels:
        for size in args.sizes:
            for method in args.methods:
                earlier = [
                    r
                    for r in results
                    if r["method"] == method and r["level"] == level and "timeout" in r
                ]
                if earlier:
                    result = {
                        "size": size,
                        "level": level,
                        "method": method,
                        "skipped": f"timed out at {earlier[0]['size']:,}",
                    }
                else:
                    result = _spawn(args, size, level, method)
                results.append(result)
                print(_row(result), flush=True)
    print()
    for line in _summary(results, levels):
        print(line)
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    failed = [
        r for r in results if "error" in r or (r["method"] == "memcon" and "seconds" not in r)
    ]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
