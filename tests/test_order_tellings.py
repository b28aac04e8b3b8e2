"""A phrase told twice, read right by the order question (:mod:`webapp.collate.phrases`):
when one telling comes before the other phrase and another after it, the verdict is
``both`` (not the first telling's ``inverted``), with each pair of tellings in the JSON,
in the order box, the API, the text report, and the OpenAPI schema the API documents."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

import pytest
from jsonschema import Draft202012Validator

from tests.test_retell import RECORD, RETOLD
from webapp.collate import Document, Link, Telling, compare, phrase_order
from webapp.collate.phrases import VERDICTS, AccountOrder
from webapp.report import order_report

from .test_pages_tellings import _get
from .webdb import WebSite, web_site

#: The tanner's arrest (record sentences 11-14) told early at A5-A8, then the whole record
#: in order: "arrested" (R12) is told at A5 and A16, "warehouses" (R9) once, at A13.
ACCOUNT = [*RECORD[:4], *RETOLD, *RECORD[4:]]
#: A title with markup: the order box must escape it.
TITLE = "Chronicle <i>of</i> the town & co"


def _ask(a: str, b: str, account: list[str] = ACCOUNT) -> dict[str, object]:
    record = Document.from_lines("record", "\n".join(RECORD))
    told = Document.from_lines("Chronicle", "\n".join(account))
    answer = phrase_order(record, compare(record, [told]), a, b)
    (one,) = answer.to_dict()["accounts"]
    assert isinstance(one, dict)
    return one


def test_a_phrase_told_before_and_after_the_other_gets_both() -> None:
    one = _ask("warehouses", "arrested")
    assert one["verdict"] == "both"
    assert one["a"] == [12] and one["b"] == [4, 15]
    assert one["tellings"] == [
        {"a": 12, "b": 4, "verdict": "inverted"},  # A5, early: before A13
        {"a": 12, "b": 15, "verdict": "kept"},  # A16, in place: after A13
    ]
    assert one["explanation"] == (
        "In the account “Chronicle” “arrested” is told twice: in sentence 5, before what "
        "corresponds to “warehouses” (sentence 13), against the record's order; and again "
        "in sentence 16, after it, in the record's order. In the record “warehouses” "
        "(sentence 9) comes before “arrested” (sentence 12): the account tells the two in "
        "both orders: both."
    )


def test_the_question_asked_the_other_way_round_is_both_too() -> None:
    one = _ask("arrested", "warehouses")
    assert one["verdict"] == "both"
    assert one["tellings"] == [
        {"a": 4, "b": 12, "verdict": "inverted"},
        {"a": 15, "b": 12, "verdict": "kept"},
    ]


def test_tellings_that_agree_keep_the_verdict_and_name_each_pair() -> None:
    # Both phrases are in the passage told twice: each telling keeps their order.
    one = _ask("arrested", "magistrate released")
    assert one["verdict"] == "kept"
    assert [t["verdict"] for t in one["tellings"]] == ["kept", "kept"]  # type: ignore[attr-defined]
    explanation = str(one["explanation"])
    assert explanation.endswith(
        "are each told twice there: “arrested” in sentence 5 and “magistrate released” in "
        "sentence 8, in the record's order; “arrested” in sentence 16 and “magistrate "
        "released” in sentence 19, in the record's order."
    )
    # One phrase told twice, both tellings before the other: still kept, not both.
    assert _ask("arrested", "rye")["verdict"] == "kept"


def test_an_account_telling_each_phrase_once_has_no_tellings() -> None:
    one = _ask("warehouses", "arrested", RECORD)
    assert one["verdict"] == "kept" and one["tellings"] == []
    assert "told twice" not in str(one["explanation"])
    inverted = _ask("warehouses", "arrested", [*RECORD[:8], RECORD[11], RECORD[8], *RECORD[12:]])
    assert inverted["verdict"] == "inverted" and inverted["tellings"] == []


#: Six record sentences, and the words that find each ("number two" is R3, index 2).
LINES = [f"Sentence number {w} of the record." for w in "zero one two three four five".split()]


def _twice(tellings: dict[int, tuple[int, int]], a: str, b: str) -> AccountOrder:
    """The order answer on an account of 12 sentences whose record sentence ``i`` is told
    twice, at the two account sentences ``tellings[i]`` (hand-made links)."""
    record = Document.from_lines("record", "\n".join(LINES))
    told = Document.from_lines("memoir", "\n".join([*LINES, *(f"More {k}." for k in range(6))]))
    comparison = compare(record, [told])
    witness = comparison.witnesses[0]
    twice = tuple(
        Link(
            (i,),
            (j, k),
            0.9,
            "close",
            tellings=(Telling((j,), 0.9, "close"), Telling((k,), 0.9, "close")),
        )
        for i, (j, k) in tellings.items()
    )
    links = tuple(k for k in witness.links if k.source[0] not in tellings) + twice
    comparison = replace(comparison, witnesses=(replace(witness, links=links),))
    (one,) = phrase_order(record, comparison, a, b).accounts
    return one


def test_each_phrase_told_twice_in_disagreeing_orders_is_both() -> None:
    """R2 told at A2 and A7, R4 at A4 and A6: the first tellings keep the record's order
    (A2 before A4), the second ones invert it (A7 after A6)."""
    one = _twice({2: (2, 7), 4: (4, 6)}, "number two", "number four")
    assert one.verdict == "both"
    assert [(t.a, t.b, t.verdict) for t in one.tellings] == [(2, 4, "kept"), (7, 6, "inverted")]
    assert one.explanation.startswith(
        "In the account “memoir” “number two” and “number four” are each told more than once, "
        "and the tellings disagree: “number two” in sentence 3 and “number four” in sentence 5, "
        "in the record's order; “number two” in sentence 8 and “number four” in sentence 7, "
        "against the record's order. In the record"
    )


def test_an_early_telling_nearest_to_neither_telling_of_the_other_still_counts() -> None:
    """R2 told at A6 and A8, R4 early at A1 and in place at A10: both tellings of R2 are
    nearest R4's A10 (in the record's order), but R4's A1 comes before them both (found
    on mark>matthew: 2 questions the first tellings called inverted, the nearest pairs
    of one side called kept)."""
    one = _twice({2: (6, 8), 4: (1, 10)}, "number two", "number four")
    assert one.verdict == "both"
    assert [(t.a, t.b, t.verdict) for t in one.tellings] == [
        (6, 1, "inverted"),
        (6, 10, "kept"),
        (8, 10, "kept"),
    ]


def test_the_text_report_says_both() -> None:
    record = Document.from_lines("record", "\n".join(RECORD))
    told = Document.from_lines("Chronicle", "\n".join(ACCOUNT))
    text = order_report(phrase_order(record, compare(record, [told]), "warehouses", "arrested"))
    assert "\nChronicle: BOTH\n  In the account “Chronicle” “arrested” is told twice:" in text


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[WebSite, str]]:
    with web_site("sqlite", tmp_path_factory.mktemp("order-tellings")) as found:
        found.add_user("ada")
        dossier = found.dossier("ada", "The tanner's arrest")
        found.document("ada", dossier, "Town record", "memcon", "\n".join(RECORD) + "\n")
        found.document("ada", dossier, TITLE, "memoir", "\n".join(ACCOUNT) + "\n")
        yield found, dossier


def test_the_order_box_says_both_and_escapes_the_title(site: tuple[WebSite, str]) -> None:
    html = _get(site, "/dossiers/{d}/compare?a=warehouses&b=arrested")
    start = html.index('<div class="order-answer">')
    box = html[start : html.index("</ul>", start)]
    assert "Does “warehouses” come before “arrested”?" in box
    assert '<li class="verdict verdict-both">' in box
    assert '<span class="verdict-word">both</span>' in box
    assert "Chronicle &lt;i&gt;of&lt;/i&gt; the town &amp; co" in box and "<i>" not in box
    assert "in sentence 5, before what corresponds to “warehouses” (sentence 13)" in box
    assert "the account tells the two in both orders: both." in box
    # The chips reach each telling of "arrested" and the one of "warehouses".
    assert [f'-a{n}">A{n}</a>' in box for n in (5, 13, 16)] == [True] * 3


def test_the_api_answers_both_with_the_pairs_as_its_schema_says(
    site: tuple[WebSite, str],
) -> None:
    data = json.loads(_get(site, "/api/dossiers/{d}/order?a=warehouses&b=arrested"))
    (one,) = data["accounts"]
    assert one["verdict"] == "both" and one["id"]
    assert [(t["a"], t["b"], t["verdict"]) for t in one["tellings"]] == [
        (12, 4, "inverted"),
        (12, 15, "kept"),
    ]
    web, _ = site
    doc = web.app.test_client().get("/api/openapi.json").get_json()
    assert doc["components"]["schemas"]["Order"]["properties"]["accounts"]["items"]["properties"][
        "verdict"
    ] == {"enum": list(VERDICTS)}
    root = {"$ref": "#/components/schemas/Order", "components": doc["components"]}
    assert not list(Draft202012Validator(root).iter_errors(data))
    wrong = {**data, "accounts": [{**one, "verdict": "before"}]}
    assert list(Draft202012Validator(root).iter_errors(wrong))  # the schema can fail


def test_two_phrases_in_one_account_sentence_name_that_sentence_only() -> None:
    # Before, the words' order was kept as sentence numbers N and N+1: "sentence 1 ...
    # sentence 2" of an account of one sentence.
    record = Document.from_text(
        "record", "It is a great idea to build the bridge. It will take a long time to build it."
    )
    merged = Document.from_text(
        "memoir",
        "It will take a long time to build the bridge, but it is a great idea to build it.",
    )
    (one,) = phrase_order(record, compare(record, [merged]), "great idea", "long time").accounts
    assert one.verdict == "inverted" and one.tellings == ()
    assert one.explanation.startswith(
        "In the account “memoir” “long time” comes before “great idea” in one sentence "
        "(sentence 1), but in the record"
    )


def _print_doc(html: str) -> str:
    """The printed alignment of the page's one account (its SVG pages), as served."""
    start = html.index('<div class="print-doc')
    return html[start : html.index("</div>", start)]


