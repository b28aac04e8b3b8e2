"""The worker's side of the background jobs (``memcon worker``): claim a job, compute it
with heartbeats and throttled progress reports, stop on cancel, and give back or queue again
the jobs of workers that died. :class:`JobWorker` is the half of :class:`~.jobs.Jobs` that
runs in the worker process."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select, update
from sqlalchemy.engine import CursorResult

from ..store import Database, Job
from ..store import Dossier as StoredDossier
from .job_info import ACTIVE, Cancelled, Compute, JobInfo, Lost

if TYPE_CHECKING:
    from huey import Huey
    from huey.consumer import Consumer

    from .infos import DossierInfo

log = logging.getLogger("webapp.library.jobs")

#: A running job whose heartbeat is older than this is taken to have lost its worker.
STALE_SECONDS = 60
#: How often a running job's heartbeat is written (besides its progress reports).
HEARTBEAT_SECONDS = 10
#: Progress is written at most this often (the first report of each stage always).
REPORT_SECONDS = 0.5


def worker_name() -> str:
    """Who runs a job: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


class JobWorker:
    """Run jobs in a worker: the methods of :class:`~.jobs.Jobs` that huey calls."""

    database: Database
    compute: Compute
    pause: float
    keep_days: float
    _pid: int

    if TYPE_CHECKING:

        @property
        def huey(self) -> Huey: ...

        def get(self, job_id: str) -> JobInfo | None: ...

        def _enqueue(self, job_id: str) -> None: ...

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
                self.compute(dossier, job.key, _Reporter(self, job_id, me))
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
            claimed = count_rows(
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
        from .comparisons import cache_key, info

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
            written = count_rows(
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
                taken = count_rows(
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
            gone = count_rows(
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
            taken = count_rows(
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

    def __init__(self, jobs: JobWorker, job_id: str, me: str) -> None:
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


def count_rows(result: Any) -> int:
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
