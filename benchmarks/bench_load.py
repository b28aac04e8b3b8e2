"""A short, bounded load run: readers on the Zavidovo compare page, annotators writing.

Run: ``python -m benchmarks.bench_load`` (``--postgres URL`` adds gunicorn on PostgreSQL;
``MEMCON_TEST_POSTGRES_URL`` is used when set). For each server it starts itself on
127.0.0.1 (a free port, never another address): ``memcon serve`` (waitress) and gunicorn
with 2 workers, on a fresh SQLite file (and on a fresh PostgreSQL database). Then, at
once, 50 readers each load the compare page of the Zavidovo dossier 4 times, pausing
1 to 3 s between pages as a reader does (``--think 0``: no pause, the server saturated),
and 20 annotators (members of the dossier, each with an API token) each write 4 marks
with notes through the API, on a sentence of their own, with the same pauses. It prints,
per server, the requests, the throughput, p50 / p95 / max and the errors (any 5xx, any
failed connection, any refused write other than an expected 409). Everything is bounded:
request counts, not a duration, and a timeout on each request.

Target (issue 11): 0 errors, and p95 under 1 s for the 50 readers on gunicorn with 2
workers. The compare page costs some 20-25 ms of CPU on a calm machine (two thirds of it
the template), so two workers on two cores serve about 80 pages a second; on a busy
machine the workers' queue, not the app, makes the latency. ``BENCH_GUNICORN_EXTRA``
adds options to gunicorn's command line (``--threads 4``, ``--access-logfile -``), and
``BENCH_KEEP_LOG=FILE`` keeps the last server's output.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from socket import socket
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOSSIER = "zavidovo-1993"
PAGE = f"/dossiers/{DOSSIER}/compare"
READERS, READS = 50, 4
WRITERS, WRITES = 20, 4
TIMEOUT = 30.0
#: Seconds a reader pauses between pages (0.5 to 1.5 times this); 0: as fast as served.
THINK = 2.0


@dataclass
class Tally:
    """Latencies and errors of one kind of request."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    conflicts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, error: str = "", conflict: bool = False) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)
            self.conflicts += conflict

    def line(self, name: str, wall: float) -> str:
        values = sorted(self.latencies)
        if not values:
            return f"{name:<8} no requests"
        p50 = statistics.median(values)
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        return (
            f"{name:<8} {len(values):>5} req {len(values) / wall:>7.1f} req/s "
            f"p50 {p50 * 1000:>6.0f} ms  p95 {p95 * 1000:>6.0f} ms  "
            f"max {values[-1] * 1000:>6.0f} ms  errors {len(self.errors)}  409s {self.conflicts}"
        )


