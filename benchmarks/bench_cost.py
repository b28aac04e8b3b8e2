"""The cost estimate that decides request or background job, against the real thing.

Run: ``python -m benchmarks.bench_cost`` (``--fit`` also fits the coefficients of
:mod:`webapp.library.job_cost` to these measurements and prints them). For each dossier
(real texts of several sizes: the bundled dossiers and Bible books in two or more
versions; synthetic retellings; the awkward shapes: near-duplicate material, templated
minutes, unbalanced quotation marks, one huge sentence, copies), it prints the estimate
(:func:`~webapp.library.job_cost.estimate_seconds`, from the texts alone) and the measured
first compare page computed in the request (background jobs off, as an annotator: the
comparison, its cache row and the heaviest page), in CPU seconds of this process (what an
idle machine's wall clock would show; the wall time is printed too, with the load).
``job`` marks the dossiers the app sends to a background job with its default settings
(estimated over 1 s, or over the hard limits of 3,000 sentence-equivalents, a long stretch
without a full stop counting as many, or 1,000,000 characters); ``right`` whether the
measured time is on the same side of the 1 s budget.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from webapp import create_app
from webapp.library import job_cost
from webapp.library.job_cost import (
    TextShape,
    estimate_seconds,
    shape_of,
    too_long_for_a_request,
)
from webapp.store.users import create_user

from .shapes import make_shape
from .synthetic import make_pair

ROOT = Path(__file__).resolve().parent.parent
BUDGET = job_cost.DEFAULT_BACKGROUND_SECONDS
OFF = {"BACKGROUND_SECONDS": 1e9, "BACKGROUND_SENTENCES": 10**9, "BACKGROUND_CHARS": 10**12}


@dataclass(frozen=True)
class Case:
    """A dossier: a record and its accounts, as texts."""

    name: str
    record: str
    accounts: tuple[str, ...]


def _bundled() -> Iterator[Case]:
    for folder in sorted((ROOT / "corpora").iterdir()):
        meta = json.loads((folder / "dossier.json").read_text(encoding="utf-8"))
        texts = {
            d["file"]: (folder / d["file"]).read_text(encoding="utf-8") for d in meta["documents"]
        }
        record = texts.pop(meta["record"])
        yield Case(f"bundled {folder.name}", record, tuple(texts.values()))


def _bible(book: str, versions: tuple[str, ...]) -> Case:
    from .real_bible import verses

    def prose(version: str) -> str:
        lines = verses((book,), version).texts
        return "\n\n".join(" ".join(lines[k : k + 8]) for k in range(0, len(lines), 8))

    record, *accounts = (prose(v) for v in versions)
    size = len(verses((book,), versions[0]).texts)
    return Case(f"bible {book.lower()} ({size} verses) x{len(accounts)}", record, tuple(accounts))


def _synthetic(n: int, level: str = "light", accounts: int = 1) -> Case:
    pairs = [make_pair(n, seed=seed, level=level) for seed in range(accounts)]
    record = make_pair(n, seed=0).record_text
    # Every seed writes its own record; the retellings of seed 0 follow the record exactly,
    # the others are unrelated accounts of the same length (as a dossier of loose memoirs).
    return Case(f"synthetic {n} {level} x{accounts}", record, tuple(p.witness_text for p in pairs))


def _shape(name: str, n: int) -> Case:
    record, account, _ = make_shape(name, n)
    return Case(f"{name} {n}", record, (account,))


def templated(n: int) -> Case:
    """Minutes from a template: the same sentence with a number and a name changed."""
    rng = random.Random(n)
    names = ["Smith", "Jones", "Brown", "Ivanov", "Petrov", "Clark"]
    rows = [
        f"Item {k}: the committee approved the minutes of meeting {k} as presented by "
        f"{names[k % 6]}."
        for k in range(n)
    ]
    kept = [r.replace("approved", "adopted") for r in rows if rng.random() > 0.05]
    return Case(f"templated minutes {n}", " ".join(rows), (" ".join(kept),))


def lines(n: int, edited: bool) -> Case:
    """Lines of eight words without a full stop (lists, verse, OCR): the account other
    lines (``edited`` False) or the record's with one word in ten changed."""
    rng = random.Random(n)
    words = [w.strip(".,;:?!").lower() for w in make_pair(60, seed=2).record_text.split()]
    vocabulary = sorted(set(words) - {""})

    def line() -> list[str]:
        return [rng.choice(vocabulary) for _ in range(8)]

    record = [line() for _ in range(n)]
    if edited:
        other = [[rng.choice(vocabulary) if rng.random() < 0.1 else w for w in r] for r in record]
    else:
        other = [line() for _ in range(n)]
    text = ["\n".join(" ".join(r) for r in side) + "\n" for side in (record, other)]
    return Case(f"lines without full stops {n}{' edited' if edited else ''}", text[0], (text[1],))


