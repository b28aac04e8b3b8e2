"""Phrase-order questions, the pure rules (webapp/collate/phrase_questions.py): reading a
teacher's pairs, locating phrases word for word, the key's answers for the record and for
each account from the key's links, and the score, each worked out by hand here."""

from __future__ import annotations

import pytest

from webapp.collate.phrase_questions import (
    RECORD,
    PhraseError,
    Question,
    parse_pairs,
    question,
    questions,
    score,
)

#: A memcon-like record: R1 the longer term, R2 the great idea, R3 the partnership.
RECORD_TEXT = [
    "As a longer term eventuality we could look at membership.",
    "The Partnership for Peace is a great idea, he said.",
    "We will move ahead with the partnership in January.",
]
#: A memoir that tells the great idea (A1) before the longer term (A3), and joins R3 to A2.
MEMOIR = [
    "He called it a great idea.",
    "In January the partnership went ahead.",
    "Membership was only a longer term eventuality.",
]
MEMOIR_LINKS = [((1,), (0,)), ((2,), (1,)), ((0,), (2,))]
#: An article that leaves out R1 (nothing of it is linked) and tells R2 and R3 in one.
ARTICLE = ["The partnership, a great idea, would move ahead in January."]
ARTICLE_LINKS = [((1, 2), (0,))]


def _accounts() -> list[tuple[str, list[tuple[tuple[int, ...], tuple[int, ...]]], list[str]]]:
    return [("memoir", MEMOIR_LINKS, MEMOIR), ("article", ARTICLE_LINKS, ARTICLE)]


def test_the_record_and_each_account_get_the_keys_answer() -> None:
    asked = question("longer term eventuality", "great idea", RECORD_TEXT, _accounts())
    # R1 holds A, R2 holds B: the record tells A first. The memoir links R1 to A3 and R2
    # to A1: B first, so "after". The article links nothing to R1: not told.
    assert (asked.a_sentence, asked.b_sentence) == (0, 1)
    assert asked.expected == {RECORD: "before", "memoir": "after", "article": "not_told"}


def test_two_phrases_told_in_one_account_sentence_are_ordered_by_their_words() -> None:
    # R2 (great idea) and R3 (in January) both go to the article's A1. In the record "in
    # January" (R3) comes after "great idea" (R2): after. In A1 "in january" starts at
    # word 8 (0-based: the partnership a great idea would move ahead in january), "great
    # idea" at word 3: after too. The memoir tells R3 in A2, R2 in A1: after.
    asked = question("in January", "great idea", RECORD_TEXT, _accounts())
    assert asked.expected == {RECORD: "after", "memoir": "after", "article": "after"}
    # Swapped round, every answer turns: "great idea" before "move ahead" (word 6) in A1.
    turned = question("great idea", "move ahead", RECORD_TEXT, _accounts())
    assert turned.expected == {RECORD: "before", "memoir": "before", "article": "before"}


def test_one_sentence_in_other_words_keeps_the_records_order() -> None:
    accounts = [("short", [((1, 2), (0,))], ["It was fine and it went on."])]
    asked = question("great idea", "with the partnership", RECORD_TEXT, accounts)
    assert asked.expected == {RECORD: "before", "short": "before"}


def test_case_and_punctuation_do_not_matter_the_words_do() -> None:
    asked = question("LONGER term, eventuality", "“Great idea”", RECORD_TEXT, _accounts())
    assert (asked.a_sentence, asked.b_sentence) == (0, 1)
    with pytest.raises(PhraseError, match="not in the record word for word"):
        question("longer eventuality", "great idea", RECORD_TEXT, _accounts())


def test_a_phrase_not_in_the_record_word_for_word_is_refused_by_name() -> None:
    with pytest.raises(PhraseError, match="'a splendid idea' is not in the record"):
        question("longer term eventuality", "a splendid idea", RECORD_TEXT, _accounts())
    with pytest.raises(PhraseError, match="start at the same word"):
        question("great idea", "great", RECORD_TEXT, _accounts())


def test_the_teachers_lines_are_read_one_pair_a_line() -> None:
    text = "longer term eventuality | great idea\n\n  great   idea|in January  \n"
    assert parse_pairs(text) == [
        ("longer term eventuality", "great idea"),
        ("great idea", "in January"),
    ]
    with pytest.raises(PhraseError, match="line 2 is not"):
        parse_pairs("a | b\nonly one phrase")
    with pytest.raises(PhraseError, match="line 1 is not"):
        parse_pairs("a | b | c")
    with pytest.raises(PhraseError, match="at most 10 phrase pairs \\(11 given\\)"):
        parse_pairs("\n".join("great idea | in January" for _ in range(11)))
    assert len(questions("great idea | in January\n" * 2, RECORD_TEXT, _accounts())) == 2


def test_the_score_counts_each_text_of_each_question_once() -> None:
    asked = [
        question("longer term eventuality", "great idea", RECORD_TEXT, _accounts()),
        question("great idea", "in January", RECORD_TEXT, _accounts()),
    ]
    # Expected: q1 before / after / not_told; q2 before / before / before (the article
    # tells both in A1, "great idea" at word 3 before "in january" at word 8).
    assert asked[1].expected == {RECORD: "before", "memoir": "before", "article": "before"}
    given = {
        "0": {RECORD: "before", "memoir": "before", "article": "not_told"},  # 2 of 3
        "1": {RECORD: "before", "article": "after"},  # 1 of 3, memoir unanswered
    }
    found = score(asked, given)
    assert (found.right, found.asked) == (3, 6)
    assert found.accuracy == pytest.approx(3 / 6)
    assert found.sentence().startswith("You answered 3 of 6 order questions as the key does")
    wrong = [(r.question, r.text, r.given) for r in found.rows if not r.right]
    assert wrong == [(0, "memoir", "before"), (1, "memoir", None), (1, "article", "after")]
    assert score([], {}).accuracy is None


def test_a_question_survives_its_stored_form() -> None:
    asked = question("longer term eventuality", "great idea", RECORD_TEXT, _accounts())
    assert Question.from_dict(asked.to_dict()) == asked
