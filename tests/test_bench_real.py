"""The real-text benchmark's own parts: its figures, its gold, its seeded editor (offline)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from benchmarks import real_bible
from benchmarks.baselines import lis_moved
from benchmarks.bench_real import render
from benchmarks.metrics import Predicted
from benchmarks.real_bible import BenchDataError, GoldSet, Verses, gold_sets, label
from benchmarks.real_compare import compare_runs
from benchmarks.real_edits import edit_pair, edit_scores
from benchmarks.real_metrics import gold_moved, rework_scores
from benchmarks.real_rows import Figure, Row
from benchmarks.sensitivity import settings_paths, swept_values, with_value
from benchmarks.shapes import make_shape
from webapp.collate import Settings
from webapp.collate.align import AlignSettings

# Five parallel passages placed (record start, account start): the third, record verse 9,
# is told at account verse 2, between passages the record has at 2 and 4: it is moved.
SETS = [
    GoldSet(frozenset({0, 1}), frozenset({0})),
    GoldSet(frozenset({2}), frozenset({1})),
    GoldSet(frozenset({9}), frozenset({2})),
    GoldSet(frozenset({4}), frozenset({3})),
    GoldSet(frozenset({5}), frozenset({4})),
]


def pred(links: set[tuple[int, int]], moved: set[int] = frozenset()) -> Predicted:  # type: ignore[assignment]
    return Predicted(frozenset(links), frozenset(), frozenset(), frozenset(moved))


def test_the_set_told_out_of_order_is_the_gold_moved_set() -> None:
    assert gold_moved(SETS) == {2}
    assert gold_moved(SETS[:2]) == frozenset()


def test_sets_found_precision_and_moved_sets_on_a_known_alignment() -> None:
    links = {(0, 0), (2, 1), (9, 2), (5, 4), (4, 1), (20, 9)}
    scores = rework_scores(pred(links, moved={2}), SETS)
    # Set 3 (record 4, account 3) has no link inside it: 4 of 5 found.
    assert scores.sets_found == pytest.approx(0.8)
    # (4, 1) joins two gold verses of different sets: wrong; (20, 9) is outside every
    # set and not judged; the other four are right.
    assert scores.n_judged_links == 5
    assert scores.link_precision == pytest.approx(0.8)
    assert scores.moved_f1 == pytest.approx(1.0)
    assert (scores.unfound, scores.missed_moves, scores.false_moves) == ((3,), (), ())


def test_a_moved_set_missed_or_a_kept_set_called_moved_lowers_moved_f1() -> None:
    links = {(0, 0), (2, 1), (9, 2), (4, 3), (5, 4)}
    assert rework_scores(pred(links), SETS).moved_f1 == 0.0
    # Set 1 flagged moved as well as set 2: precision 1/2, recall 1 -> F1 2/3.
    both = rework_scores(pred(links, moved={1, 2}), SETS)
    assert both.moved_f1 == pytest.approx(2 / 3)
    assert both.n_predicted_moved == 2 and both.false_moves == (1,)
    assert rework_scores(pred(links), SETS).missed_moves == (2,)
    # An unfound set is neither found nor predicted moved.
    none = rework_scores(pred(set()), SETS)
    assert none.sets_found == 0.0 and none.moved_f1 == 0.0


def test_a_set_is_predicted_moved_when_half_its_links_are() -> None:
    sets = [GoldSet(frozenset({0, 1}), frozenset({0, 1}))]
    half = pred({(0, 0), (1, 1)}, moved={1})
    third = pred({(0, 0), (1, 1), (1, 0)}, moved={1})
    assert rework_scores(half, sets).n_predicted_moved == 1
    # Witness 0 carries two links, witness 1 one: one of three links is moved.
    assert rework_scores(third, sets).n_predicted_moved == 0


def test_gold_sets_read_from_a_bibledit_table(tmp_path: Path) -> None:
    table = tmp_path / "t.xml"
    table.write_text(
        """<passages><section title="x">
        <set><reference book="2 Samuel" chapter="5" verse="1-3"/>
             <reference book="1 Chronicles" chapter="11" verse="1"/>
             <reference book="Psalms" chapter="1" verse="1"/></set>
        <set><reference book="2 Samuel" chapter="5" verse="2"/>
             <reference book="Psalms" chapter="2" verse="1"/></set>
        </section></passages>""",
        encoding="utf-8",
    )
    sam = Verses((10005001, 10005002, 10005003), ("a", "b", "c"))
    chron = Verses((13011001,), ("a",))
    (only,) = gold_sets(table, sam, chron)  # the second set has no Chronicles verse
    assert only == GoldSet(frozenset({0, 1, 2}), frozenset({0}))
    assert label(sam.ids) == "2 Samuel 5:1-3"
    assert label([13011001, 13012002]) == "1 Chronicles 11:1, 1 Chronicles 12:2"


def test_the_table_is_fetched_once_and_a_missing_apt_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "parallel-passages-ot.xml").write_text("<passages/>", encoding="utf-8")
    monkeypatch.setattr(real_bible.shutil, "which", lambda name: None)
    cached = real_bible.bibledit_table("parallel-passages-ot.xml", tmp_path)
    assert cached == tmp_path / "parallel-passages-ot.xml"
    with pytest.raises(BenchDataError, match="apt-get and dpkg are needed"):
        real_bible.bibledit_table("parallel-passages-nt.xml", tmp_path / "empty")


@pytest.mark.parametrize("seed", range(8))
def test_the_seeded_editor_knows_its_edits(seed: int) -> None:
    record = [f"record verse {k} of the book." for k in range(400)]
    account = [f"account verse {k} of the book." for k in range(400)]
    filler = [f"another book, verse {k}." for k in range(50)]
    pair = edit_pair(record, account, filler, seed=seed)
    assert pair.counts["moved"] > 0 and pair.counts["merged"] > 0 and pair.added
    linked = {i for i, _ in pair.links}
    assert linked | pair.omitted == set(range(400)) and not linked & pair.omitted
    for i, j in pair.links:
        assert f"account verse {i} " in pair.account[j]
    assert {j for j, line in enumerate(pair.account) if line in filler} == pair.added
    # The moved blocks are exactly the lines off the longest chain of the true links.
    assert lis_moved(pair.links) == pair.moved
    truth = Predicted(pair.links, pair.omitted, pair.added, pair.moved)
    perfect = edit_scores(truth, pair)
    assert (perfect.link_f1, perfect.omitted_f1, perfect.added_f1, perfect.moved_f1) == (1, 1, 1, 1)
    assert edit_pair(record, account, filler, seed=seed) == pair


def test_every_setting_is_swept_including_new_ones() -> None:
    paths = dict(settings_paths(Settings()))
    for name in AlignSettings.__dataclass_fields__:
        value = getattr(AlignSettings(), name)
        if isinstance(value, bool | int | float):
            assert ("align", name) in paths
    assert ("semantic",) not in paths
    assert swept_values(1) == [0, 2]
    assert swept_values(10) == [5, 8, 13, 15]
    assert swept_values(True) == [False]
    assert swept_values(0.4) == pytest.approx([0.2, 0.3, 0.5, 0.6])
    changed = with_value(Settings(), ("align", "min_score"), 0.45)
    assert changed.align.min_score == 0.45 and Settings().align.min_score != 0.45


def test_shapes_have_the_shape_they_claim() -> None:
    record, account, _ = make_shape("quotes", 70)
    lines = account.split("\n")
    assert len(lines) == 70 and "" not in lines
    assert [k for k, line in enumerate(lines) if '"' in line] == list(range(0, 70, 7))
    assert '"' not in record
    record, _, truth = make_shape("repeated", 200)
    assert len(truth) > 180 and len(set(record.replace("\n\n", " ").split(". "))) > 50
    copies, _, _ = make_shape("copies", 30)
    assert copies.count("The minister said that the talks would continue in the spring.") == 30
    long, _, _ = make_shape("long-sentence", 100)
    assert len(long.split()) == 400 and long.count(".") == 1


def test_the_table_marks_misses_and_renders_as_markdown() -> None:
    row = Row(
        "r",
        (
            Figure("sets found", 0.9, (0.8, 0.85), 0.93),
            Figure("time s", 12.0, (3.0,), 10.0, at_most=True),
            Figure("finding", "pass", "FAIL"),
        ),
        1.0,
        0.1,
        "a note",
    )
    assert [f.verdict() for f in row.figures] == ["MISS", "MISS", "ok"]
    text = render([row])
    assert "0.800-0.850" in text and "+0.050" in text and "a note" in text
    assert "targets met: 1 of 3" in text and "missed: r / sets found; r / time s" in text
    markdown = render([row], markdown=True).splitlines()
    assert markdown[0].startswith("| row |") and markdown[1].startswith("| --- |")
    assert len([ln for ln in markdown if ln.startswith("|")]) == 2 + 3


def test_two_runs_side_by_side(tmp_path: Path) -> None:
    def run(value: float, name: str = "r") -> list[dict[str, object]]:
        fig = Figure("sets found", value, (0.8, 0.85), 0.93)
        return [asdict(Row(name, (fig,), 1.0, 0.1))]

    before, after = tmp_path / "before.json", tmp_path / "after.json"
    before.write_text(json.dumps(run(0.9) + run(0.5, "only before")), encoding="utf-8")
    after.write_text(json.dumps(run(0.95)), encoding="utf-8")
    cells = compare_runs(before, after)
    assert cells[0] == [
        "r",
        "sets found",
        "0.900",
        "0.950",
        "+0.050",
        "0.800-0.850",
        ">=0.93",
        "ok",
    ]
    assert cells[1][:4] == ["only before", "sets found", "0.500", "-"]


def test_the_held_out_gospel_histories_and_formulae_rows_run_by_default_and_by_name() -> None:
    from benchmarks.bench_real import _groups, _parse, _selected
    from benchmarks.real_rows import FORMULAE, GOSPELS, HISTORIES, REWORKS, TRANSLATIONS

    groups = _groups(_parse([]))
    assert [n for n, _ in groups["gospels"]] == list(GOSPELS)
    assert [n for n, _ in groups["histories"]] == list(HISTORIES)
    assert not set(HISTORIES) & (set(REWORKS) | set(GOSPELS))
    assert all(not tuning for *_, tuning in HISTORIES.values())
    assert len(_selected(groups, "ezra>nehemiah")) == 1
    assert [n for n, _ in groups["formulae"]] == list(FORMULAE)
    assert not set(FORMULAE) & set(TRANSLATIONS)
    assert "matthew>luke" in GOSPELS and "luke>matthew" in GOSPELS
    assert not set(GOSPELS) & set(REWORKS)  # held out: none is also a tuning or report row
    assert all(not tuning for *_, tuning in GOSPELS.values())
    assert "gospels" not in _groups(_parse(["--quick"]))
    assert len(_selected(groups, "gospels")) == len(GOSPELS)
    assert len(_selected(groups, "luke>john")) == 1
