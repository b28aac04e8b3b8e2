"""Early Modern English forms read as modern ones by the scorer (issue 10, Proverbs)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.collate import Document, compare
from webapp.collate.archaic import MODERN, modernise, respell, third_person
from webapp.collate.normalize import STOP_WORDS, Normalizer, fold_verb_endings


def test_pronouns_auxiliaries_and_prepositions_become_modern_words() -> None:
    words = Normalizer().words("Thou hast shewed unto thy servant what he hath done.")
    assert modernise([words]) == [
        ["you", "have", "showed", "to", "your", "servant", "what", "he", "has", "done"]
    ]


def test_every_modern_form_of_a_closed_class_word_is_a_stop_word() -> None:
    # What made "thou" and "thy" count as content: the modern forms are function words.
    closed = ["thou", "thee", "ye", "thy", "thine", "hath", "unto", "whilst", "ere"]
    assert all(MODERN[w] in STOP_WORDS for w in closed)
    assert not any(w in STOP_WORDS for w in closed)


def test_a_word_that_is_also_modern_changes_only_in_context() -> None:
    assert modernise([["art", "thou", "he"], ["thou", "art"], ["the", "art", "of", "war"]]) == [
        ["are", "you", "he"],
        ["you", "are"],
        ["the", "art", "of", "war"],
    ]


def test_eth_forms_take_the_modern_third_person_spelling() -> None:
    cases = {
        "covereth": "covers",  # unstressed last syllable: no silent e
        "hateth": "hates",  # one syllable, not doubled: a silent e was lost
        "provideth": "provides",
        "sitteth": "sits",  # the doubled consonant undone
        "crieth": "cries",
        "giveth": "gives",
        "rejoiceth": "rejoices",
        "blesseth": "blesses",
        "judgeth": "judges",
        "troubleth": "troubles",
        "speaketh": "speaks",
        "soweth": "sows",
        "falleth": "falls",
    }
    assert {w: third_person(w) for w in cases} == cases
    # Short forms ("seeth", "goeth") are in the table: five letters are too few to tell
    # a verb from "teeth".
    assert modernise([[*cases, "seeth", "goeth", "teeth"]]) == [
        [*cases.values(), "sees", "goes", "teeth"]
    ]


def test_words_that_only_end_like_eth_forms_stay() -> None:
    assert [third_person(w) for w in ("teeth", "seth", "beneath", "twentieth", "forest")] == [
        "teeth",
        "seth",
        "beneath",
        "twentieth",
        "forest",
    ]


def test_older_and_british_spellings_meet_the_american_ones() -> None:
    old = ["neighbour", "honoured", "labourers", "favour", "sepulchre", "centres", "defence"]
    assert [respell(w) for w in old] == [
        "neighbor",
        "honored",
        "laborers",
        "favor",
        "sepulcher",
        "centers",
        "defense",
    ]
    assert respell("cæsarea") == respell("caesarea")
    # Short words and other endings stay: "your", "hour", "four", "store", "acre", "hatred".
    assert [respell(w) for w in ("your", "hour", "four", "store", "acre", "hatred")] == [
        "your",
        "hour",
        "four",
        "store",
        "acre",
        "hatred",
    ]
    # And an -eth form is read as -s, then respelled: "laboureth" is "labors".
    assert modernise([["he", "laboureth"]]) == [["he", "labors"]]


def test_a_neighbour_of_the_record_is_the_neighbor_of_the_account() -> None:
    record = Document.from_lines(
        "record",
        "Withdraw thy foot from thy neighbour's house, lest he be weary of thee.\n"
        "The house of the wicked shall be overthrown, lest the foot slip.\n",
    )
    account = Document.from_lines(
        "account", "Let your foot be seldom in your neighbor's house, lest he be weary of you.\n"
    )
    links = compare(record, [account]).witnesses[0].links
    assert [(link.source, link.witness) for link in links] == [((0,), (0,))]
    # Read as written ("thy", "neighbour", "thee") the pair scores 0.33: a weak link.
    assert links[0].score > 0.6


def test_a_modern_text_comes_back_unchanged() -> None:
    words = [["the", "art", "of", "war"], ["you", "have", "shown", "mercy"], ["teeth"]]
    assert modernise(words) == words
    assert fold_verb_endings(words) == words


def test_the_archaic_record_sentence_now_ranks_first_for_its_modern_retelling() -> None:
    # Without the modern reading, the second record sentence (which shares "day",
    # "trouble", "servant", "mercy" in its own words) took the account sentence (0.29).
    record = Document.from_lines(
        "record",
        "Thou hast shewed unto thy servant thy mercy; he covereth thee in the day of trouble.\n"
        "In the day of trouble the servant of the king found mercy and was covered.\n",
    )
    account = Document.from_lines(
        "account", "You have shown your servant your mercy; he covers you in the day of trouble.\n"
    )
    links = compare(record, [account]).witnesses[0].links
    assert [(link.source, link.witness) for link in links] == [((0,), (0,))]
    assert links[0].score > 0.7


def test_display_text_and_quotations_keep_the_words_as_written() -> None:
    record = Document.from_text("record", "The king said: thou hast shewed mercy unto me.")
    account = Document.from_text(
        "account", 'The king said that "you have shown mercy to me" on that day.'
    )
    result = compare(record, [account]).witnesses[0]
    assert result.links and result.links[0].source == (0,)
    # The scorer reads "thou hast" as "you have"; the quotation check does not: the
    # account's quoted words are not the record's.
    assert [q.status for q in result.quotes] != ["exact"]
    assert result.quotes
    assert compare(record, [account]).source.sentences[0].text.startswith("The king said: thou")


_PIECES = [
    "thou",
    "art",
    "hath",
    "cover",
    "eth",
    "our",
    "tre",
    "s",
    "the",
    "neighb",
    "i",
    "ti",
    "æ",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=3), max_size=8)))
def test_the_modern_reading_keeps_every_word_and_is_stable(pieces: list[list[list[str]]]) -> None:
    sentences = [["".join(word) for word in sentence] for sentence in pieces]
    once = modernise(sentences)
    # One word for one word (the word diff and the scorer count the same words), and a
    # modern form is read as itself.
    assert [len(s) for s in once] == [len(s) for s in sentences]
    assert modernise(once) == once
