"""Lone moves whose rivals are spoken for (:mod:`webapp.collate.lonely`), on hand-made pairs.

Seven record and seven account sentences; six links in order, record k to account k + 1,
leave record 6 and account 0 free, each beside a linked sentence: a pair of them is out
of order (a move). Each case
adds the pair and one or two rivals, and says whether the late step links it.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from webapp.collate.align import AlignSettings
from webapp.collate.gaps import PairIndex
from webapp.collate.lonely import lone_moves, own_scores
from webapp.collate.matching import TopPartners
from webapp.collate.merges import DraftLink
from webapp.collate.similarity import PairScores

SIZE = 7
LINKS = [DraftLink({k}, {k + 1}) for k in range(SIZE - 1)]
IN_PLACE = {(k, k + 1): 0.8 for k in range(SIZE - 1)}


def _moves(
    extra: dict[tuple[int, int], float],
    shared: set[tuple[int, int]] | None = None,
    settings: AlignSettings | None = None,
    links: list[DraftLink] | None = None,
) -> list[tuple[int, int]]:
    """The late step's links on the in-place links (``links``, default all six, each a
    candidate at 0.8) plus ``extra`` candidate pairs; ``shared``: the pairs that share a
    rare phrase (default: the move (6, 0) only)."""
    links = LINKS if links is None else links
    linked = {(min(link.source), min(link.witness)) for link in links}
    cells = {**{p: s for p, s in IN_PLACE.items() if p in linked}, **extra}
    src = np.array([i for i, _ in cells], dtype=np.int64)
    wit = np.array([j for _, j in cells], dtype=np.int64)
    score = np.array(list(cells.values()))
    zeros = np.zeros(len(score))
    pairs = PairScores(src, wit, score, zeros, zeros)
    top = (TopPartners(src, wit, score, SIZE), TopPartners(wit, src, score, SIZE))
    rare = {(6, 0)} if shared is None else shared
    return lone_moves(
        links, PairIndex(pairs), top, settings or AlignSettings(), lambda i, j: (i, j) in rare
    )


def test_a_lone_move_whose_only_rival_is_spoken_for_is_linked() -> None:
    # Record 6's rival, account 4, scores better than the move but is linked to record 3
    # at 0.8: it has its own partner, so it is no evidence against (6, 0).
    assert _moves({(6, 0): 0.3, (6, 4): 0.35}) == [(6, 0)]


def test_without_the_step_the_move_stays_unlinked() -> None:
    off = replace(AlignSettings(), spoken_move_ratio=0.0)
    assert _moves({(6, 0): 0.3, (6, 4): 0.35}, settings=off) == []


def test_a_rival_that_prefers_the_pair_still_counts() -> None:
    # Account 4 scores only 0.2 with its own partner: record 6 would serve it better, so
    # the move does not stand out against it.
    cells = {(6, 0): 0.3, (6, 4): 0.35, (3, 4): 0.2}
    assert _moves(cells) == []


def test_a_free_rival_close_to_the_pair_counts() -> None:
    # Without the link of record 3 to account 4, account 4 is free: record 6's rival is
    # nobody's partner, and neither pair beats the other by the ratio.
    links = [link for link in LINKS if 3 not in link.source]
    cells = {(6, 0): 0.3, (6, 4): 0.35}
    assert _moves(cells, shared={(6, 0), (6, 4)}, links=links) == []
    # Spoken for again (record 3 back), the move is linked.
    assert _moves(cells, shared={(6, 0), (6, 4)}) == [(6, 0)]


def test_a_topic_only_pair_without_a_rare_phrase_stays_unlinked() -> None:
    # The same move, its rival spoken for, but the two share only common words.
    assert _moves({(6, 0): 0.3, (6, 4): 0.35}, shared=set()) == []


def test_a_copy_of_a_formula_stays_unlinked() -> None:
    # Account 0 has two other partners it does not beat by distinct_ratio (a sentence the
    # record repeats), both spoken for: its best look-alike says what it is, not which.
    assert _moves({(6, 0): 0.3, (1, 0): 0.28, (2, 0): 0.27}) == []


def test_a_pair_in_order_is_left_to_the_gaps() -> None:
    # Without the link of record 0 to account 1, record 0 and account 0 are free and fit
    # before every link: a pair in order is the gaps' to judge, not a move.
    links = LINKS[1:]
    assert _moves({(0, 0): 0.3}, shared={(0, 0)}, links=links) == []


def test_a_pair_among_unlinked_sentences_stays_unlinked() -> None:
    # Without the link of record 0 to account 1, account 0 has no linked neighbour: it is
    # in no order to be moved out of (as the leftovers of unrelated texts).
    cells = {(6, 0): 0.3, (6, 4): 0.35}
    assert _moves(cells, links=LINKS[1:]) == []
    assert _moves(cells) == [(6, 0)]


def test_own_scores_read_each_sentence_best_partner_in_its_link() -> None:
    cells = {(0, 0): 0.4, (0, 1): 0.6, (1, 1): 0.2}
    src = np.array([i for i, _ in cells], dtype=np.int64)
    wit = np.array([j for _, j in cells], dtype=np.int64)
    score = np.array(list(cells.values()))
    zeros = np.zeros(len(score))
    index = PairIndex(PairScores(src, wit, score, zeros, zeros))
    own = own_scores([DraftLink({0}, {0, 1})], index, (3, 3))
    assert own[0].tolist() == [0.6, -1.0, -1.0]
    assert own[1].tolist() == [0.4, 0.6, -1.0]
