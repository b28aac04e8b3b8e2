"""Exercise routes leave no client address in the request log (issue 14, minimal data):
a real werkzeug server's access lines, gunicorn's access-log filter, and the stored rows."""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from webapp.store.exercise_models import Submission
from webapp.views.exercise_log import AccessFilter, forget_client, is_exercise_path

from .test_exercises_pages import ORDER, _create
from .test_exercises_pages import build_site as build_site
from .test_manage import ManagedSite

__all__ = ["build_site"]

FORWARDED = "203.0.113.77"  # TEST-NET-3: an address no real client has
AGENT = "TestBrowser/9.9 (a very particular user agent)"


@pytest.fixture
def served(site: ManagedSite) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, site.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


def _get(url: str, data: bytes | None = None, json: bool = False) -> int:
    headers = {"X-Forwarded-For": FORWARDED, "User-Agent": AGENT}
    if json:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()  # the whole answer, so the server closes the file it sends
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_the_servers_access_lines_of_exercise_routes_carry_no_address(
    site: ManagedSite, served: str, caplog: pytest.LogCaptureFixture
) -> None:
    _, code = _create(site, **ORDER)
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        assert _get(f"{served}/x") == 200
        assert _get(f"{served}/x/{code}") == 200
        body = b"pseudonym=Ann&acc1-rank-7=1&acc1-rank-14=2"
        for _ in range(30):
            assert _get(f"{served}/x/{code}", body) == 200  # 303 to the answer's page
        assert _get(f"{served}/api/dossiers") == 200  # not an exercise route
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    exercise = [line for line in lines if re.search(r"(GET|POST) /x", line)]
    other = [line for line in lines if "/api/dossiers" in line]
    assert len(exercise) >= 5 and other  # and the redirects after each POST
    assert all("127.0.0.1" in line for line in other)  # the check can fail: addresses show
    for line in exercise:
        assert "127.0.0.1" not in line and FORWARDED not in line and AGENT not in line
        assert line.startswith("- - - [")
    with site.app.extensions["memcon.db"].session() as session:
        assert len(session.scalars(select(Submission)).all()) == 30
    path = site.app.config["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:  # every row of every table
        dump = "\n".join(connection.iterdump())
    assert "Ann" in dump  # the dump holds the submissions
    for trace in ("127.0.0.1", FORWARDED, AGENT):
        assert trace not in dump


def test_the_students_json_is_logged_without_the_address_too(
    site: ManagedSite, served: str, caplog: pytest.LogCaptureFixture
) -> None:
    _, code = _create(site, **ORDER)
    body = b'{"pseudonym": "Jo", "answers": {"accounts": {"temptation-luke": {"order": [14, 7]}}}}'
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        assert _get(f"{served}/api/x/{code}") == 200
        for _ in range(30):
            assert _get(f"{served}/api/x/{code}", body, json=True) == 201
        assert _get(f"{served}/api/x/{code}/receipt", b'{"receipt": "AAAA"}', json=True) == 404
        assert _get(f"{served}/api/dossiers") == 200  # not an exercise route
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    exercise = [line for line in lines if "/api/x/" in line]
    other = [line for line in lines if "/api/dossiers" in line]
    assert len(exercise) == 32 and other and "127.0.0.1" in other[0]
    for line in exercise:
        assert "127.0.0.1" not in line and FORWARDED not in line and AGENT not in line
    with site.app.extensions["memcon.db"].session() as session:
        assert len(session.scalars(select(Submission)).all()) == 30


def test_gunicorn_access_lines_of_exercise_routes_are_blanked() -> None:
    atoms = {"h": "198.51.100.4", "U": "/x/ABCDEF", "{x-forwarded-for}i": FORWARDED, "s": "200"}
    record = logging.LogRecord(
        "gunicorn.access", logging.INFO, "", 0, "%(h)s %(U)s %(s)s", (), None
    )
    record.args = atoms
    AccessFilter().filter(record)
    assert record.getMessage() == "- /x/ABCDEF 200"
    assert record.args["{x-forwarded-for}i"] == "-"  # type: ignore[index,call-overload]
    other = logging.LogRecord("gunicorn.access", logging.INFO, "", 0, "%(h)s", (), None)
    other.args = {**atoms, "U": "/dossiers"}
    AccessFilter().filter(other)
    assert other.getMessage() == "198.51.100.4"


def test_what_an_exercise_page_loads_is_logged_without_the_address_too(
    site: ManagedSite, served: str, caplog: pytest.LogCaptureFixture
) -> None:
    _, code = _create(site, **ORDER)
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        request = urllib.request.Request(
            f"{served}/static/exercise.css", headers={"Referer": f"{served}/x/{code}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
            response.read()
        assert _get(f"{served}/static/memcon.css") == 200  # no Referer: not an exercise's
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    sheet = [line for line in lines if "exercise.css" in line]
    other = [line for line in lines if "memcon.css" in line]
    assert sheet and other and "127.0.0.1" not in sheet[0] and "127.0.0.1" in other[0]


def test_only_the_students_routes_forget_the_client() -> None:
    assert is_exercise_path("/x") and is_exercise_path("/x/ABC/receipt")
    assert is_exercise_path("/api/x/ABC") and is_exercise_path("/api/x/ABC/receipt")
    assert not is_exercise_path("/api/xylophone")
    assert not is_exercise_path("/xylophone") and not is_exercise_path("/exercises/1")
    environ = {"REMOTE_ADDR": "10.0.0.1", "HTTP_USER_AGENT": AGENT, "HTTP_X_REAL_IP": "10.0.0.2"}
    forget_client(environ)
    assert environ == {"REMOTE_ADDR": "-", "REMOTE_PORT": "-"}


def test_a_real_gunicorn_access_log_has_no_address_for_exercise_routes(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from .browser_support import ROOT, _free_port, wait_until_serving

    log = tmp_path / "access.log"
    port = _free_port()
    env = {
        **os.environ,
        "MEMCON_DATABASE_URL": f"sqlite:///{tmp_path / 'memcon.db'}",
        "MEMCON_INSTANCE_PATH": str(tmp_path),
    }
    process = subprocess.Popen(
        [
            os.path.join(os.path.dirname(sys.executable), "gunicorn"),
            "--workers=1",
            f"--bind=127.0.0.1:{port}",
            f"--access-logfile={log}",
            '--access-logformat=%(h)s %({x-forwarded-for}i)s "%(r)s" %(s)s "%(a)s"',
            "webapp:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(process, base, "gunicorn")
        assert _get(f"{base}/x") == 200
        assert _get(f"{base}/x/ZZZZZZ") == 404
        assert _get(f"{base}/api/dossiers?after") == 200
    finally:
        process.terminate()
        process.communicate(timeout=30)
    lines = log.read_text().splitlines()
    exercise = [line for line in lines if '"GET /x' in line]
    other = [line for line in lines if "?after" in line]
    assert len(exercise) == 2 and len(other) == 1
    assert "127.0.0.1" in other[0] and FORWARDED in other[0] and AGENT in other[0]
    for line in exercise:
        assert "127.0.0.1" not in line and FORWARDED not in line and AGENT not in line
