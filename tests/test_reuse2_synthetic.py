"""The synthetic pairs' opt-in second tellings (``make_pair(..., retold=...)``): off by
default (the benchmark pairs are unchanged), and when on, each second telling is linked to a
record sentence told in place too, moved, and set between two new sentences; the engine
links more of them with lone second tellings on (:mod:`webapp.collate.retell`)."""

from __future__ import annotations

from benchmarks.retold_pairs import _engine, _second
from benchmarks.synthetic import make_pair


def test_retold_is_off_by_default() -> None:
    plain, zero = make_pair(200, seed=3), make_pair(200, seed=3, retold=0.0)
    assert plain.witness_sentences == zero.witness_sentences and plain.links == zero.links
    assert not _second(plain)


def test_second_tellings_are_moved_links_between_new_sentences() -> None:
    pair = make_pair(300, seed=0, level="heavy", retold=0.05)
    second = _second(pair)
    assert len(second) >= 10
    told = {j for _, j in second}
    for _, j in second:
        assert j in pair.moved and j not in pair.added
        # Each block of second tellings has an added sentence either side.
        left, right = j - 1, j + 1
        while left in told:
            left -= 1
        while right in told:
            right += 1
        assert left in pair.added and right in pair.added


def test_lone_second_tellings_link_more_of_them() -> None:
    pair = make_pair(300, seed=0, level="heavy", retold=0.05)
    second = _second(pair)
    on = second & set(_engine(pair, True).links)
    off = second & set(_engine(pair, False).links)
    assert off < on
