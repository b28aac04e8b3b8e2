"""Shared fixtures: the bundled dossiers, a runner for ``memcon``, and a web app with people."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.routing.rules import Rule

from webapp import app as webapp_app
from webapp import create_app
from webapp.cli import main
from webapp.collate import Comparison, Document, compare
from webapp.ingest.corpus import Dossier, find_dossier
from webapp.library import comparisons as library_comparisons
from webapp.store import User
from webapp.store.users import create_user, new_token

from . import quick_start

ROOT = Path(__file__).resolve().parent.parent

#: Configuration of every test app: in-memory database, a fixed secret key.
TEST_CONFIG = {"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "test-secret-key"}


@pytest.fixture(autouse=True, scope="session")
def _test_apps_start_quickly() -> Iterator[None]:
    """New SQLite databases of test apps are copies of a migrated one, URL rules reuse the
    builders compiled once, and templates are compiled once (see :mod:`tests.quick_start`;
    off: MEMCON_TEST_SLOW_START)."""
    if not quick_start.enabled():
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(webapp_app, "connect", quick_start.connect_seeded)
        patch.setattr(
            webapp_app, "_open_database", quick_start.open_seeded(webapp_app._open_database)
        )
        patch.setattr(Rule, "_compile_builder", quick_start.reuse_builders(Rule._compile_builder))
        patch.setattr(
            Flask,
            "create_jinja_environment",
            quick_start.share_templates(Flask.create_jinja_environment),
        )
        yield


@dataclass(frozen=True)
class CliResult:
    """What the command printed and returned."""

    code: int
    out: str
    err: str


@pytest.fixture
def memcon(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run ``memcon`` in-process with the given arguments."""

    def run(*args: str) -> CliResult:
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def run_console(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m webapp.cli`` in a subprocess (for exit codes and tracebacks)."""
    return subprocess.run(
        [sys.executable, "-m", "webapp.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


@dataclass(frozen=True)
class DossierRun:
    """A bundled dossier with its documents and comparison, computed once per session."""

    dossier: Dossier
    record: Document
    accounts: dict[str, Document]
    comparison: Comparison

    def witness(self, file_part: str):  # type: ignore[no-untyped-def]
        """The witness result whose document file name contains ``file_part``."""
        for meta, result in zip(self.dossier.accounts, self.comparison.witnesses, strict=True):
            if file_part in meta.file:
                return result
        raise KeyError(file_part)

    def account(self, file_part: str) -> Document:
        """The account document whose file name contains ``file_part``."""
        return next(doc for f, doc in self.accounts.items() if file_part in f)


def _run(dossier_id: str) -> DossierRun:
    dossier = find_dossier(dossier_id)
    record = dossier.document(dossier.record_meta)
    accounts = {meta.file: dossier.document(meta) for meta in dossier.accounts}
    comparison = compare(record, list(accounts.values()), dossier.settings())
    return DossierRun(dossier, record, accounts, comparison)


@pytest.fixture(scope="session")
def shared_chromium() -> Iterator[Any]:
    """One Chromium for every browser test module this worker runs: launching Playwright's
    driver and Chromium takes about 1 CPU s and 1.5 s each time (the modules' ``browser``
    fixture, in :mod:`tests.browser_support`, closes what a module leaves open)."""
    from .browser_support import launched_chromium  # only where a browser test runs

    with launched_chromium() as browser:
        yield browser


@pytest.fixture(scope="session")
def zavidovo() -> DossierRun:
    """The headline dossier: the Zavidovo memcon against the memoirs and the essay."""
    return _run("zavidovo-1993")


@pytest.fixture(scope="session")
def dossier_run() -> Callable[[str], DossierRun]:
    """Compare any bundled dossier by id."""
    return _run


# --- A web app with people: the one harness of the page and API tests --------------------


@dataclass
class Site:
    """A test app, its people's API tokens, and the share link of a dossier if one is shared.

    Test modules that need more (their dossier's rows, their account's links) subclass it.
    """

    app: Flask
    tokens: dict[str, str] = field(default_factory=dict)
    share: str = ""

    def client(self, who: str | None = None) -> FlaskClient:
        """A browser session of ``who``, logged in as the log-in form would leave it.

        ``None`` or ``"anonymous"``: nobody; ``"link"``: nobody, holding the share link.
        """
        client = self.app.test_client()
        if who == "link":
            assert client.get(f"/shared/{self.share}").status_code == 302
        elif who not in (None, "anonymous"):
            with self.app.extensions["memcon.db"].session() as session:
                user = session.scalar(select(User).where(User.name == who))
                assert user is not None, who
                user_id, version = user.id, user.session_version
            with client.session_transaction() as browser:
                browser["user_id"] = user_id
                browser["session_version"] = version
        return client

    def api(self, who: str) -> dict[str, str]:
        """The Authorization header of ``who``'s API token (none for anonymous)."""
        token = self.tokens.get(who)
        return {"Authorization": f"Bearer {token}"} if token else {}

    def count(self, model: Any) -> int:
        """How many rows of ``model`` are stored."""
        with self.app.extensions["memcon.db"].session() as session:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)


