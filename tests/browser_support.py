"""Shared set-up of the real-browser tests: a live ``memcon serve``, Debian's Chromium.

The fixtures are defined here and imported by the browser test modules, so each module
gets its own server (with its own SQLite file); the browser is the test worker's one
Chromium (launched once, each test in a fresh context). They are named with
``name=`` so that importing them does not shadow the test arguments: a module imports
``live_server_fixture, server_fixture, browser_fixture, page_fixture`` (all four: a fixture
finds the fixtures it needs by name in the importing module) and its tests ask for
``live_server``, ``server`` (the base URL), ``browser`` and ``page``.
"""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, expect, sync_playwright

from tests import quick_start

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class LiveServer:
    """A running ``memcon serve``: its base URL and the environment naming its database."""

    base: str
    env: dict[str, str]

    @property
    def database_url(self) -> str:
        return self.env["MEMCON_DATABASE_URL"]

    @property
    def instance_path(self) -> Path:
        return Path(self.env["MEMCON_INSTANCE_PATH"])

    def cli(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run ``memcon ARGS`` against this server's database, in this process.

        The set-up steps (``create-user`` with its real password hashing, ``token``) run
        the command's own code with the server's environment, without the 2 to 4 s of a
        new interpreter importing the app; :func:`run_cli` runs it in a subprocess (and
        ``tests/test_gunicorn.py`` and ``tests/test_store.py`` do, for real deployments).
        """
        return run_cli_here(self.env, *args, stdin=stdin)


def run_cli(
    env: dict[str, str], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m webapp.cli`` with ``env`` added to the environment; never raises."""
    return subprocess.run(
        [sys.executable, "-m", "webapp.cli", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_cli_here(
    env: dict[str, str], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """:func:`run_cli` in this process: ``env`` set, ``stdin`` read, the output captured."""
    from webapp.cli import main

    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        patch.setattr(sys, "stdin", io.StringIO(stdin or ""))
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse usage errors
                code = int(exc.code or 0)
    return subprocess.CompletedProcess(["memcon", *args], code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module", name="live_server")
def live_server_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A real ``memcon serve`` on a free port, with its own SQLite file, stopped after."""
    database = tmp_path_factory.mktemp("db") / "memcon.db"
    env = {
        "MEMCON_DATABASE_URL": f"sqlite:///{database}",
        "MEMCON_INSTANCE_PATH": str(database.parent),
    }
    # Migrated, the bundled dossiers loaded (tests/quick_start.py): as at a first start.
    quick_start.seed_started(env["MEMCON_DATABASE_URL"])
    with serving(env) as base:
        yield LiveServer(base=base, env=env)


@contextmanager
def serving(env: dict[str, str]) -> Iterator[str]:
    """``memcon serve`` on a free port with ``env`` added to the environment: its base URL
    while the ``with`` block runs, stopped after. In this process (:func:`serving_here`)
    unless ``MEMCON_TEST_SLOW_START`` asks for the production way (:func:`serving_apart`)."""
    with serving_here(env) if quick_start.enabled() else serving_apart(env) as base:
        yield base


@contextmanager
def serving_here(env: dict[str, str]) -> Iterator[str]:
    """What ``memcon serve`` runs (the app made from the environment, under waitress with
    its 4 threads), in a thread of this process: no new interpreter importing the app
    (about 2 CPU s and 3 s a module). The environment is ``env`` while the app is made,
    which is when the app reads it."""
    import waitress.server

    from webapp.app import create_app

    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        app = create_app()
    server = waitress.server.create_server(app, host="127.0.0.1", port=0, threads=4, ident="memcon")
    thread = threading.Thread(target=server.run, name="memcon serve", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.effective_port}"  # type: ignore[union-attr]
    try:
        with urllib.request.urlopen(f"{base}/api/dossiers", timeout=60):
            pass
        yield base
    finally:
        _stop(server, thread)
        app.extensions["memcon.jobs"].close()
        app.extensions["memcon.db"].dispose()


def _stop(server: Any, thread: threading.Thread) -> None:
    """Stop a waitress server running in ``thread``: close its connections from the
    server's own loop (its trigger), then its listening socket and task threads."""

    def close_all() -> None:
        for dispatcher in list(server._map.values()):  # the listening socket, the channels
            if dispatcher is not server.trigger:
                dispatcher.close()
        server.trigger.close()  # the map is empty: the loop ends

    server.trigger.pull_trigger(close_all)
    thread.join(timeout=20)
    server.task_dispatcher.shutdown()
    assert not thread.is_alive(), "the in-process memcon serve did not stop"


@contextmanager
def serving_apart(env: dict[str, str]) -> Iterator[str]:
    """``memcon serve`` in its own process, as in production (see :func:`serving`)."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "webapp.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_serving(process, base, "memcon serve")
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        if process.stdout:
            process.stdout.close()


@pytest.fixture(scope="module", name="server")
def server_fixture(live_server: LiveServer) -> str:
    """The base URL of the module's live server."""
    return live_server.base


@contextmanager
def launched_chromium() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright, closed after the ``with`` block."""
    assert Path(CHROMIUM).exists(), "Debian's chromium is required (scripts/test.sh installs it)"
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module", name="browser")
def browser_fixture(shared_chromium: Browser) -> Iterator[Browser]:
    """The worker's Chromium (``shared_chromium`` in conftest.py: launched once, not once a
    module); every context a module's tests leave open is closed after the module, so the
    next module starts, as before, with none."""
    assert shared_chromium.is_connected(), "the worker's Chromium has gone"
    yield shared_chromium
    for context in shared_chromium.contexts:
        context.close()


#: The console and script errors of each open page, checked when the page is closed.
_ERRORS: dict[Page, list[str]] = {}


def take_errors(page: Page) -> list[str]:
    """Return and forget the errors the page logged so far (for errors a test expects)."""
    errors = _ERRORS[page]
    taken = list(errors)
    errors.clear()
    return taken


@pytest.fixture(name="page")
def page_fixture(browser: Browser) -> Iterator[Page]:
    """A fresh page (own cookies); the test fails on any script or console error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    _ERRORS[page] = errors
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"{message.text} [{message.location.get('url', '')}]")

    page.on("console", on_console)
    yield page
    context.close()
    del _ERRORS[page]
    assert errors == [], errors  # no script errors, no CSP violations, no missing files


def wait_until_serving(process: subprocess.Popen[str], base: str, what: str) -> None:
    """Wait (up to 60 s) until the server answers; fail with its output if it died."""
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/dossiers", timeout=5):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = process.stdout.read() if process.stdout else ""
                raise RuntimeError(f"{what} did not start: {output}") from None
            time.sleep(0.2)


def record_dialogs(page: Page) -> list[str]:
    """Collect (and dismiss) every dialog the page opens: a script from a text would."""
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


def log_in(page: Page, base: str, user: str, password: str) -> None:
    """Log in through the form."""
    page.goto(f"{base}/login")
    page.get_by_label("Name").fill(user)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("ul.flashes")).to_contain_text("You are logged in.")


def create_dossier(page: Page, base: str, title: str) -> str:
    """Create a dossier through the form; return its URL."""
    page.goto(f"{base}/dossiers/new")
    page.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Create the dossier").click()
    expect(page).to_have_url(re.compile(r"/dossiers/[a-z0-9-]+$"))
    return page.url
