"""Background comparisons: a real ``memcon worker`` on a SQLite queue, progress, cancel, restarts.

The main tests run the worker (and, for the restart of the web app, ``memcon serve``) as
real subprocesses on a SQLite database file and a SQLite queue file in ``tmp_path``; the web
app in the test process shares both. The first two also run on the two brokers a larger
site uses, a real Redis server and a real PostgreSQL server (``scripts/redis.sh`` and
``scripts/postgres.sh``, which ``scripts/test.sh`` runs). The dossier is a synthetic one
(a record and two retellings from ``benchmarks/synthetic.py``); ``JOB_PAUSE`` (a documented
setting) makes every job take a few seconds, so that it can be watched, cancelled and
killed mid-way deterministically. Only the unit tests at the end use huey's immediate mode.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, func, select

from benchmarks.synthetic import make_pair
from webapp import create_app
from webapp.collate import Document, compare
from webapp.library import cache_key
from webapp.library.jobs import STAGES, Jobs, estimate_sentences, make_queue
from webapp.store import ComparisonCache, Job, User
from webapp.store.users import create_user, new_token

from .conftest import ROOT
from .dbtest import postgres_schema, postgres_url

SLUG = "big-talks"
COMPARE = f"/dossiers/{SLUG}/compare"
#: Seconds every job waits after each progress report (about 11 reports a job).
PAUSE = 0.25
#: The engine's stages, in the order a job goes through them.
ORDER = ["segmenting", "candidates", "scoring", "aligning", "analysing", "done"]


# --- Set-up: a dossier folder, the app, and the processes ---------------------------------


@dataclass
class Site:
    """Where everything lives: the instance folder (database, queue) and the dossiers."""

    instance: Path
    corpora: Path
    logs: Path
    processes: list[subprocess.Popen[bytes]]
    #: ``MEMCON_QUEUE_URL`` (None: the default SQLite queue in the instance folder).
    queue_url: str | None = None
    #: The web apps made in this process (their queue connections are closed at the end).
    apps: list[Flask] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        """The environment of ``memcon serve`` and ``memcon worker`` for this site."""
        return {
            **{k: v for k, v in os.environ.items() if not k.startswith("MEMCON_")},
            "MEMCON_INSTANCE_PATH": str(self.instance),
            "MEMCON_CORPORA_DIR": str(self.corpora),
            "MEMCON_SECRET_KEY": "test-secret-key-for-jobs",
            "MEMCON_BACKGROUND_SENTENCES": "0",
            "MEMCON_JOB_PAUSE": str(PAUSE),
            "PYTHONUNBUFFERED": "1",
            **({"MEMCON_QUEUE_URL": self.queue_url} if self.queue_url else {}),
        }

    def app(self, **extra: Any) -> Flask:
        """The web app in this process, on the same database and queue."""
        app = create_app(
            {
                "TESTING": True,
                "INSTANCE_PATH": str(self.instance),
                "CORPORA_DIR": str(self.corpora),
                "SECRET_KEY": "test-secret-key-for-jobs",
                "BACKGROUND_SENTENCES": 0,
                "JOB_PAUSE": PAUSE,
                "QUEUE_URL": self.queue_url,
                **extra,
            }
        )
        self.apps.append(app)
        return app

    def stop(self) -> None:
        """Kill the processes still running and close the apps' queue connections."""
        for process in self.processes:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)
        for app in self.apps:
            app.extensions["memcon.jobs"].close()

    def start(self, *args: str, pause: float = PAUSE) -> subprocess.Popen[bytes]:
        """Run ``memcon ARGS`` in the background (stopped at the end of the test); ``pause``:
        its ``JOB_PAUSE`` (0 for a worker whose jobs nobody watches mid-way)."""
        with (self.logs / f"{args[0]}-{len(self.processes)}.log").open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "webapp.cli", *args],
                cwd=ROOT,
                env={**self.env, "MEMCON_JOB_PAUSE": str(pause)},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.processes.append(process)
        return process

    def log(self, process: subprocess.Popen[bytes]) -> str:
        index = self.processes.index(process)
        name = process.args[3]  # type: ignore[index]
        return (self.logs / f"{name}-{index}.log").read_text(errors="replace")


