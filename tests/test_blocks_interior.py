"""The interior of a block of moved links is aligned like a gap between anchors
(:func:`webapp.collate.blocks.moved_interiors`, step 5 of :mod:`webapp.collate.align`)."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.synthetic import make_pair
from webapp.collate import Document, compare
from webapp.collate.blocks import (
    block_edges,
    moved_interiors,
    moved_runs,
    one_claim_each,
)
from webapp.collate.gaps import PairIndex
from webapp.collate.model import WitnessResult
from webapp.collate.moves import in_moved_blocks
from webapp.collate.similarity import PairScores


def pair_index(pairs: dict[tuple[int, int], float]) -> PairIndex:
    """A pair index of the given cell scores (every signal the same score)."""
    keys = sorted(pairs)
    score = np.array([pairs[k] for k in keys])
    source = np.array([i for i, _ in keys], dtype=np.int64)
    witness = np.array([j for _, j in keys], dtype=np.int64)
    return PairIndex(PairScores(source, witness, score, score, score))


def _links(pairs: list[tuple[int, int]]) -> list[tuple[set[int], set[int]]]:
    return [({i}, {j}) for i, j in pairs]


# A chain of twenty links in order (record 0-9 and 60-69 at account 0-9 and 110-119) and
# a block of three moved links: record 40-48 told after the chain, at account 130-134.
CHAIN = [(k, k) for k in range(10)] + [(60 + k, 110 + k) for k in range(10)]
BLOCK = [(40, 130), (44, 132), (48, 134)]


def _interiors(pairs: list[tuple[int, int]]) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    return moved_interiors(moved_runs(_links(pairs), pair_index(dict.fromkeys(pairs, 0.5))))


def test_the_gaps_between_moved_links_that_follow_each_other_are_returned() -> None:
    runs = moved_runs(_links(CHAIN + BLOCK), pair_index(dict.fromkeys(CHAIN + BLOCK, 0.5)))
    assert runs == [[(40, 40, 130, 130), (44, 44, 132, 132), (48, 48, 134, 134)]]
    assert sorted(moved_interiors(runs)) == [((41, 44), (131, 132)), ((45, 48), (133, 134))]


def test_a_link_between_them_on_either_side_leaves_no_interior() -> None:
    # Record 46 is linked elsewhere (in the chain's order), so 44 and 48 do not follow
    # each other on the record side; account 131 is linked, so 40 and 44 do not either.
    assert _interiors(CHAIN + BLOCK + [(46, 105), (20, 131)]) == []


def test_links_on_the_chain_and_moves_out_of_order_give_no_interior() -> None:
    swapped = [(40, 134), (44, 132), (48, 130)]  # a reversed block: no gap keeps order
    assert _interiors(CHAIN + swapped) == []
    assert _interiors(CHAIN) == []


def test_a_block_has_edges_up_to_the_nearest_linked_sentences() -> None:
    # Before the block: record 38-39 (37 is linked in the chain's order, at account 100)
    # and account 120-129 (119 is the chain's last); after it: record 49-59 and account
    # 135-139 (the text's end).
    pairs = CHAIN + BLOCK + [(37, 100)]
    links = _links(pairs)
    runs = moved_runs(links, pair_index(dict.fromkeys(pairs, 0.5)))
    edges = block_edges(runs, links, (200, 140)).own
    assert sorted(edges) == [((38, 40), (120, 130)), ((49, 60), (135, 140))]


def test_edges_of_two_blocks_that_share_free_sentences_are_left_out() -> None:
    # A second moved block right after the first in the account (record 20-24 at
    # 136-138): account 135 lies after the first block and before the second.
    second = [(20, 136), (24, 138)]
    pairs = CHAIN + BLOCK + second
    links = _links(pairs)
    runs = moved_runs(links, pair_index(dict.fromkeys(pairs, 0.5)))
    assert len(runs) == 2
    edges = block_edges(runs, links, (200, 140)).own
    assert all(not (g[1][0] <= 135 < g[1][1]) for g in edges)
    assert ((41, 44), (131, 132)) in moved_interiors(runs)  # the interiors stay
    assert ((21, 24), (137, 138)) in moved_interiors(runs)


def test_two_moved_links_with_only_free_sentences_between_are_a_block() -> None:
    # Record 4 -> account 20 and record 8 -> account 24 are off the chain, nothing is
    # linked between them: each is the other's block, although four sentences apart.
    keys = [((k,), (k,)) for k in range(3)] + [((4,), (20,)), ((8,), (24,))]
    keys += [((10 + k,), (5 + k,)) for k in range(10)]
    moved = [False] * 3 + [True, True] + [False] * 10
    assert in_moved_blocks(keys, moved) == [False] * 3 + [True, True] + [False] * 10
    # A linked record sentence between them (6, in the chain) breaks the block.
    keys.append(((6,), (2,)))
    moved.append(True)
    assert in_moved_blocks(keys, moved)[3:5] == [False, False]


def _thinned(sentence: str, every: int = 3) -> str:
    """Every third word only (or every ``every``-th): a pair that is a weak guess alone."""
    words = sentence.rstrip(".").split()
    return " ".join(w for k, w in enumerate(words) if k % every == 0) + "."


def _moved_passage(seed: int, thinned: set[int]) -> tuple[WitnessResult, list[tuple[int, int]]]:
    """Record sentences 40-46 told 120 sentences later, those of ``thinned`` (places in
    the passage) reduced to every third word; a thinned copy of record 100 told alone at
    the end."""
    record = make_pair(200, seed=seed, level="light").record_sentences[:150]
    passage = list(range(40, 47))
    kept = [s for k, s in enumerate(record) if k not in passage and k != 100]
    told = [_thinned(record[k]) if n in thinned else record[k] for n, k in enumerate(passage)]
    account = [*kept[:120], *told, *kept[120:], _thinned(record[100])]
    result = compare(
        Document.from_lines("record", "\n".join(record)),
        [Document.from_lines("account", "\n".join(account))],
    ).witnesses[0]
    return result, [(k, 120 + n) for n, k in enumerate(passage)]


@pytest.mark.parametrize(("seed", "thinned"), [(1, {2}), (1, {2, 3}), (3, {2}), (3, {2, 3})])
def test_a_weak_pair_inside_a_moved_block_is_linked_and_moved(seed: int, thinned: set[int]) -> None:
    # Without the interior step the thinned verses stay unlinked on these seeds: a weak
    # pair off the chain that does not stand out against the whole text.
    result, passage = _moved_passage(seed, thinned)
    link_of = {(i, j): link for link in result.links for i in link.source for j in link.witness}
    assert all(p in link_of and link_of[p].moved for p in passage)
    lone = (100, len(result.sentences) - 1)
    # The same weakness alone, with no block around it, is no move: unlinked, or at most
    # a possible move (seed 3: the pair stands out by the lone-move ratio).
    assert lone not in link_of or (not link_of[lone].moved and link_of[lone].possible_move)


@pytest.mark.parametrize(("seed", "thinned"), [(3, {6}), (3, {0, 6}), (5, {0}), (5, {0, 6})])
def test_a_weak_verse_at_the_edge_of_a_moved_block_is_linked_and_moved(
    seed: int, thinned: set[int]
) -> None:
    # The first or last verse of the moved passage thinned: without the blocks' edges it
    # stays unlinked on these seeds (nothing bounds it on the block's outer side).
    result, passage = _moved_passage(seed, thinned)
    link_of = {(i, j): link for link in result.links for i in link.source for j in link.witness}
    assert all(p in link_of and link_of[p].moved for p in passage)


def test_each_block_keeps_the_cell_on_its_own_diagonal_where_shared_edges_are_left_out() -> None:
    # As above, but the second block starts at account 137: its edge and the first
    # block's share account 135-136 and are left out, yet the cell just after the first
    # block (49, 135) and the one just before the second (19, 136) continue each its own
    # block, as one-cell gaps.
    second = [(20, 137), (24, 138)]
    pairs = CHAIN + BLOCK + second
    links = _links(pairs)
    runs = moved_runs(links, pair_index(dict.fromkeys(pairs, 0.5)))
    edges = block_edges(runs, links, (200, 140)).own
    assert ((49, 50), (135, 136)) in edges
    assert ((19, 20), (136, 137)) in edges
    assert [g for g in edges if g[1][0] <= 135 < g[1][1] or g[1][0] <= 136 < g[1][1]] == [
        ((49, 50), (135, 136)),
        ((19, 20), (136, 137)),
    ]


def _two_passages(seed: int) -> tuple[WitnessResult, list[tuple[int, int]]]:
    """Record sentences 40-46 and 80-86 told one after the other, late in the account,
    with a new sentence between them and the first verse of the second thinned to every
    fourth word; record
    47 and 79, next to them, left out (so the two blocks' edges share the new sentence
    and the thinned verse)."""
    full = make_pair(200, seed=seed, level="light").record_sentences
    record = full[:150]
    first, second = list(range(40, 47)), list(range(80, 87))
    kept = [s for k, s in enumerate(record) if k not in {*first, *second, 47, 79}]
    told = [_thinned(record[80], 4), *(record[k] for k in second[1:])]
    account = [*kept[:110], *(record[k] for k in first), full[150], *told, *kept[110:]]
    result = compare(
        Document.from_lines("record", "\n".join(record)),
        [Document.from_lines("account", "\n".join(account))],
    ).witnesses[0]
    return result, [(k, 118 + n) for n, k in enumerate(second)]


@pytest.mark.parametrize("seed", [1, 3, 4, 5])
def test_a_weak_first_verse_of_a_block_told_right_after_another_is_linked_and_moved(
    seed: int,
) -> None:
    # Without the cells on the blocks' own diagonals the thinned verse stays unlinked on
    # these seeds: both edges that hold it are left out as shared.
    result, passage = _two_passages(seed)
    link_of = {(i, j): link for link in result.links for i in link.source for j in link.witness}
    assert all(p in link_of and link_of[p].moved for p in passage)
    assert not any(117 in link.witness for link in result.links)  # the new sentence


def test_shared_edges_are_aligned_after_the_corners_a_sentence_claimed_twice_kept_once() -> None:
    # Two blocks whose edges share account 135-138: the corners (49, 135) and (19, 138)
    # are one-cell gaps, and both whole edges come back as shared.
    second = [(20, 139), (24, 140)]
    pairs = CHAIN + BLOCK + second
    links = _links(pairs)
    runs = moved_runs(links, pair_index(dict.fromkeys(pairs, 0.5)))
    sizes = (200, 141)  # the second block ends the account
    assert sorted(block_edges(runs, links, sizes).shared) == [
        ((10, 20), (135, 139)),  # before the second block: record 10-19 (9 is the chain's)
        ((49, 60), (135, 139)),  # after the first: record 49-59 (60 is the chain's)
    ]
    assert ((49, 50), (135, 136)) in block_edges(runs, links, sizes).own
    assert ((19, 20), (138, 139)) in block_edges(runs, links, sizes).own
    index = pair_index({(50, 136): 0.4, (14, 136): 0.3, (15, 137): 0.2})
    assert ((25, 40), (120, 130)) in block_edges(runs, links, sizes).own  # not shared: kept
    # Account 136 is claimed by both edges: the better pair keeps it.
    assert one_claim_each([(14, 136), (15, 137), (50, 136)], index) == [(15, 137), (50, 136)]


def _told_with_a_new_verse_between(seed: int) -> WitnessResult:
    """As :func:`_two_passages`, but the first passage's last verse is thinned and told
    after a new sentence of its own (account 116): it is not on the block's diagonal, so
    only the whole edge the two blocks share can place it."""
    full = make_pair(200, seed=seed, level="light").record_sentences
    record = full[:150]
    first, second = list(range(40, 47)), list(range(80, 87))
    kept = [s for k, s in enumerate(record) if k not in {*first, *second, 47, 79}]
    told = [*(record[k] for k in first[:-1]), full[151], _thinned(record[46])]
    account = [*kept[:110], *told, full[150], *(record[k] for k in second), *kept[110:]]
    return compare(
        Document.from_lines("record", "\n".join(record)),
        [Document.from_lines("account", "\n".join(account))],
    ).witnesses[0]


@pytest.mark.parametrize("seed", [3, 8])
def test_a_weak_verse_in_an_edge_two_blocks_share_is_linked_and_moved(seed: int) -> None:
    # Without the shared edges the thinned verse stays unlinked on these seeds.
    result = _told_with_a_new_verse_between(seed)
    link_of = {(i, j): link for link in result.links for i in link.source for j in link.witness}
    assert (46, 117) in link_of and link_of[(46, 117)].moved
    assert not any({116, 118} & set(link.witness) for link in result.links)  # the new ones
