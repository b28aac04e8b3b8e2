"""A merged half joins its line's link on a pair score under ``join_score`` when it is the
best there is on either side (KJV -> WEB Proverbs: two verses told as one line, the
second half scoring 0.20 against the whole line, under the 0.22 a join needed)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from webapp.collate.merges import DraftLink, GroupScorer, JoinSettings, join_neighbours
from webapp.collate.similarity import PairScores

RECORD = [
    "hell and destruction are before the lord",
    "a scorner loveth not one that reproveth him",
    "the merry heart maketh a cheerful countenance",
]
#: Account line 0 tells record 0 and 1 as one line; line 1 is record 2.
ACCOUNT = [
    "sheol and abaddon are before yahweh a scorner loveth not one who reproves",
    "a glad heart makes a cheerful face",
]

Figures = list[tuple[float, float, float]]


def groups_of(record: list[str]) -> GroupScorer:
    """Jaccard of the two sides' words and each side's share found on the other."""

    def groups(items: Sequence[tuple[Sequence[int], Sequence[int]]]) -> Figures:
        out = []
        for src, wit in items:
            a = {w for k in src for w in record[k].split()}
            b = {w for k in wit for w in ACCOUNT[k].split()}
            both = len(a & b)
            out.append((both / len(a | b), both / len(a), both / len(b)))
        return out

    return groups


def pairs_of(cells: dict[tuple[int, int], float], groups: GroupScorer) -> PairScores:
    """Candidate pairs with the given scores; containments from the words."""
    keys = sorted(cells)
    figures = groups([([i], [j]) for i, j in keys])
    return PairScores(
        np.array([i for i, _ in keys], dtype=np.int64),
        np.array([j for _, j in keys], dtype=np.int64),
        np.array([cells[k] for k in keys]),
        np.array([f[1] for f in figures]),
        np.array([f[2] for f in figures]),
    )


def joined(
    cells: dict[tuple[int, int], float], floor: float, record: list[str] = RECORD
) -> list[tuple[list[int], list[int]]]:
    """The links after the joins: record 0 with line 0, record 2 with line 1 to start."""
    links = [DraftLink({0}, {0}), DraftLink({2}, {1})]
    settings = JoinSettings(score=0.22, distance=1, containment=0.3, floor=floor)
    groups = groups_of(record)
    join_neighbours(links, pairs_of(cells, groups), settings, groups)
    return [(sorted(lk.source), sorted(lk.witness)) for lk in links]


def test_a_merged_half_that_is_its_lines_best_free_partner_joins() -> None:
    # Record 1 against line 0 scores 0.2, under join_score: its own best is line 1 by
    # chance (0.21), but of the free record sentences it is line 0's best.
    cells = {(0, 0): 0.5, (1, 0): 0.2, (1, 1): 0.21, (2, 1): 0.6}
    assert joined(cells, floor=0.1)[0] == ([0, 1], [0])
    assert joined(cells, floor=0.0)[0] == ([0], [0])  # the old rule: no join under 0.22


def test_a_weak_pair_that_is_nobodys_best_does_not_join() -> None:
    # Another free record sentence (3, far away) is line 0's best free partner, and
    # record 1's own best is elsewhere: a weak pair with no claim to being the merge.
    record = [*RECORD, "sheol and abaddon before yahweh a scoffer"]
    cells = {(0, 0): 0.5, (1, 0): 0.2, (1, 1): 0.21, (2, 1): 0.6, (3, 0): 0.3}
    assert joined(cells, floor=0.1, record=record)[0] == ([0], [0])


def test_the_floor_still_bounds_the_pair_score() -> None:
    cells = {(0, 0): 0.5, (1, 0): 0.08, (2, 1): 0.6}
    assert joined(cells, floor=0.1)[0] == ([0], [0])
    assert joined(cells, floor=0.05)[0] == ([0, 1], [0])