def _write_dossier(folder: Path) -> None:
    """A public dossier of a 60-sentence record and two retellings of it."""
    pair = make_pair(60, seed=7)
    heavy = make_pair(60, seed=7, level="heavy")
    folder.mkdir(parents=True)
    (folder / "record.txt").write_text(pair.record_text + "\n", encoding="utf-8")
    (folder / "light.txt").write_text(pair.witness_text + "\n", encoding="utf-8")
    (folder / "heavy.txt").write_text(heavy.witness_text + "\n", encoding="utf-8")

    def meta(file: str, title: str, kind: str) -> dict[str, str]:
        return {"file": file, "title": title, "kind": kind, "provenance": "Synthetic."}

    (folder / "dossier.json").write_text(
        json.dumps(
            {
                "id": SLUG,
                "title": "Big talks (synthetic)",
                "record": "record.txt",
                "documents": [
                    meta("record.txt", "The record", "memcon"),
                    meta("light.txt", "A light retelling", "memoir"),
                    meta("heavy.txt", "A heavy retelling", "memoir"),
                ],
            }
        ),
        encoding="utf-8",
    )


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    _write_dossier(tmp_path / "corpora" / SLUG)
    (tmp_path / "logs").mkdir()
    found = Site(tmp_path / "instance", tmp_path / "corpora", tmp_path / "logs", [])
    yield found
    found.stop()


#: Environment variable with the URL of the Redis test server (``scripts/redis.sh``).
REDIS_URL_VARIABLE = "MEMCON_TEST_REDIS_URL"


@contextmanager
def queue_url(kind: str) -> Iterator[str | None]:
    """A fresh, empty queue of ``kind``: the default (None), Redis or PostgreSQL."""
    if kind == "sqlite":
        yield None
    elif kind == "redis":
        url = os.environ.get(REDIS_URL_VARIABLE, "").strip()
        if not url:
            pytest.fail(
                f"{REDIS_URL_VARIABLE} is not set: run scripts/redis.sh and export it, "
                "or use scripts/test.sh",
                pytrace=False,
            )
        import redis

        server = redis.Redis.from_url(url)
        server.flushdb()  # the test database of our own test server
        try:
            yield url
        finally:
            server.flushdb()
            server.close()
    else:
        with postgres_schema(postgres_url()) as url:
            yield url


@pytest.fixture(params=["sqlite", "redis", "postgresql"])
def queued_site(request: pytest.FixtureRequest, site: Site) -> Iterator[Site]:
    """The site with its queue on SQLite (the default), a Redis or a PostgreSQL server."""
    with queue_url(request.param) as url:
        site.queue_url = url
        yield site
        site.stop()  # workers and connections end before their queue goes away


#: How long a wait for another process may last before it fails. Generous on purpose: a
#: wait ends as soon as its condition holds, so only a lost process ever reaches it, and a
#: loaded machine (where a worker's job may take a minute) must not fail the test; under
#: pytest's own limit (``timeout`` in pyproject.toml), so a hang fails here, saying what.
WAIT_SECONDS = 240