def cases(quick: bool = False) -> list[Case]:
    """The dossiers measured (``quick``: the smaller half)."""
    made: list[Callable[[], Case | list[Case]]] = [
        lambda: list(_bundled()),
        lambda: _bible("RUTH", ("WORLD_ENGLISH", "KING_JAMES")),
        lambda: _bible("MARK", ("WORLD_ENGLISH", "KING_JAMES")),
        lambda: _bible(
            "MARK", ("WORLD_ENGLISH", "KING_JAMES", "AMERICAN_STANDARD", "BIBLE_IN_BASIC_ENGLISH")
        ),
        lambda: _synthetic(100),
        lambda: _synthetic(300),
        lambda: _synthetic(300, accounts=3),
        lambda: _shape("repeated", 300),
        lambda: templated(300),
        lambda: _shape("quotes", 1000),
        lambda: _shape("long-sentence", 1000),
        lambda: _shape("copies", 1000),
        lambda: lines(300, edited=False),
        lambda: lines(300, edited=True),
    ]
    if not quick:
        made += [
            lambda: _bible("MATTHEW", ("WORLD_ENGLISH", "KING_JAMES")),
            lambda: _synthetic(600),
            lambda: _synthetic(600, "heavy"),
            lambda: _synthetic(1000),
            lambda: _shape("repeated", 600),
            lambda: _shape("repeated", 1200),
            lambda: templated(1200),
            lambda: _shape("quotes", 3000),
            lambda: _shape("long-sentence", 5000),
            lambda: lines(700, edited=False),
            lambda: lines(700, edited=True),
        ]
    found: list[Case] = []
    for make in made:
        got = make()
        found += got if isinstance(got, list) else [got]
    return found


def write_dossier(folder: Path, case: Case, slug: str = "bench") -> None:
    """``case`` as the dossier ``slug`` (its record and accounts) under ``folder``."""
    dossier = folder / slug
    dossier.mkdir(parents=True)
    documents = []
    for k, text in enumerate((case.record, *case.accounts)):
        name = f"doc{k}.txt"
        (dossier / name).write_text(text, encoding="utf-8")
        kind = "memcon" if k == 0 else "memoir"
        documents.append({"file": name, "title": f"doc {k}", "kind": kind, "provenance": "bench"})
    meta = {"id": slug, "title": case.name, "date": "2000-01-01", "record": "doc0.txt"}
    (dossier / "dossier.json").write_text(json.dumps({**meta, "documents": documents}))


def admin_client(app: Flask) -> FlaskClient:
    """A test client of ``app`` logged in as a new admin (one made for the benchmark)."""
    with app.extensions["memcon.db"].session() as session:
        user = create_user(session, "bench", "a long enough password", "admin")
        session.flush()
        user_id, version = user.id, user.session_version
    client = app.test_client()
    with client.session_transaction() as browser:
        browser["user_id"], browser["session_version"] = user_id, version
    return client


