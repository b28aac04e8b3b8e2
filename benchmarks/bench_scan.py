"""Speed and accuracy of the archive scan (``memcon scan``) on a synthetic archive.

Run from the repository root::

    python -m benchmarks.bench_scan [--records 500] [--sentences 100] [--sources 3]
                                    [--level light|heavy] [--no-cluster]

Writes an archive of ``--records`` synthetic records of ``--sentences`` sentences each
(:func:`benchmarks.synthetic.make_pair`, one seed per record) to a temporary folder,
and an account told from ``--sources`` of them (paraphrased runs of their sentences,
with a few sentences from no record in between). It then scans the folder end to end
(reading, segmentation with syntok, matching, ranking) with ``memcon scan``'s default
scheduler, on each of Dask's local schedulers and on a ``dask.distributed`` LocalCluster
of two worker processes, and prints the wall time
of each with whether the known sources are the top records and the share of their
passages that point at the right record sentence. Cluster start-up is timed apart.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .synthetic import join_paragraphs, make_pair


@dataclass(frozen=True)
class Archive:
    """A synthetic archive on disk, an account of some of its records, and the truth.

    ``truth`` maps each account sentence (0-based, in order) to its source record's name
    and the record sentences it retells, or to ``None`` for a sentence from no record.
    """

    folder: Path
    names: tuple[str, ...]
    record_sentences: dict[str, list[str]]
    account_text: str
    account_sentences: tuple[str, ...]
    sources: tuple[str, ...]
    truth: tuple[tuple[str, frozenset[int]] | None, ...]


def make_archive(
    folder: Path,
    n_records: int,
    *,
    sentences: int = 100,
    sources: Sequence[int] = (),
    per_source: int = 10,
    level: str = "light",
    seed: int = 0,
) -> Archive:
    """Write ``n_records`` records to ``folder`` and tell an account from ``sources``.

    Each source contributes ``per_source`` consecutive retold sentences (paraphrased at
    ``level``, see :mod:`benchmarks.synthetic`); after each source's run comes one
    sentence that no record contains.
    """
    folder.mkdir(parents=True, exist_ok=True)
    names: list[str] = []
    record_sentences: dict[str, list[str]] = {}
    account: list[str] = []
    truth: list[tuple[str, frozenset[int]] | None] = []
    for k in range(n_records):
        name = f"box-{k // 100:02d}/record-{k:04d}.txt"
        pair = make_pair(sentences, seed=seed * 1_000_003 + k, level=level)
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(pair.record_text + "\n", encoding="utf-8")
        names.append(name)
        record_sentences[name] = pair.record_sentences
        if k not in sources:
            continue
        told: dict[int, set[int]] = {}
        for r, w in pair.links:
            told.setdefault(w, set()).add(r)
        start = len(pair.witness_sentences) // 4
        run = [w for w in range(start, len(pair.witness_sentences)) if w in told][:per_source]
        for w in run:
            account.append(pair.witness_sentences[w])
            truth.append((name, frozenset(told[w])))
        added = sorted(pair.added)
        if added:  # a sentence the retelling added: in no record
            account.append(pair.witness_sentences[added[0]])
            truth.append(None)
    return Archive(
        folder,
        tuple(names),
        record_sentences,
        join_paragraphs(account, f"account:{seed}") + "\n",
        tuple(account),
        tuple(names[k] for k in sources),
        tuple(truth),
    )


def passage_accuracy(archive: Archive, records: Sequence[object]) -> tuple[int, int]:
    """Passages of the source records pointing at a true record sentence, out of all."""
    right = total = 0
    for hit in records:
        name = getattr(hit, "name", "")
        if name not in archive.sources:
            continue
        for passage in getattr(hit, "passages", ()):
            total += 1
            expected = archive.truth[passage.account_index]
            sentence = archive.record_sentences[name]
            if (
                expected is not None
                and expected[0] == name
                and any(sentence[i] == passage.record_text for i in expected[1])
            ):
                right += 1
    return right, total


def _run(archive: Archive, label: str, scheduler: str | None, partitions: int | None) -> str:
    from webapp.collate import Document
    from webapp.library.scanning import scan_folder

    account = Document.from_text("account.txt", archive.account_text, segmenter="syntok")
    started = time.perf_counter()
    scanned = scan_folder(account, archive.folder, scheduler=scheduler, n_partitions=partitions)
    seconds = time.perf_counter() - started
    result = scanned.result
    top = [hit.name for hit in result.records[: len(archive.sources)]]
    found = "yes" if sorted(top) == sorted(archive.sources) else "NO"
    right, total = passage_accuracy(archive, result.records)
    runner_up = (
        f"{result.records[len(archive.sources)].score:.3f}"
        if len(result.records) > len(archive.sources)
        else "-"
    )
    scores = " ".join(f"{h.score:.3f}" for h in result.records[: len(archive.sources)])
    label = label.format(scheduler=scanned.scheduler)
    return (
        f"{label:<34} {scanned.partitions:>5} {seconds:>8.2f}  {found:<7} "
        f"{right:>3}/{total:<3}  {scores}  (next {runner_up})"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=500)
    parser.add_argument("--sentences", type=int, default=100)
    parser.add_argument("--sources", type=int, default=3)
    parser.add_argument("--level", choices=("light", "heavy"), default="light")
    parser.add_argument("--no-cluster", action="store_true", help="skip the LocalCluster run")
    args = parser.parse_args(argv)
    sources = [round(k * args.records / args.sources) + 7 for k in range(args.sources)]
    sources = [s % args.records for s in sources]
    with tempfile.TemporaryDirectory(prefix="memcon-scan-") as tmp:
        started = time.perf_counter()
        archive = make_archive(
            Path(tmp) / "archive",
            args.records,
            sentences=args.sentences,
            sources=sources,
            level=args.level,
        )
        made = time.perf_counter() - started
        print(
            f"archive: {args.records} records x {args.sentences} sentences ({args.level} "
            f"paraphrase), account of {len(archive.account_sentences)} sentences from "
            f"{args.sources} records; written in {made:.1f} s (not timed below)"
        )
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"machine: {platform.python_implementation()} {platform.python_version()}, "
            f"{os.cpu_count()} cores, load average {load} (other work on the machine)"
        )
        print(f"{'run':<34} {'parts':>5} {'secs':>8}  {'top ok':<7} {'passages':<8} source scores")
        print(_run(archive, "local, default ({scheduler})", None, None))
        print(_run(archive, "local, processes", "processes", None))
        print(_run(archive, "local, threads", "threads", None))
        print(_run(archive, "local, sync, 1 partition", "sync", 1))
        if not args.no_cluster:
            from distributed import LocalCluster

            started = time.perf_counter()
            with LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster:
                up = time.perf_counter() - started
                address = cluster.scheduler_address
                print(_run(archive, f"LocalCluster 2 workers (up {up:.1f} s)", address, None))
                print(_run(archive, "LocalCluster 2 workers, again", address, None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
