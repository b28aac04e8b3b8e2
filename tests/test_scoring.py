"""Exercise scores (collate/scoring.py): hand-made cases, scipy / scikit-learn, properties."""

from __future__ import annotations

import math
import re
import warnings
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import kendalltau
from sklearn.metrics import cohen_kappa_score

from webapp.collate.agreement import count_inversions
from webapp.collate.answercheck import AnswerError, check_answer
from webapp.collate.scoring import (
    Answer,
    AnswerLink,
    Key,
    KeyLink,
    cohen_kappa,
    inversions,
    kendall_tau_b,
    key_order,
    score,
    unlinked,
)

KEY = Key(
    links=(
        KeyLink((0,), (0,), "verbatim", "The opening is copied."),
        KeyLink((1, 2), (1,), "condensation", "Two sentences in one."),
        KeyLink((4,), (3,), "paraphrase", "Said again in other words."),
        KeyLink((5,), (2,), "reordering", "Told before its time."),
    ),
    omitted=frozenset({3}),
    order={0: 0, 1: 1, 2: 5, 3: 4},
    quotes={"12-30": "exact", "40-52": "altered"},
)


def perfect(key: Key) -> Answer:
    """The key itself, as a student would hand it in."""
    order = tuple(sorted(key.order, key=lambda j: (key.order[j], j)))
    return Answer(
        links=tuple(AnswerLink(k.source, k.witness, k.label) for k in key.links),
        omitted=key.omitted,
        order=order,
        quotes=dict(key.quotes),
    )


def test_the_key_itself_scores_full_marks() -> None:
    result = score(KEY, perfect(KEY))
    assert (result.links.precision, result.links.recall, result.links.f1) == (1.0, 1.0, 1.0)
    assert result.omissions.f1 == 1.0
    assert (result.labels.kappa, result.labels.accuracy) == (1.0, 1.0)
    assert (result.order.tau, result.order.inverted) == (1.0, 0)
    assert result.quotes.accuracy == 1.0
    assert {row.status for row in result.breakdown} == {"right"}
    assert [row.note for row in result.breakdown][:2] == [
        "The opening is copied.",
        "Two sentences in one.",
    ]


def test_an_empty_answer_scores_zero_and_kappa_is_not_available() -> None:
    result = score(KEY, Answer())
    assert result.links.f1 == 0.0 and result.links.recall == 0.0
    assert result.links.precision is None
    assert result.labels.kappa is None and result.labels.accuracy is None
    assert result.order.tau is None and result.order.missing == 4
    assert result.quotes.accuracy == 0.0
    assert [row.status for row in result.breakdown] == ["missed"] * 4
    shown = {e.name: e for e in result.explained()}
    assert shown["label_kappa"].shown == "n/a" and shown["link_f1"].shown == "0.00"
    assert shown["label_accuracy"].text.startswith("Label accuracy is n/a")


def test_pairs_not_lines_count_two_links_drawn_one_by_one_are_right() -> None:
    answer = Answer(
        links=(
            AnswerLink((1,), (1,), "condensation"),
            AnswerLink((2,), (1,), "condensation"),
        )
    )
    result = score(KEY, answer)
    assert result.links.true_positives == 2 and result.links.false_positives == 0
    assert result.breakdown[1].status == "right"
    assert result.links.recall == pytest.approx(2 / 5)


def test_breakdown_names_partial_wrong_label_and_extra_links() -> None:
    answer = Answer(
        links=(
            AnswerLink((0,), (0,), "paraphrase"),  # right pair, wrong label
            AnswerLink((1,), (1,), "condensation"),  # half of a two-pair link
            AnswerLink((3,), (3,), "other", "I think so"),  # not in the key
        )
    )
    rows = score(KEY, answer).breakdown
    assert [r.status for r in rows] == ["wrong label", "partial", "missed", "missed", "extra"]
    assert rows[0].key_label == "verbatim" and rows[0].answer_label == "paraphrase"
    assert rows[1].found == 1 and rows[1].pairs == ((1, 1), (2, 1))
    assert rows[4].pairs == ((3, 3),) and rows[4].answer_label == "other"


def test_a_link_half_in_the_key_is_credited_there_and_its_other_half_is_extra() -> None:
    answer = Answer(links=(AnswerLink((4, 3), (3,), "paraphrase"),))
    result = score(KEY, answer)
    assert (result.links.true_positives, result.links.false_positives) == (1, 1)
    assert result.breakdown[2].status == "right"
    assert result.breakdown[-1].status == "extra" and result.breakdown[-1].pairs == ((3, 3),)


