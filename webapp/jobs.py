"""Comparisons of large dossiers computed in the background by ``memcon worker``.

A request never computes the comparison of a dossier that would take more than about a
second: one whose documents hold more than ``MEMCON_BACKGROUND_CHARS`` characters, or
more than ``MEMCON_BACKGROUND_SENTENCES`` sentence-equivalents (:func:`estimate_cost`:
ends of sentences, a long stretch without one counting as many). It finds or creates a :class:`Job`
row for the comparison's cache key, puts a task on the queue and raises :class:`Pending`,
which the pages show as a progress page and the API as ``202 Accepted``.

The queue is huey's: by default ``SqliteHuey`` on ``queue.db`` in the instance folder (no
server); ``MEMCON_QUEUE_URL=redis://...`` uses Redis and ``postgresql://...`` PostgreSQL,
so that workers on several machines share it. The ``jobs`` table is the truth about a
job; the queue only carries its id. So a restart of the web server loses nothing, a task
delivered twice runs once (a worker *claims* a queued job in one conditional UPDATE), and a
job whose worker died is queued again: when a worker starts, every minute on a running
worker (a heartbeat older than :data:`STALE_SECONDS`), and at once when the worker is
interrupted (SIGTERM). Cancelling a queued job cancels it at once (and revokes its task);
a running job stops at its next progress report.
"""

from __future__ import annotations

import logging
import math
import os
import re
import socket
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import CursorResult

from .store import ComparisonCache, Database, Job, User
from .store import Document as StoredDocument
from .store import Dossier as StoredDossier

if TYPE_CHECKING:
    from huey import Huey
    from huey.consumer import Consumer

    from .library import DossierInfo, Library

log = logging.getLogger(__name__)

#: The stages of a job in order, with the words the pages use for them.
STAGES: dict[str, str] = {
    "queued": "waiting for a worker",
    "segmenting": "splitting the texts into sentences",
    "candidates": "finding candidate pairs",
    "scoring": "scoring the pairs",
    "aligning": "choosing the links",
    "analysing": "analysing moves, omissions and quotations",
    "done": "done",
}
ACTIVE = ("queued", "running")
#: A running job whose heartbeat is older than this is taken to have lost its worker.
STALE_SECONDS = 60
#: How often a running job's heartbeat is written (besides its progress reports).
HEARTBEAT_SECONDS = 10
#: Progress is written at most this often (the first report of each stage always).
REPORT_SECONDS = 0.5
#: The default threshold: more sentences than this in a dossier go to the background.
DEFAULT_BACKGROUND_SENTENCES = 3000
#: ... and so do more characters than this (about a second of segmenting and comparing).
DEFAULT_BACKGROUND_CHARS = 100_000
#: A stretch of text without an end of sentence costs one sentence up to this length, and
#: the square of its length in such units beyond: segmenting a long stretch and diffing
#: long sentences take time that grows faster than their length (80,000 characters with
#: no full stop take some 20 s to segment, 8,000 characters a second).
SENTENCE_EQUIVALENT_CHARS = 300
#: Days a finished job's row is kept before the minutely sweep deletes it.
DEFAULT_JOB_KEEP_DAYS = 30.0

_SENTENCE_END = re.compile(r"[.!?…]+[\"'»”’)\]]*(?=\s|$)")
#: Where a stretch of text ends for the segmenter: an end of sentence or a blank line.
_STRETCH_END = re.compile(_SENTENCE_END.pattern + r"|\n[ \t]*\n")


class Cancelled(Exception):
    """Raised inside a running job when someone asked to cancel it."""


class Lost(Exception):
    """Raised inside a running job that another worker has taken over (or that is gone)."""


@dataclass(frozen=True, slots=True)
class JobInfo:
    """What the pages and the API show of one job."""

    id: str
    dossier: str
    dossier_id: int
    key: str
    reference: str | None
    status: str
    stage: str
    progress: float
    message: str
    cancel_requested: bool
    created_by: str
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None

    @property
    def active(self) -> bool:
        """Queued or running."""
        return self.status in ACTIVE

    @property
    def percent(self) -> int:
        """Progress as a whole percentage (100 only when done)."""
        if self.status == "done":
            return 100
        return min(99, int(self.progress * 100))

    @property
    def stage_label(self) -> str:
        """The stage in words."""
        return STAGES.get(self.stage, self.stage.replace("_", " "))

    @property
    def status_label(self) -> str:
        """The status in words (with a cancel that is on its way)."""
        if self.status == "running" and self.cancel_requested:
            return "cancelling"
        return self.status

    def to_dict(self) -> dict[str, Any]:
        """The job as JSON data."""
        return {
            "id": self.id,
            "dossier": self.dossier,
            "reference": self.reference,
            "status": self.status,
            "stage": self.stage,
            "stage_label": self.stage_label,
            "progress": round(self.progress, 4),
            "percent": self.percent,
            "message": self.message,
            "cancel_requested": self.cancel_requested,
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }


