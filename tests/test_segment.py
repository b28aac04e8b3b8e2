"""Sentence segmentation: exact offsets, abbreviations, quotations, wrapped text."""

from __future__ import annotations

import pytest

from webapp.collate import SegmentationError, segment


def texts(text: str, segmenter: str = "pysbd") -> list[str]:
    return [s.text for s in segment(text, segmenter)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Smith met the U.S. envoy on Oct. 5. They talked.",
            ["Mr. Smith met the U.S. envoy on Oct. 5.", "They talked."],
        ),
        (
            "J. R. R. Tolkien wrote it. He was English.",
            ["J. R. R. Tolkien wrote it.", "He was English."],
        ),
        (
            'Yeltsin said, "This is a brilliant idea." Christopher nodded.',
            ['Yeltsin said, "This is a brilliant idea."', "Christopher nodded."],
        ),
        (
            "It cost 3.5 million dollars. Nobody paid.",
            ["It cost 3.5 million dollars.", "Nobody paid."],
        ),
        ("He waited... Then he left.", ["He waited...", "Then he left."]),
    ],
)
def test_hard_cases_split_where_a_reader_would(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_offsets_slice_back_to_the_text_with_curly_quotes_and_crlf() -> None:
    text = "Yeltsin: “A stroke of genius.”\r\n\r\nChristopher said so.  Then—silence."
    sentences = segment(text)
    assert [s.index for s in sentences] == list(range(len(sentences)))
    for s in sentences:
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()
    assert [s.text for s in sentences] == [
        "Yeltsin: “A stroke of genius.”",
        "Christopher said so.",
        "Then—silence.",
    ]


def test_hard_wrapped_lines_are_joined_but_headings_stand_alone() -> None:
    text = (
        "Kinkel's excuse\n"
        "However, Kohl and Kinkel did not want to alienate the Kremlin at all. A\n"
        "working group composed of staff from the Chancellery drafted a paper that\n"
        "was sent as a circular to all missions abroad in November 1994.\n"
    )
    assert texts(text) == [
        "Kinkel's excuse",
        "However, Kohl and Kinkel did not want to alienate the Kremlin at all.",
        "A\nworking group composed of staff from the Chancellery drafted a paper that\n"
        "was sent as a circular to all missions abroad in November 1994.",
    ]


def test_a_closing_quote_stays_with_its_sentence() -> None:
    text = 'He said: "We mean inclusion, not exclusion." And he added: "My goal is unity."'
    assert texts(text) == [
        'He said: "We mean inclusion, not exclusion."',
        'And he added: "My goal is unity."',
    ]


def test_paragraphs_are_boundaries_even_without_punctuation() -> None:
    assert texts("October 1993 in Moscow\n\nChristopher met Yeltsin.") == [
        "October 1993 in Moscow",
        "Christopher met Yeltsin.",
    ]


def test_presegmented_lines_are_sentences_as_given() -> None:
    text = "  First line. Still first.\n\nSecond line\n"
    sentences = segment(text, "lines")
    assert [s.text for s in sentences] == ["First line. Still first.", "Second line"]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_syntok_is_available_and_keeps_offsets() -> None:
    text = "Mr. Smith came. He saw the U.S. envoy. He left."
    sentences = segment(text, "syntok")
    assert len(sentences) == 3
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_unknown_segmenter_is_refused_with_the_choices() -> None:
    with pytest.raises(SegmentationError, match="unknown segmenter 'nltk'.*pysbd"):
        segment("One.", "nltk")


def test_empty_text_has_no_sentences() -> None:
    assert segment("   \n\n  ") == ()
