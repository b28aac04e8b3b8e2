"""Record phrases suggested while typing an order question, the account-only phrase
answered with the record sentence it is linked to, and the sentence chips in reading order."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from webapp.collate import Document, compare
from webapp.collate.phrase_suggest import account_hints, suggest

from .conftest import site_app

Z = "zavidovo-1993"
CHRISTOPHER = "zavidovo-1993-christopher"
RECORD = Document.from_text(
    "record",
    "The talks began at ten. Yeltsin said it was a great idea, really great. "
    "Membership would come as a longer term eventuality. The talks ended at noon.",
)
MEMOIR = Document.from_text(
    "memoir",
    "Yeltsin called it a great idea. Enlargement would be long-term and evolutionary. "
    "Nobody spoke of the weather.",
)


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("long", ("longer term eventuality", 2)),  # a word being typed: its start
        ("great id", ("great idea, really great", 1)),  # the record's own punctuation and case
        ("the talks", ("The talks began at", 0)),  # earlier sentences first among equals
        ("membership eventuality", ("Membership would come as a longer term eventuality", 2)),
    ],
)
def test_record_phrases_near_the_typed_words_come_first(typed: str, first: tuple[str, int]) -> None:
    found = suggest(RECORD, typed)
    assert (found[0].phrase, found[0].sentence) == first


def test_each_phrase_is_offered_once_and_nothing_for_no_words() -> None:
    found = [s.phrase for s in suggest(RECORD, "the talks")]
    assert found == ["The talks began at", "The talks ended at"]
    assert suggest(RECORD, "  ") == () and suggest(RECORD, "zebra crossing") == ()


def test_an_account_s_own_words_point_to_the_record_sentence_they_are_linked_to() -> None:
    comparison = compare(RECORD, [MEMOIR])
    (hint,) = account_hints(RECORD, comparison, "long-term and evolutionary")
    assert (hint.name, hint.sentence) == ("memoir", 1)
    linked = [i for link in comparison.witnesses[0].links if 1 in link.witness for i in link.source]
    assert hint.record_sentences == tuple(sorted(linked)) == (2,)
    assert hint.offer == "longer term eventuality"
    assert account_hints(RECORD, comparison, "stroke of luck") == ()


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    return site_app().test_client()


def test_the_phrases_endpoint_suggests_record_phrases(client: FlaskClient) -> None:
    answer = client.get(f"/api/dossiers/{Z}/phrases?q=longer%20t").get_json()
    assert answer["suggestions"][0] == {
        "phrase": "longer term eventuality",
        "sentence": 19,
        "exact": True,
    }
    assert answer["accounts"] == [] and answer["in_record"] is False
    assert client.get(f"/api/dossiers/{Z}/phrases?q=" + "a" * 301).status_code == 400
    assert client.get("/api/dossiers/nowhere/phrases?q=great").status_code == 404


def test_the_phrases_endpoint_names_the_account_sentence_of_a_memoir_phrase(
    client: FlaskClient,
) -> None:
    answer = client.get(f"/api/dossiers/{Z}/phrases?q=long-term and evolutionary").get_json()
    (hint,) = answer["accounts"]
    assert hint["account"] == CHRISTOPHER and hint["sentence"] == 2
    assert "“long-term and evolutionary.”" in hint["text"]
    assert hint["record_sentences"] == [19] and hint["offer"] == "longer term eventuality"


def _order_box(client: FlaskClient, a: str, b: str) -> str:
    url = f"/dossiers/{Z}/compare?account={CHRISTOPHER}&a={quote(a)}&b={quote(b)}"
    page = client.get(url)
    assert page.status_code == 200
    found = re.search(r'<section class="order-box".*?</section>', page.get_data(as_text=True), re.S)
    assert found
    return found[0]


def test_the_order_box_offers_the_record_phrase_for_a_memoir_phrase(client: FlaskClient) -> None:
    box = _order_box(client, "long-term and evolutionary", "great idea")
    words = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", box)))
    assert "“long-term and evolutionary” is not in the record;" in words
    assert f'<a href="#{CHRISTOPHER}-a2">A2</a>' in box
    assert f'<a href="#{CHRISTOPHER}-r19">R19</a>' in box
    offer = re.search(r'<a class="button" href="([^"]+)">Ask with the record', box)
    assert offer and "a=longer+term+eventuality" in offer[1] and "b=great+idea" in offer[1]
    # Following the offer answers the question.
    answered = _order_box(client, "longer term eventuality", "great idea")
    assert "verdict-inverted" in answered


def test_the_sentence_chips_are_in_reading_order(client: FlaskClient) -> None:
    # "great idea" is told after "longer term eventuality" in the memoir: A3 then A2 in the
    # question's order, but the chips follow the account's own order.
    box = _order_box(client, "great idea", "longer term eventuality")
    verdict = re.search(r'<li class="verdict verdict-inverted">.*?</li>', box, re.S)
    assert verdict
    chips = re.findall(r">A(\d+)</a>", verdict[0])
    assert chips == sorted(chips, key=int) and len(chips) >= 2