def test_links_not_scored_leave_both_sides() -> None:
    key = Key(
        links=(
            KeyLink((0,), (0,), "verbatim"),
            KeyLink((1,), (1,), "paraphrase", scored=False),
        ),
        omitted=frozenset({2}),
        order={0: 0, 1: 1},
    )
    linked_it = Answer(links=(AnswerLink((0,), (0,), "verbatim"), AnswerLink((1,), (1,), "other")))
    left_it = Answer(links=(AnswerLink((0,), (0,), "verbatim"),), omitted=frozenset({1, 2}))
    linked_elsewhere = Answer(
        links=(AnswerLink((0,), (0,), "verbatim"), AnswerLink((1,), (2,), "other"))
    )
    for answer in (linked_it, left_it):
        result = score(key, answer)
        assert result.links.f1 == 1.0 and result.labels.accuracy == 1.0
        assert [r.status for r in result.breakdown][:2] == ["right", "not scored"]
    assert score(key, left_it).omissions.f1 == 1.0
    # A pair the key does not draw at all still counts, even on an unscored sentence.
    assert score(key, linked_elsewhere).links.false_positives == 1


def test_all_links_unscored_and_an_empty_key() -> None:
    key = Key(links=(KeyLink((0,), (0,), "verbatim", scored=False),))
    result = score(key, Answer(links=(AnswerLink((0,), (0,), "other"),)))
    assert result.links.f1 == 1.0 and result.links.precision is None
    assert result.labels.compared == 0 and result.labels.kappa is None
    empty = score(Key(), Answer())
    assert empty.links.f1 == 1.0 and empty.omissions.f1 == 1.0
    assert empty.quotes.accuracy is None and empty.order.tau is None
    extra = score(Key(), Answer(links=(AnswerLink((0,), (0,)),)))
    assert extra.links.f1 == 0.0 and extra.links.precision == 0.0 and extra.links.recall is None


def test_swapping_two_neighbours_is_one_inversion_with_the_tau_by_hand() -> None:
    key = Key(order={j: j for j in range(6)})
    result = score(key, Answer(order=(0, 1, 3, 2, 4, 5)))
    assert result.order.inverted == 1
    # 15 pairs, 14 concordant, 1 discordant, no ties: (14 - 1) / 15.
    assert result.order.tau == pytest.approx(13 / 15, abs=1e-12)
    sentence = next(e.text for e in result.explained() if e.name == "inversions")
    assert sentence.startswith("You swapped 1 pair:")


def test_ties_in_the_key_order_accept_either_order() -> None:
    key = Key(order={0: 0, 1: 1, 2: 1, 3: 2})  # sentences 1 and 2 tell one record sentence
    for order in ((0, 1, 2, 3), (0, 2, 1, 3)):
        result = score(key, Answer(order=order))
        assert (result.order.inverted, result.order.tau) == (0, 1.0)
    # Out of place is still out of place: sentence 3 before the tied pair.
    assert score(key, Answer(order=(0, 3, 1, 2))).order.inverted == 2


def test_kappa_on_a_two_label_table_equals_the_closed_form() -> None:
    # Key rows, answer columns: a=20 (yes, yes), b=5 (yes, no), c=10 (no, yes), d=15 (no, no).
    a, b, c, d = 20, 5, 10, 15
    key = ["yes"] * (a + b) + ["no"] * (c + d)
    answer = ["yes"] * a + ["no"] * b + ["yes"] * c + ["no"] * d
    n = a + b + c + d
    p_o = (a + d) / n
    p_e = ((a + b) * (a + c) + (c + d) * (b + d)) / n**2
    assert cohen_kappa(key, answer) == pytest.approx((p_o - p_e) / (1 - p_e), abs=1e-9)


def test_kappa_is_not_available_when_chance_agreement_is_certain() -> None:
    assert cohen_kappa(["a", "a"], ["a", "a"]) is None
    assert cohen_kappa([], []) is None
    assert cohen_kappa(["a", "b"], ["b", "a"]) == pytest.approx(-1.0)
    with pytest.raises(ValueError, match="2 labels against 1"):
        cohen_kappa(["a", "b"], ["a"])


def test_key_order_ranks_account_sentences_by_their_record_sentence() -> None:
    links = (KeyLink((3,), (0,)), KeyLink((0, 1), (1, 2)), KeyLink((5,), (3,)))
    assert key_order(links) == {0: 3.0, 1: 0.0, 2: 0.0, 3: 5.0}
    assert unlinked(links, range(7)) == frozenset({2, 4, 6})


