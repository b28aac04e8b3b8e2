"""Server time of the compare page: bundled dossiers and a 1,000-sentence account.

Run: ``python -m benchmarks.bench_web``. Prints, per page, the first request (alignment
computed) and the median of later requests (alignment cached), measured through Flask's
test client (server time only, no network). Targets: bundled dossiers under 200 ms,
a 1,000-sentence account under 1 s, with the alignment cached between requests.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import make_pair
from webapp import create_app
from webapp.store.users import create_user


def _time(client, url: str) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def _synthetic_corpus(folder: Path, size: int) -> None:
    pair = make_pair(size, seed=0, level="light")
    dossier = folder / "synthetic"
    dossier.mkdir()
    (dossier / "record.txt").write_text(pair.record_text, encoding="utf-8")
    (dossier / "account.txt").write_text(pair.witness_text, encoding="utf-8")
    meta = {
        "id": "synthetic",
        "title": f"Synthetic retelling, {size} sentences",
        "date": "2000-01-01",
        "record": "record.txt",
        "documents": [
            {"file": "record.txt", "title": "record", "kind": "memcon", "provenance": "synthetic"},
            {
                "file": "account.txt",
                "title": "account",
                "kind": "memoir",
                "provenance": "synthetic",
            },
        ],
    }
    (dossier / "dossier.json").write_text(json.dumps(meta), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1000, help="sentences of the big account")
    parser.add_argument("--repeat", type=int, default=5, help="cached requests per page")
    args = parser.parse_args()
    rows: list[tuple[str, float, float, str]] = []
    client = create_app({"TESTING": True, "DATABASE_URL": "sqlite://"}).test_client()
    for dossier in client.get("/api/dossiers").get_json():
        url = f"/dossiers/{dossier['id']}/compare"
        first = _time(client, url)
        cached = statistics.median(_time(client, url) for _ in range(args.repeat))
        rows.append((url, first, cached, "ok" if cached < 0.2 else "MISSED >= 200 ms"))
    with tempfile.TemporaryDirectory() as tmp:
        _synthetic_corpus(Path(tmp), args.size)
        # A dossier this size is compared by a background job in the app; here the
        # thresholds are raised so the first request times the comparison and the page.
        app = create_app(
            {
                "TESTING": True,
                "CORPORA_DIR": tmp,
                "DATABASE_URL": "sqlite://",
                "BACKGROUND_SENTENCES": 10**9,
                "BACKGROUND_CHARS": 10**12,
                "BACKGROUND_SECONDS": 10**9,
            }
        )
        client = app.test_client()
        url = "/dossiers/synthetic/compare"
        first = _time(client, url)
        cached = statistics.median(_time(client, url) for _ in range(args.repeat))
        rows.append(
            (
                f"{url} ({args.size} a side)",
                first,
                cached,
                "ok" if cached < 1.0 else "MISSED >= 1 s",
            )
        )
        # The same page for an annotator: a form for every link and unlinked sentence, and
        # a link to every sentence's own page.
        with app.extensions["memcon.db"].session() as session:
            admin = create_user(session, "bench", "a long enough password", "admin")
            session.flush()
            admin_id = admin.id
        with client.session_transaction() as browser:
            browser["user_id"] = admin_id
        cached = statistics.median(_time(client, url) for _ in range(args.repeat))
        size = len(client.get(url).get_data())
        rows.append(
            (
                f"  the same, as an annotator ({size / 1e6:.1f} MB of HTML)",
                float("nan"),
                cached,
                "ok" if cached < 1.0 else "MISSED >= 1 s",
            )
        )
    print(
        "compare page, server time (Flask test client); cached = median of "
        f"{args.repeat} requests after the first"
    )
    print(f"{'page':58} {'first s':>9} {'cached s':>9}  target")
    for url, first, cached, verdict in rows:
        shown = "-" if first != first else f"{first:.3f}"  # NaN: not measured
        print(f"{url:58} {shown:>9} {cached:9.3f}  {verdict}")


if __name__ == "__main__":
    main()
