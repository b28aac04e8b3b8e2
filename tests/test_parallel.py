"""Large inputs are shared among processes with the same result as doing them here."""

from __future__ import annotations

import os

import pytest

from benchmarks.synthetic import make_pair
from webapp.collate import segment
from webapp.collate.parallel import WORKERS_VARIABLE, parallel_map, workers

PARENT = os.getpid()


def _square_and_pid(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def _fails_in_a_child(x: int) -> int:
    if os.getpid() != PARENT:
        raise RuntimeError("a child fails")
    return x + 1


def test_results_come_back_in_order_from_the_children(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_VARIABLE, "3")
    out = parallel_map(_square_and_pid, list(range(100)), min_items=10)
    assert [square for square, _ in out] == [x * x for x in range(100)]
    if workers() > 1:  # fork available and this process has one thread
        assert len({pid for _, pid in out}) == 3
        assert out[0][1] == PARENT


def test_small_inputs_and_one_worker_stay_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_VARIABLE, "2")
    assert {pid for _, pid in parallel_map(_square_and_pid, [1, 2, 3], min_items=10)} == {PARENT}
    monkeypatch.setenv(WORKERS_VARIABLE, "1")
    assert workers() == 1
    assert {pid for _, pid in parallel_map(_square_and_pid, list(range(50)), min_items=1)} == {
        PARENT
    }


def test_a_failed_chunk_is_done_again_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_VARIABLE, "2")
    assert parallel_map(_fails_in_a_child, list(range(40)), min_items=1) == list(range(1, 41))


def test_a_long_text_segments_the_same_on_several_processes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = make_pair(2500, level="light").record_text  # about 400 paragraphs
    monkeypatch.setenv(WORKERS_VARIABLE, "1")
    alone = segment(text)
    monkeypatch.setenv(WORKERS_VARIABLE, "2")
    shared = segment(text)
    assert shared == alone
    assert len(alone) == 2500
