"""The benchmarks' diagnostics still see the engine's link choice.

``benchmarks.real_lonely`` and ``benchmarks.real_errors`` wrap the engine's steps by
module attribute; when a step moves to another module the wrapper silently wraps
nothing and the diagnostic fails on a real row (it did once: the link choice moved to
:mod:`webapp.collate.candidates`). These run both on a small pair, no Bible text needed.
"""

from __future__ import annotations

from benchmarks.real_edits import EditedPair
from benchmarks.real_errors import _run
from benchmarks.real_lonely import _run_captured

RECORD = [
    "The delegation arrived in Moscow on Monday morning.",
    "The minister welcomed the proposal for a partnership.",
    "He asked whether every state would be treated equally.",
    "The secretary said that membership would come only later.",
    "The two sides agreed to meet again in January.",
]
ACCOUNT = [
    "The delegation arrived in Moscow on Monday morning.",
    "The secretary said that membership would come only later.",
    "The minister welcomed the proposal for a partnership.",
    "The two sides agreed to meet again in January.",
]


def test_the_lonely_trace_captures_the_candidates_calibration_and_first_links() -> None:
    result, got = _run_captured(RECORD, ACCOUNT)
    assert got.pairs is not None and len(got.pairs.score) > 0
    assert got.null is not None
    assert got.sizes == (len(RECORD), len(ACCOUNT))
    assert got.anchors is not None and (0, 0) in got.anchors
    assert {(link.source, link.witness) for link in result.links} >= {((0,), (0,)), ((4,), (3,))}


def test_the_error_listing_sees_the_candidate_pairs_the_engine_aligned() -> None:
    pair = EditedPair(
        record=tuple(RECORD),
        account=tuple(ACCOUNT),
        links=frozenset({(0, 0), (3, 1), (1, 2), (4, 3)}),
        omitted=frozenset({2}),
        added=frozenset(),
        moved=frozenset({1}),
    )
    predicted, pairs = _run(pair)
    assert predicted.links == pair.links
    seen = set(zip(pairs.source.tolist(), pairs.witness.tolist(), strict=True))
    assert pair.links <= seen
