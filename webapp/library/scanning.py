"""Scan a folder of records for the sources of an account, its partitions run on Dask.

The engine (:mod:`webapp.collate.scan`) does the matching; this module reads the folder,
splits its records into partitions and runs them as one Dask graph::

    read + segment + profile (per partition)  ->  sentence frequencies (per partition)
        -> one frequency table (summed)  ->  the account's vectors  ->  matches (per partition)
        -> ranking (here, in the calling process)

Where it runs: Dask's local scheduler by default (``processes``: one process per core;
``threads`` or ``sync`` on request), or a ``dask.distributed`` cluster when a scheduler
address such as ``tcp://host:8786`` is given (argument, or ``MEMCON_DASK_SCHEDULER``).
On a cluster every worker reads its own partitions' files, so the folder must be at the
same path on every worker (a shared file system), and memcon must be installed there.
Partitions never change the result (see the engine's module notes).

The web page scans stored texts instead; :class:`ProfileCache` keeps their profiles
between requests.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..collate import SEGMENTERS, Document
from ..collate.scan import (
    Frequencies,
    Profile,
    RecordMatches,
    ScanResult,
    ScanSettings,
    frequencies,
    partitions,
    profile,
    query,
    rank,
    scan_partition,
    total_frequencies,
)
from ..errors import Refused
from ..ingest import ACCEPTED_TYPES, IngestError, read_upload

#: Environment variable naming a ``dask.distributed`` scheduler to run scans on.
SCHEDULER_ENV = "MEMCON_DASK_SCHEDULER"
#: Dask's local schedulers, by the names ``--scheduler`` accepts.
LOCAL_SCHEDULERS = ("processes", "threads", "sync")
#: The scheduler used when none is given (for folders of at least SMALL_FOLDER records).
DEFAULT_SCHEDULER = "processes"
#: Below this many records (or on one core) the default is ``sync``: starting a pool of
#: processes (each imports the engine: two to five seconds on the 2-core machine) and
#: moving partitions between them costs more than it saves (benchmarks/RESULTS.md).
SMALL_FOLDER = 1000
#: Segmenter for archive records: syntok is about six times faster than pysbd.
DEFAULT_SEGMENTER = "syntok"
#: Seconds to wait for a ``dask.distributed`` scheduler to answer.
CONNECT_TIMEOUT = 10


class ScanError(Refused):
    """A folder or scheduler problem, said in one line."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file of the folder that could not be read, and why."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class LoadedPartition:
    """The profiles of one partition's records, and the files it could not read."""

    profiles: tuple[Profile, ...]
    skipped: tuple[Skipped, ...]


@dataclass(frozen=True, slots=True)
class ArchiveScan:
    """The engine's ranking plus what the runner did: skipped files, partitions, where."""

    result: ScanResult
    skipped: tuple[Skipped, ...]
    partitions: int
    scheduler: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``memcon scan --format json`` (see the README)."""
        return {
            **self.result.to_dict(),
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
            "partitions": self.partitions,
            "scheduler": self.scheduler,
        }


def find_records(folder: str | Path) -> list[str]:
    """Paths (relative, POSIX, sorted) of the readable documents under ``folder``.

    Every accepted type counts (``.txt``, ``.md``, ``.pdf``, ``.docx``, TEI XML, ...);
    hidden files and folders (names starting with a dot) are left out.
    """
    root = Path(folder)
    if not root.exists():
        raise ScanError(f"{root}: no such folder")
    if not root.is_dir():
        raise ScanError(f"{root}: is not a folder")
    found: list[str] = []
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in files:
            if name.startswith(".") or Path(name).suffix.lower() not in ACCEPTED_TYPES:
                continue
            found.append((Path(directory) / name).relative_to(root).as_posix())
    if not found:
        accepted = ", ".join(ACCEPTED_TYPES)
        raise ScanError(f"{root}: no records in the folder (looked for {accepted})")
    return sorted(found)


def read_document(path: str | Path) -> str:
    """The text of one file of any accepted type, or :class:`IngestError`."""
    p = Path(path)
    if not p.exists():
        raise IngestError(f"{p}: no such file")
    if p.is_dir():
        raise IngestError(f"{p}: is a directory, not a document")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise IngestError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    return read_upload(str(p), data)


def load_partition(
    root: str, paths: Sequence[str], segmenter: str, settings: ScanSettings
) -> LoadedPartition:
    """Read, segment and profile the records of one partition (runs on a worker)."""
    normalizer = settings.normalizer()
    profiles: list[Profile] = []
    skipped: list[Skipped] = []
    for relative in paths:
        try:
            text = read_document(Path(root) / relative)
        except IngestError as exc:
            skipped.append(Skipped(relative, _reason(str(exc), relative)))
            continue
        document = Document.from_text(relative, text, segmenter=segmenter)
        profiles.append(profile(document, normalizer))
    return LoadedPartition(tuple(profiles), tuple(skipped))


def _reason(message: str, relative: str) -> str:
    """The reader's message without the file name it starts with."""
    head, sep, tail = message.partition(": ")
    return tail if sep and head.endswith(relative) else message


