"""Merged halves in archaic wording (issue 10): the joins read the words the scorer reads.

The joins' containments come from the content terms of the scorer's words, which are the
words read through :func:`webapp.collate.archaic.modernise` ("thou", "hath", "unto" are
then stop words). What still counted as content was a closed-class word the table lacked
("wherefore", "thereof", "shouldest") and a number in its older form ("two and thirty",
"two hundred and seven"): words the modern side never says, held against a merged half.
And a half whose content is in synonyms but whose wording is the line's is judged, in the
late joins, on every word too, as the pair score reads it.
"""

from __future__ import annotations

from functools import partial

from webapp.collate import Document, compare
from webapp.collate.archaic import modernise
from webapp.collate.merges import DraftLink, JoinSettings, coverage, join_neighbours
from webapp.collate.normalize import Normalizer, fold_verb_endings, is_content
from webapp.collate.similarity import Scorer


def _scorer(record: list[str], account: list[str]) -> Scorer:
    """The scorer :func:`webapp.collate.compare` builds for one sentence a line."""
    norm = Normalizer()
    sides = [fold_verb_endings([norm.words(s) for s in lines]) for lines in (record, account)]
    terms = [[norm.terms(w) for w in side] for side in sides]
    return Scorer(terms[0], terms[1], sides[0], sides[1])


def test_closed_class_old_forms_are_read_as_modern_function_words() -> None:
    words = ["wherefore", "whatsoever", "peradventure", "shouldest", "aught", "nought"]
    modern = modernise([words])[0]
    assert modern == ["therefore", "whatever", "perhaps", "should", "anything", "nothing"]
    assert not any(map(is_content, modern))  # as the modern side's words are not


def test_old_number_forms_are_the_modern_numbers() -> None:
    norm = Normalizer()
    assert norm.words("two and thirty years") == norm.words("thirty-two years")
    assert norm.words("two hundred and seven years") == norm.words("two hundred seven years")
    assert norm.words("nine hundred sixty and nine") == ["969"]
    assert norm.words("an hundred and five and twenty") == ["125"]
    assert norm.words("threescore and ten") == ["70"]
    # An "and" that fills no empty place joins nothing.
    assert norm.words("two and three") == ["2", "and", "3"]
    assert norm.words("between two and thirty") == ["between", "2", "and", "30"]


RECORD = [
    "And the elders of the city gathered at the gate in the morning.",
    "Wherefore, whatsoever the king hath spoken, peradventure he shall do it,",
    "and his servants shall bring back water and bread unto the city.",
    "Then the priests sang in the temple with a great noise.",
]
#: Account line 1 tells record 1 and 2 as one line.
ACCOUNT = [
    "The elders of the city gathered at the gate in the morning.",
    "Therefore, whatever the king has spoken, perhaps he will do it, and his servants "
    "will bring back water and bread to the city.",
    "Then the priests sang in the temple with a great noise.",
]


def test_a_merged_half_in_archaic_wording_covers_its_line_better() -> None:
    scorer = _scorer(RECORD, ACCOUNT)
    alone, merged = scorer.group_scores([([2], [1]), ([1, 2], [1])])
    # "wherefore", "whatsoever", "peradventure" were content words the line lacks (the
    # link covered less with the half, and the half's containment was under
    # join_containment); read as "therefore", "whatever", "perhaps" they are function
    # words, and most of the half is in the line.
    assert coverage(merged) > coverage(alone) + 0.05
    links = [DraftLink({0}, {0}), DraftLink({2}, {1}), DraftLink({3}, {2})]
    pairs = scorer.score([(1, 1), (1, 0), (1, 2)])
    join_neighbours(links, pairs, JoinSettings(0.22, 1, 0.3), scorer.group_scores)
    assert links[1].source == {1, 2}


def test_the_merge_is_one_link_in_the_comparison() -> None:
    record = Document.from_lines("record", "\n".join(RECORD) + "\n")
    account = Document.from_lines("account", "\n".join(ACCOUNT) + "\n")
    links = compare(record, [account]).witnesses[0].links
    assert [(link.source, link.witness) for link in links] == [
        ((0,), (0,)),
        ((1, 2), (1,)),
        ((3,), (2,)),
    ]