def test_each_figure_has_a_sentence_that_names_its_counts() -> None:
    answer = Answer(links=(AnswerLink((0,), (0,), "verbatim"),), quotes={"12-30": "exact"})
    rows = {e.name: e for e in score(KEY, answer).explained()}
    assert list(rows) == [
        "link_precision",
        "link_recall",
        "link_f1",
        "omission_f1",
        "label_kappa",
        "label_accuracy",
        "order_tau",
        "inversions",
        "quote_accuracy",
    ]
    assert rows["link_precision"].text == "Of the 1 sentence pair you linked, 1 is in the key."
    assert rows["link_recall"].text == "Of the key's 5 sentence pairs, you linked 1."
    assert rows["quote_accuracy"].text == "You judged 1 of the 2 quotations as the key does."
    assert rows["quote_accuracy"].shown == "0.50"
    assert all(row.text.endswith(".") and "\n" not in row.text for row in rows.values())


# --- Against scipy and scikit-learn, and properties ---------------------------------------

#: A machine shared by several test runs is slow at times: no per-example deadline.
relaxed = settings(deadline=None)

ranks = st.lists(st.integers(0, 5), min_size=2, max_size=12)
labels = st.lists(st.sampled_from(["verbatim", "paraphrase", "other"]), min_size=1, max_size=20)


@relaxed
@given(st.data())
def test_tau_b_equals_scipy_ties_included(data: st.DataObject) -> None:
    x = data.draw(ranks)
    y = data.draw(st.lists(st.integers(0, 5), min_size=len(x), max_size=len(x)))
    mine = kendall_tau_b(x, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy warns on a constant input (NaN)
        theirs = kendalltau(x, y).statistic
    if mine is None:
        assert math.isnan(theirs)
    else:
        assert mine == pytest.approx(theirs, abs=1e-9)


@relaxed
@given(st.data())
def test_kappa_equals_scikit_learn(data: st.DataObject) -> None:
    first = data.draw(labels)
    second = data.draw(
        st.lists(
            st.sampled_from(["verbatim", "paraphrase", "other"]),
            min_size=len(first),
            max_size=len(first),
        )
    )
    mine = cohen_kappa(first, second)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn warns when kappa is undefined
        theirs = cohen_kappa_score(first, second)
    if mine is None:
        assert math.isnan(theirs)
    else:
        assert mine == pytest.approx(theirs, abs=1e-9)


@relaxed
@given(st.permutations(list(range(9))))
def test_inverted_pairs_are_the_permutations_inversion_count(order: list[int]) -> None:
    count = sum(1 for a, b in combinations(order, 2) if a > b)
    key = Key(order={j: j for j in range(9)})
    result = score(key, Answer(order=tuple(order)))
    assert result.order.inverted == count == inversions(list(range(9)), _positions(order))
    assert result.order.tau == pytest.approx(1 - 4 * count / (9 * 8), abs=1e-12)


def _positions(order: list[int]) -> list[int]:
    return [order.index(j) for j in range(len(order))]


@relaxed
@given(st.integers(2, 15))
def test_a_reversed_order_has_tau_minus_one(n: int) -> None:
    key = Key(order={j: j for j in range(n)})
    result = score(key, Answer(order=tuple(reversed(range(n)))))
    assert result.order.tau == pytest.approx(-1.0)
    assert result.order.inverted == n * (n - 1) // 2


pair_lists = st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=10)


def _links(pairs: list[tuple[int, int]], label: str) -> tuple[AnswerLink, ...]:
    return tuple(AnswerLink((i,), (j,), label) for i, j in pairs)


@relaxed
@given(pair_lists, pair_lists)
def test_link_scores_are_bounded_and_f1_is_symmetric(
    key_pairs: list[tuple[int, int]], answer_pairs: list[tuple[int, int]]
) -> None:
    def run(k: list[tuple[int, int]], a: list[tuple[int, int]]) -> float:
        key = Key(links=tuple(KeyLink(x.source, x.witness, x.label) for x in _links(k, "other")))
        result = score(key, Answer(links=_links(a, "other")))
        for value in (result.links.precision, result.links.recall):
            assert value is None or 0.0 <= value <= 1.0
        assert 0.0 <= result.links.f1 <= 1.0
        return result.links.f1

    assert run(key_pairs, answer_pairs) == pytest.approx(run(answer_pairs, key_pairs))
    assert run(key_pairs, key_pairs) == 1.0