def partition_frequencies(part: LoadedPartition) -> Frequencies:
    """Sentence frequencies of one loaded partition."""
    return frequencies(part.profiles)


def scan_loaded(
    account: Any, part: LoadedPartition, table: Frequencies, settings: ScanSettings
) -> tuple[list[RecordMatches], tuple[Skipped, ...]]:
    """Match one loaded partition against the account's vectors."""
    return scan_partition(account, part.profiles, table, settings), part.skipped


def scan_folder(
    account: Document,
    folder: str | Path,
    *,
    settings: ScanSettings | None = None,
    segmenter: str = DEFAULT_SEGMENTER,
    n_partitions: int | None = None,
    scheduler: str | None = None,
    top: int | None = None,
    exclude: str | Path | None = None,
) -> ArchiveScan:
    """Rank the records of ``folder`` by how much of ``account`` they account for.

    ``scheduler``: ``processes``, ``threads`` or ``sync`` (Dask's local schedulers), or
    the address of a ``dask.distributed`` scheduler; by default ``MEMCON_DASK_SCHEDULER``
    if set, else ``processes`` (``sync`` for fewer than :data:`SMALL_FOLDER` records).
    ``n_partitions`` defaults to four per core (or worker thread); it never changes the
    result. ``exclude``: a file not to scan (the account's own file, if in the folder).
    """
    settings = settings or ScanSettings()
    if segmenter not in SEGMENTERS:
        raise ScanError(f"unknown segmenter {segmenter!r} (choose {', '.join(SEGMENTERS)})")
    if n_partitions is not None and n_partitions < 1:
        raise ScanError(f"the number of partitions must be at least 1 (got {n_partitions})")
    root = Path(folder).resolve() if Path(folder).exists() else Path(folder)
    paths = find_records(root)
    if exclude is not None and Path(exclude).exists():
        own = Path(exclude).resolve()
        paths = [p for p in paths if (root / p).resolve() != own]
        if not paths:
            raise ScanError(f"{root}: no records in the folder besides the account")
    account_profile = profile(account, settings.normalizer())
    if not len(account_profile):
        raise ScanError(f"{account.name}: no sentences found in the account")
    small = len(paths) < SMALL_FOLDER or (os.cpu_count() or 1) < 2
    where = scheduler or os.environ.get(SCHEDULER_ENV) or ("sync" if small else DEFAULT_SCHEDULER)

    def graph(workers: int) -> list[Any]:
        from dask.delayed import delayed

        count = n_partitions or 4 * max(1, workers)
        loads = [
            delayed(load_partition)(str(root), part, segmenter, settings)
            for part in partitions(paths, count)
        ]
        table = delayed(total_frequencies)(
            [frequencies([account_profile]), *[delayed(partition_frequencies)(x) for x in loads]]
        )
        vectors = delayed(query)(account_profile, table)
        return [delayed(scan_loaded)(vectors, x, table, settings) for x in loads]

    outputs = _compute(graph, where)
    result = rank(account_profile, [matches for matches, _ in outputs], settings, top=top)
    skipped = tuple(s for _, part in outputs for s in part)
    if result.records_scanned == 0:
        raise ScanError(f"{root}: none of its {len(paths)} files could be read as a record")
    return ArchiveScan(result, skipped, len(outputs), where)


