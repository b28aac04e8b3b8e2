"""Moved blocks (:mod:`webapp.collate.blocks`): a run of moderate pairs is evidence, a
lone pair of the same strength is not, and how strong is judged on the text pair's own
chance scores."""

from __future__ import annotations

import numpy as np

from benchmarks.synthetic import make_pair
from webapp.collate import Document, compare
from webapp.collate.blocks import BlockSettings, block_boxes, find_blocks
from webapp.collate.gaps import NullScores, PairIndex
from webapp.collate.similarity import PairScores

SETTINGS = BlockSettings(alpha=0.05, min_length=2, max_step=3, floor=0.1)
#: Chance scores of a text pair: most unrelated pairs score under 0.15, one in a
#: thousand reaches 0.3.
NULL = NullScores(np.r_[np.linspace(0.0, 0.15, 19_000), np.linspace(0.15, 0.3, 980), [0.3] * 20])


def _index(pairs: dict[tuple[int, int], float]) -> PairIndex:
    src = np.array([i for i, _ in pairs], dtype=np.int64)
    wit = np.array([j for _, j in pairs], dtype=np.int64)
    score = np.array(list(pairs.values()))
    return PairIndex(PairScores(src, wit, score, score, score))


def _free(n: int = 400) -> tuple[np.ndarray, np.ndarray]:
    return np.ones(n, dtype=bool), np.ones(n, dtype=bool)


#: Chance pairs scattered over the text pair, none in a run.
NOISE = {(7 * k % 400, 13 * k % 400): 0.12 for k in range(1, 300)}


def test_a_run_of_moderate_pairs_is_a_block_and_a_lone_one_is_not() -> None:
    run = {(200, 50): 0.33, (201, 51): 0.31, (203, 52): 0.35, (204, 54): 0.32}
    lone = {(300, 350): 0.36}
    blocks = find_blocks(_index({**NOISE, **run, **lone}), _free(), NULL, SETTINGS)
    assert blocks == [sorted(run)]
    assert block_boxes(blocks) == [((200, 205), (50, 55))]


def test_the_same_run_is_no_block_where_chance_scores_run_that_high() -> None:
    run = {(200, 50): 0.33, (201, 51): 0.31, (203, 52): 0.35, (204, 54): 0.32}
    loud = NullScores(np.linspace(0.0, 0.6, 20_000))  # formulaic text: 0.33 is common
    assert find_blocks(_index({**NOISE, **run}), _free(), loud, SETTINGS) == []


def test_two_strong_pairs_in_a_row_suffice_but_not_far_apart() -> None:
    close = {(100, 300): 0.9, (101, 301): 0.8}
    apart = {(10, 20): 0.9, (14, 24): 0.8}  # four sentences apart: beyond max_step
    blocks = find_blocks(_index({**close, **apart}), _free(), NULL, SETTINGS)
    assert blocks == [sorted(close)]


def test_a_block_uses_free_sentences_only() -> None:
    run = {(200, 50): 0.33, (201, 51): 0.31, (203, 52): 0.35, (204, 54): 0.32}
    free_source, free_witness = _free()
    free_source[200:205] = False  # already linked elsewhere
    assert find_blocks(_index(run), (free_source, free_witness), NULL, SETTINGS) == []


def test_more_steps_allowed_make_the_search_stricter() -> None:
    run = {(200, 50): 0.3, (201, 51): 0.3, (202, 52): 0.3}
    assert find_blocks(_index(run), _free(), NULL, SETTINGS) == [sorted(run)]
    wide = BlockSettings(alpha=0.05, min_length=2, max_step=12, floor=0.1)
    assert find_blocks(_index(run), _free(), NULL, wide) == []


def test_few_anchors_are_filled_up_with_random_pairs_so_rare_scores_can_be_told() -> None:
    # Five anchors give 5 * 5 - 13 = 12 cross pairs: the rarest score they can tell is
    # one in 13, too coarse for a block over thousands of cells. Random pairs of the
    # text pair fill the sample up to its size.
    anchors = [(10 * k, 10 * k) for k in range(5)]
    calls: list[int] = []

    def cells(src: np.ndarray, wit: np.ndarray) -> np.ndarray:
        calls.append(len(src))
        return np.where(src == wit, 0.9, 0.05)

    null = NullScores.sample(anchors, (400, 400), cells, 2_000)
    assert calls == [2_000]
    assert len(null.sorted) == 2_000
    assert null.tail(np.array([0.5]))[0] < 0.01  # chance pairs almost never reach 0.5


def _thinned(sentence: str) -> str:
    """Every third word only: a pair that is a weak guess on its own."""
    words = sentence.rstrip(".").split()
    return " ".join(w for k, w in enumerate(words) if k % 3 == 0) + "."


def test_a_moved_passage_of_weak_pairs_is_linked_and_moved_and_a_lone_one_is_not() -> None:
    record = make_pair(200, seed=1, level="light").record_sentences[:150]
    passage, lone = list(range(40, 46)), 100
    kept = [s for k, s in enumerate(record) if k not in passage and k != lone]
    # The passage told 120 sentences later, thinned; the lone sentence thinned the same
    # way, told at the end.
    account = [*kept[:120], *(_thinned(record[k]) for k in passage), *kept[120:]]
    account.append(_thinned(record[lone]))
    result = compare(
        Document.from_lines("record", "\n".join(record)),
        [Document.from_lines("account", "\n".join(account))],
    ).witnesses[0]
    link_of = {(i, j): link for link in result.links for i in link.source for j in link.witness}
    moved_passage = [(k, 120 + n) for n, k in enumerate(passage)]
    assert all(p in link_of and link_of[p].moved for p in moved_passage)
    assert (lone, len(account) - 1) not in link_of