class Pending(Exception):  # noqa: N818 - a signal, not an error
    """The comparison is being computed in the background (or its job was stopped)."""

    def __init__(self, job: JobInfo, dossier: DossierInfo) -> None:
        super().__init__(f"the comparison of {dossier.id!r} is {job.status} (job {job.id})")
        self.job = job
        self.dossier = dossier


def estimate_cost(text: str) -> int:
    """The work a text gives the engine, in sentences of ordinary length: each stretch
    between ends of sentences (or paragraphs) counts one, a stretch longer than
    :data:`SENTENCE_EQUIVALENT_CHARS` the square of its length in such units.

    Linear in the text (one regular expression), so it is cheap where segmenting is not.
    """
    cost, start = 0, 0
    for match in _STRETCH_END.finditer(text):
        cost += _stretch_cost(text, start, match.end())
        start = match.end()
    return cost + _stretch_cost(text, start, len(text))


def _stretch_cost(text: str, start: int, end: int) -> int:
    length = end - start
    if length <= SENTENCE_EQUIVALENT_CHARS:
        return 1 if text[start:end].strip() else 0
    return math.ceil((length / SENTENCE_EQUIVALENT_CHARS) ** 2)


def estimate_sentences(text: str) -> int:
    """A quick count of a text's sentences (ends of sentences), without segmenting it."""
    found = len(_SENTENCE_END.findall(text))
    return found if found or not text.strip() else 1


