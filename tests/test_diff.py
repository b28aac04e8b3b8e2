"""Word-level diffs of links."""

from __future__ import annotations

from webapp.collate.diff import word_diff
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
