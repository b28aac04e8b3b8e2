"""The printed alignment's layout on synthetic texts: wrapping, pages, connectors, stubs."""

from __future__ import annotations

import re

import pytest

from webapp.views.print_layout import (
    ACCOUNT_X,
    COLUMN,
    HEIGHT,
    RECORD_X,
    RUNNING_HEAD,
    SIZE,
    Box,
    Page,
    Pairing,
    Sentence,
    lay_out,
    prefix,
    wrap,
)
from webapp.views.print_metrics import char_width, text_width

WORDS = "the delegation agreed that wheat shipments would resume before winter".split()


def text(n_words: int, seed: int = 0) -> str:
    return " ".join(WORDS[(seed + k) % len(WORDS)] for k in range(n_words)) + "."


def record(n: int, words: int = 30, state: str = "kept") -> list[Sentence]:
    return [Sentence(f"R{i + 1}", state, text(words, i)) for i in range(n)]


def account(n: int, words: int = 30, state: str = "kept") -> list[Sentence]:
    return [Sentence(f"A{j + 1}", state, text(words, j + 3)) for j in range(n)]


def placed(pages: list[Page]) -> dict[str, list[tuple[int, Box]]]:
    """Every box by its sentence label (a long sentence has several), in page order."""
    found: dict[str, list[tuple[int, Box]]] = {}
    for page in pages:
        for box in page.boxes:
            found.setdefault(box.label, []).append((page.number, box))
    return found


def check_pages(pages: list[Page], head: float) -> None:
    """No box leaves its page; boxes of a column never overlap and keep their order."""
    for page in pages:
        top = head if page.number == 1 else RUNNING_HEAD
        for x in (RECORD_X, ACCOUNT_X):
            column = [b for b in page.boxes if b.x == x]
            for box in column:
                assert top <= box.y and box.y + box.height <= HEIGHT, (page.number, box.label)
            for a, b in zip(column, column[1:], strict=False):
                assert a.y + a.height < b.y, (page.number, a.label, b.label)


def test_wrap_keeps_every_word_within_the_width() -> None:
    long = text(200) + " " + "x" * 120
    lines = wrap(long, 150.0, first=30.0)
    assert "".join(lines).replace(" ", "") == long.replace(" ", "")  # nothing lost
    assert text_width(lines[0], SIZE) <= 120.0
    assert all(text_width(line, SIZE) <= 150.0 for line in lines)
    assert sum(len(line) for line in lines if set(line) == {"x"}) == 120  # the long word cut


def test_metrics_know_common_and_unknown_characters() -> None:
    assert char_width("W") > char_width("i") > 0
    assert char_width("W", bold=True) >= char_width("W")
    assert char_width("中") == 1000 and char_width("\u0301") == 0
    assert text_width("ab", 10) == pytest.approx((char_width("a") + char_width("b")) / 100)


def test_long_texts_fill_pages_without_splitting_a_box() -> None:
    rec, acc = record(60), account(45)
    links = [Pairing((k,), (k,), "kept") for k in range(0, 45, 3)]
    pages = lay_out(rec, acc, links, head=200.0)
    assert len(pages) > 3
    check_pages(pages, 200.0)
    boxes = placed(pages)
    assert set(boxes) == {s.label for s in rec + acc}
    assert all(len(parts) == 1 for parts in boxes.values())  # none split


def test_kept_links_sit_side_by_side() -> None:
    rec = record(12, words=12)
    acc = [Sentence("A1", "added", text(90)), *account(11, words=12)[1:]]
    acc = [Sentence(f"A{j + 1}", s.state, s.text) for j, s in enumerate(acc)]
    links = [Pairing((i,), (i,), "kept") for i in range(1, 11)]
    pages = lay_out(rec, acc, links, head=100.0)
    boxes = placed(pages)
    for i in range(1, 11):
        (r_page, r_box), (a_page, a_box) = boxes[f"R{i + 1}"][0], boxes[f"A{i + 1}"][0]
        assert (r_page, r_box.y) == (a_page, a_box.y)
    drawn = [c for p in pages for c in p.connectors]
    assert all(c.y1 == c.y2 for c in drawn) and len(drawn) == 10


