"""Presentation mode: the links shown and their order, the words of "why a move", the
page a teacher projects, its 404s, and who may open it (and the synopsis) at all."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp import create_app
from webapp.collate import Link, OrderStats, Sentence, WitnessResult
from webapp.views.synopsis_present import crossed, span, steps, why

from .conftest import TEST_CONFIG
from .test_manage import PRIVATE, ManagedSite, build_site, text_of

__all__ = ["build_site"]  # the site_template fixture builds this module's site with it

ZAVIDOVO = "/dossiers/zavidovo-1993"
CHRISTOPHER = "zavidovo-1993-christopher"


def witness(*links: Link) -> WitnessResult:
    n = 1 + max(j for link in links for j in link.witness)
    sentences = tuple(Sentence(j, 0, 1, "x") for j in range(n))
    moved = sum(link.moved for link in links)
    return WitnessResult("w", sentences, links, (), (), OrderStats(None, moved, 0), ())


def link(i: int, j: int, moved: bool = False, possible: bool = False) -> Link:
    return Link((i,), (j,), 0.9, "close", moved=moved, possible_move=possible)


# A1 = R1, A2 = R5 (moved up), A3 = R2, A4 = R3, A5 = R6, A6 = R4 (moved down).
SIX = witness(
    link(0, 0), link(4, 1, moved=True), link(1, 2), link(2, 3), link(5, 4), link(3, 5, moved=True)
)


def test_the_moves_in_the_records_reading_order_or_every_link() -> None:
    assert [n for n, _ in steps(SIX, every=False)] == [6, 2]  # R4 before R5
    assert [n for n, _ in steps(SIX, every=True)] == [1, 3, 4, 6, 2, 5]


def test_where_a_link_sits_in_each_text() -> None:
    assert span("R", (18,), 40) == "R19 of 40"
    assert span("A", (4, 5), 31) == "A5–A6 of 31"


def test_why_names_the_sentences_a_move_crosses() -> None:
    assert why(SIX, 2) == (
        "In the record R5 comes after R2 and R3, but the account tells it before: "
        "A2, before A3 and A4."  # R4 is not named: a move itself, not told in order
    )
    assert why(SIX, 6) == (
        "In the record R4 comes before R6, but the account tells it after: A6, after A5."
    )
    assert why(SIX, 1) == "Told in the record's order: no sentence told in order crosses it."
    assert [(k.source, k.witness) for k in crossed(SIX, 2)] == [((1,), (2,)), ((2,), (3,))]
    assert crossed(SIX, 1) == []
    possible = witness(link(0, 1, possible=True), link(1, 0))
    assert why(possible, 1) == (
        "Possibly moved, on weak evidence (check it): In the record R1 comes before R2, "
        "but the account tells it after: A2, after A1."
    )


def test_a_long_list_of_crossed_sentences_is_cut_short() -> None:
    far = witness(*(link(i, i + 1) for i in range(5)), link(5, 0, moved=True))
    assert why(far, 6) == (
        "In the record R6 comes after R3, R4, R5 and 2 more, but the account tells it "
        "before: A1, before A4, A5, A6 and 2 more."
    )


# --- The page ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app() -> Iterator[Flask]:
    made = create_app(TEST_CONFIG)
    yield made
    made.extensions["memcon.db"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def get(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return html.unescape(response.get_data(as_text=True))


def by_id(page: str, name: str) -> str:
    found = re.search(rf'id="{name}"[^>]*>(.*?)</', page, re.S)
    assert found, name
    return found.group(1).strip()


def test_by_default_christophers_move_with_its_diff_and_why(client: FlaskClient) -> None:
    page = get(client, f"{ZAVIDOVO}/present")
    assert by_id(page, "counter") == "move 1 of 1"
    assert by_id(page, "record-at") == "R19 of 23"
    assert by_id(page, "account-at") == "A2 of 3"
    assert "longer term eventuality" in by_id(page, "record-text")
    assert "long-term and evolutionary" in by_id(page, "account-text")
    assert re.search(r"<ins>[^<]*long-term and evolutionary", page)
    assert re.search(r"<del>[^<]*longer term eventuality", page)
    assert by_id(page, "why") == (
        "In the record R19 comes after R17, but the account tells it before: A2, before A3."
    )
    context = re.search(r'<ul class="crossed"[^>]*>(.*?)</ul>', page, re.S)
    assert context and "R17 · A3" in context.group(1) and "a great idea" in context.group(1)
    back = f"/dossiers/zavidovo-1993/compare?account={CHRISTOPHER}#{CHRISTOPHER}-link-3"
    assert f'data-back="{back}"' in page and f'href="{back}"' in page
    assert 'data-next=""' in page and 'data-previous=""' in page  # the only move
    assert "<script>" not in page and '<script src="/static/presentation.js" defer>' in page


def test_every_link_steps_with_plain_links(client: FlaskClient) -> None:
    url = f"{ZAVIDOVO}/present?account={CHRISTOPHER}&all=1"
    first = get(client, url)
    assert by_id(first, "counter") == "link 1 of 3"
    assert by_id(first, "record-at") == "R15 of 23"
    step = f"/dossiers/zavidovo-1993/present?account={CHRISTOPHER}&all=1&link=2"
    assert f'id="step-next" href="{step}"' in first
    second = get(client, step)
    assert by_id(second, "counter") == "link 2 of 3" and by_id(second, "record-at") == "R17 of 23"
    assert by_id(second, "why").startswith("Told in the record's order")
    third = get(client, f"{ZAVIDOVO}/present?account={CHRISTOPHER}&all=1&link=3")
    assert by_id(third, "counter") == "link 3 of 3" and 'data-next=""' in third
    # The toggle goes back to the moves only, at this move.
    assert f'href="/dossiers/zavidovo-1993/present?account={CHRISTOPHER}&link=3"' in third


def test_a_link_in_order_is_shown_among_every_link(client: FlaskClient) -> None:
    page = get(client, f"{ZAVIDOVO}/present?account={CHRISTOPHER}&link=1")
    assert by_id(page, "counter") == "link 1 of 3"


def test_an_account_without_moves_says_so_and_offers_every_link(client: FlaskClient) -> None:
    page = get(client, f"{ZAVIDOVO}/present?account=zavidovo-1993-talbott")
    assert "No moves: The Russia Hand (as reported by Goldgeier) tells what it keeps" in page
    assert 'href="/dossiers/zavidovo-1993/present?account=zavidovo-1993-talbott&all=1"' in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("account=nobody", "dossier 'zavidovo-1993' has no account 'nobody'"),
        (f"account={CHRISTOPHER}&link=9", f"account '{CHRISTOPHER}' has no link '9' (it has 3)"),
        (f"account={CHRISTOPHER}&link=two", f"account '{CHRISTOPHER}' has no link 'two'"),
        (f"account={CHRISTOPHER}&link=0", f"account '{CHRISTOPHER}' has no link '0'"),
    ],
)
def test_an_unknown_account_or_link_is_a_404_naming_it(
    client: FlaskClient, query: str, message: str
) -> None:
    page = get(client, f"{ZAVIDOVO}/present?{query}", 404)
    assert message in page and '<p class="error">' in page


# --- Permissions: as on the compare page ---------------------------------------------------

PAGES = (f"/dossiers/{PRIVATE}/synopsis", f"/dossiers/{PRIVATE}/present")


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("who", ["anonymous", "rob", "nick"])
def test_a_private_dossier_is_404_for_a_stranger(site: ManagedSite, url: str, who: str) -> None:
    response = site.client(who).get(url)
    assert response.status_code == 404
    assert "Private talks" not in text_of(response)


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("who", ["link", "rita", "olga"])
def test_members_and_share_link_holders_see_it(site: ManagedSite, url: str, who: str) -> None:
    response = site.client(who).get(url)
    assert response.status_code == 200
    assert "Private talks" in text_of(response)


def test_a_share_token_in_the_url_works_and_is_carried_on(site: ManagedSite) -> None:
    client = site.client("anonymous")
    assert client.get(f"/dossiers/{PRIVATE}/synopsis?share=wrong").status_code == 404
    synopsis = text_of(client.get(f"/dossiers/{PRIVATE}/synopsis?share={site.share}"))
    assert "The memoir" in synopsis and "moved" in synopsis
    assert f'<input type="hidden" name="share" value="{site.share}">' in synopsis
    present = text_of(client.get(f"/dossiers/{PRIVATE}/present?share={site.share}&all=1"))
    assert "link 1 of" in present
    nexts = re.findall(r'id="step-next" href="([^"]+)"', present)
    assert nexts and f"share={site.share}" in nexts[0]
    assert client.get(nexts[0]).status_code == 200


def test_hostile_titles_and_texts_are_shown_as_text(site: ManagedSite) -> None:
    owner = site.client("olga")
    hostile = "<script>alert(1)</script>"
    response = owner.post(
        f"/dossiers/{PRIVATE}/documents/new",
        data={
            "title": hostile,
            "kind": "memoir",
            "text": "<img src=x onerror=alert(1)> The President praised the idea as a great "
            "idea for Europe. He said the alliance would stay open to new members.\n",
            "action": "save",
        },
    )
    assert response.status_code == 302, text_of(response)
    synopsis = owner.get(f"/dossiers/{PRIVATE}/synopsis").get_data(as_text=True)
    slugs = re.findall(r'<th scope="col" data-account="([^"]+)">&lt;script&gt;', synopsis)
    assert len(slugs) == 1
    for page in (
        synopsis,
        owner.get(f"/dossiers/{PRIVATE}/present?account={slugs[0]}&all=1").get_data(as_text=True),
    ):
        assert hostile not in page and "<img" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