def _compute(graph: Callable[[int], list[Any]], where: str) -> list[Any]:
    """Build the graph for the number of workers there are, and compute it."""
    from dask.base import compute

    if where in LOCAL_SCHEDULERS:
        tasks = graph(os.cpu_count() or 1)
        scheduler = "synchronous" if where == "sync" else where
        # One partition per message: the tasks are coarse, and dask's default for
        # processes (batches of 6) would leave cores idle.
        options = {"chunksize": 1} if where == "processes" else {}
        return list(compute(*tasks, scheduler=scheduler, **options))  # type: ignore[no-untyped-call]
    try:
        from distributed import Client
    except ImportError:
        raise ScanError(
            f"scheduler {where!r} needs dask.distributed: pip install 'memcon[scale]'"
        ) from None
    try:
        client = Client(where, set_as_default=False, timeout=CONNECT_TIMEOUT)  # type: ignore[no-untyped-call]
    except (OSError, ValueError, TypeError) as exc:
        local = ", ".join(LOCAL_SCHEDULERS)
        raise ScanError(
            f"cannot reach the Dask scheduler at {where!r} ({exc}); give tcp://host:port "
            f"or a local scheduler ({local})"
        ) from None
    with client:
        threads = sum(client.nthreads().values())  # type: ignore[no-untyped-call]
        return list(compute(*graph(threads), scheduler=client))  # type: ignore[no-untyped-call]


class ProfileCache:
    """Profiles of stored texts kept between scans, least recently used dropped first.

    Keys say what a profile depends on (a document's id and version, a file's path,
    size and modification time, the segmenter and the spelling table).
    """

    def __init__(self, capacity: int = 5000) -> None:
        self.capacity = capacity
        self._items: OrderedDict[Hashable, Profile] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Profile]) -> Profile:
        """The cached profile for ``key``, made (outside the lock) when missing."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        made = make()
        with self._lock:
            self._items[key] = made
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)
        return made


#: Passages shown per record in the text report.
REPORT_PASSAGES = 3


def scan_report(found: ArchiveScan) -> str:
    """The text report of ``memcon scan``: records ranked, each with its best passages.

    Sentences are numbered from 1: ``A3 <- R27`` says account sentence 3 draws on
    sentence 27 of the record.
    """
    result = found.result
    lines = [
        f"Account: {result.account} ({result.account_sentences} sentences)",
        f"Records scanned: {result.records_scanned} in {found.partitions} partition"
        f"{'' if found.partitions == 1 else 's'} ({found.scheduler})",
    ]
    if found.skipped:
        lines.append(f"Skipped ({len(found.skipped)}):")
        lines.extend(f"  {s.path}: {s.reason}" for s in found.skipped)
    lines.append("")
    if not result.records:
        minimum = result.settings.get("min_score", "")
        lines.append(f"No record matches any account sentence (similarity {minimum} or more).")
    for rank_, hit in enumerate(result.records, 1):
        lines.append(
            f"{rank_}. {hit.name}  score {hit.score:.3f}  "
            f"{hit.matched_account_sentences} of {result.account_sentences} account sentences "
            f"({100 * hit.coverage:.0f}%)"
        )
        for passage in hit.strongest(REPORT_PASSAGES):
            lines.append(
                f"   A{passage.account_index + 1} <- R{passage.record_index + 1}  "
                f"{passage.similarity:.2f}"
            )
            lines.append(f"     account: {passage.account_text}")
            lines.append(f"     record:  {passage.record_text}")
        more = len(hit.passages) - REPORT_PASSAGES
        if more > 0:
            lines.append(f"   ... and {more} more")
    return "\n".join(lines) + "\n"
