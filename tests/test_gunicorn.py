"""memcon on PostgreSQL behind gunicorn, as the README says to run it for a team.

Several gunicorn workers start together on an empty database (one migrates, the others
wait), then serve the bundled dossiers, accept a dossier and uploads through the API, and
agree with each other on what is stored.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from benchmarks.bench_load import admin
from webapp.ingest.corpus import bundled_dossiers

from .browser_support import ROOT, _free_port, wait_until_serving

WORKERS = 3


@dataclass(frozen=True)
class Served:
    """A running gunicorn and the environment that points memcon at its database."""

    base: str
    env: dict[str, str]


def _postgres_url() -> str:
    url = os.environ.get("MEMCON_TEST_POSTGRES_URL")
    if not url:
        pytest.fail(
            "MEMCON_TEST_POSTGRES_URL is not set: run scripts/postgres.sh and export "
            "MEMCON_TEST_POSTGRES_URL, or use scripts/test.sh"
        )
    return url


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    base_url = _postgres_url()
    name = f"memcon_gunicorn_{secrets.token_hex(4)}"
    admin(base_url, f"CREATE DATABASE {name}")
    url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
    env = {
        **os.environ,
        "MEMCON_DATABASE_URL": url,
        "MEMCON_INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
    }
    port = _free_port()
    process = subprocess.Popen(
        [
            os.path.join(os.path.dirname(sys.executable), "gunicorn"),
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
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
        yield Served(base, env)
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
        admin(base_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    # Every worker started (none died on a migration race) and none logged an error.
    assert output.count("Booting worker") == WORKERS, output
    assert "Traceback" not in output and "Worker failed to boot" not in output, output


def _cli(served: Served, *args: str, stdin: str = "") -> str:
    result = subprocess.run(
        [sys.executable, "-m", "webapp.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=served.env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _request(
    served: Served, method: str, path: str, token: str = "", **kwargs: Any
) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if "json" in kwargs:
        data = json.dumps(kwargs["json"]).encode()
        headers["Content-Type"] = "application/json"
    elif "form" in kwargs:
        boundary = secrets.token_hex(8)
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
            for key, value in kwargs["form"].items()
        ]
        data = ("".join(parts) + f"--{boundary}--\r\n").encode()
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    request = urllib.request.Request(served.base + path, data, headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            body = response.read()
            return response.status, json.loads(body) if body else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_gunicorn_workers_serve_the_bundled_dossiers_from_postgresql(served: Served) -> None:
    ids = set()
    for _ in range(WORKERS * 3):  # the requests are spread over the workers
        status, dossiers = _request(served, "GET", "/api/dossiers")
        assert status == 200
        ids.add(tuple(sorted(d["id"] for d in dossiers)))
    assert ids == {tuple(sorted(d.id for d in bundled_dossiers()))}
    assert {"lunch-1994", "whether-when-1994", "zavidovo-1993", "temptation"} <= set(*ids)
    status, comparison = _request(served, "GET", "/api/dossiers/zavidovo-1993/comparison")
    assert status == 200 and comparison["schema"] == 2


def test_a_team_works_on_postgresql_through_every_worker(served: Served) -> None:
    password = "olga-password\n"
    _cli(served, "create-user", "olga", "--role", "annotator", "--password-stdin", stdin=password)
    token = _cli(served, "token", "olga").strip()
    status, created = _request(served, "POST", "/api/dossiers", token, json={"title": "Malta"})
    assert status == 201 and created == {"id": "malta"}
    record = "The President opened the talks. He spoke of trade. The Chairman agreed."
    account = "The Chairman agreed at once. The President had spoken of trade."
    for title, kind, text in (("Memcon", "memcon", record), ("Memoir", "memoir", account)):
        status, added = _request(
            served,
            "POST",
            "/api/dossiers/malta/documents",
            token,
            form={"title": title, "kind": kind, "text": text},
        )
        assert status == 201, added
    answers = set()
    for _ in range(WORKERS * 3):
        status, dossier = _request(served, "GET", "/api/dossiers/malta", token)
        assert status == 200
        answers.add((dossier["record"], len(dossier["documents"])))
    assert answers == {("memcon", 2)}
    # Private: without the token it does not exist.
    assert _request(served, "GET", "/api/dossiers/malta")[0] == 404
    status, comparison = _request(served, "GET", "/api/dossiers/malta/comparison", token)
    assert status == 200 and comparison["witnesses"][0]["links"]
    # A stale edit is refused by whichever worker gets it.
    url = "/api/dossiers/malta/documents/memoir"
    assert _request(served, "PATCH", url, token, json={"version": 1, "date": "1995"})[0] == 200
    status, refused = _request(served, "PATCH", url, token, json={"version": 1, "date": "1996"})
    assert status == 409 and refused["current"]["date"] == "1995"


def test_curation_and_exports_work_on_postgresql(served: Served) -> None:
    password = "ada-password\n"
    _cli(served, "create-user", "ada", "--role", "admin", "--password-stdin", stdin=password)
    token = _cli(served, "token", "ada").strip()
    status, links = _request(served, "GET", "/api/dossiers/zavidovo-1993/links", token)
    talbott = next(a for a in links["accounts"] if a["id"] == "zavidovo-1993-talbott")
    body = {
        "account": talbott["id"],
        "source": [talbott["omitted"][0]],
        "witness": [talbott["added"][0]],
        "label": "embellishment",
        "note": "On PostgreSQL.",
    }
    status, created = _request(
        served, "POST", "/api/dossiers/zavidovo-1993/links", token, json=body
    )
    assert status == 201, created
    url = f"/api/dossiers/zavidovo-1993/links/{created['id']}"
    assert _request(served, "PATCH", url, token, json={"version": 1, "label": "other"})[0] == 200
    status, refused = _request(served, "PATCH", url, token, json={"version": 1, "label": "other"})
    assert status == 409 and refused["current"]["label"] == "other"
    for _ in range(WORKERS * 2):  # every worker sees the decision
        status, export = _request(served, "GET", "/api/dossiers/zavidovo-1993/export?format=json")
        assert status == 200
        added = [
            link
            for witness in export["witnesses"]
            for link in witness["links"]
            if link.get("status") == "added"
        ]
        assert [(link["label"], link["resp"]) for link in added] == [("other", "ada")]
    status, history = _request(served, "GET", "/api/dossiers/zavidovo-1993/history")
    assert status == 200 and [h["action"] for h in history] == ["update", "create"]
