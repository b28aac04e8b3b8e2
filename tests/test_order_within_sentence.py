"""Two phrases of one record sentence, told in one account sentence: the order box and the
exercise key read the account sentence's words (:func:`webapp.collate.phrases.account_order`),
so an account that turns the sentence round is ``inverted`` / answers the other way."""

from __future__ import annotations

from webapp.collate import Document, compare, phrase_order
from webapp.collate.phrase_questions import question

RECORD = [
    "The fishermen pulled their boats onto the shingle before the storm.",
    "The mayor praised the harbour wall and then blamed the council for the flood.",
    "A messenger rode in from the capital with sealed letters.",
]
TURNED = [
    "The fishermen pulled their boats onto the shingle before the storm.",
    "The mayor blamed the council for the flood and then praised the harbour wall.",
    "A messenger rode in from the capital with sealed letters.",
]


def _verdict(account: list[str], a: str, b: str) -> str:
    record = Document.from_lines("record", "\n".join(RECORD))
    told = Document.from_lines("memoir", "\n".join(account))
    (one,) = phrase_order(record, compare(record, [told]), a, b).to_dict()["accounts"]
    assert isinstance(one, dict)
    return str(one["verdict"])


def test_an_account_sentence_turned_round_is_inverted_in_the_order_box() -> None:
    assert _verdict(TURNED, "harbour wall", "blamed the council") == "inverted"
    assert _verdict(TURNED, "blamed the council", "harbour wall") == "inverted"
    assert _verdict(RECORD, "harbour wall", "blamed the council") == "kept"


def test_the_exercise_key_reads_the_same_words() -> None:
    links = [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    asked = question(
        "harbour wall",
        "blamed the council",
        RECORD,
        [("turned", links, TURNED), ("same", links, RECORD)],
    )
    assert asked.expected["record"] == "before"
    assert asked.expected["turned"] == "after"
    assert asked.expected["same"] == "before"
