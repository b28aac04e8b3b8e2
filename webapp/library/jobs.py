"""Comparisons of large dossiers computed in the background by ``memcon worker``.

A request never computes the comparison of a dossier that would take more than about a
second: one estimated to take longer than ``MEMCON_BACKGROUND_SECONDS`` (1 s;
:func:`~.job_cost.estimate_seconds`, from the texts' sentences, length, repeated material,
longest sentence and lone quotation marks, read without segmenting them), and whatever the
estimate one whose documents hold more than ``MEMCON_BACKGROUND_CHARS`` characters or more
than ``MEMCON_BACKGROUND_SENTENCES`` sentence-equivalents (:func:`estimate_cost`: ends of
sentences, a long stretch without one counting as many). It finds or creates a :class:`Job`
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
import os
import re
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update

from ..store import ComparisonCache, Database, Job, User
from ..store import Dossier as StoredDossier
from .job_cost import (
    DEFAULT_BACKGROUND_CHARS,
    DEFAULT_BACKGROUND_SECONDS,
    DEFAULT_BACKGROUND_SENTENCES,
    SENTENCE_EQUIVALENT_CHARS,
    estimate_cost,
    estimate_sentences,
    estimate_text_seconds,
    too_long_for_a_request,
)
from .job_info import ACTIVE, STAGES, Cancelled, Compute, JobInfo, Lost, Pending
from .worker import HEARTBEAT_SECONDS, REPORT_SECONDS, STALE_SECONDS, JobWorker, worker_name
from .worker import count_rows as _count

if TYPE_CHECKING:
    from huey import Huey

    from .infos import DossierInfo

__all__ = [
    "ACTIVE",
    "DEFAULT_BACKGROUND_CHARS",
    "DEFAULT_BACKGROUND_SECONDS",
    "DEFAULT_BACKGROUND_SENTENCES",
    "DEFAULT_JOB_KEEP_DAYS",
    "HEARTBEAT_SECONDS",
    "REPORT_SECONDS",
    "SENTENCE_EQUIVALENT_CHARS",
    "STAGES",
    "STALE_SECONDS",
    "Cancelled",
    "Compute",
    "JobInfo",
    "Jobs",
    "Lost",
    "Pending",
    "estimate_cost",
    "estimate_sentences",
    "estimate_text_seconds",
    "make_queue",
    "worker_name",
]

log = logging.getLogger(__name__)

#: Days a finished job's row is kept before the minutely sweep deletes it.
DEFAULT_JOB_KEEP_DAYS = 30.0


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


class Jobs(JobWorker):
    """The background comparisons of one app: queue them, follow, cancel and run them."""

    def __init__(
        self,
        database: Database,
        compute: Compute,
        *,
        queue_url: str | None,
        folder: str | Path,
        threshold: int = DEFAULT_BACKGROUND_SENTENCES,
        chars: int = DEFAULT_BACKGROUND_CHARS,
        seconds: float = DEFAULT_BACKGROUND_SECONDS,
        pause: float = 0.0,
        keep_days: float = DEFAULT_JOB_KEEP_DAYS,
    ) -> None:
        self.database = database
        #: Computes and stores one comparison (``comparisons.compute`` bound to the database).
        self.compute = compute
        self.queue_url = queue_url
        self.folder = Path(folder)
        self.threshold = threshold
        self.chars = chars
        #: Comparisons estimated to take longer than this in a request go to a job.
        self.seconds = seconds
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
        estimated longer than :attr:`seconds`, or too many characters or sentence-equivalents
        (:func:`estimate_cost`) whatever the estimate."""
        return too_long_for_a_request(list(texts), self.seconds, self.threshold, self.chars)

    def defer(self, dossier: DossierInfo, key: str, user: User | None) -> None:
        """Queue this comparison (or follow the job already queued) and raise
        :class:`Pending`; return if the job is done already (huey's immediate mode)."""
        job = self.request(dossier, key, user)
        if job.status != "done":
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
            if latest is not None and _stored(session, dossier.db_id, key):
                # Done between the caller's look at the cache and this one (a worker stores
                # the comparison, then marks its job done): the result is there, no new job.
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


def _stored(session: Any, dossier_id: int, key: str) -> bool:
    """Whether the comparison of this dossier and key is in the result cache."""
    return (
        session.scalar(
            select(ComparisonCache.id)
            .where(ComparisonCache.dossier_id == dossier_id, ComparisonCache.key == key)
            .limit(1)
        )
        is not None
    )