def test_a_neighbour_sharing_only_archaic_function_words_does_not_join() -> None:
    # Record 1 shares with line 1 only "unto", "thee" and "whatsoever" (read as "to",
    # "you", "whatever": function words), none of its content: it is no half of that line.
    record = [
        "And the elders of the city gathered at the gate in the morning.",
        "I will send unto thee whatsoever sheep are born in the winter.",
        "The king sent his servants to the river, and they brought back water.",
        "Then the priests sang in the temple with a great noise.",
    ]
    account = [
        "The elders of the city gathered at the gate in the morning.",
        "The king sent his servants to the river, and whatever they found they brought "
        "back to you.",
        "Then the priests sang in the temple with a great noise.",
    ]
    scorer = _scorer(record, account)
    pairs = scorer.score([(1, 1), (1, 0), (1, 2)])
    assert pairs.containment_source[0] == 0.0
    links = [DraftLink({0}, {0}), DraftLink({2}, {1}), DraftLink({3}, {2})]
    join_neighbours(links, pairs, JoinSettings(0.0, 1, 0.0), scorer.group_scores)
    assert links[1].source == {2}
    result = compare(
        Document.from_lines("record", "\n".join(record) + "\n"),
        [Document.from_lines("account", "\n".join(account) + "\n")],
    ).witnesses[0]
    assert result.omitted == (1,)


#: Record 1 and 2 told as account line 1; part of record 1's content is in synonyms
#: ("enjoin thee ... befitting", "command you ... appropriate").
SYNONYMS = (
    [
        "The elders of the city gathered at the gate in the morning.",
        "Wherefore, though I have all boldness before the king to enjoin thee that which is "
        "befitting,",
        "yet for love's sake I rather beseech thee, being such a one as Paul the aged, and "
        "now a prisoner of the king.",
        "Then the priests sang in the temple with a great noise.",
    ],
    [
        "The elders of the city gathered at the gate in the morning.",
        "Therefore, though I have all boldness before the king to command you that which is "
        "appropriate, yet for love's sake I rather beg you, being such a one as Paul the "
        "aged, and now a prisoner of the king.",
        "Then the priests sang in the temple with a great noise.",
    ],
)


def _late_join(record: list[str], account: list[str], every_word: bool) -> set[int]:
    """Record 1's join as the late joins make it (above a chance score of 0.3), with or
    without the every-word reading; the record side of line 1's link after it."""
    scorer = _scorer(record, account)
    links = [DraftLink({0}, {0}), DraftLink({2}, {1}), DraftLink({3}, {2})]
    pairs = scorer.score([(1, 1), (1, 0), (1, 2)])
    words = partial(scorer.group_scores, every_word=True) if every_word else None
    settings = JoinSettings(0.22, 1, 0.3, chance=0.3)
    join_neighbours(links, pairs, settings, scorer.group_scores, words)
    return links[1].source


def test_a_half_in_synonyms_joins_on_the_words_it_shares_with_its_line() -> None:
    scorer = _scorer(*SYNONYMS)
    content = scorer.group_scores([([2], [1]), ([1, 2], [1])])
    words = scorer.group_scores([([2], [1]), ([1, 2], [1])], every_word=True)
    # Its content is in the line (containment 0.43, over join_containment), but its
    # content words cover the link less with it (0.702 -> 0.696): "enjoin" and
    # "befitting" are not "command" and "appropriate"; every word covers it much better.
    assert coverage(content[1]) < coverage(content[0])
    assert coverage(words[1]) > coverage(words[0]) + 0.1
    assert _late_join(*SYNONYMS, every_word=False) == {2}
    assert _late_join(*SYNONYMS, every_word=True) == {1, 2}


def test_a_neighbour_sharing_only_function_words_does_not_join_on_every_word() -> None:
    # Record 1 says something else in the line's function words ("though I have all ...
    # that which is"): its containment is under join_containment, so it is judged on its
    # content words alone, and it is not the line's half.
    record = list(SYNONYMS[0])
    record[1] = "Wherefore, though I have all the sheep that which is born in the winter,"
    assert _late_join(record, SYNONYMS[1], every_word=True) == {2}
