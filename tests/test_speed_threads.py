"""Scoring a long list of pairs in two threads gives the scores of one thread, in the
same order (:data:`webapp.collate.similarity.SCORE_THREADS`), copies and all."""

from __future__ import annotations

import random

import numpy as np
import pytest

from webapp.collate import similarity
from webapp.collate.similarity import CHUNK_PAIRS, THREADED_CHUNKS, Scorer

WORDS = "ark tent king city gate wall field sword bread wine oil gold cedar altar".split()


def _scorer(seed: int) -> Scorer:
    rng = random.Random(seed)
    side = [[rng.choice(WORDS) for _ in range(rng.randint(1, 9))] for _ in range(230)]
    other = [list(s) if rng.random() < 0.3 else rng.sample(WORDS, 4) for s in side]
    other[5:9] = [other[4]] * 4  # copies: scored once, then spread
    return Scorer(side, other, side, other)


@pytest.mark.parametrize("seed", [0, 1])
def test_two_threads_score_as_one(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    scorer = _scorer(seed)
    rng = np.random.default_rng(seed)
    n = CHUNK_PAIRS * (THREADED_CHUNKS + 2) + 17  # enough chunks for the threads, one short
    src, wit = rng.integers(0, 230, n), rng.integers(0, 230, n)
    monkeypatch.setattr(similarity, "SCORE_THREADS", 1)
    alone = scorer.score_arrays(src, wit)
    monkeypatch.setattr(similarity, "SCORE_THREADS", 2)
    threaded = scorer.score_arrays(src, wit)
    for a, b in zip(
        (alone.source, alone.witness, alone.score, alone.containment_source),
        (threaded.source, threaded.witness, threaded.score, threaded.containment_source),
        strict=True,
    ):
        assert np.array_equal(a, b)
    assert alone.score.max() > 0.9 and alone.score.min() < 0.2  # a real spread of scores
