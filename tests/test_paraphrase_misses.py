"""The error listing of the chunked paraphrase rows names each error's class (issue 10)."""

from __future__ import annotations

from benchmarks.real_edits import EditedPair
from benchmarks.real_paraphrase_misses import Miss, classify, counts


def _pair() -> EditedPair:
    """Record 0-3; account 0 tells record 0, 1 is added, 2 tells 1 and 2 (merged); 3 is
    omitted."""
    return EditedPair(
        record=("a", "b", "c", "d"),
        account=("A", "added", "BC"),
        links=frozenset({(0, 0), (1, 2), (2, 2)}),
        omitted=frozenset({3}),
        added=frozenset({1}),
        moved=frozenset(),
    )


def test_each_error_gets_its_class() -> None:
    pair = _pair()
    found = frozenset({(0, 0), (1, 2), (3, 1), (2, 0)})
    table = {(3, 1): (0.2, 0.0, 0.0), (2, 0): (0.3, 0.0, 0.0), (2, 2): (0.1, 0.0, 0.0)}
    classes = classify(pair, found, table)
    assert classes[("false link", (3, 1))] == "added~omitted"  # an added and an omitted verse
    assert classes[("false link", (2, 0))] == "wrong partner"
    assert classes[("missed link", (2, 2))] == "merge"  # a half of a merged line
    assert len(classes) == 3


def test_a_missed_pair_is_refused_or_beaten_by_a_rival() -> None:
    pair = EditedPair(
        ("a", "b"), ("A", "B"), frozenset({(0, 0), (1, 1)}), frozenset(), frozenset(), frozenset()
    )
    table = {
        (0, 0): (0.2, 0.0, 0.0),
        (0, 1): (0.1, 0.0, 0.0),
        (1, 1): (0.4, 0.0, 0.0),
        (1, 0): (0.3, 0.0, 0.0),
    }
    classes = classify(pair, frozenset(), table)
    assert classes[("missed link", (0, 0))] == "rival"  # (1, 0) scores more
    assert classes[("missed link", (1, 1))] == "refused"  # best of its row and column
    rows = [Miss("r", 0, w, p, 0.0, "", "", c, "", "") for (w, p), c in classes.items()]
    assert counts(rows)[("r", "missed link", "rival")] == 1
