"""Quotation check: each quoted span of an account is exact, close or not found."""

from __future__ import annotations

from webapp.collate import Document, compare
from webapp.collate.quotes import quoted_spans

RECORD = (
    'Yeltsin responded, "This is a brilliant idea, it is a stroke of genius." '
    'He said it was "a great idea, really great. Tell Bill I am thrilled by this brilliant '
    'stroke." The Secretary said membership was a longer term eventuality.'
)


def quotes_of(account: str):  # type: ignore[no-untyped-def]
    result = compare(Document.from_text("r", RECORD), [Document.from_text("a", account)])
    return {q.text: q for q in result.witnesses[0].quotes}


def test_quoted_spans_in_curly_straight_and_single_quotes() -> None:
    text = "He said “one thing” and \"another thing\"; the 'open door' mantra, Yeltsin's view."
    assert [text[a:b] for a, b in quoted_spans(text)] == [
        "one thing",
        "another thing",
        "open door",
    ]


def test_an_unpaired_straight_quote_is_ignored() -> None:
    text = 'He said "one thing.\n\nThen another "quoted" word.'
    assert [text[a:b] for a, b in quoted_spans(text)] == ["quoted"]


def test_exact_quotation_names_the_record_sentence() -> None:
    quote = quotes_of('Yeltsin called it a "stroke of genius."')["stroke of genius"]
    assert quote.status == "exact"
    assert quote.source == 0
    assert quote.witness == 0


def test_quotation_across_record_sentences_is_exact() -> None:
    quote = quotes_of('He was "really great. Tell Bill" about it.')["really great. Tell Bill"]
    assert (quote.status, quote.source) == ("exact", 1)


def test_a_changed_word_in_a_long_quotation_is_close() -> None:
    quote = quotes_of('"Tell Bill I am delighted by this brilliant stroke," he said.')
    found = quote["Tell Bill I am delighted by this brilliant stroke"]
    assert found.status == "close"
    assert found.source == 1
    assert 0.8 <= found.similarity < 1.0


def test_invented_quotations_are_not_found() -> None:
    quotes = quotes_of(
        'It would be "long-term and evolutionary." He said, "This really is a great idea."'
    )
    assert quotes["long-term and evolutionary"].status == "not_found"
    assert quotes["This really is a great idea"].status == "not_found"
    assert quotes["This really is a great idea"].source is None


def test_offsets_of_a_quotation_slice_back_to_its_words() -> None:
    account = "Yeltsin called it “brilliant.”"
    quote = quotes_of(account)["brilliant"]
    assert account[quote.start : quote.end] == "brilliant"
