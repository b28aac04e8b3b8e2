"""Each telling of a passage told twice is judged on its own (:mod:`webapp.collate.tellings`):
the early telling is moved, the telling in place is not, and the link is not a moved one;
curation keeps the flags, the JSON carries them, and the benchmark counts the moved telling.
"""

from __future__ import annotations

import json

from benchmarks.metrics import predicted
from tests.test_retell import RECORD, RETOLD
from webapp.collate import Comparison, Decision, Document, Link, compare, curate
from webapp.collate.tellings import off_chain, runs
from webapp.report import comparison_report
from webapp.views.present import sequence_chart
from webapp.views.summary import summarize

#: The arrest (record 11-14) told early at A5-A8, then the whole record in order.
ACCOUNT = [*RECORD[:4], *RETOLD, *RECORD[4:]]


def _documents() -> tuple[Document, Document]:
    record = Document.from_lines("record", "\n".join(RECORD))
    return record, Document.from_lines("account", "\n".join(ACCOUNT))


def _compare() -> Comparison:
    record, account = _documents()
    return compare(record, [account])


def _told_twice(links: tuple[Link, ...]) -> dict[int, Link]:
    return {link.source[0]: link for link in links if 11 <= link.source[0] <= 14}


def test_a_passage_told_twice_has_one_moved_and_one_telling_in_place() -> None:
    comparison = _compare()
    links = _told_twice(comparison.witnesses[0].links)
    assert sorted(links) == [11, 12, 13, 14]
    for i, link in links.items():
        early, in_place = link.tellings
        assert early.witness == (i - 7,) and in_place.witness == (i + 4,)
        assert early.moved and not early.possible_move
        assert not in_place.moved and not in_place.possible_move
        assert in_place.kind == "verbatim" and in_place.score == 1.0
        assert early.kind != "verbatim" and early.score < 1.0
        # The link: told in place somewhere, so not moved; scored by its best telling.
        assert not link.moved and not link.possible_move
        assert (link.score, link.kind) == (1.0, "verbatim")
        assert [op.op for op in in_place.diff] == ["equal"]
        assert any(op.op == "insert" for op in early.diff)
    assert comparison.witnesses[0].added == ()


def test_links_told_once_have_no_tellings_and_keep_their_json() -> None:
    comparison = _compare()
    once = [link for link in comparison.witnesses[0].links if link.source[0] not in range(11, 15)]
    assert once and all(link.tellings == () for link in once)
    assert all("tellings" not in link.to_dict() for link in once)


def test_the_tellings_survive_a_json_round_trip_and_old_json_still_reads() -> None:
    comparison = _compare()
    data = json.loads(json.dumps(comparison.to_dict()))
    (told,) = [k for k in data["witnesses"][0]["links"] if k["source"] == [12]]
    assert [t["witness"] for t in told["tellings"]] == [[5], [16]]
    assert [t["moved"] for t in told["tellings"]] == [True, False]
    assert Comparison.from_dict(data).to_dict() == data  # scores are rounded in JSON
    for link in data["witnesses"][0]["links"]:
        link.pop("tellings", None)  # JSON written before tellings existed
    old = Comparison.from_dict(data)
    assert all(link.tellings == () for link in old.witnesses[0].links)


def test_curation_keeps_each_telling_judged_on_its_own() -> None:
    record, account = _documents()
    machine = compare(record, [account]).witnesses[0]
    # A person's decision elsewhere makes curation recompute every order flag.
    decision = Decision("add", (0,), (0,), "h1")
    curated = curate(record, account, machine, [decision]).result
    before, after = _told_twice(machine.links), _told_twice(curated.links)
    assert after == before
    assert [t.moved for t in after[12].tellings] == [True, False]


def test_curation_moves_the_telling_a_person_places_out_of_order() -> None:
    record, account = _documents()
    machine = compare(record, [account]).witnesses[0]
    # A person links R13 to A6 alone: the in-place telling A17 is no longer R13's.
    curated = curate(record, account, machine, [Decision("add", (12,), (5,), "h1")]).result
    (link,) = [k for k in curated.links if k.source == (12,)]
    assert link.witness == (5,) and link.tellings == () and link.moved
    assert 16 in curated.added


def test_the_benchmark_counts_only_the_moved_telling_as_moved() -> None:
    found = predicted(_compare().witnesses[0])
    assert found.moved == {4, 5, 6, 7}  # A5-A8, told early; A16-A19 are in place


def test_tellings_of_one_link_never_chain_with_each_other() -> None:
    # A run may skip one sentence (a merge across one unlinked sentence), not two.
    assert runs((5, 6, 16, 18)) == [(5, 6), (16, 18)]
    assert runs((5, 6, 9)) == [(5, 6), (9,)]
    # One record sentence told at 1 and at 3: alone, only one telling can be on the chain.
    assert sorted(off_chain([((0,), (1,)), ((0,), (3,))], [1.0, 1.0])) == [False, True]
    # Between others, the one that fits the order is on it.
    keys = [((0,), (0,)), ((1,), (4,)), ((1,), (1,)), ((2,), (2,))]
    assert off_chain(keys, [1.0] * 4) == [False, True, False, False]


def test_the_summary_counts_the_sentences_told_again_out_of_order() -> None:
    result = _compare().witnesses[0]
    summary = summarize("Chronicle", result, RECORD)
    assert summary.moved == 0 and summary.retold == 4
    assert "all in the record's order" in summary.counts_sentence()
    assert "it tells 4 record sentences again out of the record's order (told twice)" in (
        summary.counts_sentence()
    )


def test_the_text_report_gives_each_telling_its_own_line_and_flag() -> None:
    report = comparison_report(_compare())
    block = report[report.index("R13 -> A6,A17") :].splitlines()
    assert block[0].strip() == "R13 -> A6,A17  verbatim 1.00"  # not moved: told in place
    assert block[1].strip().startswith("telling A6: paraphrase ")
    assert block[1].endswith(" MOVED")
    assert block[2].strip() == "telling A17: verbatim 1.00 in order"


def test_the_order_chart_draws_each_telling_with_its_own_flag() -> None:
    chart = sequence_chart(_compare().witnesses[0], len(RECORD))
    lines = [line for line in chart.lines if line.label.startswith("R13 → ")]
    assert [(line.label, line.moved) for line in lines] == [
        ("R13 → A6 (moved)", True),
        ("R13 → A17", False),
    ]
