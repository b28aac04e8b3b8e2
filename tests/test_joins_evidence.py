"""A merged half whose words are the translation's synonyms joins its line on the text
pair's own evidence (its score above chance, the line lacking it), not on a containment
floor; a neighbour that shares only function words, or whose link lacks nothing on the
other side, or that is a sentence away, does not (issue 10, KJV -> WEB Proverbs)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from webapp.collate.gaps import NullScores
from webapp.collate.merges import (
    JOIN_CELLS,
    DraftLink,
    GroupScorer,
    JoinSettings,
    join_neighbours,
)
from webapp.collate.similarity import PairScores

Figures = tuple[float, float, float]
Key = tuple[tuple[int, ...], tuple[int, ...]]

#: Record 0 "Eat thou not the bread of him that hath an evil eye", record 1 "neither
#: desire thou his dainty meats", told as one account line 0 "Don't eat the food of him
#: who has a stingy eye, and don't crave his delicacies": the single link covers its
#: verse well (0.73) and the line in part (0.29); with the half, both sides better.
MERGE: dict[Key, Figures] = {
    ((0,), (0,)): (0.45, 0.73, 0.29),
    ((0, 1), (0,)): (0.39, 0.48, 0.42),
    ((3,), (1,)): (0.60, 0.80, 0.80),
}


def scorer(figures: dict[Key, Figures]) -> GroupScorer:
    """A group scorer reading the figures above (nothing else is asked in these tests)."""

    def groups(items: Sequence[tuple[Sequence[int], Sequence[int]]]) -> list[Figures]:
        return [figures.get((tuple(s), tuple(w)), (0.0, 0.0, 0.0)) for s, w in items]

    return groups


def pairs_of(cells: dict[tuple[int, int], tuple[float, float, float]]) -> PairScores:
    """Candidate pairs: (record, account) -> (score, record containment, account's)."""
    keys = sorted(cells)
    return PairScores(
        np.array([i for i, _ in keys], dtype=np.int64),
        np.array([j for _, j in keys], dtype=np.int64),
        np.array([cells[k][0] for k in keys]),
        np.array([cells[k][1] for k in keys]),
        np.array([cells[k][2] for k in keys]),
    )


def joined(
    cells: dict[tuple[int, int], tuple[float, float, float]],
    chance: float,
    figures: dict[Key, Figures] = MERGE,
) -> list[int]:
    """The record side of line 0's link after the late joins (record 3 is line 1's)."""
    links = [DraftLink({0}, {0}), DraftLink({3}, {1})]
    settings = JoinSettings(score=0.22, distance=1, containment=0.3, floor=0.1, chance=chance)
    join_neighbours(links, pairs_of(cells), settings, scorer(figures))
    return sorted(links[0].source)


#: Record 1 against line 0: 0.125, containment 0.27 (bread/food, desire/crave).
HALF = {(0, 0): (0.45, 0.73, 0.29), (1, 0): (0.125, 0.27, 0.13), (3, 1): (0.6, 0.8, 0.8)}


def test_a_merged_half_in_synonyms_joins_when_its_score_is_above_chance() -> None:
    assert joined(HALF, chance=0.11) == [0, 1]


def test_without_the_calibration_the_containment_floor_keeps_it_out() -> None:
    assert joined(HALF, chance=1.0) == [0]


def test_a_neighbour_sharing_only_function_words_does_not_join() -> None:
    # "the", "of", "his": a pair score under this text pair's chance score.
    cells = {**HALF, (1, 0): (0.09, 0.2, 0.1)}
    assert joined(cells, chance=0.11) == [0]


def test_a_half_does_not_join_a_link_whose_other_side_lacks_nothing() -> None:
    # The line is already covered (0.74) and the record verse is not (0.29): a second
    # record verse there is no merged half, whatever the coverage says.
    figures = {**MERGE, ((0,), (0,)): (0.46, 0.29, 0.74), ((0, 1), (0,)): (0.46, 0.28, 0.89)}
    assert joined(HALF, chance=0.11, figures=figures) == [0]
    # Nor one only slightly lopsided (0.51 against 0.43: not clearly a merged line).
    figures = {**MERGE, ((0,), (0,)): (0.45, 0.51, 0.43), ((0, 1), (0,)): (0.44, 0.52, 0.5)}
    assert joined(HALF, chance=0.11, figures=figures) == [0]


def test_on_chance_evidence_a_half_does_not_join_across_a_free_sentence() -> None:
    # Record 2 is a sentence away from record 0 (record 1 free between them): a join
    # across it claims that record 1 was dropped, too much for a score just above chance.
    cells = {(0, 0): (0.45, 0.73, 0.29), (2, 0): (0.125, 0.27, 0.13), (3, 1): (0.6, 0.8, 0.8)}
    figures = {**MERGE, ((0, 2), (0,)): (0.39, 0.48, 0.42)}
    assert joined(cells, chance=0.11, figures=figures) == [0]
    # With its content there (containment 0.3), the skip is allowed as before.
    cells[(2, 0)] = (0.125, 0.3, 0.13)
    assert joined(cells, chance=0.11, figures=figures) == [0, 2]


def test_the_late_joins_read_the_chance_score_over_the_links_a_sentence_may_join() -> None:
    null = NullScores(np.linspace(0.0, 1.0, 1001))
    late = JoinSettings(0.22, 1, 0.3).calibrated(null.quantile, 0.05, 0.1, 1.6)
    assert late.floor == 0.1
    assert late.chance == pytest.approx(null.quantile(0.05 / JOIN_CELLS))
    assert late.chance == pytest.approx(0.975, abs=0.002)