def free_port() -> int:
    with socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(env: dict[str, str]) -> dict[str, str]:
    """Migrate, load the bundled dossiers, add 20 annotators as members; their tokens."""
    script = f"""
import json, os
from webapp import create_app
from webapp.library import stored_dossier
from webapp.store.dossiers import add_member
from webapp.store import User
from webapp.store.users import create_user, new_token
app = create_app()
tokens = {{}}
with app.extensions["memcon.db"].session() as session:
    dossier = stored_dossier(session, {DOSSIER!r})
    first = create_user(session, "annotator0", "correct horse battery", "annotator")
    for number in range({WRITERS}):
        name = f"annotator{{number}}"
        # One password hash for all (hashing is slow on purpose; nobody logs in here).
        user = first if number == 0 else User(
            name=name, password_hash=first.password_hash, role="annotator"
        )
        session.add(user)
        session.flush()
        add_member(session, dossier, name)
        tokens[name] = new_token(session, user)
print(json.dumps(tokens))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"preparing the database failed:\n{result.stderr}")
    tokens: dict[str, str] = json.loads(result.stdout.strip().splitlines()[-1])
    return tokens


@contextmanager
def server(kind: str, env: dict[str, str]) -> Iterator[str]:
    """Start ``memcon serve`` or gunicorn (2 workers) on 127.0.0.1; yield its base URL."""
    port = free_port()
    bin_dir = os.path.dirname(sys.executable)
    if kind == "waitress":
        command = [os.path.join(bin_dir, "memcon"), "serve", "--host", "127.0.0.1"]
        command += ["--port", str(port)]
    else:
        command = [os.path.join(bin_dir, "gunicorn"), "--workers", "2"]
        command += os.environ.get("BENCH_GUNICORN_EXTRA", "").split()
        command += ["--bind", f"127.0.0.1:{port}", "webapp:create_app()"]
    log = open(Path(env["MEMCON_INSTANCE_PATH"]) / f"{kind}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/dossiers", timeout=5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"{kind} did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        if os.environ.get("BENCH_KEEP_LOG"):
            Path(os.environ["BENCH_KEEP_LOG"]).write_text(Path(log.name).read_text())


def request(port: int, method: str, path: str, **kwargs: Any) -> tuple[int, bytes]:
    """One request on a new connection (as after a pause a browser may well open one; a
    kept-alive connection the server has closed meanwhile would count as an error)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request(method, path, **kwargs)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def reader(port: int, tally: Tally, start: threading.Event) -> None:
    start.wait()
    for _ in range(READS):
        pause()
        began = time.perf_counter()
        try:
            status, _ = request(port, "GET", PAGE)
            error = "" if status == 200 else f"GET {status}"
        except (OSError, http.client.HTTPException) as exc:
            error = f"GET {type(exc).__name__}"
        tally.add(time.perf_counter() - began, error)


def writer(
    port: int,
    token: str,
    slot: tuple[str, str, int],
    tally: Tally,
    start: threading.Event,
) -> None:
    """Mark one sentence of one's own, then change the mark's note, with its version."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    account, side, index = slot
    version = None
    start.wait()
    for write in range(WRITES):
        pause()
        body: dict[str, Any] = {
            "account": account,
            "side": side,
            "index": index,
            "significant": "yes" if write % 2 else "no",
            "note": f"Load note {write}.",
        }
        if version is not None:
            body["version"] = version
        began = time.perf_counter()
        status = 0
        try:
            status, data = request(
                port,
                "POST",
                f"/api/dossiers/{DOSSIER}/marks",
                body=json.dumps(body),
                headers=headers,
            )
            error = "" if status in (200, 201) else f"POST {status} {data[:120]!r}"
            if not error:
                version = json.loads(data)["version"]
        except (OSError, http.client.HTTPException) as exc:
            error = f"POST {type(exc).__name__}"
        tally.add(time.perf_counter() - began, error, status == 409)


def slots_of(base: str) -> list[tuple[str, str, int]]:
    """Sentences to mark, one per annotator: each account's own, then the record's
    (a mark on the record is kept per account). Fetching the comparison warms the cache."""
    with urllib.request.urlopen(f"{base}/api/dossiers/{DOSSIER}/comparison", timeout=60) as r:
        data = json.load(r)
    record = len(data["source"]["sentences"])
    slots = [
        (w["id"], "account", i + 1) for w in data["witnesses"] for i in range(len(w["sentences"]))
    ]
    slots += [(w["id"], "record", i + 1) for w in data["witnesses"] for i in range(record)]
    if len(slots) < WRITERS:
        raise SystemExit(f"only {len(slots)} sentences to mark for {WRITERS} annotators")
    return slots


def pause() -> None:
    """A reader's (or annotator's) pause between requests, 0.5 to 1.5 times --think."""
    if THINK:
        time.sleep(THINK * random.uniform(0.5, 1.5))


def run(name: str, kind: str, env: dict[str, str], tokens: dict[str, str]) -> list[str]:
    with server(kind, env) as base:
        port = int(base.rsplit(":", 1)[1])
        slots = slots_of(base)
        urllib.request.urlopen(f"{base}{PAGE}", timeout=60).read()  # warm every path once
        reads, writes, start = Tally(), Tally(), threading.Event()
        threads = [
            threading.Thread(target=reader, args=(port, reads, start)) for _ in range(READERS)
        ] + [
            threading.Thread(target=writer, args=(port, token, slots[n], writes, start))
            for n, token in enumerate(tokens.values())
        ]
        for thread in threads:
            thread.start()
        began = time.perf_counter()
        start.set()
        for thread in threads:
            thread.join(timeout=TIMEOUT * (READS + WRITES))
        wall = time.perf_counter() - began
    lines = [
        f"{name}: {READERS} readers x {READS}, {WRITERS} annotators x {WRITES}, "
        f"think {THINK:g} s, {wall:.1f} s"
    ]
    lines += ["  " + reads.line("readers", wall), "  " + writes.line("writes", wall)]
    for error in sorted(set(reads.errors + writes.errors))[:5]:
        lines.append(f"  error: {error}")
    return lines


def postgres_database(base_url: str) -> tuple[str, str]:
    """Create an empty database beside the one in ``base_url``; its URL and name."""
    from sqlalchemy.engine import make_url

    name = f"memcon_load_{secrets.token_hex(4)}"
    admin(base_url, f"CREATE DATABASE {name}")
    return make_url(base_url).set(database=name).render_as_string(hide_password=False), name


def drop_database(base_url: str, name: str) -> None:
    admin(base_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def admin(url: str, statement: str) -> None:
    """Run one statement on the PostgreSQL server of ``url`` outside a transaction
    (CREATE and DROP DATABASE need that)."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    with psycopg.connect(
        host=parsed.host,
        port=parsed.port,
        user=parsed.username,
        password=parsed.password,
        dbname=parsed.database,
        autocommit=True,
    ) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


