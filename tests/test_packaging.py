"""``pip install .`` (not only editable) gives a working ``memcon`` with the bundled data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _pip(*args: str) -> str:
    process = subprocess.run(
        [sys.executable, "-m", "pip", *args, "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert process.returncode == 0, process.stderr
    return process.stderr


def test_wheel_installs_and_finds_corpora_outside_the_checkout(tmp_path: Path) -> None:
    wheel_dir = tmp_path / "wheel"
    built = _pip("wheel", "--no-deps", "-w", str(wheel_dir), str(ROOT))
    # A newcomer's set-up shows no deprecation warning of the build (e.g. a license table).
    assert "deprecated" not in built.lower(), built
    (wheel,) = wheel_dir.glob("memcon-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "webapp/collate/compare.py" in names
    # Every bundled dossier, each file of it (a dossier whose folder name is a valid
    # Python name, as temptation, reads to setuptools as a package: it must still ship).
    bundled = {
        "webapp/corpora/" + p.relative_to(ROOT / "corpora").as_posix()
        for p in (ROOT / "corpora").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert "webapp/corpora/zavidovo-1993/dossier.json" in bundled
    assert "webapp/corpora/temptation/dossier.json" in bundled
    assert bundled <= names, sorted(bundled - names)
    assert "webapp/templates/report.html" in names
    assert "webapp/static/memcon.css" in names
    assert "webapp/static/compare.js" in names
    assert "webapp/views/pages.py" in names
    assert "webapp/store/migrations/env.py" in names
    assert "webapp/store/migrations/script.py.mako" in names
    assert any(n.startswith("webapp/store/migrations/versions/0001") for n in names)

    target = tmp_path / "site"
    _pip("install", "--no-deps", "--target", str(target), str(wheel))
    run = _python_in(
        target,
        tmp_path,
        "import sys, webapp; from webapp.cli import main; "
        "print(webapp.__file__, file=sys.stderr); "
        "sys.exit(main(['show', 'zavidovo-1993', '--format', 'html']))",
    )
    assert run.returncode == 0, run.stderr
    assert str(target) in run.stderr  # the installed copy ran, not the checkout
    assert "Christopher" in run.stdout and "--moved:" in run.stdout

    web = _python_in(
        target,
        tmp_path,
        "from webapp import create_app; "
        "c = create_app({'DATABASE_URL': 'sqlite://'}).test_client(); "
        "r = c.get('/dossiers/zavidovo-1993/compare'); "
        "s = c.get('/static/compare.js'); "
        "print(r.status_code, s.status_code, 'connectors' in r.get_data(as_text=True)); "
        "s.close()",
    )
    assert web.stdout.split() == ["200", "200", "True"], web.stderr


def _python_in(target: Path, cwd: Path, code: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -c code`` with only the installed copy in ``target`` on the path."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
    )