def site_app(url: str = "sqlite://", **config: Any) -> Flask:
    """A test app on the database ``url``, forms without CSRF tokens (tests turn them on)."""
    return create_app({**TEST_CONFIG, "WTF_CSRF_ENABLED": False, "DATABASE_URL": url, **config})


def add_people(app: Flask, roles: dict[str, str]) -> dict[str, str]:
    """Users with the password "correct horse" and these roles; their new API tokens."""
    with app.extensions["memcon.db"].session() as session:
        users = {
            name: create_user(session, name, "correct horse", role) for name, role in roles.items()
        }
        return {name: new_token(session, user) for name, user in users.items()}


@pytest.fixture(scope="module")
def site_template(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Site]:
    """The test module's site, made once by its ``build_site(url)`` into a database file
    (hashing passwords is slow on purpose); every test gets a copy (:func:`make_site`)."""
    build: Callable[[str], Site] = request.module.build_site
    path = tmp_path_factory.mktemp("site") / "memcon.db"
    built = build(f"sqlite:///{path}")
    built.app.extensions["memcon.db"].dispose()
    return path, built


@pytest.fixture
def make_site(site_template: tuple[Path, Site], tmp_path: Path) -> Iterator[Callable[..., Site]]:
    """Fresh copies of the template site for one test, with optional extra configuration."""
    path, built = site_template
    made: list[Site] = []

    def make(**config: Any) -> Site:
        copy = tmp_path / f"memcon-{len(made)}.db"
        with sqlite3.connect(path) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        site = type(built)(site_app(f"sqlite:///{copy}", **config), built.tokens, built.share)
        made.append(site)
        return site

    yield make
    for site in made:
        site.app.extensions["memcon.db"].dispose()


@pytest.fixture
def site(make_site: Callable[..., Site]) -> Site:
    """A copy of the test module's site (see :func:`site_template`)."""
    return make_site()


def count_sessions(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[Session]:
    """Every session the app's database opens from now on."""
    database = app.extensions["memcon.db"]
    opened: list[Session] = []
    real = database.sessions

    def counting() -> Session:
        session: Session = real()
        opened.append(session)
        return session

    monkeypatch.setattr(database, "sessions", counting)
    return opened


def write_record_and_memoir(corpora: Path, slug: str, record: str, memoir: str) -> None:
    """A bundled-dossier folder ``corpora/<slug>`` with two texts: a record and a memoir."""
    folder = corpora / slug
    folder.mkdir(parents=True)
    (folder / "record.txt").write_text(record, encoding="utf-8")
    (folder / "memoir.txt").write_text(memoir, encoding="utf-8")
    meta = {"author": "A", "date": "2000", "provenance": "Test.", "source": "test"}
    dossier = {
        "id": slug,
        "title": slug.title(),
        "date": "2000",
        "description": "Test.",
        "record": "record.txt",
        "documents": [
            {"file": "record.txt", "title": "Record", "kind": "memcon", **meta},
            {"file": "memoir.txt", "title": "Memoir", "kind": "memoir", **meta},
        ],
    }
    (folder / "dossier.json").write_text(json.dumps(dossier), encoding="utf-8")


@pytest.fixture
def segmented(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The documents the engine segments in this test (``document_of``, the first step of
    any comparison): a request that must leave the work to a background job segments none."""
    seen: list[str] = []
    real = library_comparisons.document_of

    def counting(meta: Any, text: str) -> Any:
        seen.append(meta.slug)
        return real(meta, text)

    monkeypatch.setattr(library_comparisons, "document_of", counting)
    return seen