def main() -> None:
    global READS, THINK
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres",
        default=os.environ.get("MEMCON_TEST_POSTGRES_URL", ""),
        help="a PostgreSQL URL: also run gunicorn on a fresh database beside it",
    )
    parser.add_argument("--only", choices=("waitress", "gunicorn"), help="one server only")
    parser.add_argument("--reads", type=int, default=READS, help="pages each reader loads")
    parser.add_argument(
        "--think", type=float, default=THINK, help="seconds between a reader's pages (0: none)"
    )
    args = parser.parse_args()
    READS, THINK = args.reads, args.think
    with open("/proc/loadavg", encoding="ascii") as f:
        print(f"load average before: {f.read().split()[0]} ({os.cpu_count()} cores)")
    began = time.perf_counter()
    runs = [("waitress + SQLite", "waitress", ""), ("gunicorn -w 2 + SQLite", "gunicorn", "")]
    if args.postgres:
        runs.append(("gunicorn -w 2 + PostgreSQL", "gunicorn", args.postgres))
    with tempfile.TemporaryDirectory(prefix="memcon-load-") as template:
        # One SQLite database prepared, copied fresh for each SQLite run.
        prepared = Path(template) / "memcon.db"
        sqlite_env = {**os.environ, "MEMCON_INSTANCE_PATH": template}
        sqlite_env["MEMCON_DATABASE_URL"] = f"sqlite:///{prepared}"
        sqlite_tokens = prepare(sqlite_env)
        for name, kind, postgres in runs:
            if args.only and kind != args.only:
                continue
            with tempfile.TemporaryDirectory(prefix="memcon-load-") as folder:
                env = {**os.environ, "MEMCON_INSTANCE_PATH": folder}
                database = ""
                if postgres:
                    env["MEMCON_DATABASE_URL"], database = postgres_database(postgres)
                    tokens = prepare(env)
                else:
                    shutil.copy(prepared, Path(folder) / "memcon.db")
                    env["MEMCON_DATABASE_URL"] = f"sqlite:///{Path(folder) / 'memcon.db'}"
                    tokens = sqlite_tokens
                try:
                    print("\n".join(run(name, kind, env, tokens)), flush=True)
                finally:
                    if database:
                        drop_database(postgres, database)
    print(f"all runs with their set-up: {time.perf_counter() - began:.0f} s")
    with open("/proc/loadavg", encoding="ascii") as f:
        print(f"load average after: {f.read().split()[0]}")


if __name__ == "__main__":
    main()
