"""Several workers starting at once on one database: one migrates, none fails."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from webapp.ingest.corpus import bundled_dossiers
from webapp.store import Dossier, connect

WORKERS = 4


def _start(url: str, barrier: Any) -> str:
    from webapp import create_app  # imported before the barrier: all start together

    barrier.wait()
    try:
        create_app({"TESTING": True, "SECRET_KEY": "test-secret-key", "DATABASE_URL": url})
    except Exception as exc:  # reported to the parent, which fails the test
        return f"{type(exc).__name__}: {exc}"
    return "ok"


def test_workers_starting_together_on_a_new_sqlite_file_all_start(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'memcon.db'}"
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(WORKERS)
        with context.Pool(WORKERS) as pool:
            results = pool.starmap(_start, [(url, barrier)] * WORKERS)
    assert results == ["ok"] * WORKERS
    database = connect(url)
    with database.session() as session:
        assert session.scalar(select(func.count(Dossier.id))) == len(bundled_dossiers())
    database.dispose()
