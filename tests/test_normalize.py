"""Normalisation for matching: display text never changes, matching tokens fold variants."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.collate.normalize import (
    SPLIT_FROM,
    Normalizer,
    _fold,
    fold_verb_endings,
    merge_comparatives,
)


def test_case_quotes_dashes_and_hyphens_fold() -> None:
    n = Normalizer()
    assert n.words("“Long-term”—and ‘evolutionary’") == ["long", "term", "and", "evolutionary"]
    assert n.words('"LONG-TERM" and evolutionary') == n.words("long term and Evolutionary")


def test_line_break_hyphenation_is_joined() -> None:
    assert Normalizer().words("enlarge-\nment of NATO") == ["enlargement", "of", "nato"]


def test_numbers_with_digit_grouping_match() -> None:
    n = Normalizer()
    assert n.words("1,200 troops") == n.words("1200 troops") == ["1200", "troops"]


def test_possessives_and_negations() -> None:
    assert Normalizer().words("Yeltsin’s plan didn't work") == [
        "yeltsin",
        "plan",
        "did",
        "not",
        "work",
    ]


def test_spelling_variants_from_a_table() -> None:
    n = Normalizer({"Kosyrew": "Kozyrev"})
    assert n.words("Kosyrew met Kinkel") == n.words("Kozyrev met Kinkel")
    assert Normalizer().words("Kosyrew") != Normalizer().words("Kozyrev")


def test_terms_drop_stop_words_and_stem() -> None:
    n = Normalizer()
    assert n.terms(n.words("The enlargement of NATO was expanding")) == ["enlarg", "nato", "expand"]


def test_comparatives_meet_their_base_only_when_both_occur() -> None:
    assert merge_comparatives([["longer"], ["long"]]) == [["long"], ["long"]]
    assert merge_comparatives([["longer"], ["short"]]) == [["longer"], ["short"]]


def test_number_words_and_ordinals_become_digits() -> None:
    n = Normalizer()
    assert n.words("nearly twenty-two years") == n.words("nearly 22 years")
    assert n.words("three thousand two hundred") == ["3200"]
    assert n.words("two three") == ["2", "3"]
    assert n.words("on the 21st") == ["on", "the", "21"]


def test_early_modern_verb_endings_fold_to_a_base_the_text_has() -> None:
    text = [["he", "that", "loveth", "wisdom"], ["thou", "knowest"], ["love", "know", "go"]]
    assert fold_verb_endings(text + [["goeth"]]) == [
        ["he", "that", "love", "wisdom"],
        ["you", "know"],  # and the historical pronoun read as modern (archaic.py)
        ["love", "know", "go"],
        ["go"],
    ]
    # "setteth" -> "set": the doubled letter undone.
    assert fold_verb_endings([["setteth", "set"]]) == [["set", "set"]]


def test_words_that_only_look_like_verb_forms_stay() -> None:
    words = [["teeth", "beneath", "seth", "honest", "best"]]
    assert fold_verb_endings(words) == words
    # Without the base in the same text an -eth form is read as its modern -s form
    # (:func:`webapp.collate.archaic.third_person`), which the other text may have.
    assert fold_verb_endings([["loveth"]]) == [["loves"]]


def test_an_archaic_record_and_a_modern_retelling_share_the_verb() -> None:
    from webapp.collate import Document, compare

    record = Document.from_text(
        "record",
        "He that walketh uprightly walketh surely. The fool despiseth instruction and "
        "loveth folly. They walk and they love. A soft answer turneth away wrath.",
    )
    account = Document.from_text(
        "account",
        "The fool despises instruction and loves folly. Whoever walks uprightly walks securely.",
    )
    found = compare(record, [account]).witnesses[0].links
    links = {(link.source, link.witness): link for link in found}
    # "walketh" is read as "walk" (the record has "walk"): without that, the sentence that
    # shares only its verbs and "uprightly" stays unlinked.
    assert ((0,), (1,)) in links
    assert links[((1,), (0,))].score > 0.7


_PIECES = ["Word", "the", "Kozyrew", "é", "1,200", "_", "'", "’s", ",", "—", "x'y", "don't", "21st"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(_PIECES), min_size=1, max_size=8),
    st.lists(st.sampled_from([" ", "  ", "\n", "\t", " \n "]), min_size=1, max_size=3),
    st.integers(min_value=0, max_value=2**32),
)
def test_a_long_text_cut_at_whitespace_has_the_words_of_the_whole_pattern(
    pieces: list[str], spaces: list[str], seed: int
) -> None:
    """The long-text path reads the same words as the pattern over the whole text."""
    rng = random.Random(seed)
    words = ["".join(rng.choices(pieces, k=rng.randint(1, 3))) for _ in range(1200)]
    text = words[0] + "".join(rng.choice(spaces) + w for w in words[1:])
    folded = _fold(text)
    assert len(folded) >= SPLIT_FROM
    normalizer = Normalizer({"kozyrew": "kozyrev"})
    words_read, distinct = normalizer._long_words(folded)
    assert words_read == normalizer._tokens(folded)
    assert set(distinct) == set(words_read)
    assert "kozyrev" in normalizer.words(text) or "kozyrew" not in folded
