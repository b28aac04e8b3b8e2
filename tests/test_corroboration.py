"""Phrases two texts share nowhere else (collate/corroboration.py)."""

from __future__ import annotations

from webapp.collate.corroboration import RarePhrases


def test_a_bigram_in_one_sentence_of_each_text_is_rare_and_a_recurring_one_is_not() -> None:
    record = [["hunting", "lodge", "zavidovo"], ["great", "idea"], ["great", "idea", "indeed"]]
    account = [["idea", "great"], ["great", "idea"], ["old", "hunting", "lodge"]]
    phrases = RarePhrases(record, account)
    assert phrases.shared(0, 2)  # "hunting lodge": in no other sentence of either
    assert not phrases.shared(1, 1)  # "great idea": twice in the record
    assert phrases.shared(1, 1, copies=2)
    assert not phrases.shared(1, 0)  # the same words in the other order are no phrase
    assert not phrases.shared(0, 1)  # nothing in common
