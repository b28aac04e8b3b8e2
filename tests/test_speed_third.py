"""Issue 10, third pass on the long sentence: the faster paths give what the plain ones do."""

from __future__ import annotations

from itertools import chain

from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.collate import archaic, normalize, number_words

_WORDS = ["two", "twenty", "hundred", "21st", "men", "one", "2", "and", "five", "thousand"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=60))
def test_number_words_are_found_alike_by_index_and_by_test(words: list[str]) -> None:
    special = number_words.NUMBER_WORDS.intersection(words) | {"21st"}
    expected = [k for k, w in enumerate(words) if w in special]
    assert number_words._positions(words, special) == expected
    few = number_words.FEW_SPECIAL
    try:  # the other path, whatever the number of distinct number words
        number_words.FEW_SPECIAL = 0 if len(special) <= few else 100
        assert number_words._positions(words, special) == expected
    finally:
        number_words.FEW_SPECIAL = few


def test_a_long_sentence_s_number_words_become_digits() -> None:
    words = ["men"] * 5000 + ["twenty", "two"] + ["men"] * 5000 + ["21st"]
    expected = ["men"] * 5000 + ["22"] + ["men"] * 5000 + ["21"]
    assert number_words.numbers_as_digits(words) == expected


_OLD = ["thou", "loveth", "love", "knowest", "know", "art", "the", "of", "war", "he", "unto"]


def _old_fold_verb_endings(word_lists: list[list[str]]) -> list[list[str]]:
    """fold_verb_endings as it was: the folded lists' words read again by modernise."""
    vocabulary = set(chain.from_iterable(word_lists))
    mapping = {w: b for w in vocabulary if (b := normalize._verb_base(w, vocabulary))}
    return archaic.modernise([list(map(mapping.get, ws, ws)) for ws in word_lists])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_OLD), max_size=12), max_size=4))
def test_verb_endings_and_old_forms_read_as_before(word_lists: list[list[str]]) -> None:
    assert normalize.fold_verb_endings(word_lists) == _old_fold_verb_endings(word_lists)
