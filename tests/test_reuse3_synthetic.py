"""The synthetic pairs' opt-in verse between second tellings (``make_pair(..., between=True)``):
off by default (the retold pairs are unchanged), and when on, a second telling of two
record sentences has a new sentence between its two."""

from __future__ import annotations

from benchmarks.retold_pairs import _second
from benchmarks.synthetic import make_pair


def test_between_is_off_by_default() -> None:
    plain = make_pair(300, seed=0, level="heavy", retold=0.05)
    off = make_pair(300, seed=0, level="heavy", retold=0.05, between=False)
    assert plain.witness_sentences == off.witness_sentences and plain.links == off.links


def test_a_second_telling_of_two_has_a_new_sentence_between() -> None:
    plain = make_pair(300, seed=0, level="heavy", retold=0.05)
    spread = make_pair(300, seed=0, level="heavy", retold=0.05, between=True)
    assert spread.record_sentences == plain.record_sentences
    told = sorted(_second(spread), key=lambda p: p[1])
    pairs = [(a, b) for a, b in zip(told, told[1:], strict=False) if b[0] == a[0] + 1]
    joined = [(a, b) for a, b in zip(told, told[1:], strict=False) if b[1] == a[1] + 1]
    assert pairs, "some second telling tells two record sentences"
    assert not joined  # no two second tellings side by side any more
    for (_, j), (_, k) in pairs:
        assert k == j + 2 and j + 1 in spread.added
    # The same record sentences are told again, and the pair's truth still adds up.
    assert {i for i, _ in told} == {i for i, _ in _second(plain)}
    assert len(spread.witness_sentences) == len(plain.witness_sentences) + len(pairs)
