"""Concurrency: every race between two changes ends in one success and one 409, never a 500.

Each test sends its requests from threads against the Flask test client of one app, on a
SQLite file and on PostgreSQL. Where the race needs both requests past a check before
either writes, a barrier holds them there (so the interleaving of the issue's runs
happens every time, not 8 to 11 times in 15); the database alone decides which one wins.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from webapp.store.models import Dossier, LinkDecision, SentenceMark, User

from .dbtest import BACKENDS
from .webdb import WebSite, web_site

T = TypeVar("T")

RECORD = "The minister came at noon. He spoke of the treaty. Nobody else was there."
ACCOUNT = "At noon the minister arrived. The treaty was his subject. We ate fish."


@pytest.fixture(params=BACKENDS)
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[WebSite]:
    """Olga and Ada (annotators), Olga's dossier with a record and an account."""
    with web_site(request.param, tmp_path) as site:
        site.add_user("olga")
        site.add_user("ada", "admin")
        site.dossier("olga", "Talks")
        site.document("olga", "talks", "Record", "memcon", RECORD)
        site.document("olga", "talks", "Memoir", "memoir", ACCOUNT)
        yield site


def _in_threads(calls: Sequence[Callable[[], T]]) -> tuple[list[T], list[BaseException]]:
    """Run the calls in threads at the same time: what they returned, and what they raised
    (a 500 in the test app propagates as an exception)."""
    results: list[T] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(call: Callable[[], T]) -> None:
        try:
            result = call()
        except BaseException as exc:
            with lock:
                errors.append(exc)
            return
        with lock:
            results.append(result)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


def at_once(*calls: Callable[[], TestResponse]) -> list[int]:
    """Run the calls in threads at the same time; their statuses, sorted."""
    results, errors = _in_threads(calls)
    assert errors == [], f"a request failed with a 500: {errors[0]!r}"
    assert len(results) == len(calls), "a request hung"
    for response in results:
        assert response.status_code < 500, response.get_data(as_text=True)[:500]
    return sorted(r.status_code for r in results)


def together(*calls: Callable[[], int]) -> list[int]:
    """Run the calls (each returning a status) in threads at the same time; sorted statuses."""
    statuses, errors = _in_threads(calls)
    if errors:
        raise errors[0]
    assert len(statuses) == len(calls), "a request hung"
    return sorted(statuses)


