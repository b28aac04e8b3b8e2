"""The evidence figures of benchmarks.real_evidence on a hand-made score matrix."""

from __future__ import annotations

import numpy as np

from benchmarks.real_evidence import separation


def test_ranking_errors_and_stand_out_counts_come_from_the_rivals() -> None:
    scores = np.array(
        [
            [0.90, 0.10, 0.05],  # true 0.90: best by far
            [0.40, 0.25, 0.05],  # true 0.25: a rival (0.40) scores higher
            [0.05, 0.05, 0.20],  # true 0.20: best, but only 1.33x its rival (0.15)
        ]
    )
    scores[2, 1] = 0.15
    figures = separation(scores, [(0, 0), (1, 1), (2, 2)])
    assert figures["not best"] == 1
    assert figures["under 1.6x rival"] == 2
    assert figures["under 0.3"] == 2
    assert figures["true median"] == 0.25
    # Chance pairs are every other cell; the top one is the rival of the second row.
    assert np.isclose(figures["chance p99.9"], np.percentile(scores[~np.eye(3, dtype=bool)], 99.9))
