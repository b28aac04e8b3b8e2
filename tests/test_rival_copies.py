"""A rival that is a near-copy of the pair's own sentence (a saying the text repeats) says
which copy, not whether: the pair stands out against the other rivals and its free copy
is linked where the order has it (issue 10, KJV -> WEB Proverbs: "A soft answer turneth
away wrath" against "wise men turn away wrath"). A rival whose own partner shares nothing
with ours, or a square whose crossed cells fit better, is still a rival."""

from __future__ import annotations

import numpy as np

from webapp.collate.align import AlignSettings, choose_links
from webapp.collate.matching import TopPartners, stand_out
from webapp.collate.rivals import copy_aware
from webapp.collate.similarity import PairScores

Cells = dict[tuple[int, int], float]

#: Record 15 ("wise men turn away wrath") was moved by the account to line 5 and scores
#: 0.409 there; record 3 ("a soft answer turneth away wrath"), its near-copy, is linked to
#: line 3 (0.561) and scores 0.331 against line 5; record 15 against line 3, 0.202.
SQUARE: Cells = {(15, 5): 0.409, (3, 3): 0.561, (3, 5): 0.331, (15, 3): 0.202}


def account_of(i: int) -> int:
    """Where each record sentence is told: in order, but record 15 moved to line 5."""
    if i == 15:
        return 5
    return i if i < 5 or i > 15 else i + 1


def whole(cells: Cells) -> Cells:
    """The square inside twenty sentences a side told in the same order (0.8 each)."""
    out = {(i, account_of(i)): 0.8 for i in range(20)}
    return {**out, **cells}


def pairs_of(cells: Cells) -> PairScores:
    keys = sorted(cells)
    score = np.array([cells[k] for k in keys])
    return PairScores(
        np.array([i for i, _ in keys], dtype=np.int64),
        np.array([j for _, j in keys], dtype=np.int64),
        score,
        score.copy(),
        score.copy(),
    )


def scorer(cells: Cells):  # noqa: ANN201 (a CellScorer)
    def score(src: np.ndarray, wit: np.ndarray) -> np.ndarray:
        return np.array([cells.get((int(i), int(j)), 0.0) for i, j in zip(src, wit, strict=True)])

    return score


def stands_out(cells: Cells, aware: bool, pair: tuple[int, int] = (15, 5)) -> bool:
    pairs = pairs_of(cells)
    top = (
        TopPartners(pairs.source, pairs.witness, pairs.score, 20),
        TopPartners(pairs.witness, pairs.source, pairs.score, 20),
    )
    if aware:
        top = copy_aware(top, scorer(cells), AlignSettings(copy_rivals=True))
    score = cells[pair]
    return bool(stand_out(*top, AlignSettings(), [pair[0]], [pair[1]], [score])[0])


def test_a_pair_whose_rivals_are_copies_stands_out_against_the_others() -> None:
    cells = whole(SQUARE)
    assert not stands_out(cells, aware=False)  # 0.409 < 1.6 x 0.331
    assert stands_out(cells, aware=True)
    # The copies' own link is unaffected: its rivals are the same square.
    assert stands_out(cells, aware=True, pair=(3, 3))


def test_a_rival_whose_partner_shares_nothing_with_ours_is_still_a_rival() -> None:
    # Record 3 against line 5 by chance: record 15 does not resemble line 3 at all.
    cells = whole({**SQUARE, (15, 3): 0.0})
    assert not stands_out(cells, aware=True)


def test_a_square_whose_crossed_cells_fit_better_keeps_its_rival() -> None:
    # The crossed pairs outscore the diagonal: which copy goes where is not settled.
    cells = whole({**SQUARE, (3, 3): 0.3, (15, 3): 0.39})
    assert not stands_out(cells, aware=True)


def test_the_free_copy_is_linked_where_the_order_has_it() -> None:
    cells = whole(SQUARE)
    links = choose_links(pairs_of(cells), 20, 20, AlignSettings(copy_rivals=True))
    found = {(i, j) for link in links for i in link.source for j in link.witness}
    assert (15, 5) in found  # the moved saying, at the line it was moved to
    assert (3, 3) in found and (3, 5) not in found and (15, 3) not in found
    # Off (the default), the copy's likeness keeps the moved saying unlinked.
    plain = choose_links(pairs_of(cells), 20, 20, AlignSettings())
    assert (15, 5) not in {(i, j) for link in plain for i in link.source for j in link.witness}


def test_a_copy_next_to_the_pairs_own_sentence_is_no_copy() -> None:
    # Record 3's own line is line 6, beside line 5: that link may be the other half of a
    # split of line 5's passage, so record 3's likeness to line 5 stays a rival.
    square = {(15, 5): 0.409, (3, 3): 0.0, (3, 6): 0.561, (3, 5): 0.331, (15, 6): 0.202}
    assert not stands_out(whole(square), aware=True)