def wait_for(check: Callable[[], Any], timeout: float = WAIT_SECONDS, what: str = "") -> Any:
    """Ask ``check`` every 50 ms until it answers something true; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = check()
        if answer:
            return answer
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what or check}")


def job_of(page: str) -> str:
    match = re.search(r'data-poll="/api/jobs/([0-9a-f-]{36})', page)
    assert match, page[:2000]
    return match.group(1)


def csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match
    return match.group(1)


def log_in(app: Flask, name: str, role: str) -> FlaskClient:
    """A browser session of a new user ``name``."""
    with app.extensions["memcon.db"].session() as session:
        user = create_user(session, name, "a long enough password", role)
        session.flush()
        user_id = user.id
    client = app.test_client()
    with client.session_transaction() as browser:
        browser["user_id"] = user_id
    return client


def stored(app: Flask) -> int:
    """How many comparisons are stored."""
    with app.extensions["memcon.db"].session() as session:
        return session.scalar(select(func.count(ComparisonCache.id))) or 0


def job_row(app: Flask, job_id: str) -> dict[str, Any]:
    with app.extensions["memcon.db"].session() as session:
        row = session.get(Job, job_id)
        assert row is not None
        return {
            "status": row.status,
            "stage": row.stage,
            "progress": row.progress,
            "worker": row.worker,
        }


# --- Through a real worker -----------------------------------------------------------------


def test_progress_moves_through_the_stages_then_the_page_shows_the_comparison(
    queued_site: Site,
) -> None:
    site = queued_site
    app = site.app()
    client = app.test_client()
    page = client.get(COMPARE)
    assert page.status_code == 202
    html = page.get_data(as_text=True)
    assert "<progress" in html and "Comparing in the background" in html
    assert "/static/job.js" in html and "<script>" not in html  # no inline script (CSP)
    job_id = job_of(html)

    api = client.get(f"/api/dossiers/{SLUG}/comparison")
    assert api.status_code == 202
    assert api.json == {"job": job_id, "status": "queued", "stage": "queued", "progress": 0.0}
    assert api.headers["Location"].endswith(f"/api/jobs/{job_id}")
    assert client.get(f"/dossiers/{SLUG}").status_code == 200  # another page: the same job
    assert job_of(client.get(f"/dossiers/{SLUG}").get_data(as_text=True)) == job_id
    with app.extensions["memcon.db"].session() as session:
        assert session.scalar(select(func.count(Job.id))) == 1

    time.sleep(0.5)  # nothing computes it without a worker
    assert client.get(f"/api/jobs/{job_id}").json["status"] == "queued"
    worker = site.start("worker")

    seen: list[tuple[str, float]] = []
    halfway = ""

    def finished() -> bool:
        nonlocal halfway
        job = client.get(f"/api/jobs/{job_id}").json
        if not seen or seen[-1] != (job["stage"], job["progress"]):
            seen.append((job["stage"], job["progress"]))
        if job["stage"] == "aligning" and not halfway:
            halfway = client.get(f"/dossiers/{SLUG}").get_data(as_text=True)
        return bool(job["status"] == "done")

    wait_for(finished, what="the job to finish")
    stages = [stage for stage, _ in seen]
    firsts = [s for i, s in enumerate(stages) if s not in stages[:i] and s != "queued"]
    assert firsts == ORDER, seen
    progress = [p for _, p in seen]
    assert progress == sorted(progress) and progress[-1] == 1.0, seen
    assert len(set(progress)) >= 6, seen  # it moves, not just 0 then 1
    # The dossier page mid-way: a progress bar at the stage reached, percent, a stage list.
    assert '<progress class="job-bar" max="100" value="' in halfway
    assert 'data-stage="scoring" class="done"' in halfway
    assert 'data-stage="aligning" class="current"' in halfway
    assert STAGES["aligning"] in halfway

    page = client.get(COMPARE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "A light retelling" in html and "A heavy retelling" in html and "data-poll" not in html
    comparison = client.get(f"/api/dossiers/{SLUG}/comparison")
    assert comparison.status_code == 200
    assert [w["id"] for w in comparison.json["witnesses"]] == ["light", "heavy"]
    assert stored(app) == 1
    job = client.get(f"/api/jobs/{job_id}").json
    assert job["status"] == "done" and job["percent"] == 100 and job["finished_at"]
    where = site.queue_url.split("://")[0] if site.queue_url else "SQLite"
    assert f"memcon: worker on {where}" in site.log(worker)


def test_cancel_stops_a_running_job_and_compute_again_restarts_it(site: Site) -> None:
    app = site.app()
    site.start("worker")
    anonymous = app.test_client()
    job_id = job_of(anonymous.get(COMPARE).get_data(as_text=True))
    wait_for(
        lambda: anonymous.get(f"/api/jobs/{job_id}").json["stage"] in ("scoring", "aligning"),
        what="the job to be running",
    )

    # A reader who did not start it sees no Cancel button and may not cancel.
    page = anonymous.get(COMPARE).get_data(as_text=True)
    assert ">Cancel</button>" not in page
    token = csrf(anonymous.get("/login").get_data(as_text=True))
    refused = anonymous.post(f"/jobs/{job_id}/cancel", data={"csrf_token": token})
    assert refused.status_code == 403
    assert anonymous.post(f"/api/jobs/{job_id}/cancel").status_code == 401
    # An admin (who may edit every dossier) may.
    admin = log_in(app, "ada", "admin")
    page = admin.get(COMPARE).get_data(as_text=True)
    assert ">Cancel</button>" in page
    assert admin.post(f"/jobs/{job_id}/cancel", data={"next": COMPARE}).status_code == 400  # CSRF
    answer = admin.post(f"/jobs/{job_id}/cancel", data={"csrf_token": csrf(page), "next": COMPARE})
    assert answer.status_code == 303 and answer.headers["Location"].endswith(COMPARE)

    job = wait_for(
        lambda: (j := anonymous.get(f"/api/jobs/{job_id}").json)["status"] == "cancelled" and j,
        what="the worker to stop the job",
    )
    assert job["message"] == "Cancelled by ada." and job["stage"] != "done"
    time.sleep(1.5)  # the worker does no more work on it
    assert anonymous.get(f"/api/jobs/{job_id}").json == job
    assert stored(app) == 0

    # The page says so; the admin may compute it again, the reader may not.
    page = admin.get(COMPARE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Comparison cancelled" in html and ">Compute again</button>" in html
    assert 'class="stopped"' in html and "job.js" not in html
    reader_page = anonymous.get(COMPARE).get_data(as_text=True)
    assert "Comparison cancelled" in reader_page and ">Compute again</button>" not in reader_page
    api = anonymous.get(f"/api/dossiers/{SLUG}/comparison")
    assert api.status_code == 409 and api.json["job_status"] == "cancelled"
    assert anonymous.post(f"/jobs/{job_id}/retry", data={"csrf_token": token}).status_code == 403

    again = admin.post(f"/jobs/{job_id}/retry", data={"csrf_token": csrf(html), "next": COMPARE})
    assert again.status_code == 303
    page = admin.get(COMPARE)
    assert page.status_code == 202
    new_id = job_of(page.get_data(as_text=True))
    assert new_id != job_id
    assert anonymous.get(f"/api/jobs/{new_id}").json["created_by"] == "ada"
    wait_for(lambda: admin.get(COMPARE).status_code == 200, what="the new job to finish")
    assert stored(app) == 1


def test_a_killed_worker_s_job_is_finished_by_the_next_worker(queued_site: Site) -> None:
    site = queued_site
    app = site.app()
    client = app.test_client()
    job_id = job_of(client.get(COMPARE).get_data(as_text=True))
    first = site.start("worker")
    wait_for(
        lambda: client.get(f"/api/jobs/{job_id}").json["stage"] in ("scoring", "aligning"),
        what="the job to be running",
    )
    first.send_signal(signal.SIGKILL)  # no clean-up at all: as if the machine died
    first.wait(timeout=10)
    before = job_row(app, job_id)
    assert before["status"] == "running" and before["worker"].endswith(f":{first.pid}")
    time.sleep(1)
    assert job_row(app, job_id)["progress"] == before["progress"]  # nobody works on it
    assert client.get(COMPARE).status_code == 202  # still shown as in progress

    second = site.start("worker", pause=0)  # only its end is checked: no 11 pauses
    wait_for(lambda: job_row(app, job_id)["status"] == "done", what="the next worker")
    assert job_row(app, job_id)["worker"].endswith(f":{second.pid}")
    assert "queued again" in site.log(second)
    assert client.get(COMPARE).status_code == 200
    assert stored(app) == 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _serve(site: Site) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    server = site.start("serve", "--port", str(port))
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return _get(f"{base}/api/dossiers")[0] == 200
        except OSError:
            return False

    wait_for(up, what="memcon serve to answer")
    return server, base


def test_the_web_server_restarted_mid_job_still_shows_its_progress(site: Site) -> None:
    server, base = _serve(site)
    status, page = _get(base + COMPARE)
    assert status == 202
    job_id = job_of(page)
    worker = site.start("worker")
    wait_for(
        lambda: json.loads(_get(f"{base}/api/jobs/{job_id}")[1])["stage"] in ORDER[1:4],
        what="the job to be running",
    )
    worker.send_signal(signal.SIGSTOP)  # holds the job mid-way, however long the restart
    server.send_signal(signal.SIGKILL)
    server.wait(timeout=10)

    server, base = _serve(site)  # a new server process (on another port)
    status, page = _get(base + COMPARE)
    assert status == 202 and job_of(page) == job_id  # the same job, not a new one
    assert "<progress" in page
    job = json.loads(_get(f"{base}/api/jobs/{job_id}")[1])
    assert job["status"] == "running" and 0 < job["percent"] < 100
    worker.send_signal(signal.SIGCONT)
    wait_for(lambda: _get(base + COMPARE)[0] == 200, what="the job to finish")
    assert "A heavy retelling" in _get(base + COMPARE)[1]
    with site.app().extensions["memcon.db"].session() as session:
        assert session.scalar(select(func.count(Job.id))) == 1


# --- Unit tests (no worker process) -------------------------------------------------------


def test_compare_reports_its_stages_per_witness() -> None:
    pair = make_pair(20, seed=3)
    record = Document.from_text("record", pair.record_text)
    witness = Document.from_text("witness", pair.witness_text)
    calls: list[tuple[str, float]] = []
    result = compare(record, [witness, witness], progress=lambda s, f: calls.append((s, f)))
    assert [s for s, _ in calls] == ["candidates", "scoring", "aligning", "analysing"] * 2 + [
        "analysing"
    ]
    fractions = [f for _, f in calls]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert result == compare(record, [witness, witness])  # reporting changes nothing

    def stop(stage: str, fraction: float) -> None:
        if stage == "aligning":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):  # a callback may stop the comparison
        compare(record, [witness], progress=stop)


def test_segmenting_reports_after_each_text_so_a_cancel_stops_between_texts(
    site: Site, segmented: list[str]
) -> None:
    app = site.app()
    library = app.extensions["memcon.library"]
    dossier = library.dossier(SLUG, None)
    calls: list[tuple[str, float]] = []
    library.compute(dossier, cache_key(dossier), lambda s, f: calls.append((s, f)))
    segmenting = [f for s, f in calls if s == "segmenting"]
    assert segmenting == [0.0, 1 / 3, 2 / 3] and len(segmented) == 3

    def cancel_after_the_record(stage: str, fraction: float) -> None:
        if stage == "segmenting" and fraction > 0:
            raise KeyboardInterrupt  # as a job's reporter raises on a cancel

    segmented.clear()
    with app.extensions["memcon.db"].session() as session:
        session.execute(delete(ComparisonCache))
    with pytest.raises(KeyboardInterrupt):
        library.compute(dossier, cache_key(dossier), cancel_after_the_record)
    assert len(segmented) == 1 and stored(app) == 0  # the accounts were never segmented


def test_below_the_threshold_pages_compare_in_the_request(site: Site) -> None:
    app = site.app(BACKGROUND_SENTENCES=3000)
    assert app.test_client().get(COMPARE).status_code == 200
    with app.extensions["memcon.db"].session() as session:
        assert session.scalar(select(func.count(Job.id))) == 0
    assert not (site.instance / "queue.db").exists()  # the queue is never opened
    jobs: Jobs = app.extensions["memcon.jobs"]
    # Over 3,000 sentences is a job whatever the estimate; fewer are decided by the estimate
    # (one text: nothing to compare; tests/test_jobs_cost.py tests the estimate).
    assert jobs.wants_background(["One. Two. " * 1501]) and not jobs.wants_background(
        ["x. " * 3000]
    )
    assert estimate_sentences('He said: "No." Then he left! Why?') == 3
    assert estimate_sentences("no full stop") == 1 and estimate_sentences("  ") == 0


def test_immediate_mode_runs_the_job_inside_the_request(site: Site) -> None:
    app = site.app(JOB_PAUSE=0)  # nobody watches this job: no 3 s of pauses in the request
    app.extensions["memcon.jobs"].huey.immediate = True
    client = app.test_client()
    assert client.get(COMPARE).status_code == 200
    with app.extensions["memcon.db"].session() as session:
        job = session.scalars(select(Job)).one()
        assert (job.status, job.stage, job.progress, job.created_by) == ("done", "done", 1.0, "")
    assert stored(app) == 1


def test_a_job_done_between_the_cache_miss_and_the_job_lookup_makes_no_new_job(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A worker stores the comparison, then marks its job done: a page that read the cache
    # just before the one and looks for the job just after the other must follow the done
    # job to the stored result, not queue the comparison again.
    from webapp.library import comparisons

    app = site.app(JOB_PAUSE=0)
    app.extensions["memcon.jobs"].huey.immediate = True
    client = app.test_client()
    assert client.get(COMPARE).status_code == 200  # one done job, its comparison stored
    real, missed = comparisons.read_cached, []

    def too_early(*args: Any, **kwargs: Any) -> Any:
        loaded = real(*args, **kwargs)
        if loaded is None or missed:
            return loaded
        missed.append(True)
        return loaded[0], None  # the texts, but not yet the result

    monkeypatch.setattr(comparisons, "read_cached", too_early)
    again = site.app(JOB_PAUSE=0)  # another web process: nothing held in memory
    again.extensions["memcon.jobs"].huey.immediate = True
    page = again.test_client().get(COMPARE)
    assert missed and page.status_code == 200
    with app.extensions["memcon.db"].session() as session:
        assert session.scalar(select(func.count(Job.id))) == 1


def test_the_sweep_deletes_only_job_rows_finished_long_enough_ago(site: Site) -> None:
    app = site.app(JOB_KEEP_DAYS=30, JOB_PAUSE=0)
    app.extensions["memcon.jobs"].huey.immediate = True
    client = app.test_client()
    assert client.get(COMPARE).status_code == 200  # a done job, its comparison stored
    now = datetime.now(UTC)
    with app.extensions["memcon.db"].session() as session:
        (done,) = session.scalars(select(Job)).all()
        done.finished_at = now - timedelta(days=31)
        dossier_id, key = done.dossier_id, done.key
        for name, status, finished in (
            ("recent", "cancelled", now - timedelta(days=29)),
            ("failed-long-ago", "failed", now - timedelta(days=90)),
            ("queued-long-ago", "queued", None),
            ("running-long-ago", "running", None),
        ):
            session.add(
                Job(
                    id=name,
                    dossier_id=dossier_id,
                    key=key,
                    status=status,
                    created_at=now - timedelta(days=100),
                    finished_at=finished,
                )
            )
        done_id = done.id
    jobs: Jobs = app.extensions["memcon.jobs"]
    assert jobs.purge(now=now) == 2
    with app.extensions["memcon.db"].session() as session:
        left = set(session.scalars(select(Job.id)).all())
    assert left == {"recent", "queued-long-ago", "running-long-ago"} and done_id not in left
    assert stored(app) == 1  # what the job computed stays
    assert client.get(f"/api/jobs/{done_id}").status_code == 404
    assert client.get(COMPARE).status_code == 200  # served from the stored comparison
    assert jobs.purge(now=now) == 0


def test_a_queued_job_is_cancelled_at_once_and_its_task_revoked(site: Site) -> None:
    app = site.app()
    client = app.test_client()
    job_id = job_of(client.get(COMPARE).get_data(as_text=True))
    with app.extensions["memcon.db"].session() as session:
        token = new_token(session, create_user(session, "olga", "a long enough password", "admin"))
        reader = new_token(
            session, create_user(session, "rita", "a long enough password", "reader")
        )
    refused = client.post(
        f"/api/jobs/{job_id}/cancel", headers={"Authorization": f"Bearer {reader}"}
    )
    assert refused.status_code == 403
    answer = client.post(f"/api/jobs/{job_id}/cancel", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and answer.json["status"] == "cancelled"
    jobs: Jobs = app.extensions["memcon.jobs"]
    assert jobs.huey.is_revoked(job_id)
    again = client.post(f"/api/jobs/{job_id}/cancel", headers={"Authorization": f"Bearer {token}"})
    assert again.status_code == 409
    retried = client.post(f"/api/jobs/{job_id}/retry", headers={"Authorization": f"Bearer {token}"})
    assert retried.status_code == 202 and retried.json["status"] == "queued"
    assert retried.headers["Location"].endswith(f"/api/jobs/{retried.json['id']}")
    assert client.get("/api/jobs/not-a-job").status_code == 404
    with app.extensions["memcon.db"].session() as session:
        assert session.scalar(select(func.count(User.id))) == 2


def test_the_queue_is_sqlite_by_default_redis_or_postgresql_by_url(tmp_path: Path) -> None:
    from huey import PostgresHuey, RedisHuey, SqliteHuey

    default = make_queue(None, tmp_path)
    assert isinstance(default, SqliteHuey) and (tmp_path / "queue.db").exists()
    assert isinstance(make_queue(f"sqlite:///{tmp_path / 'q.db'}", tmp_path), SqliteHuey)
    assert isinstance(make_queue("redis://127.0.0.1:6399/0", tmp_path), RedisHuey)  # lazy
    with pytest.raises(ValueError, match="MEMCON_QUEUE_URL"):
        make_queue("amqp://broker", tmp_path)
    # PostgreSQL: a task goes through the real server's queue tables.
    with postgres_schema(postgres_url()) as url:
        queue = make_queue(url, tmp_path)
        assert isinstance(queue, PostgresHuey)
        ran: list[str] = []
        task = queue.task(name="probe")(ran.append)
        task("hello")
        message = queue.dequeue()
        assert message is not None
        queue.execute(message)
        assert ran == ["hello"]
        queue.storage.close()