def test_the_printed_alignment_is_headed_by_the_order_answer(
    site: tuple[WebSite, str],
) -> None:
    printed = _print_doc(_get(site, "/dossiers/{d}/compare?a=warehouses&b=arrested"))
    assert "Does “warehouses” come before “arrested”? In the record, “warehouses” is in R9" in (
        printed
    )
    assert ">BOTH. In the account “Chronicle &lt;i&gt;of&lt;/i&gt; the town &amp; co”" in printed
    assert "<i>" not in printed
    # The answer is in page 1's head, above the record's column title.
    page_one = printed[: printed.index("</svg>")]
    assert page_one.index("come before") < page_one.index("Record (")
    # No question, no answer in the head.
    assert "come before" not in _print_doc(_get(site, "/dossiers/{d}/compare"))


def test_a_long_comparison_fetches_its_printed_alignment_with_the_question(
    site: tuple[WebSite, str],
) -> None:
    web, _ = site
    web.app.config["PRINT_INLINE_SENTENCES"] = 1  # every comparison is "long" here
    try:
        html = _get(site, "/dossiers/{d}/compare?a=warehouses&b=arrested")
    finally:
        del web.app.config["PRINT_INLINE_SENTENCES"]
    start = html.index('class="print-doc print-later"')
    source = html[html.index('data-src="', start) + 10 :].split('"')[0].replace("&amp;", "&")
    assert "a=warehouses" in source and "b=arrested" in source
    fetched = _get(site, source)
    assert "Does “warehouses” come before “arrested”?" in fetched and ">BOTH. " in fetched


def test_the_print_page_heads_each_alignment_with_the_answer_or_nothing(
    site: tuple[WebSite, str],
) -> None:
    printed = _get(site, "/dossiers/{d}/print?a=warehouses&b=arrested")
    assert "Does “warehouses” come before “arrested”?" in printed
    assert "a=warehouses&amp;b=arrested" in printed  # the cited address asks it again
    # A phrase the record lacks: the alignment prints without an answer, not an error.
    unknown = _get(site, "/dossiers/{d}/print?a=warehouses&b=zeppelin")
    assert "come before" not in unknown and "Record (" in unknown
