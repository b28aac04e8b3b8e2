"""People's decisions on links, sentence boundary fixes, and marks carried across edits."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp.collate import (
    LINK_KINDS,
    Curated,
    Decision,
    Document,
    Settings,
    WitnessResult,
    adjust_sentences,
    carry_span,
    carry_spans,
    compare,
    curate,
    segment,
    sentences_for_spans,
)
from webapp.collate.align import AlignSettings

RECORD = (
    "Yeltsin called the expansion of the alliance a stroke of genius. "
    "He asked about the timetable for new members. "
    "Clinton promised a partnership for peace first. "
    "The leaders then discussed the budget for the pipeline. "
    "Nobody mentioned the harbour."
)
ACCOUNT = (
    "Yeltsin called the alliance expansion a stroke of genius. "
    "Clinton promised a partnership for peace first. "
    "The leaders discussed the pipeline budget. "
    "Reporters waited outside in the snow."
)
SOURCE = Document.from_text("memcon", RECORD)
WITNESS = Document.from_text("memoir", ACCOUNT)
MACHINE = compare(SOURCE, [WITNESS]).witnesses[0]


def _pairs(result: WitnessResult) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(link.source, link.witness) for link in result.links]


def _apply(*decisions: Decision, machine: WitnessResult = MACHINE) -> Curated:
    return curate(SOURCE, WITNESS, machine, decisions)


def _check_invariants(curated: Curated) -> None:
    result = curated.result
    seen_source = sorted([i for link in result.links for i in link.source] + list(result.omitted))
    seen_witness = sorted([j for link in result.links for j in link.witness] + list(result.added))
    assert seen_source == list(range(len(SOURCE.sentences)))
    assert seen_witness == list(range(len(WITNESS.sentences)))
    assert len(curated.refs) == len(result.links)
    keys = [(link.source[0], link.witness[0]) for link in result.links]
    assert keys == sorted(keys)
    for link in result.links:
        assert 0.0 <= link.score <= 1.0
        assert link.kind in LINK_KINDS
    moved = sum(link.moved for link in result.links)
    assert result.order.moved == moved
    assert result.order.kept_in_order == len(result.links) - moved


def test_the_machine_alignment_of_the_fixture() -> None:
    # The story the other tests start from: three links, one omission each way, all in order.
    assert _pairs(MACHINE) == [((0,), (0,)), ((2,), (1,)), ((3,), (2,))]
    assert MACHINE.omitted == (1, 4) and MACHINE.added == (3,)


def test_no_decisions_keep_the_machine_result() -> None:
    curated = _apply()
    assert curated.result == MACHINE
    assert curated.refs == (None, None, None)
    assert curated.unmatched == curated.rejected == curated.superseded == ()


def test_remove_drops_exactly_the_named_machine_link() -> None:
    curated = _apply(Decision("remove", (0,), (0,), "r1"))
    assert _pairs(curated.result) == sorted([((2,), (1,)), ((3,), (2,))])
    assert curated.result.omitted == (0, 1, 4)
    assert curated.result.added == (0, 3)
    assert curated.rejected == ("r1",) and curated.unmatched == ()
    _check_invariants(curated)


def test_remove_of_a_link_the_machine_did_not_make_drops_nothing() -> None:
    curated = _apply(
        Decision("remove", (0,), (1,), "r1"),
        Decision("remove", (0, 1), (0,), "r2"),  # overlaps a machine link, not the same
    )
    assert _pairs(curated.result) == _pairs(MACHINE)
    assert curated.unmatched == ("r1", "r2") and curated.rejected == ()


def test_confirm_keeps_the_machine_figures_and_names_the_decision() -> None:
    curated = _apply(Decision("confirm", (3,), (2,), "c1"))
    assert _pairs(curated.result) == _pairs(MACHINE)
    assert curated.refs == (None, None, "c1")
    machine_link = MACHINE.links[2]
    link = curated.result.links[2]
    assert (link.score, link.kind, link.diff, link.shared) == (
        machine_link.score,
        machine_link.kind,
        machine_link.diff,
        machine_link.shared,
    )


def test_an_added_link_is_scored_diffed_and_classified() -> None:
    curated = _apply(Decision("add", (1,), (3,), "a1"))
    assert _pairs(curated.result) == sorted(
        [((0,), (0,)), ((2,), (1,)), ((3,), (2,)), ((1,), (3,))]
    )
    assert curated.refs == (None, "a1", None, None)  # sorted by record sentence
    link = curated.result.links[1]
    # No content word in common: Dice is 0; the aligner's rule calls it a paraphrase.
    assert (link.score, link.kind, link.shared) == (0.0, "paraphrase", ())
    assert {op.op for op in link.diff} >= {"delete", "insert"}
    assert curated.result.omitted == (4,) and curated.result.added == ()
    _check_invariants(curated)


def test_people_override_machine_links_that_share_a_sentence() -> None:
    curated = _apply(Decision("add", (0,), (0, 1), "a1"))
    # (0)->(0) and (2)->(1) both touched the person's link, so both give way.
    assert _pairs(curated.result) == sorted([((0,), (0, 1)), ((3,), (2,))])
    assert curated.refs == ("a1", None)
    assert curated.result.omitted == (1, 2, 4)
    link = curated.result.links[0]
    assert link.kind == "partial"  # three sentences: the aligner's rule for n:m links
    assert 0.0 < link.score < 1.0
    assert "yeltsin" in link.shared and "clinton" not in link.shared
    _check_invariants(curated)


def test_a_confirmed_link_survives_a_realignment_that_no_longer_finds_it() -> None:
    strict = AlignSettings(min_score=0.95, weak_score=0.95, gap_score=0.95, join_score=0.95)
    machine = compare(SOURCE, [WITNESS], Settings(align=strict)).witnesses[0]
    assert ((3,), (2,)) not in _pairs(machine)
    curated = _apply(Decision("confirm", (3,), (2,), "c1"), machine=machine)
    assert ((3,), (2,)) in _pairs(curated.result)
    link = curated.result.links[_pairs(curated.result).index(((3,), (2,)))]
    # Same content words on both sides ("then" and word order aside): Dice 1, not verbatim.
    assert (link.score, link.kind) == (0.999, "close")
    assert curated.refs[_pairs(curated.result).index(((3,), (2,)))] == "c1"
    assert 3 not in curated.result.omitted and 2 not in curated.result.added
    _check_invariants(curated)


def test_a_later_human_link_replaces_an_earlier_one_it_conflicts_with() -> None:
    curated = _apply(
        Decision("add", (1,), (3,), "a1"),
        Decision("add", (1,), (2,), "a2"),
    )
    assert ((1,), (3,)) not in _pairs(curated.result)
    assert ((1,), (2,)) in _pairs(curated.result)
    assert ((3,), (2,)) not in _pairs(curated.result)  # the machine's link of account 2
    assert curated.superseded == ("a1",)
    assert "a1" not in curated.refs and "a2" in curated.refs
    assert curated.result.omitted == (3, 4) and curated.result.added == (3,)
    _check_invariants(curated)


def test_remove_then_confirm_and_confirm_then_remove_the_same_link() -> None:
    restored = _apply(Decision("remove", (0,), (0,), "r1"), Decision("confirm", (0,), (0,), "c1"))
    assert ((0,), (0,)) in _pairs(restored.result)
    assert restored.superseded == ("r1",) and restored.rejected == ()
    assert restored.result.links[0] == MACHINE.links[0]

    dropped = _apply(Decision("confirm", (0,), (0,), "c1"), Decision("remove", (0,), (0,), "r1"))
    assert ((0,), (0,)) not in _pairs(dropped.result)
    assert dropped.superseded == ("c1",) and dropped.rejected == ("r1",)


def test_a_person_s_link_crossing_one_machine_link_stays_in_place() -> None:
    # Record 1 -> account 2 crosses the machine's record 2 -> account 1: one of the two
    # must be called moved, and it is the machine's.
    curated = _apply(Decision("add", (1,), (2,), "a1"))
    assert _pairs(curated.result) == sorted([((0,), (0,)), ((2,), (1,)), ((1,), (2,))])
    moved = {link.source: link.moved for link in curated.result.links}
    assert moved == {(0,): False, (1,): False, (2,): True}
    assert curated.result.order.moved == 1
    assert curated.result.order.kendall_tau == pytest.approx(1 - 2 * 1 / 3)


def test_a_person_s_link_crossing_several_kept_links_is_a_move() -> None:
    # Record 1 -> account 3 crosses two machine links that keep the record's order.
    curated = _apply(Decision("add", (1,), (3,), "a1"))
    moved = {link.source: link.moved for link in curated.result.links}
    assert moved == {(0,): False, (2,): False, (3,): False, (1,): True}
    assert curated.result.order.kept_in_order == 3


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        (Decision("approve", (0,), (0,), "x"), "unknown action 'approve'"),
        (Decision("add", (), (0,), "x"), "no record sentence"),
        (Decision("add", (0,), (), "x"), "no account sentence"),
        (Decision("add", (5,), (0,), "x"), r"record sentence 5 out of range \(0\.\.4\)"),
        (Decision("confirm", (0,), (4,), "x"), r"account sentence 4 out of range \(0\.\.3\)"),
        (Decision("remove", (-1,), (0,), "x"), "record sentence -1 out of range"),
    ],
)
def test_decisions_that_cannot_apply_are_refused(decision: Decision, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _apply(Decision("confirm", (0,), (0,), "ok"), decision)


def test_a_result_of_another_segmentation_is_refused() -> None:
    other = Document.from_lines("memoir", "One line only")
    with pytest.raises(ValueError, match="account sentences"):
        curate(SOURCE, other, MACHINE, [])


sides = st.lists(st.integers(0, 4), min_size=1, max_size=2, unique=True).map(
    lambda xs: tuple(sorted(xs))
)
decisions = st.lists(
    st.tuples(
        st.sampled_from(["add", "confirm", "remove"]),
        sides,
        st.lists(st.integers(0, 3), min_size=1, max_size=2, unique=True).map(
            lambda xs: tuple(sorted(xs))
        ),
    ),
    max_size=8,
).map(lambda rows: [Decision(a, s, w, f"d{k}") for k, (a, s, w) in enumerate(rows)])


@given(decisions)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_decisions_leave_a_consistent_result(sequence: list[Decision]) -> None:
    curated = _apply(*sequence)
    _check_invariants(curated)
    people = [ref for ref in curated.refs if ref is not None]
    fates = people + list(curated.unmatched + curated.rejected + curated.superseded)
    assert sorted(fates) == sorted(d.ref for d in sequence)  # each decision has one fate
    by_ref = {d.ref: d for d in sequence}
    for link, ref in zip(curated.result.links, curated.refs, strict=True):
        if ref is not None:
            assert (link.source, link.witness) == (by_ref[ref].source, by_ref[ref].witness)
    last = sequence[-1] if sequence else None
    if last is not None and last.action != "remove":
        assert (last.source, last.witness) in _pairs(curated.result)  # later decisions win
    if last is not None and last.action == "remove":
        assert (last.source, last.witness) not in _pairs(curated.result)


# Sentence boundaries fixed by people.

TEXT = "Mr. Smith came. He left; then he ate.  Dinner was late. The end"


def _texts(text: str, splits: list[int], joins: list[int]) -> list[str]:
    sentences = adjust_sentences(text, segment(text), splits, joins)
    for k, s in enumerate(sentences):
        assert s.index == k and text[s.start : s.end] == s.text
    return [s.text for s in sentences]


def test_the_segmenter_sentences_of_the_boundary_text() -> None:
    assert [s.text for s in segment(TEXT)] == [
        "Mr. Smith came.",
        "He left; then he ate.",
        "Dinner was late.",
        "The end",
    ]


def test_joins_merge_a_sentence_into_the_previous_one() -> None:
    assert _texts(TEXT, [], [TEXT.index("He"), TEXT.index("The end")]) == [
        "Mr. Smith came. He left; then he ate.",
        "Dinner was late. The end",
    ]


def test_splits_cut_a_sentence_and_trim_the_white_space_around_the_cut() -> None:
    at_space = TEXT.index(" then")
    assert _texts(TEXT, [at_space], []) == [
        "Mr. Smith came.",
        "He left;",
        "then he ate.",
        "Dinner was late.",
        "The end",
    ]
    assert _texts(TEXT, [at_space + 1], []) == _texts(TEXT, [at_space], [])


def test_joins_apply_before_splits() -> None:
    # Join the first two sentences, then split the joined one elsewhere.
    assert _texts(TEXT, [TEXT.index("then")], [TEXT.index("He")]) == [
        "Mr. Smith came. He left;",
        "then he ate.",
        "Dinner was late.",
        "The end",
    ]


@pytest.mark.parametrize(
    ("splits", "joins", "offset"),
    [
        ([], [0], 0),  # the first sentence has nothing to join
        ([], [5], 5),  # not where a sentence starts
        ([TEXT.index("He")], [], TEXT.index("He")),  # a sentence starts there already
        ([TEXT.index("  Dinner") + 1], [], TEXT.index("  Dinner") + 1),  # between sentences
        ([len(TEXT) + 3], [], len(TEXT) + 3),  # past the text
        ([TEXT.index(" then"), TEXT.index(" then") + 1], [], TEXT.index(" then") + 1),
    ],
)
def test_boundary_fixes_that_cannot_apply_name_their_offset(
    splits: list[int], joins: list[int], offset: int
) -> None:
    with pytest.raises(ValueError, match=rf"offset {offset}\b"):
        adjust_sentences(TEXT, segment(TEXT), splits, joins)


words = st.lists(st.sampled_from(["Mr.", "ok", "no.", "A", "yes!", "x", " ", "\n"]), max_size=40)


@given(words.map(" ".join), st.data())
@settings(max_examples=100, deadline=None)
def test_boundary_fixes_keep_offsets_slicing_back_to_the_text(
    text: str, data: st.DataObject
) -> None:
    sentences = segment(text)
    joins = data.draw(st.lists(st.sampled_from([s.start for s in sentences[1:]] or [-1])))
    joins = [j for j in joins if j >= 0]
    joined = adjust_sentences(text, sentences, [], joins)
    inside = [k for s in joined for k in range(s.start + 1, s.end) if text[s.start : k].strip()]
    splits = data.draw(st.lists(st.sampled_from(inside or [-1]), max_size=3, unique=True))
    try:
        fixed = adjust_sentences(text, sentences, [k for k in splits if k >= 0], joins)
    except ValueError as error:
        assert re.search(r"offset \d+", str(error))
        return
    previous = 0
    for k, s in enumerate(fixed):
        assert s.index == k and text[s.start : s.end] == s.text
        assert s.text.strip() == s.text and s.text
        assert s.start >= previous
        previous = s.end


# Marks carried across edits of a text.

PASSAGE = "Yeltsin called it a stroke of genius."
OLD = f"The talks began at noon. {PASSAGE} Then they ate."


def _at(text: str, passage: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(passage, start + 1)
    return start, start + len(passage)


def test_a_mark_follows_insertions_before_it_and_ignores_those_after() -> None:
    span = _at(OLD, PASSAGE)
    before = "Snow fell. " + OLD.replace("talks", "long talks")
    assert carry_span(OLD, before, *span) == _at(before, PASSAGE)
    after = OLD + " Nobody mentioned the harbour."
    assert carry_span(OLD, after, *span) == span


def test_a_mark_whose_passage_was_edited_or_deleted_is_lost() -> None:
    span = _at(OLD, PASSAGE)
    assert carry_span(OLD, OLD.replace(PASSAGE, ""), *span) is None
    assert carry_span(OLD, OLD.replace("genius", "madness"), *span) is None


def test_a_repeated_passage_is_found_where_the_edit_puts_it() -> None:
    old = "Deal done. One two. Deal done. Three four. Deal done."
    new = "Yes. " + old
    for nth in range(3):
        assert carry_span(old, new, *_at(old, "Deal done.", nth)) == _at(new, "Deal done.", nth)


def test_an_edited_passage_found_elsewhere_takes_the_nearest_copy() -> None:
    old = "Deal done. Words words words words words. Deal done. More. Deal done."
    new = old.replace("Deal done. More.", "Deal undone. More.")
    # The middle copy changed; the last copy is nearer its place than the first one.
    assert carry_span(old, new, *_at(old, "Deal done.", 1)) == _at(new, "Deal done.", 1)
    assert _at(new, "Deal done.", 1)[0] > new.index("undone")


def test_white_space_changes_inside_a_passage_keep_the_mark() -> None:
    old = "Before. The  treaty\nwas signed at dawn. After."
    new = "Before. The treaty was\nsigned   at dawn. After."
    span = carry_span(old, new, *_at(old, "The  treaty\nwas signed at dawn."))
    assert span is not None
    assert new[span[0] : span[1]] == "The treaty was\nsigned   at dawn."


def test_a_mark_on_a_word_does_not_move_into_a_longer_word() -> None:
    old = "The cat sat. A dog ran."
    assert carry_span(old, "The concatenation sat. A dog ran.", 4, 7) is None
    assert carry_span(old, "A cat! The dog sat. A dog ran.", 4, 7) == (2, 5)


def test_many_spans_at_once_and_invalid_spans() -> None:
    new = "Snow fell. " + OLD
    spans = [_at(OLD, PASSAGE), _at(OLD, "Then they ate.")]
    assert carry_spans(OLD, new, spans) == [_at(new, PASSAGE), _at(new, "Then they ate.")]
    assert carry_spans(OLD, OLD, spans) == spans
    for bad in [(3, 3), (-1, 4), (0, len(OLD) + 1)]:
        with pytest.raises(ValueError, match="not a passage"):
            carry_spans(OLD, new, [bad])


def test_sentences_for_spans_need_a_non_blank_character_in_common() -> None:
    sentences = segment(OLD)
    first, second, third = sentences
    assert sentences_for_spans(sentences, [(second.start, second.end)]) == (1,)
    # A span over the space between two sentences touches neither.
    assert sentences_for_spans(sentences, [(first.end, second.start)]) == ()
    assert sentences_for_spans(sentences, [(first.end - 1, second.start + 1)]) == (0, 1)
    assert sentences_for_spans(sentences, [(third.start, third.end), (0, 1)]) == (0, 2)
    assert sentences_for_spans(sentences, []) == ()


def test_carrying_marks_through_a_200_kb_text_is_quick() -> None:
    rng = random.Random(7)
    vocabulary = [f"word{k}" for k in range(2000)] + ["the", "of", "and", "a", "to"] * 200
    paragraphs = [
        " ".join(
            " ".join(rng.choice(vocabulary) for _ in range(rng.randint(8, 25))).capitalize() + "."
            for _ in range(5)
        )
        for _ in range(300)
    ]
    old = "\n\n".join(paragraphs)
    while len(old) < 200_000:
        old += "\n\n" + rng.choice(paragraphs)
    new = old[:50_000] + "An inserted sentence. " + old[50_000:150_000] + old[150_040:]
    sentences = segment(old, "lines")  # a paragraph per line is enough here
    spans = [(s.start, s.end) for s in sentences[::40]]
    carried = carry_spans(old, new, spans)
    for (start, end), span in zip(spans, carried, strict=True):
        if span is not None:
            assert new[span[0] : span[1]] == old[start:end]
    assert sum(span is not None for span in carried) >= len(spans) - 2


def test_confirming_a_machine_link_never_moves_the_finding_to_another_sentence() -> None:
    # Two crossing machine links: the machine calls one of them moved. Confirming either
    # says the pair is right; which of the two was told out of order stays the machine's.
    record = Document.from_text(
        "r", "Alpha spoke first today. Beta answered slowly then. Gamma closed."
    )
    account = Document.from_text(
        "a", "Alpha spoke first today. Gamma closed. Beta answered slowly then."
    )
    machine = compare(record, [account]).witnesses[0]
    before = {link.source: link.moved for link in machine.links}
    assert sum(before.values()) == 1
    for link in machine.links:
        curated = curate(
            record, account, machine, [Decision("confirm", link.source, link.witness, "c")]
        )
        assert {lk.source: lk.moved for lk in curated.result.links} == before
        assert curated.result.order == machine.order
