"""The held-out rows in Young's Literal Translation (benchmarks.real_ylt).

The verse texts come from ``pythonbible`` with ``pythonbible-ylt`` and ``-web`` (the
``dev`` extra); the tests skip when they are missing.
"""

from __future__ import annotations

import argparse

import pytest

from benchmarks.baselines import tfidf_nearest
from benchmarks.bench_real import _groups, _selected
from benchmarks.real_bible import BenchDataError, bibledit_table, verses
from benchmarks.real_chunks import chunks
from benchmarks.real_edits import edit_pair, edit_scores
from benchmarks.real_rows import THRESHOLDS, _memcon_lines
from benchmarks.real_ylt import (
    YLT,
    YLT_CHUNKED,
    YLT_REWORKS,
    YLT_SMALL_REWORKS,
    YLT_TRANSLATIONS,
    miss_classes,
    neighbour_wins,
    translation_misses,
    ylt_small_rework_row,
)
from webapp.collate import Settings

bible = pytest.importorskip("pythonbible")
pytest.importorskip("pythonbible_ylt")


def _text(book: str, chapter: int, verse: int, version: str = YLT) -> str:
    """The text of one verse as the rows read it."""
    found = verses((book,), version)
    number = bible.Book[book].value * 1_000_000 + chapter * 1000 + verse
    return found.texts[found.index()[number]]


@pytest.mark.parametrize(
    ("where", "starts"),
    [
        (("JUDGES", 1, 1), "And it cometh to pass, after the death of Joshua"),
        (("JUDGES", 21, 25), "In those days there is no king in Israel"),
        (("HEBREWS", 1, 1), "In many parts, and many ways, God of old having spoken"),
        (("HEBREWS", 13, 25), "the grace [is] with you all! Amen."),
        (("KINGS_2", 18, 1), "And it cometh to pass, in the third year of Hoshea son of Elah"),
        (("SAMUEL_1", 31, 13), "and they take their bones, and bury [them] under the tamarisk"),
        (("CHRONICLES_2", 36, 23), "Thus says Cyrus king of Persia"),
        (("MARK", 1, 1), "A beginning of the good news of Jesus Christ, Son of God."),
    ],
)
def test_the_rows_read_the_verses_they_name(where: tuple[str, int, int], starts: str) -> None:
    book, chapter, verse = where
    version = "WORLD_ENGLISH" if book == "CHRONICLES_2" else YLT
    assert _text(book, chapter, verse, version).startswith(starts)


@pytest.mark.parametrize("book", ["JUDGES", "HEBREWS", "KINGS_2"])
def test_ylt_verses_sit_beside_the_web_verses_of_the_same_number(book: str) -> None:
    # A drifting offset (as in the BBE package) would give a neighbour the better match
    # for most verses; a right one leaves a handful of short or formulaic verses.
    ylt, web = verses((book,), YLT), verses((book,), "WORLD_ENGLISH")
    assert ylt.ids == web.ids
    assert len(neighbour_wins(book)) <= len(ylt.ids) // 100


def test_hebrews_in_2_chapter_pairs_memcon_finds_the_moved_blocks_the_baseline_does_not() -> None:
    record, web = verses(("HEBREWS",), YLT), verses(("HEBREWS",), "WORLD_ENGLISH")
    filler = verses(("JAMES",), "WORLD_ENGLISH").texts
    moved_pieces = 0
    for k, (rec, acc) in enumerate(chunks(record, web, 2)):
        pair = edit_pair(rec, acc, filler, seed=k)
        mine = edit_scores(_memcon_lines(pair.record, pair.account, Settings()), pair)
        theirs = [
            edit_scores(tfidf_nearest(pair.record, pair.account, t), pair) for t in THRESHOLDS
        ]
        if pair.moved:
            moved_pieces += 1
            assert mine.moved_f1 == 1.0  # every verse the script moved, and no other
        assert mine.link_f1 > max(s.link_f1 for s in theirs)
    assert moved_pieces >= 3


def test_the_misses_of_a_ylt_row_are_classed_and_false_links_are_false() -> None:
    found = translation_misses("ylt>web judges")
    classes = miss_classes(found)
    assert sum(classes.values()) == len(found)
    for row in found:
        assert row[0] == "ylt>web judges"
        assert row[6] in {
            "no candidate",
            "no shared stem",
            "rival",
            "refused",
            "not in the truth",
            "linked, kept in order",
        }


def test_the_ylt_group_runs_by_name_only() -> None:
    def args(**kw: object) -> argparse.Namespace:
        base = {"semantic": False, "quick": False, "seed": 0, "big": False, "timeout": 1.0}
        return argparse.Namespace(**{**base, **kw})

    every = [*YLT_TRANSLATIONS, *YLT_CHUNKED, *YLT_REWORKS, *YLT_SMALL_REWORKS]
    assert [n for n, _ in _groups(args(only="ylt"))["ylt"]] == every
    assert len(_selected(_groups(args(only="ylt")), "ylt")) == len(every)
    # The default and the quick runs leave the group out (it costs ~18 s).
    assert "ylt" not in _groups(args(only="")) and "ylt" not in _groups(args(quick=True, only=""))


def test_a_short_retelling_read_in_ylt_finds_more_sets_than_the_baseline() -> None:
    # 2 Samuel 22 in YLT against Psalm 18 in the WEB: the same song in two translations,
    # reworded by the psalm; the baseline loses sets to the literal wording, memcon fewer.
    try:
        bibledit_table("parallel-passages-ot.xml")
    except BenchDataError as error:
        pytest.skip(f"bibledit-data cannot be had: {error}")
    row = ylt_small_rework_row("2samuel 22 (ylt)>psalm 18 (web)")
    sets_found, precision = row.figures[0], row.figures[1]
    assert isinstance(sets_found.memcon, float) and isinstance(sets_found.baseline, tuple)
    assert sets_found.memcon > max(sets_found.baseline)
    assert isinstance(precision.memcon, float) and isinstance(precision.baseline, tuple)
    assert precision.memcon >= max(precision.baseline)
