"""The chance sample of a text pair of a memcon's size (issue 10), and its measurement."""

from __future__ import annotations

import numpy as np

from benchmarks.small_calibration import synthetic
from benchmarks.synthetic import make_pair
from webapp.collate import Document, compare
from webapp.collate.gaps import NullScores

#: A 40 x 40 pair with eight anchors on its diagonal: 8 * 8 - 22 = 42 cross pairs.
SHAPE = (40, 40)
ANCHORS = [(5 * k, 5 * k) for k in range(8)]


def _chance(src: np.ndarray, wit: np.ndarray) -> np.ndarray:
    """Deterministic chance likeness in [0, 0.2), except the diagonal (the true pairs)."""
    noise = ((src * 7919 + wit * 104_729) % 1000) / 5000.0
    return np.where(src == wit, 0.9, noise)


def test_a_small_pair_s_sample_is_its_anchors_cross_pairs_and_holds_no_true_pair() -> None:
    # Under null_pairs cells the sample is not filled up: it cannot tell a chance under
    # 1 / 43 here, however high the score (the limit measured in RESULTS, seventh round).
    seen: list[tuple[np.ndarray, np.ndarray]] = []

    def cells(src: np.ndarray, wit: np.ndarray) -> np.ndarray:
        seen.append((src, wit))
        return _chance(src, wit)

    null = NullScores.sample(ANCHORS, SHAPE, cells, 20_000)
    src, wit = seen[0]
    assert len(null.sorted) == 42
    assert not (src == wit).any()
    assert null.tail(np.array([0.9]))[0] == 1 / 43


def test_the_measurement_reads_a_synthetic_pair_s_chance_off_its_truth() -> None:
    row = synthetic(50, 0, "heavy")
    assert row.shape == (50, 50)
    assert row.sample == (row.anchors * row.anchors) - (3 * row.anchors - 2)
    assert row.true_in_sample == 0.0  # anchors' cross pairs are never true links here
    # q90 of the sample and of every unrelated cell agree within a few hundredths.
    assert abs(row.null_q[0] - row.true_q[0]) < 0.03


def test_unrelated_small_texts_stay_almost_unlinked() -> None:
    # Same vocabulary and templates, different content, at a memcon's size.
    for size, seeds in ((40, (21, 22)), (80, (23, 24))):
        a, b = (make_pair(size, seed=s) for s in seeds)
        rec, acc = Document.from_text("a", a.record_text), Document.from_text("b", b.record_text)
        links = compare(rec, [acc]).witnesses[0].links
        assert len(links) <= 0.1 * size