def measure(case: Case) -> tuple[float, float]:
    """CPU and wall seconds of the first compare page, computed in the request."""
    with tempfile.TemporaryDirectory(prefix="memcon-cost-") as tmp:
        write_dossier(Path(tmp), case)
        config = {"TESTING": True, "CORPORA_DIR": tmp, "DATABASE_URL": "sqlite://", **OFF}
        client = admin_client(create_app(config))
        cpu, wall = time.process_time(), time.perf_counter()
        response = client.get("/dossiers/bench/compare")
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        assert response.status_code == 200, (case.name, response.status_code)
    return cpu, wall


def features(record: TextShape, accounts: list[TextShape]) -> list[float]:
    """The terms of :func:`estimate_seconds`, summed over the pairs (the record known)."""
    rows = [[1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]
    for account in accounts:
        sides = (record, account)
        rows.append(
            [
                0.0,
                1.0,
                sum(s.sentences * (1 - s.repeated) for s in sides),
                sum(s.sentences * s.near for s in sides),
                sum(s.sentences * s.copies for s in sides),
                sum(s.chars for s in sides),
                sum(s.long_units for s in sides),
                sum(s.lone_quotes for s in sides),
            ]
        )
    rows[0][1] = 0.0
    return [sum(column) for column in zip(*rows, strict=True)]


NAMES = [
    "BASE_SECONDS",
    "PAIR_SECONDS",
    "SENTENCE_SECONDS",
    "NEAR_SECONDS",
    "COPY_SECONDS",
    "CHAR_SECONDS",
    "LONG_SECONDS",
    "LONE_QUOTE_SECONDS",
]


def fit(rows: list[tuple[list[float], float]]) -> dict[str, float]:
    """Non-negative least squares of the measured CPU seconds on the features."""
    import numpy as np
    from scipy.optimize import nnls

    matrix = np.array([f for f, _ in rows])
    target = np.array([seconds for _, seconds in rows])
    scale = matrix.max(axis=0)
    scale[scale == 0] = 1.0
    solution, _ = nnls(matrix / scale, target)
    return {name: float(value) for name, value in zip(NAMES, solution / scale, strict=True)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fit", action="store_true", help="fit and print the coefficients")
    parser.add_argument("--quick", action="store_true", help="only the smaller dossiers")
    args = parser.parse_args()
    measure(next(_bundled()))  # warm up: imports, the engine's tables
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    header = f"{'dossier':44} {'sent':>6} {'chars':>8} {'rep':>5} {'copy':>5} {'long':>6}"
    header += f" {'lone':>5}"
    print(header + f" {'est s':>6} {'cpu s':>6} {'wall s':>6}  {'job':3}  right")
    rows = []
    for case in cases(args.quick):
        record = shape_of(case.record)
        accounts = [shape_of(t) for t in case.accounts]
        shapes = [record, *accounts]
        estimate = estimate_seconds(shapes)
        cpu, wall = measure(case)
        rows.append((features(record, accounts), cpu))
        job = too_long_for_a_request([case.record, *case.accounts])  # the app's defaults
        right = job == (cpu > BUDGET)
        print(
            f"{case.name[:44]:44} {sum(s.sentences for s in shapes):6d} "
            f"{sum(s.chars for s in shapes):8d} {max(s.repeated for s in shapes):5.2f} "
            f"{max(s.copies for s in shapes):5.2f} "
            f"{max(s.longest for s in shapes):6d} {sum(s.lone_quotes for s in shapes):5d} "
            f"{estimate:6.2f} {cpu:6.2f} {wall:6.2f}  {'job' if job else '-':3}  "
            f"{'yes' if right else 'NO'}",
            flush=True,
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.fit:
        print("fitted coefficients (webapp/library/job_cost.py):")
        for name, value in fit(rows).items():
            print(f"{name} = {value:.3g}")


if __name__ == "__main__":
    main()
