"""The interior of a block of moved links is aligned like a gap between anchors
(:func:`webapp.collate.blocks.moved_interiors`, step 5 of :mod:`webapp.collate.align`)."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.synthetic import make_pair
from webapp.collate import Document, compare
from webapp.collate.blocks import moved_interiors
from webapp.collate.gaps import PairIndex
from webapp.collate.model import WitnessResult
from webapp.collate.similarity import PairScores


def _index(pairs: dict[tuple[int, int], float]) -> PairIndex:
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


def test_the_gaps_between_moved_links_that_follow_each_other_are_returned() -> None:
    links = _links(CHAIN + BLOCK)
    gaps = moved_interiors(links, _index(dict.fromkeys(CHAIN + BLOCK, 0.5)))
    assert sorted(gaps) == [((41, 44), (131, 132)), ((45, 48), (133, 134))]


def test_a_link_between_them_on_either_side_leaves_no_interior() -> None:
    # Record 46 is linked elsewhere (in the chain's order), so 44 and 48 do not follow
    # each other on the record side; account 131 is linked, so 40 and 44 do not either.
    extra = [(46, 105), (20, 131)]
    links = _links(CHAIN + BLOCK + extra)
    gaps = moved_interiors(links, _index(dict.fromkeys(CHAIN + BLOCK + extra, 0.5)))
    assert gaps == []


def test_links_on_the_chain_and_moves_out_of_order_give_no_interior() -> None:
    swapped = [(40, 134), (44, 132), (48, 130)]  # a reversed block: no gap keeps order
    links = _links(CHAIN + swapped)
    assert moved_interiors(links, _index(dict.fromkeys(CHAIN + swapped, 0.5))) == []
    assert moved_interiors(_links(CHAIN), _index(dict.fromkeys(CHAIN, 0.5))) == []


def _thinned(sentence: str) -> str:
    """Every third word only: a pair that is a weak guess on its own."""
    words = sentence.rstrip(".").split()
    return " ".join(w for k, w in enumerate(words) if k % 3 == 0) + "."


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
