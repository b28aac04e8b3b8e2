"""The plain-words summary of the compare view (webapp/views/summary.py), on synthetic
comparisons built by hand and on the bundled Zavidovo dossier."""

from __future__ import annotations

from webapp import create_app
from webapp.collate import Link, WitnessResult
from webapp.collate.model import OrderStats, Quote, Sentence
from webapp.views.summary import gist, kind_words, label, link_title, summarize

RECORD = [
    f"Record sentence number {i + 1} says something about topic{i + 1} here." for i in range(10)
]


def _result(
    links: list[tuple[int, int, bool]],
    n_account: int,
    quotes: tuple[Quote, ...] = (),
    record_size: int = len(RECORD),
) -> WitnessResult:
    """An account of ``n_account`` sentences with links ``(record i, account j, moved)``."""
    sentences = tuple(
        Sentence(index=j, start=0, end=1, text=f"Account sentence {j + 1}.")
        for j in range(n_account)
    )
    made = tuple(
        Link(
            source=(i,),
            witness=(j,),
            score=0.5,
            kind="paraphrase",
            moved=m,
            shared=(f"topic{i + 1}",),
        )
        for i, j, m in links
    )
    linked_i = {i for i, _, _ in links}
    linked_j = {j for _, j, _ in links}
    return WitnessResult(
        name="account",
        sentences=sentences,
        links=made,
        omitted=tuple(i for i in range(record_size) if i not in linked_i),
        added=tuple(j for j in range(n_account) if j not in linked_j),
        order=OrderStats(kendall_tau=None, moved=sum(m for _, _, m in links), kept_in_order=0),
        quotes=quotes,
    )


def test_no_move_keeps_the_order_and_counts_in_words() -> None:
    s = summarize("The memoir", _result([(0, 0, False), (1, 1, False), (2, 2, False)], 4), RECORD)
    assert s.order_sentence() == "The memoir tells what it keeps in the record's order."
    assert s.moves == ()
    assert s.counts_sentence() == (
        "It keeps 3 of the record's 10 sentences (all in the record's order) and leaves out 7;"
        " it adds 1 of its own."
    )


def test_one_move_names_the_sentence_it_is_told_before() -> None:
    # R1 -> A1, R3 -> A3, R5 -> A4 kept; R9 told second, at A2.
    result = _result([(0, 0, False), (8, 1, True), (2, 2, False), (4, 3, False)], 4)
    s = summarize("Christopher's memoir", result, RECORD)
    sentence = s.order_sentence()
    assert sentence.startswith("Christopher's memoir tells R9 (")
    # The nearest kept link out of order with it in the account's order is R3 (A3).
    assert ") before R3 (" in sentence and sentence.endswith("; the record has it after.")
    assert "topic9" in s.moves[0].moved_gist and "topic3" in s.moves[0].anchor_gist
    parts = s.order_parts()
    assert ("R9", "link-2") in parts and ("R3", "link-3") in parts
    assert "(1 told in another order)" in s.counts_sentence()


def test_a_move_later_in_the_account_is_told_after() -> None:
    # R1 told last: the account tells it after R2-R4.
    result = _result([(0, 3, True), (1, 0, False), (2, 1, False), (3, 2, False)], 4)
    s = summarize("The article", result, RECORD)
    assert "tells R1 (" in s.order_sentence() and ") after R4 (" in s.order_sentence()
    assert s.order_sentence().endswith("; the record has it before.")


def test_several_moves_are_named_and_the_rest_counted() -> None:
    links = [
        (0, 0, False),
        (9, 1, True),
        (8, 2, True),
        (2, 3, False),
        (7, 4, True),
        (6, 5, True),
        (3, 6, False),
        (4, 7, False),
    ]
    s = summarize("A diary", _result(links, 8), RECORD)
    text = s.order_sentence()
    assert text.count(" before ") + text.count(" after ") == 3  # three named
    assert "and 1 more move (see the list)" in text
    assert text.endswith("; the record has each the other way round.")
    assert "(4 told in another order)" in s.counts_sentence()


def test_two_moves_are_joined_with_and() -> None:
    links = [(0, 0, False), (9, 1, True), (2, 2, False), (8, 3, True), (4, 4, False)]
    text = summarize("A diary", _result(links, 5), RECORD).order_sentence()
    assert text.count("R10 (") == 1 and text.count("R9 (") == 1 and ") and R9 (" in text


def test_omissions_only_and_no_shared_sentence() -> None:
    s = summarize("A reply", _result([], 3), RECORD)
    assert s.order_sentence() == "A reply shares no sentence with the record."
    assert s.counts_sentence() == (
        "It keeps 0 of the record's 10 sentences (none) and leaves out 10; it adds 3 of its own."
    )


def test_misquoted_quotations_are_counted() -> None:
    quote = Quote(
        witness=0, start=0, end=3, text="abc", status="not_found", source=None, similarity=0
    )
    s = summarize("M", _result([(0, 0, False)], 1, (quote, quote)), RECORD)
    assert s.misquoted == 2
    assert s.counts_sentence().endswith("; 2 quotations are not word for word in the record.")


def test_gist_is_cut_at_word_boundaries_around_the_shared_words() -> None:
    text = (
        "The Secretary then said that the United States would be looking at membership"
        " as a longer term eventuality."
    )
    assert gist(text, ("longer", "term")) == "…at membership as a longer term eventuality"
    assert gist(text) == "The Secretary then said that the United…"
    assert gist("Short “quoted” one.") == "Short quoted one"
    assert (
        label("R", (3,)) == "R4"
        and label("R", (3, 4, 5)) == "R4–R6"
        and label("A", (1, 4)) == "A2+A5"
    )
    assert kind_words("close") == "similar wording" and kind_words("odd") == "odd"


def test_zavidovo_christopher_names_r19_before_r17() -> None:
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://"})
    result = app.extensions["memcon.library"].comparison("zavidovo-1993", None, [], None)
    records = [s.text for s in result.record.sentences]
    by_slug = {a.slug: summarize(a.meta.title, a.result, records) for a in result.accounts}
    christopher = by_slug["zavidovo-1993-christopher"]
    text = christopher.order_sentence()
    assert text.startswith("In the Stream of History (as reported by Goldgeier) tells R19 (")
    assert ") before R17 (" in text and text.endswith("the record has it after.")
    assert "longer term" in christopher.moves[0].moved_gist
    assert "great idea" in christopher.moves[0].anchor_gist
    counts = christopher.counts_sentence()
    assert "keeps 3 of the record's 23 sentences (1 told in another order)" in counts
    assert "leaves out 20" in counts and "2 quotations are not word for word" in counts
    talbott = by_slug["zavidovo-1993-talbott"]
    assert talbott.order_sentence().endswith("tells what it keeps in the record's order.")


def test_a_link_in_plain_words() -> None:
    moved = Link(source=(18,), witness=(1,), score=0.2, kind="paraphrase", moved=True)
    assert link_title(moved) == "R19 → A2 · paraphrased · told in another order"
    merged = Link(source=(3, 4), witness=(5,), score=0.9, kind="close", possible_move=True)
    assert link_title(merged) == "R4 R5 → A6 · similar wording · possible move"
