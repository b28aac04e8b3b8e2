"""Word-level diffs of links."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.bench_diff import changed_pair, counted_cells
from webapp.collate.diff import _TOKEN, SPLIT_FROM, _side, word_diff
from webapp.collate.normalize import Normalizer


def ops(a: str, b: str, variants: dict[str, str] | None = None) -> list[tuple[str, str]]:
    return [(op.op, op.text) for op in word_diff(a, b, Normalizer(variants))]


def test_changed_words_show_as_delete_and_insert() -> None:
    assert ops("a great idea", "a brilliant idea") == [
        ("equal", "a "),
        ("delete", "great"),
        ("insert", "brilliant"),
        ("equal", " idea"),
    ]


def test_the_diff_rebuilds_both_texts() -> None:
    a = "Yeltsin responded, “This is a brilliant idea, it is a stroke of genius.”"
    b = 'Yeltsin called it a "stroke of genius," he wrote.'
    diff = word_diff(a, b, Normalizer())
    assert "".join(op.text for op in diff if op.op != "insert").replace("“", '"').replace(
        "”", '"'
    ) == a.replace("“", '"').replace("”", '"')
    assert "".join(op.text for op in diff if op.op != "delete") == b


def test_case_quotes_and_variants_are_not_changes() -> None:
    assert [
        op for op, _ in ops("Kosyrew said “yes”", 'kozyrev said "Yes"', {"kosyrew": "kozyrev"})
    ] == ["equal"]


def test_long_texts_diff_fast_by_words() -> None:
    a = " ".join(f"word{i}" for i in range(5000))
    b = " ".join(f"word{i}" for i in range(0, 5000, 2))
    diff = word_diff(a, b, Normalizer())
    assert "".join(op.text for op in diff if op.op != "delete") == b


_PIECES = ["word", "the", "Kozyrev", "é", "1990", "_", "'", "’s", ",", ".", "—", "x'y", "don't"]
_SPACES = [" ", " ", " ", " ", "  ", "\n", "\t", " \n "]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(_PIECES), min_size=1, max_size=8),
    st.lists(st.sampled_from(_SPACES), min_size=1, max_size=4),
    st.integers(min_value=1000, max_value=1500),
    st.integers(min_value=0, max_value=2**32),
)
def test_long_texts_are_cut_into_the_tokens_of_the_whole_pattern(
    pieces: list[str], spaces: list[str], n: int, seed: int
) -> None:
    """Cutting a long text at single spaces gives the tokens the pattern finds in it."""
    rng = random.Random(seed)
    words = ["".join(rng.choices(pieces, k=rng.randint(1, 3))) for _ in range(n)]
    text = words[0] + "".join(rng.choice(spaces) + w for w in words[1:])
    assert len(text) >= SPLIT_FROM
    for whole in (text, " ".join(words), "".join(words)):
        found = _TOKEN.findall(whole)
        side = _side(whole, Normalizer())
        assert list(dict.fromkeys(side.distinct)) == list(dict.fromkeys(found))
        # One symbol a distinct token: each symbol's text is its token.
        of_token = {t: chr(0xE000 + k) for k, t in enumerate(dict.fromkeys(side.distinct))}
        symbols = side.symbols(of_token)
        assert symbols == "".join(map(of_token.__getitem__, found))
        assert [side.text(k, k + 1) for k in range(len(symbols))] == found
        assert side.text(0, len(symbols)) == "".join(found)


def test_a_diff_is_the_same_on_a_slow_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    # A reader cites the words a diff marks, and an export made elsewhere must mark the
    # same. With diff-match-patch's clock deadline a loaded machine gave a coarser diff of
    # this pair; its budget counts steps, so a clock that runs a second a call changes nothing.
    import sys

    from diff_match_patch import diff_match_patch

    library = sys.modules[diff_match_patch.__module__]
    source, witness = changed_pair(600, 0.2, seed=3)
    fast = ops(source, witness)
    clock = iter(range(10**9))
    monkeypatch.setattr(library.time, "time", lambda: float(next(clock)))
    assert ops(source, witness) == fast
    changed = [text for op, text in fast if op != "equal"]
    assert max(len(text.split()) for text in changed) < 20  # fine: words, not a whole stretch


def test_a_pathological_diff_stops_at_its_budget_and_still_rebuilds_both_texts() -> None:
    from webapp.collate import diff

    source, witness = changed_pair(1_500, 0.6, seed=4)
    steps = 20_000  # the default's mechanism on a pair that fits a test's time
    with pytest.MonkeyPatch.context() as patch, counted_cells() as charged:
        patch.setattr(diff, "DIFF_STEPS", steps)
        found = word_diff(source, witness, Normalizer())
        again = word_diff(source, witness, Normalizer())
    fine = word_diff(source, witness, Normalizer())  # the default budget: enough here
    assert charged and max(charged) > steps  # this pair needs more than the small budget
    # The overrun is at most the one step that crossed it (one cell per edit explored).
    assert max(charged) <= steps + 2 * (len(source.split()) + len(witness.split()))
    assert "".join(op.text for op in found if op.op != "insert") == source
    assert "".join(op.text for op in found if op.op != "delete") == witness
    assert again == found != fine  # coarser than with room, and the same every time
    assert len(found) < len(fine)


def test_ordinary_pairs_never_reach_the_budget() -> None:
    from webapp.collate.bounded import BoundedDiff, StepBudget

    engine = BoundedDiff(steps=10**12)
    for seed in range(20):
        source, witness = changed_pair(60, 0.3, seed)
        budget = StepBudget(10**12)
        engine.diff_main(source, witness, False, budget)
        assert 10**12 - budget.left < 40_000