def test_every_connector_joins_its_two_boxes_on_one_page() -> None:
    rec, acc = record(30, words=25), account(30, words=18)
    links = [Pairing((i,), (29 - i,), "moved" if i % 4 else "kept") for i in range(0, 30, 2)]
    links.append(Pairing((3, 4), (5,), "possible-move"))
    pages = lay_out(rec, acc, links, head=150.0)
    check_pages(pages, 150.0)
    boxes = placed(pages)
    for page in pages:
        for c in page.connectors:
            (r_page, r), (a_page, a) = boxes[c.source][0], boxes[c.witness][0]
            assert r_page == a_page == page.number
            assert c.x1 == r.x + COLUMN and c.x2 == a.x
            assert r.y < c.y1 < r.y + r.height and a.y < c.y2 < a.y + a.height
    pairs = {(c.source, c.witness) for p in pages for c in p.connectors}
    stubs = [s for p in pages for s in p.stubs]
    assert len(pairs) + len(stubs) // 2 == 15 + 2  # every pair drawn once, or stubbed twice


def test_a_link_across_pages_becomes_two_labelled_stubs() -> None:
    rec = record(40)
    acc = [Sentence("A1", "moved", text(20)), *account(3)[1:]]
    links = [Pairing((39,), (0,), "moved"), Pairing((0,), (1,), "kept")]
    pages = lay_out(rec, acc, links, head=120.0)
    last = placed(pages)["R40"][0][0]
    assert last > 1 and placed(pages)["A1"][0][0] == 1
    assert not any(c.source == "R40" for p in pages for c in p.connectors)
    (here,) = pages[last - 1].stubs
    (there,) = pages[0].stubs
    assert here.text == "→ A1 (p. 1)" and here.x1 == COLUMN and here.x2 > here.x1
    assert there.text == f"← R40 (p. {last})" and there.x1 == ACCOUNT_X and there.x2 < there.x1
    assert here.state == there.state == "moved"


def test_a_sentence_longer_than_a_page_is_continued() -> None:
    giant = Sentence("R2", "kept", text(2500))
    rec = [record(1)[0], giant, Sentence("R3", "omitted", text(10))]
    acc = account(3)
    pages = lay_out(rec, acc, [Pairing((1,), (1,), "kept")], head=300.0)
    check_pages(pages, 300.0)
    parts = placed(pages)["R2"]
    assert len(parts) >= 3
    assert [b.continued for _, b in parts] == [False] + [True] * (len(parts) - 1)
    assert parts[1][1].prefix == "R2 (continued)" and parts[0][1].prefix == "R2"
    words = " ".join(line for _, b in parts for line in b.lines).split()
    assert words == giant.text.split()
    (line,) = [c for p in pages for c in p.connectors]
    assert line.source == "R2" and pages[0].connectors == [line]  # to its first part


def test_no_links_just_the_two_columns() -> None:
    rec, acc = record(8, state="omitted"), account(5, state="added")
    pages = lay_out(rec, acc, [], head=80.0)
    check_pages(pages, 80.0)
    assert not any(p.connectors or p.stubs for p in pages)
    assert [b.label for p in pages for b in p.boxes if b.x == RECORD_X] == [s.label for s in rec]
    first = next(b for b in pages[0].boxes if b.label == "R1")
    assert first.prefix == "R1 omitted" and first.y == 80.0


def test_empty_texts_still_give_a_page() -> None:
    pages = lay_out([Sentence("R1", "omitted", "")], [], [], head=60.0)
    assert len(pages) == 1 and pages[0].boxes[0].lines == ("",)
    assert re.fullmatch(r"R1 omitted", pages[0].boxes[0].prefix)


def test_the_first_line_names_the_state_and_a_persons_decision() -> None:
    assert prefix(Sentence("R1", "kept", "x")) == "R1"
    assert prefix(Sentence("A2", "moved", "x", "confirmed by ada")) == "A2 moved (confirmed by ada)"
    long = Sentence("A3", "kept", text(40), "added by ada: reordering")
    (page,) = lay_out([], [long], [], head=0.0)
    first = page.boxes[0].lines[0]
    room = COLUMN * 0.9 - 7 - text_width(prefix(long) + " ", SIZE, bold=True)
    assert text_width(first, SIZE) <= room  # the first line leaves room for the words