@relaxed
@given(pair_lists, st.lists(st.sampled_from(["verbatim", "paraphrase", "other"]), max_size=10))
def test_any_key_scores_one_against_itself(pairs: list[tuple[int, int]], names: list[str]) -> None:
    links = tuple(
        KeyLink((i,), (j,), names[k % len(names)] if names else None)
        for k, (i, j) in enumerate(dict.fromkeys(pairs))
    )
    key = Key(links=links, omitted=unlinked(links, range(7)), order=key_order(links))
    result = score(key, perfect(key))
    assert result.links.f1 == 1.0 and result.omissions.f1 == 1.0
    assert result.order.inverted == 0
    assert result.order.tau in (None, 1.0)
    assert result.labels.accuracy in (None, 1.0)
    assert result.labels.kappa in (None, 1.0)


@relaxed
@given(st.lists(st.integers(-50, 50), unique=True, max_size=40))
def test_fast_inversion_count_equals_counting_every_pair(values: list[int]) -> None:
    brute = sum(1 for a, b in combinations(values, 2) if a > b)
    assert count_inversions(values) == brute == inversions(list(range(len(values))), values)


@relaxed
@given(st.data())
def test_kappa_and_tau_stay_within_minus_one_and_one(data: st.DataObject) -> None:
    first = data.draw(labels)
    second = data.draw(
        st.lists(st.sampled_from(["a", "b", "verbatim"]), min_size=len(first), max_size=len(first))
    )
    kappa = cohen_kappa(first, second)
    assert kappa is None or -1.0 - 1e-12 <= kappa <= 1.0 + 1e-12
    order = data.draw(st.permutations(list(range(len(first)))))
    tau = score(Key(order={j: j for j in range(len(first))}), Answer(order=tuple(order))).order.tau
    assert tau is None or -1.0 - 1e-12 <= tau <= 1.0 + 1e-12


def test_only_the_counted_labels_take_part_in_the_label_scores() -> None:
    answer = Answer(
        links=(
            AnswerLink((0,), (0,), "paraphrase"),  # the key says verbatim
            AnswerLink((4,), (3,), "paraphrase"),  # the key says paraphrase
        )
    )
    every = score(KEY, answer).labels
    assert (every.compared, every.agreed) == (2, 1)
    only = score(KEY, answer, counted_labels={"paraphrase"}).labels
    assert (only.compared, only.agreed, only.accuracy) == (1, 1, 1.0)
    assert only.kappa is None  # one label on both sides: chance agrees as well


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (Answer(links=(AnswerLink((0,), (9,)),)), "link 1: there is no account sentence 10"),
        (Answer(links=(AnswerLink((), (0,)),)), "link 1: choose a record and an account"),
        (Answer(links=(AnswerLink((6,), (0,)),)), "no record sentence 7 (the record has 6)"),
        (Answer(links=(AnswerLink((0,), (0,), "lie"),)), "unknown label 'lie'"),
        (Answer(omitted=frozenset({-1})), "omitted: there is no record sentence 0"),
        (Answer(order=(0, 1, 0)), "each account sentence may come only once"),
        (Answer(order=(4,)), "order: there is no account sentence 5"),
        (Answer(quotes={"12-30": "maybe"}), "unknown verdict 'maybe'"),
        (Answer(quotes={"1-2": "exact"}), "not one of this exercise's quotations"),
    ],
)
def test_an_answer_that_names_sentences_nobody_saw_is_refused(answer: Answer, message: str) -> None:
    with pytest.raises(AnswerError, match=re.escape(message)):
        check_answer(answer, n_record=6, n_account=4, quotes=set(KEY.quotes))
    check_answer(perfect(KEY), n_record=6, n_account=4, quotes=set(KEY.quotes))  # fits


def test_the_omission_sentence_when_the_key_leaves_nothing_out() -> None:
    key = Key(links=(KeyLink((0,), (0,)),))
    rows = {e.name: e.text for e in score(key, Answer()).explained()}
    assert rows["omission_f1"] == "The key leaves no record sentence out, and neither do you."
    rows = {e.name: e.text for e in score(key, Answer(omitted=frozenset({0, 1}))).explained()}
    assert rows["omission_f1"] == (
        "The key leaves no record sentence out; you left out 2 sentences the account keeps."
    )


@relaxed
@given(pair_lists, pair_lists)
def test_the_breakdown_accounts_for_every_pair(
    key_pairs: list[tuple[int, int]], answer_pairs: list[tuple[int, int]]
) -> None:
    key = Key(links=tuple(KeyLink((i,), (j,), "other") for i, j in dict.fromkeys(key_pairs)))
    answer = Answer(links=_links(list(dict.fromkeys(answer_pairs)), "other"))
    result = score(key, answer)
    rows = result.breakdown
    assert sum(r.found for r in rows if r.status != "extra") == result.links.true_positives
    assert sum(len(r.pairs) for r in rows if r.status == "extra") == result.links.false_positives
    assert sum(r.status == "missed" for r in rows) == result.links.false_negatives
