"""Sentence ends after quotations: nested marks, curly and straight, and OCR'd text.

pysbd ends a sentence after a quotation only for one straight or English double mark and
one space, so ``...bread.'" Then`` stayed one sentence with what follows (issue 10).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.collate import segment


def texts(text: str, segmenter: str = "pysbd") -> list[str]:
    sentences = segment(text, segmenter)
    for s in sentences:
        assert text[s.start : s.end] == s.text
    return [s.text for s in sentences]


@pytest.mark.parametrize(
    "said",
    [
        "He said, \"She told me 'no bread.'\"",  # single inside double, straight
        "He said, 'She told me \"no bread.\"'",  # double inside single, straight
        "He said, “She told me ‘no bread.’”",  # single inside double, curly
        "He said, ‘She told me “no bread.”’",  # double inside single, curly
        "He said, “She told me 'no bread.'”",  # curly outside, straight inside
        'He said, "She told me ‘no bread!’"',  # straight outside, curly inside, a "!"
        "He said ‘no bread.’",  # one closing single curly quote
        "He said «no bread.»",  # guillemets
    ],
)
@pytest.mark.parametrize("segmenter", ["pysbd", "syntok"])
def test_a_sentence_ends_after_nested_closing_quotes(said: str, segmenter: str) -> None:
    assert texts(f"{said} Then he left.", segmenter) == [said, "Then he left."]


def test_two_spaces_or_an_opening_mark_after_the_quotation_still_end_it() -> None:
    assert texts('He said "no bread."  Then he left.') == ['He said "no bread."', "Then he left."]
    assert texts('He said, "She told me \'no bread.\'" "Why?" she asked.') == [
        "He said, \"She told me 'no bread.'\"",
        '"Why?" she asked.',
    ]
    assert texts("He said, \"She told me 'no bread.'\" (Then he left.)") == [
        "He said, \"She told me 'no bread.'\"",
        "(Then he left.)",
    ]


def test_an_inner_quotation_that_ends_inside_the_outer_one_ends_no_sentence() -> None:
    # The single quotation closes, but the double one goes on: one quoted speech.
    assert texts("He said, \"She told me 'no.' He laughed.\" She left.") == [
        "He said, \"She told me 'no.' He laughed.\"",
        "She left.",
    ]
    assert texts("He said, “She told me ‘no.’ He laughed.” She left.") == [
        "He said, “She told me ‘no.’ He laughed.”",
        "She left.",
    ]


def test_a_lower_case_word_or_an_abbreviation_after_the_quotation_ends_nothing() -> None:
    assert texts("He said, \"She told me 'no bread.'\" then he left.") == [
        "He said, \"She told me 'no bread.'\" then he left."
    ]
    assert texts("He said, \"Ask for 'Mr.'\" Smith came.") == [
        "He said, \"Ask for 'Mr.'\" Smith came."
    ]


def test_ocr_text_that_lost_its_marks() -> None:
    # The opening double mark was lost: the closing one is unpaired and ignored.
    assert texts("He said, She told me 'no bread.'\" Then he left.") == [
        "He said, She told me 'no bread.'\"",
        "Then he left.",
    ]
    # Both closing marks were lost: sentences end at their stops.
    assert texts("He said, \"She told me 'no bread. Then he left. She came.") == [
        "He said, \"She told me 'no bread.",
        "Then he left.",
        "She came.",
    ]
    # A mark unclosed early does not make a later nested close count as inside it;
    # the stop before it is pysbd's to judge (it pairs the unclosed mark with the next).
    found = texts('He wrote "the end. She said, \'They told me "no."\' Then he left.')
    assert found[-1] == "Then he left."


WORDS = st.sampled_from("bread water the king said no we shall see tomorrow".split())
WRAPS = st.sampled_from(
    ['"{}"', "'{}'", "“{}”", "‘{}’", "\"'{}'\"", "'\"{}\"'", "“‘{}’”", "‘“{}”’", "{}"]
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.lists(WORDS, min_size=2, max_size=6), WRAPS, st.sampled_from(".!?")),
        min_size=1,
        max_size=6,
    )
)
def test_quoted_sentences_come_back_one_by_one(parts: list[tuple[list[str], str, str]]) -> None:
    # "He said" then a quotation ending in a stop and its closing marks, nested or not.
    made = []
    for words, wrap, stop in parts:
        quoted = " ".join(words).capitalize() + stop
        made.append("He said " + wrap.format(quoted))
    assert texts(" ".join(made)) == made


def test_a_lost_closing_mark_joins_no_sentences() -> None:
    # An OCR'd paragraph lost the mark after "see.": pysbd paired the opening mark with the
    # next quotation's and kept the four sentences between as one.
    text = (
        'He said "we shall see. The talks went on. Yeltsin left early. '
        'Christopher stayed. "Yes," she said. It ended.'
    )
    assert texts(text) == [
        'He said "we shall see.',
        "The talks went on.",
        "Yeltsin left early.",
        "Christopher stayed.",
        '"Yes," she said.',
        "It ended.",
    ]


@pytest.mark.parametrize(("opening", "closing"), [("“", "”"), ('"', '"'), ("‘", "’")])
def test_a_long_quoted_speech_comes_back_sentence_by_sentence(opening: str, closing: str) -> None:
    # Four sentences inside one quotation: longer than a quotation runs (three sentences),
    # so the marks protect nothing and each sentence is its own; the marks stay on the
    # first and the last.
    text = (
        f"Yeltsin said, {opening}This is a great idea. Tell Bill I am thrilled. "
        f"It is a brilliant stroke. We will discuss it at home.{closing} Then he left."
    )
    assert texts(text) == [
        f"Yeltsin said, {opening}This is a great idea.",
        "Tell Bill I am thrilled.",
        "It is a brilliant stroke.",
        f"We will discuss it at home.{closing}",
        "Then he left.",
    ]


def test_a_short_quoted_speech_stays_one_sentence() -> None:
    # Two sentences inside one quotation: a quotation, kept whole as pysbd keeps it.
    text = "Yeltsin said, “A great idea, really great. Tell Bill I am thrilled.” Then he left."
    assert texts(text) == [
        "Yeltsin said, “A great idea, really great. Tell Bill I am thrilled.”",
        "Then he left.",
    ]


def test_apostrophes_and_abbreviations_inside_a_recut_sentence_are_kept() -> None:
    # The lost mark makes the sentence be segmented again; pysbd still reads "Mr." and
    # "U.S." as abbreviations, and the apostrophes are no quotation marks.
    text = (
        "Mr. Smith said \"the Russians' view was clear. Mr. Jones didn't agree. "
        'The U.S. envoy left. Then "it rained." End.'
    )
    assert texts(text) == [
        "Mr. Smith said \"the Russians' view was clear.",
        "Mr. Jones didn't agree.",
        "The U.S. envoy left.",
        'Then "it rained."',
        "End.",
    ]


def test_a_lost_mark_in_the_account_hides_no_move() -> None:
    # The account lost the mark closing Yeltsin's words: the four sentences after it were
    # one sentence, one "partial" link, and the caveat told first was not called moved.
    from webapp.collate import Document, Settings, compare

    record = Document.from_text(
        "memcon",
        'Yeltsin said that partnership for all was "a great idea, really great." '
        "Christopher said that membership would come as a longer-term eventuality. "
        "Yeltsin asked that Clinton be told he was thrilled. The talks then turned to "
        "Ukraine. Kozyrev raised the Baltic troop withdrawal. Christopher said the United "
        "States would help with housing.",
    )
    account = Document.from_text(
        "memoir",
        "Christopher explained that membership would be long-term and evolutionary. "
        'Yeltsin called it "a great idea, really great. He asked that Clinton be told he '
        "was thrilled. The talks then turned to Ukraine. Kozyrev raised the Baltic troop "
        'withdrawal. Christopher said "we will help with housing."',
    )
    witness = compare(record, [account], Settings()).witnesses[0]
    assert len(account.sentences) == 6
    links = {(link.source, link.witness): link for link in witness.links}
    assert set(links) == {
        ((0,), (1,)),
        ((1,), (0,)),
        ((2,), (2,)),
        ((3,), (3,)),
        ((4,), (4,)),
        ((5,), (5,)),
    }
    assert [k for k, link in links.items() if link.moved] == [((1,), (0,))]


@pytest.mark.parametrize(("opening", "closing"), [("(", ")"), ("[", "]")])
def test_a_long_bracketed_aside_comes_back_sentence_by_sentence(opening: str, closing: str) -> None:
    # pysbd ends no sentence inside brackets: a note of four sentences (more than a
    # quotation runs) was one sentence with the one before it. Each is its own now, the
    # brackets on the first and the last.
    text = (
        f"Christopher thanked Yeltsin {opening}who had dissolved the Congress in September. "
        "The confrontation came on October 3. Many died. The army sided with him."
        f"{closing} Yeltsin said he was grateful."
    )
    assert texts(text) == [
        f"Christopher thanked Yeltsin {opening}who had dissolved the Congress in September.",
        "The confrontation came on October 3.",
        "Many died.",
        f"The army sided with him.{closing}",
        "Yeltsin said he was grateful.",
    ]


def test_a_short_bracketed_aside_and_an_unclosed_bracket_are_as_before() -> None:
    # Two sentences in brackets: an aside within the quotation bounds, kept whole as
    # pysbd keeps it; an unclosed bracket protects nothing, so pysbd already splits.
    short = "Christopher spoke. (Yeltsin had just dissolved the Congress. Many died.) He went on."
    assert texts(short) == [
        "Christopher spoke.",
        "(Yeltsin had just dissolved the Congress. Many died.)",
        "He went on.",
    ]
    unclosed = "Christopher spoke (at length. Yeltsin listened. Kozyrev took notes. It ended."
    assert texts(unclosed) == [
        "Christopher spoke (at length.",
        "Yeltsin listened.",
        "Kozyrev took notes.",
        "It ended.",
    ]


def test_overlong_brackets_pair_innermost_by_kind() -> None:
    from webapp.collate.quotemarks import overlong_brackets

    long_inner = "[One. Two. Three. Four.]"
    text = f"A (b {long_inner} c.) D (e. F.) G."
    start = text.index("[")
    # The square pair is too long, and so the round pair around it; the short round
    # pair after them is within the bounds and not listed.
    assert overlong_brackets(text) == [
        text.index("("),
        start,
        start + len(long_inner) - 1,
        text.index(")"),
    ]
    assert overlong_brackets("A (b. C. D. E. F") == []  # nothing closes it
    assert overlong_brackets("A ] b [ c") == []


def test_a_long_bracketed_note_in_the_record_hides_no_move() -> None:
    # The memcon's note-taker put four sentences in brackets: read as one record sentence,
    # the account's retelling of them linked to it as one merge and its move was lost.
    from webapp.collate import Document, Settings, compare

    record = Document.from_text(
        "memcon",
        "Christopher conveyed the President's thanks for Yeltsin's steadiness. [Yeltsin had "
        "dissolved the Congress of People's Deputies on September 21. Fighting in Moscow "
        "followed on October 3. The army sided with Yeltsin. Parliament was shelled.] "
        "Yeltsin said he was grateful that Clinton had stood by him.",
    )
    account = Document.from_text(
        "memoir",
        "Fighting in Moscow had followed on October 3. Christopher conveyed the President's "
        "thanks for Yeltsin's steadiness. Yeltsin had dissolved the Congress of People's "
        "Deputies on September 21. The army sided with Yeltsin. Parliament was shelled. "
        "Yeltsin said he was grateful that Clinton had stood by him.",
    )
    assert len(record.sentences) == 6
    witness = compare(record, [account], Settings()).witnesses[0]
    links = {(link.source, link.witness): link for link in witness.links}
    assert set(links) == {
        ((0,), (1,)),
        ((1,), (2,)),
        ((2,), (0,)),
        ((3,), (3,)),
        ((4,), (4,)),
        ((5,), (5,)),
    }
    assert [k for k, link in links.items() if link.moved] == [((2,), (0,))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He came (at last.) Then he left.", ["He came (at last.)", "Then he left."]),
        (
            "Yeltsin agreed [the note-taker added: reluctantly!] And the talks went on.",
            ["Yeltsin agreed [the note-taker added: reluctantly!]", "And the talks went on."],
        ),
        (
            "Christopher spoke (Yeltsin had just won. Many had died.) He went on.",
            ["Christopher spoke (Yeltsin had just won. Many had died.)", "He went on."],
        ),
        # The stop after the bracket: pysbd's own sentence end, as before.
        ("He came (at last). Then he left.", ["He came (at last).", "Then he left."]),
    ],
)
def test_a_sentence_ends_after_an_aside_that_ends_with_a_stop(
    text: str, expected: list[str]
) -> None:
    # pysbd ends a sentence after a closing bracket only where the aside began one.
    assert texts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "He named them all (Kozyrev, Grachev, etc.) The list was long.",  # an abbreviation
        'He said "it came (at last.) Then it left" and went.',  # inside a quotation
    ],
)
def test_an_aside_after_an_abbreviation_or_inside_a_quotation_ends_no_sentence(
    text: str,
) -> None:
    assert texts(text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "They called it a “longer term eventuality.”23 After all, Clinton went to Moscow.",
            ["They called it a “longer term eventuality.”23", "After all, Clinton went to Moscow."],
        ),
        (
            'He said "the real thing now."7 Then he left.',
            ['He said "the real thing now."7', "Then he left."],
        ),
        # Without a quotation pysbd already ends it there; four digits are no footnote.
        ("The talks ended.12 Yeltsin left.", ["The talks ended.12", "Yeltsin left."]),
        ('He said "no."1994 Men came.', ['He said "no."1994 Men came.']),
    ],
)
def test_a_footnote_number_after_a_quotation_still_ends_the_sentence(
    text: str, expected: list[str]
) -> None:
    # Articles taken from PDFs keep their footnote numbers after the closing mark.
    assert texts(text) == expected
