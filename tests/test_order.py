"""Order analysis: longest order-preserving chain, moved links, Kendall tau."""

from __future__ import annotations

import pytest

from webapp.collate.order import kendall_tau, moved_links


def test_a_single_transposition_moves_one_link() -> None:
    positions = [(0, 0), (1, 1), (2, 4), (3, 2), (4, 3), (5, 5)]
    assert moved_links(positions, [1.0] * 6) == [False, False, True, False, False, False]


def test_a_moved_block_is_moved_as_a_whole() -> None:
    # Record sentences 1-2 are told at the end of the account.
    positions = [(0, 0), (1, 5), (2, 6), (3, 1), (4, 2), (5, 3), (6, 4)]
    assert [i for i, m in enumerate(moved_links(positions, [1.0] * 7)) if m] == [1, 2]


def test_weights_decide_between_equally_long_chains() -> None:
    positions = [(0, 1), (1, 0)]
    assert moved_links(positions, [1.0, 2.0]) == [True, False]
    assert moved_links(positions, [2.0, 1.0]) == [False, True]


def test_no_links_no_moves() -> None:
    assert moved_links([], []) == []


@pytest.mark.parametrize(
    ("positions", "tau"),
    [
        ([(0, 0), (1, 1), (2, 2)], 1.0),
        ([(0, 2), (1, 1), (2, 0)], -1.0),
        ([(0, 0), (1, 2), (2, 1), (3, 3)], 1 - 2 * 1 / 6),
    ],
)
def test_kendall_tau(positions: list[tuple[int, int]], tau: float) -> None:
    assert kendall_tau(positions) == pytest.approx(tau)


def test_kendall_tau_needs_two_links() -> None:
    assert kendall_tau([(0, 0)]) is None
