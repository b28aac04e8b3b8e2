"""Awkward input shapes that users have, timed end to end, each in a subprocess with a timeout.

* ``repeated``: near-duplicate material (minutes, reports that repeat formulae): a pool of
  50 sentences cycled, one or two words changed in every copy, independently on each side;
  the account drops 5% of the lines. Truth: copy k of the record is copy k of the account;
* ``quotes``: 3,000 lines, an unclosed straight quote (``"``) every 7th line of the account,
  no blank lines anywhere (OCR'd scans lose quotation marks). Target: under 5 s;
* ``long-sentence``: one sentence of 20,000 words; the account changes 2% of its words;
* ``copies``: 5,000 copies of one sentence a side.

Prose goes through the engine's segmenter (:meth:`webapp.collate.Document.from_text`), as a
user's text would; the baseline (:func:`benchmarks.baselines.tfidf_nearest` at 0.5) gets the
same sentences, segmented again and timed with it. In the worker the baseline runs first,
so its time is printed even when the engine then runs out of time. Up to 5,000 a side the
worker runs baseline and engine :data:`REPEATS` times, alternating, and reports the
medians and the spread of the per-run ratio (the first run is cold, the others warm).
``TIMEOUT`` is printed when the worker takes longer than ``--timeout``.

Run one shape by itself: ``python -m benchmarks.shapes repeated 5000``.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .real_rows import Figure, Row

ROOT = Path(__file__).resolve().parent.parent
MARK = "SHAPE-RESULT "
__all__ = ["SHAPES", "make_shape", "shape_rows"]

#: Targets of the issue: seconds end to end at 5,000 a side (20,000: 30 s), and at most
#: this many times the baseline's time.
TIME_TARGET, BIG_TIME_TARGET, QUOTES_TARGET, RATIO_TARGET = 10.0, 30.0, 5.0, 3.0


def _pool(seed: int = 0) -> list[str]:
    """50 ordinary sentences without quotation marks (from the synthetic generator)."""
    from .synthetic import make_pair

    sentences = make_pair(60, seed=seed).record_sentences
    plain = [s.replace('"', "") for s in sentences if '"' not in s[1:-1]]
    return (plain or sentences)[:50]


def _change_words(sentence: str, rng: random.Random, vocabulary: list[str], k: int) -> str:
    """``sentence`` with ``k`` of its words (not the first) replaced by others."""
    words = sentence.split()
    for _ in range(k):
        if len(words) > 2:
            words[rng.randrange(1, len(words) - 1)] = rng.choice(vocabulary)
    return " ".join(words)


def _paragraphs(sentences: list[str], size: int = 10) -> str:
    """Sentences in paragraphs of ``size``, separated by blank lines."""
    return "\n\n".join(" ".join(sentences[k : k + size]) for k in range(0, len(sentences), size))


def _repeated(n: int, rng: random.Random) -> tuple[str, str, set[tuple[int, int]]]:
    pool = _pool()
    vocabulary = sorted({w for s in pool for w in s.split()[1:-1]})
    record = [
        _change_words(pool[k % len(pool)], rng, vocabulary, rng.randint(1, 2)) for k in range(n)
    ]
    account: list[str] = []
    truth: set[tuple[int, int]] = set()
    for k in range(n):
        if rng.random() >= 0.05:
            truth.add((k, len(account)))
            account.append(_change_words(pool[k % len(pool)], rng, vocabulary, rng.randint(1, 2)))
    return _paragraphs(record), _paragraphs(account), truth


def _lost_marks(n: int, rng: random.Random) -> tuple[list[str], list[str]]:
    """``n`` pool sentences, and the same with a straight opening mark that lost its
    partner before a word of every 7th."""
    pool = _pool()
    lines = [pool[rng.randrange(len(pool))] for _ in range(n)]
    account = []
    for k, line in enumerate(lines):
        words = line.split()
        if k % 7 == 0:
            at = rng.randrange(len(words))
            words[at] = '"' + words[at]
        account.append(" ".join(words))
    return lines, account


def _quotes(n: int, rng: random.Random) -> tuple[str, str, set[tuple[int, int]]]:
    lines, account = _lost_marks(n, rng)
    return "\n".join(lines), "\n".join(account), set()


def _quotes_prose(n: int, rng: random.Random) -> tuple[str, str, set[tuple[int, int]]]:
    """The quotes shape as prose, in paragraphs of ten sentences. A segmenter that pairs
    the lost marks across sentences joins the sentences in between: judged by link F1."""
    lines, account = _lost_marks(n, rng)
    return _paragraphs(lines), _paragraphs(account), {(k, k) for k in range(n)}


def _asides(n: int, rng: random.Random) -> tuple[str, str, set[tuple[int, int]]]:
    """Pool sentences in paragraphs of ten; in the record, sentences 2-6 of each paragraph
    are a bracketed aside (a note-taker's), the account tells them plainly. A segmenter
    that ends no sentence inside brackets joins each aside: judged by link F1."""
    pool = _pool()
    lines = [pool[rng.randrange(len(pool))] for _ in range(n)]
    record = list(lines)
    for start in range(2, n - 4, 10):
        opening, closing = ("(", ")") if rng.random() < 0.5 else ("[", "]")
        record[start] = opening + record[start]
        record[start + 4] += closing
    return _paragraphs(record), _paragraphs(lines), {(k, k) for k in range(n)}


def _glued(n: int, rng: random.Random) -> tuple[str, str, set[tuple[int, int]]]:
    """Pool sentences in paragraphs of ten; in the account, as text taken from a PDF, a
    third of the spaces after a sentence are lost (``ended.The``): judged by link F1."""
    pool = _pool()
    lines = [pool[rng.randrange(len(pool))] for _ in range(n)]
    paragraphs = []
    for k in range(0, n, 10):
        text = lines[k]
        for line in lines[k + 1 : k + 10]:
            text += ("" if rng.random() < 1 / 3 else " ") + line
        paragraphs.append(text)
    return _paragraphs(lines), "\n\n".join(paragraphs), {(k, k) for k in range(n)}


def _long_sentence(n: int, rng: random.Random) -> tuple[str, str, set[tuple[int, int]]]:
    vocabulary = sorted({w.strip(".,;:?!").lower() for s in _pool() for w in s.split()} - {""})
    words = [rng.choice(vocabulary) for _ in range(4 * n)]
    changed = [rng.choice(vocabulary) if rng.random() < 0.02 else w for w in words]
    return (" ".join(words).capitalize() + ".", " ".join(changed).capitalize() + ".", {(0, 0)})


def _copies(n: int, rng: random.Random) -> tuple[str, str, set[tuple[int, int]]]:
    sentence = "The minister said that the talks would continue in the spring."
    return _paragraphs([sentence] * n), _paragraphs([sentence] * n), set()


#: name -> (builder(n, rng) -> (record text, account text, true links), default n); the
#: n of ``long-sentence`` is a quarter of its words (5,000 -> one sentence of 20,000 words).
SHAPES: dict[
    str, tuple[Callable[[int, random.Random], tuple[str, str, set[tuple[int, int]]]], int]
] = {
    "repeated": (_repeated, 5000),
    "quotes": (_quotes, 3000),
    "quotes-prose": (_quotes_prose, 3000),
    "asides": (_asides, 3000),
    "glued": (_glued, 3000),
    "long-sentence": (_long_sentence, 5000),
    "copies": (_copies, 5000),
}


def make_shape(name: str, n: int, seed: int = 0) -> tuple[str, str, set[tuple[int, int]]]:
    """Record text, account text and the true links (empty when not judged) of a shape."""
    builder, _ = SHAPES[name]
    return builder(n, random.Random(f"memcon-shape:{name}:{n}:{seed}"))


# ---------------------------------------------------------------------------------------
# Worker: one shape, baseline then engine, printing a result line after each
# ---------------------------------------------------------------------------------------


def _rss_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, child) / 1024


def _emit(data: dict[str, Any]) -> None:
    print(MARK + json.dumps(data), flush=True)


#: Runs of baseline then engine in one worker, alternating, at 5,000 a side or less: the
#: medians are printed (the machine is shared; one run's ratio swung 1.4x to 4.5x). 5, not
#: 3: the quotes shape's per-run ratio spread 1.9x-3.4x on a loaded 2-core machine, and
#: the median of 3 crossed the 3x target once in four benchmark runs (session 16).
REPEATS = 5


def work(name: str, n: int, repeats: int | None = None) -> None:
    """Time the baseline, then the engine, on one shape, ``repeats`` times alternating
    (3 up to 5,000 a side, else 1); print each side's median as it comes."""
    import statistics

    from webapp.collate import Document, Settings, compare

    from .baselines import tfidf_nearest
    from .metrics import f1, predicted

    record_text, account_text, truth = make_shape(name, n)
    runs = repeats or (REPEATS if n <= 5000 else 1)
    base_times: list[float] = []
    times: list[float] = []
    for run in range(runs):
        t0 = time.perf_counter()
        rec = Document.from_text("record", record_text)
        acc = Document.from_text("account", account_text)
        segment_seconds = time.perf_counter() - t0
        base = tfidf_nearest([s.text for s in rec.sentences], [s.text for s in acc.sentences])
        base_times.append(time.perf_counter() - t0)
        if run == 0:
            _emit(
                {
                    "who": "baseline",
                    "seconds": base_times[0],
                    "sentences": [len(rec.sentences), len(acc.sentences)],
                    "segment_seconds": segment_seconds,
                    "link_f1": f1(base.links, truth)[2] if truth else None,
                }
            )
        t0 = time.perf_counter()
        result = compare(
            Document.from_text("record", record_text),
            [Document.from_text("account", account_text)],
            Settings(),
        )
        times.append(time.perf_counter() - t0)
    ratios = sorted(e / b for e, b in zip(times, base_times, strict=True))
    links = predicted(result.witnesses[0]).links
    _emit(
        {
            "who": "memcon",
            "seconds": statistics.median(times),
            "base_seconds": statistics.median(base_times),
            "runs": runs,
            "ratios": [ratios[0], ratios[-1]],
            "rss_mib": _rss_mib(),
            "link_f1": f1(links, truth)[2] if truth else None,
            "quotes": len(result.witnesses[0].quotes),
        }
    )


def _spawn(name: str, n: int, timeout: float) -> tuple[dict[str, Any], dict[str, Any] | str]:
    """Run a worker; the baseline's result and the engine's (or "TIMEOUT"/"ERROR ...")."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    command = [sys.executable, "-m", "benchmarks.shapes", name, str(n)]
    try:
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
        out, err, timed_out = done.stdout, done.stderr, False
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        err, timed_out = "", True
    found = {
        d["who"]: d
        for d in (json.loads(ln[len(MARK) :]) for ln in out.splitlines() if ln.startswith(MARK))
    }
    base = found.get("baseline", {})
    if "memcon" in found:
        return base, found["memcon"]
    if timed_out:
        return base, f"TIMEOUT (>{timeout:g} s)"
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    return base, "ERROR " + (lines[-1] if lines else "no output")


def _row(name: str, n: int, timeout: float) -> Row:
    base, mine = _spawn(name, n, timeout)
    limit = (
        QUOTES_TARGET
        if name.startswith("quotes")
        else (BIG_TIME_TARGET if n > 5000 else TIME_TARGET)
    )
    base_secs = base.get("seconds")
    if not isinstance(mine, str) and mine.get("base_seconds"):
        base_secs = mine["base_seconds"]  # the median of the runs, as the engine's
    label = f"shape {name} {n:,}" + (" (x4 words)" if name == "long-sentence" else "")
    if isinstance(mine, str):
        fig = Figure("time s", mine, (base_secs,) if base_secs is not None else "-")
        seg = base.get("segment_seconds", float("nan"))
        note = f"{base.get('sentences', '?')} sentences, segmented in {seg:.2f} s"
        return Row(label, (fig,), None, base_secs, note)
    figures = [
        Figure("time s", mine["seconds"], (base_secs,) if base_secs else (), limit, at_most=True),
        Figure(
            "x baseline",
            mine["seconds"] / base_secs if base_secs else float("nan"),
            (),
            RATIO_TARGET,
            at_most=True,
        ),
        Figure("peak RSS MiB", mine["rss_mib"]),
    ]
    if mine.get("link_f1") is not None:
        figures.append(Figure("link F1", mine["link_f1"], (base["link_f1"],) if base else ()))
    low, high = mine.get("ratios", [float("nan")] * 2)
    note = (
        f"{base.get('sentences', '?')} sentences (record, account), segmented in "
        f"{base.get('segment_seconds', float('nan')):.2f} s; {mine['quotes']} quotations; "
        f"median of {mine.get('runs', 1)} runs, x baseline per run {low:.2f}-{high:.2f}"
    )
    return Row(label, tuple(figures), mine["seconds"], base_secs, note)


def shape_rows(big: bool = False, timeout: float = 300.0) -> list[Row]:
    """Every shape at its default size; with ``big`` also repeated and copies at 20,000."""
    plan = [(name, n) for name, (_, n) in SHAPES.items()]
    if big:
        plan += [("repeated", 20000), ("copies", 20000)]
    return [_row(name, n, timeout) for name, n in plan]


if __name__ == "__main__":
    work(sys.argv[1], int(sys.argv[2]))