def worker_name() -> str:
    """Who runs a job: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def make_queue(url: str | None, folder: str | Path) -> Huey:
    """The huey queue for a ``MEMCON_QUEUE_URL`` (default: SQLite in ``folder``)."""
    from huey import PostgresHuey, RedisHuey, SqliteHuey

    options: dict[str, Any] = {"results": False}
    if not url or url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///") :]) if url else Path(folder) / "queue.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey("memcon", filename=str(path), **options)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("memcon", url=url, **options)
    if url.startswith(("postgresql:", "postgresql+", "postgres:")):
        dsn = re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql://", url)
        return PostgresHuey("memcon", dsn=dsn, **options)
    raise ValueError(
        f"MEMCON_QUEUE_URL {url!r}: give redis://..., postgresql://... or sqlite:///FILE"
    )


class Jobs:
    """The background comparisons of one app: queue them, follow, cancel and run them."""

    def __init__(
        self,
        database: Database,
        library: Library,
        *,
        queue_url: str | None,
        folder: str | Path,
        threshold: int = DEFAULT_BACKGROUND_SENTENCES,
        chars: int = DEFAULT_BACKGROUND_CHARS,
        pause: float = 0.0,
        keep_days: float = DEFAULT_JOB_KEEP_DAYS,
    ) -> None:
        self.database = database
        self.library = library
        self.queue_url = queue_url
        self.folder = Path(folder)
        self.threshold = threshold
        self.chars = chars
        self.pause = pause
        self.keep_days = keep_days
        self._pid = os.getpid()

    # --- The queue ---------------------------------------------------------------------

    @cached_property
    def huey(self) -> Huey:
        """The queue, made on first use (a web app that never needs it opens nothing)."""
        from huey import crontab, signals

        queue = make_queue(self.queue_url, self.folder)
        self._task: Any = queue.task(name="compare")(self.run)
        queue.periodic_task(crontab(), name="recover")(self._sweep)
        queue.on_startup(name="memcon-database")(self._after_fork)
        queue.signal(signals.SIGNAL_INTERRUPTED)(self._interrupted)
        return queue

    def close(self) -> None:
        """Close the queue's connection, if one was opened (a PostgreSQL queue holds one)."""
        queue = self.__dict__.pop("huey", None)
        if queue is not None:
            queue.storage.close()

    def describe(self) -> str:
        """Where the queue is, for people (no password)."""
        if not self.queue_url:
            return f"SQLite {self.folder / 'queue.db'}"
        return re.sub(r"//[^@/]*@", "//***@", self.queue_url)

    def _enqueue(self, job_id: str) -> None:
        """Put a job's task on the queue; a queue that is down leaves the job queued (in the
        database), for a worker to queue again when it starts or on its minutely sweep."""
        queue = self.huey  # also registers the task
        try:
            queue.enqueue(self._task.s(job_id, id=job_id))
        except Exception:
            log.exception("could not queue job %s (it stays queued in the database)", job_id)

    # --- Asked by the web app ----------------------------------------------------------

    def wants_background(self, texts: Iterable[str]) -> bool:
        """Whether a dossier of these texts would take more than about a second to compare:
        too many characters, or too many sentence-equivalents (:func:`estimate_cost`)."""
        texts = list(texts)
        if sum(len(t) for t in texts) > self.chars:
            return True
        return sum(estimate_cost(t) for t in texts) > self.threshold

    def check(self, dossier: DossierInfo, key: str, user: User | None) -> None:
        """Raise :class:`Pending` if this comparison is not stored and must be queued."""
        with self.database.session() as session:
            stored = session.scalar(
                select(ComparisonCache.id).where(
                    ComparisonCache.dossier_id == dossier.db_id, ComparisonCache.key == key
                )
            )
            if stored is not None:
                return
            of_dossier = StoredDocument.dossier_id == dossier.db_id
            chars = session.scalar(
                select(func.sum(func.length(StoredDocument.text))).where(of_dossier)
            )
            # Too long to compare here: decided by the database, without reading the texts.
            if (chars or 0) <= self.chars:
                texts = session.scalars(select(StoredDocument.text).where(of_dossier)).all()
                if not self.wants_background(texts):
                    return
        job = self.request(dossier, key, user)
        if job.status != "done":  # done already: huey's immediate mode
            raise Pending(job, dossier)

    def request(self, dossier: DossierInfo, key: str, user: User | None) -> JobInfo:
        """The latest job for this comparison, or a new one on the queue."""
        with self.database.session() as session:
            latest = session.scalars(
                select(Job)
                .where(Job.dossier_id == dossier.db_id, Job.key == key)
                .order_by(Job.created_at.desc())
                .limit(1)
            ).first()
            if latest is not None and latest.status != "done":
                return self._info(session, latest)
        return self._new(dossier.db_id, key, dossier.record, user)

    def _new(self, dossier_id: int, key: str, reference: str | None, user: User | None) -> JobInfo:
        job_id = str(uuid.uuid4())
        with self.database.session() as session:
            session.add(
                Job(
                    id=job_id,
                    dossier_id=dossier_id,
                    key=key,
                    reference=reference,
                    status="queued",
                    stage="queued",
                    progress=0.0,
                    message="",
                    cancel_requested=False,
                    created_by=user.name if user is not None else "",
                )
            )
        self._enqueue(job_id)
        found = self.get(job_id)
        assert found is not None
        return found

    def get(self, job_id: str) -> JobInfo | None:
        """The job with this id, or None."""
        with self.database.session() as session:
            row = session.get(Job, job_id)
            return self._info(session, row) if row is not None else None

    def cancel(self, job_id: str, who: str) -> JobInfo | None:
        """Cancel a job: a queued one at once, a running one at its next progress report."""
        now = datetime.now(UTC)
        message = f"Cancelled by {who}." if who else "Cancelled."
        with self.database.session() as session:
            queued = _count(
                session.execute(
                    update(Job)
                    .where(Job.id == job_id, Job.status == "queued")
                    .values(
                        status="cancelled",
                        cancel_requested=True,
                        message=message,
                        finished_at=now,
                        updated_at=now,
                    )
                )
            )
            if not queued:
                session.execute(
                    update(Job)
                    .where(Job.id == job_id, Job.status == "running")
                    .values(cancel_requested=True, message=message)
                )
        if queued:
            try:  # the task need not run at all (the claim would refuse it anyway)
                self.huey.revoke_by_id(job_id, revoke_once=True)
            except Exception:  # a queue that is down must not stop a cancel
                log.exception("could not revoke task %s", job_id)
        return self.get(job_id)

    def retry(self, job_id: str, user: User | None) -> JobInfo | None:
        """A new job for the comparison of a cancelled or failed one (or the active one)."""
        job = self.get(job_id)
        if job is None or job.active:
            return job
        return self._new(job.dossier_id, job.key, job.reference, user)

    def _info(self, session: Any, row: Job) -> JobInfo:
        slug = session.scalar(select(StoredDossier.slug).where(StoredDossier.id == row.dossier_id))
        return JobInfo(
            id=row.id,
            dossier=slug or "",
            dossier_id=row.dossier_id,
            key=row.key,
            reference=row.reference,
            status=row.status,
            stage=row.stage,
            progress=row.progress,
            message=row.message,
            cancel_requested=row.cancel_requested,
            created_by=row.created_by,
            created_at=row.created_at,
            updated_at=row.updated_at,
            finished_at=row.finished_at,
        )

    # --- Run by the worker -------------------------------------------------------------

    def run(self, job_id: str) -> None:
        """The task: compute and store one job's comparison, reporting progress."""
        me = worker_name()
        job = self._claim(job_id, me)
        if job is None:
            return  # done, cancelled, or claimed by another worker meanwhile
        try:
            dossier = self._dossier(job)
            if dossier is None:
                self._finish(job_id, me, "cancelled", "The dossier changed; open its page again.")
                return
            with self._heartbeat(job_id, me):
                self.library.compute(dossier, job.key, _Reporter(self, job_id, me))
        except Cancelled:
            self._finish(job_id, me, "cancelled", None)
        except Lost:
            log.info("job %s was taken over by another worker", job_id)
        except Exception as exc:
            log.exception("job %s failed", job_id)
            self._finish(job_id, me, "failed", f"The comparison failed: {exc}")
        else:
            self._finish(job_id, me, "done", "")

    def _claim(self, job_id: str, me: str) -> JobInfo | None:
        now = datetime.now(UTC)
        with self.database.session() as session:
            claimed = _count(
                session.execute(
                    update(Job)
                    .where(
                        Job.id == job_id, Job.status == "queued", Job.cancel_requested.is_(False)
                    )
                    .values(status="running", worker=me, stage="segmenting", updated_at=now)
                )
            )
        return self.get(job_id) if claimed else None

    def _dossier(self, job: JobInfo) -> DossierInfo | None:
        """The dossier as stored now, if its comparison still has the job's key."""
        from .library import cache_key, info

        with self.database.session() as session:
            row = session.get(StoredDossier, job.dossier_id)
            dossier = info(row) if row is not None else None
        if dossier is None:
            return None
        if job.reference and any(d.slug == job.reference for d in dossier.documents):
            dossier = replace(dossier, record=job.reference)
        return dossier if cache_key(dossier) == job.key else None

    def report(self, job_id: str, me: str, stage: str, progress: float) -> None:
        """Write a running job's stage and progress; raise if it was cancelled or taken."""
        now = datetime.now(UTC)
        with self.database.session() as session:
            written = _count(
                session.execute(
                    update(Job)
                    .where(
                        Job.id == job_id,
                        Job.status == "running",
                        Job.worker == me,
                        Job.cancel_requested.is_(False),
                    )
                    .values(stage=stage, progress=progress, updated_at=now)
                )
            )
            if not written:
                row = session.get(Job, job_id)
                if row is not None and row.worker == me and row.cancel_requested:
                    raise Cancelled(job_id)
                raise Lost(job_id)

    def _finish(self, job_id: str, me: str, status: str, message: str | None) -> None:
        now = datetime.now(UTC)
        values: dict[str, Any] = {"status": status, "finished_at": now, "updated_at": now}
        if status == "done":
            values.update(stage="done", progress=1.0)
        if message is not None:
            values["message"] = message
        with self.database.session() as session:
            session.execute(
                update(Job)
                .where(Job.id == job_id, Job.status == "running", Job.worker == me)
                .values(**values)
            )

    @contextmanager
    def _heartbeat(self, job_id: str, me: str) -> Iterator[None]:
        """Touch the job every few seconds while it runs, so that no one takes it over."""
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(HEARTBEAT_SECONDS):
                with self.database.session() as session:
                    session.execute(
                        update(Job)
                        .where(Job.id == job_id, Job.status == "running", Job.worker == me)
                        .values(updated_at=datetime.now(UTC))
                    )

        thread = threading.Thread(target=beat, name=f"heartbeat-{job_id[:8]}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()

    def recover(self, *, starting: bool = False) -> int:
        """Queue again the jobs whose worker died; return how many were queued.

        A running job is orphaned when its heartbeat is older than :data:`STALE_SECONDS`,
        or when its worker was a process of this machine that is gone. ``starting``
        (a worker starting) also queues every queued job again, in case the queue lost it
        (a Redis without persistence); a task delivered twice runs once.
        """
        host = socket.gethostname()
        now = datetime.now(UTC)
        stale = now - timedelta(seconds=STALE_SECONDS)
        again: list[str] = []
        with self.database.session() as session:
            rows = session.execute(
                select(Job.id, Job.status, Job.worker, Job.updated_at < stale).where(
                    Job.status.in_(ACTIVE)
                )
            ).all()
            for job_id, status, worker, old in rows:
                if status == "queued":
                    if starting or old:
                        again.append(job_id)
                        session.execute(update(Job).where(Job.id == job_id).values(updated_at=now))
                    continue
                if not (old or _dead(worker, host, starting)):
                    continue
                taken = _count(
                    session.execute(
                        update(Job)
                        .where(Job.id == job_id, Job.status == "running", Job.worker == worker)
                        .values(
                            status="queued",
                            stage="queued",
                            worker="",
                            updated_at=now,
                            message="Its worker stopped; queued again.",
                        )
                    )
                )
                if taken:
                    again.append(job_id)
        for job_id in again:
            self._enqueue(job_id)
        if again:
            log.info("queued again: %s", ", ".join(again))
        return len(again)

    def purge(self, now: datetime | None = None) -> int:
        """Delete the rows of jobs finished more than ``keep_days`` ago; return how many.

        Only the job's record goes (its page then shows the stored comparison, or computes
        it anew); nothing a job computed is deleted.
        """
        cutoff = (now or datetime.now(UTC)) - timedelta(days=self.keep_days)
        with self.database.session() as session:
            gone = _count(
                session.execute(
                    delete(Job).where(
                        Job.status.not_in(ACTIVE),
                        Job.finished_at.is_not(None),
                        Job.finished_at < cutoff,
                    )
                )
            )
        if gone:
            log.info("deleted %d job rows finished before %s", gone, cutoff.isoformat())
        return gone

    def _sweep(self) -> None:
        """Every minute on a worker: queue orphaned jobs again, drop old job rows."""
        self.recover()
        self.purge()

    def _after_fork(self) -> None:
        """A forked worker process opens its own database connections."""
        if os.getpid() != self._pid:
            self.database.engine.dispose(close=False)

    def _interrupted(self, _signal: str, task: Any) -> None:
        """A worker stopped (SIGTERM) during a job: give the job back to the queue."""
        if not task.args:
            return
        job_id = task.args[0]
        with self.database.session() as session:
            taken = _count(
                session.execute(
                    update(Job)
                    .where(Job.id == job_id, Job.status == "running", Job.worker == worker_name())
                    .values(status="queued", stage="queued", worker="", progress=0.0)
                )
            )
        if taken:
            self._enqueue(job_id)

    def consumer(self, workers: int = 1, worker_type: str = "thread") -> Consumer:
        """huey's consumer for this queue, after queueing again what a dead worker left."""
        self.recover(starting=True)
        self.database.engine.dispose()  # forked workers must not share connections
        return self.huey.create_consumer(
            workers=workers, worker_type=worker_type, max_delay=1.0, periodic=True
        )


class _Reporter:
    """The progress callback of one running job: writes, throttled, and checks cancel."""

    def __init__(self, jobs: Jobs, job_id: str, me: str) -> None:
        self.jobs = jobs
        self.job_id = job_id
        self.me = me
        self.seen: set[str] = set()
        self.last = 0.0
        self.progress = 0.0

    def __call__(self, stage: str, fraction: float) -> None:
        # Segmenting is the first 5%, the engine's stages the next 94%.
        overall = 0.05 * fraction if stage == "segmenting" else 0.05 + 0.94 * fraction
        self.progress = max(self.progress, min(overall, 0.99))
        now = time.monotonic()
        if stage not in self.seen or now - self.last >= REPORT_SECONDS:
            self.seen.add(stage)
            self.last = now
            self.jobs.report(self.job_id, self.me, stage, self.progress)
        if self.jobs.pause:
            time.sleep(self.jobs.pause)


def _count(result: Any) -> int:
    """Rows an UPDATE changed."""
    return result.rowcount if isinstance(result, CursorResult) else 0


def _dead(worker: str, host: str, starting: bool) -> bool:
    """Whether a worker ``host:pid`` of this machine is gone (never says so for others)."""
    name, _, pid = worker.rpartition(":")
    if name != host or not pid.isdigit():
        return False
    if starting and int(pid) == os.getpid():
        return True  # a pid reused by this very worker (a restarted container)
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
