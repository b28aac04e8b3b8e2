"""Accuracy on synthetic retellings the engine has never seen (known truth, fixed seeds).

The benchmark (``benchmarks/bench_align.py``) measures the same at 1,000 and 5,000
sentences; here small sizes keep the suite fast while still failing on a regression.
"""

from __future__ import annotations

import pytest

from benchmarks.metrics import f1, predicted
from benchmarks.synthetic import make_pair
from webapp.collate import Document, compare


@pytest.mark.parametrize(
    ("level", "seed", "min_link_f1", "min_move_f1"),
    [("light", 3, 0.97, 0.9), ("heavy", 4, 0.93, 0.8)],
)
def test_links_and_moves_are_found_in_synthetic_retellings(
    level: str, seed: int, min_link_f1: float, min_move_f1: float
) -> None:
    pair = make_pair(300, seed=seed, level=level)
    record = Document.from_text("record", pair.record_text)
    account = Document.from_text("account", pair.witness_text)
    assert len(record.sentences) == len(pair.record_sentences)
    assert len(account.sentences) == len(pair.witness_sentences)
    got = predicted(compare(record, [account]).witnesses[0])
    assert f1(got.links, pair.links)[2] >= min_link_f1
    assert f1(got.moved, pair.moved)[2] >= min_move_f1
    assert f1(got.omitted, pair.omitted)[2] >= 0.85
    assert f1(got.added, pair.added)[2] >= 0.8


def test_unrelated_texts_give_almost_no_links() -> None:
    a = make_pair(150, seed=11)
    b = make_pair(150, seed=12)
    record = Document.from_text("a", a.record_text)
    other = Document.from_text("b", b.record_text)
    result = compare(record, [other]).witnesses[0]
    # Same vocabulary and templates, different content: weak guesses must stay unlinked.
    assert len(result.links) <= 0.05 * len(record.sentences)
