"""Shared fixtures: the bundled dossiers and a runner for the ``memcon`` command."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from webapp.cli import main
from webapp.collate import Comparison, Document, compare
from webapp.dossiers import Dossier, find_dossier

ROOT = Path(__file__).resolve().parent.parent

#: Configuration of every test app: in-memory database, a fixed secret key.
TEST_CONFIG = {"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "test-secret-key"}


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
def zavidovo() -> DossierRun:
    """The headline dossier: the Zavidovo memcon against the memoirs and the essay."""
    return _run("zavidovo-1993")


@pytest.fixture(scope="session")
def dossier_run() -> Callable[[str], DossierRun]:
    """Compare any bundled dossier by id."""
    return _run