def hold_after(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, parties: int = 2) -> None:
    """Make ``owner.name`` wait, after it ran, until ``parties`` calls have reached it."""
    barrier = threading.Barrier(parties, timeout=10)
    original = getattr(owner, name)

    def held(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        barrier.wait()
        return result

    monkeypatch.setattr(owner, name, held)


def test_two_edits_of_one_document_with_the_same_version_give_200_and_409(
    site: WebSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    from webapp.library import documents

    hold_after(monkeypatch, documents, "update_document")  # both past the version check
    url = "/api/dossiers/talks/documents/memoir"

    def edit(who: str) -> Callable[[], TestResponse]:
        body = {"version": 1, "title": f"{who}'s title"}
        return lambda: site.call(who, "PATCH", url, json=body)

    assert at_once(edit("olga"), edit("ada")) == [200, 409]
    stored = site.call("olga", "GET", url).get_json()
    assert stored["version"] == 2 and stored["title"] in ("olga's title", "ada's title")
    edits = [c for c in site.history("olga", "talks") if c["target"] == "document"]
    assert len(edits) == 1 and edits[0]["after"]["title"] == stored["title"]


def test_two_renames_of_a_dossier_at_once_give_a_success_and_409(
    site: WebSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    from webapp.views import manage

    hold_after(monkeypatch, manage, "rename")

    def rename(title: str) -> Callable[[], TestResponse]:
        return lambda: site.client("olga").post("/dossiers/talks/rename", data={"title": title})

    assert at_once(rename("First"), rename("Second")) == [302, 409]
    with site.app.extensions["memcon.db"].session() as session:
        title, version = session.execute(
            select(Dossier.title, Dossier.version).where(Dossier.slug == "talks")
        ).one()
    assert title in ("First", "Second") and version == 2


def test_two_settings_changes_at_once_give_200_and_409(
    site: WebSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    with site.app.extensions["memcon.db"].session() as session:
        dossier = session.scalar(select(Dossier).where(Dossier.slug == "talks"))
        assert dossier is not None
        dossier.settings = {"semantic": True}
    from webapp.library import documents

    hold_after(monkeypatch, documents, "load")  # both loaded the same version
    url = "/api/dossiers/talks/settings"
    off = {"semantic": False}
    calls = [lambda: site.call("olga", "PUT", url, json=off) for _ in range(2)]
    assert at_once(*calls) == [200, 409]


def test_the_same_member_added_twice_at_once_gives_201_and_409(
    site: WebSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.add_user("nick")
    from webapp.library import managing

    hold_after(monkeypatch, managing, "add_member")  # both past the "has access already" check
    url = "/api/dossiers/talks/members"
    calls = [lambda: site.call("olga", "POST", url, json={"name": "nick"}) for _ in range(2)]
    assert at_once(*calls) == [201, 409]
    members = site.call("olga", "GET", "/api/dossiers/talks").get_json()["members"]
    assert members == ["nick"]


def test_the_first_mark_of_a_sentence_sent_twice_at_once_makes_one_row(
    site: WebSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    from webapp.library import edits

    hold_after(monkeypatch, edits, "_note")  # both looked for a mark and found none
    body = {"account": "memoir", "side": "record", "index": 3, "significant": "yes"}

    def mark(who: str) -> Callable[[], TestResponse]:
        return lambda: site.call(who, "POST", "/api/dossiers/talks/marks", json=body)

    assert at_once(mark("olga"), mark("ada")) == [200, 409]
    with site.app.extensions["memcon.db"].session() as session:
        assert session.scalar(select(func.count()).select_from(SentenceMark)) == 1
    creates = [c for c in site.history("olga", "talks") if c["target"] == "mark"]
    assert [c["action"] for c in creates] == ["create"]


def test_one_change_reverted_twice_at_once_is_undone_once(
    site: WebSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    link = {"account": "memoir", "source": [2], "witness": [2], "action": "add"}
    made = site.call("olga", "POST", "/api/dossiers/talks/links", json=link).get_json()
    withdrawn = site.call("olga", "DELETE", f"/api/dossiers/talks/links/{made['id']}?version=1")
    assert withdrawn.status_code == 200
    (delete,) = [c for c in site.history("olga", "talks") if c["action"] == "delete"]
    from webapp.library import history

    hold_after(monkeypatch, history, "_restore")  # both found the decision gone
    url = f"/api/dossiers/talks/history/{delete['id']}/revert"
    assert at_once(*(lambda: site.call("olga", "POST", url) for _ in range(2))) == [200, 409]
    with site.app.extensions["memcon.db"].session() as session:
        assert session.scalar(select(func.count()).select_from(LinkDecision)) == 1
    actions = [c["action"] for c in site.history("olga", "talks")]
    assert actions == ["revert", "delete", "create"]


def test_twenty_wrong_passwords_at_once_are_checked_three_times(
    site: WebSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    from webapp.store import users

    checked: list[str] = []
    original = users.check_password_hash

    def slow_check(hashed: str, password: str) -> bool:
        checked.append(password)
        time.sleep(0.05)  # a wide window: every attempt arrives while others are checked
        return bool(original(hashed, password))

    monkeypatch.setattr(users, "check_password_hash", slow_check)

    def attempt() -> TestResponse:
        return site.app.test_client().post("/login", data={"name": "olga", "password": "wrong"})

    statuses = at_once(*(attempt for _ in range(20)))
    assert len(checked) == users.FREE_ATTEMPTS == 3
    assert statuses == [401] * 3 + [429] * 17
    with site.app.extensions["memcon.db"].session() as session:
        failed = session.scalar(select(User.failed_logins).where(User.name == "olga"))
    assert failed == 3


@pytest.fixture
def server(site: WebSite) -> Iterator[str]:
    """The site served by waitress on a free loopback port (8 threads), for real requests."""
    import waitress

    served = waitress.create_server(site.app, host="127.0.0.1", port=0, threads=8)
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{served.effective_port}"  # type: ignore[union-attr]
    finally:
        served.close()
        thread.join(timeout=10)


def http(method: str, url: str, token: str, body: dict[str, Any]) -> int:
    """The status of one JSON request over HTTP."""
    import json
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def test_pairs_of_edits_of_one_version_over_http_give_200_and_409(
    site: WebSite, server: str
) -> None:
    """No barrier: ten rounds of two real requests sent together, as in the issue's runs."""
    url = f"{server}/api/dossiers/talks/documents/memoir"
    for version in range(1, 11):
        statuses = together(
            *(
                functools.partial(
                    http,
                    "PATCH",
                    url,
                    site.tokens[who],
                    {"version": version, "title": f"{who} {version}"},
                )
                for who in ("olga", "ada")
            )
        )
        assert statuses == [200, 409], (version, statuses)
    stored = site.call("olga", "GET", "/api/dossiers/talks/documents/memoir").get_json()
    assert stored["version"] == 11
