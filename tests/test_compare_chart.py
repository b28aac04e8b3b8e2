"""The sequence chart of the compare view (present.sequence_chart): numbered axes, and one
path for the kept links of a long text so the page stays small."""

from __future__ import annotations

from tests.test_compare_summary import _result
from webapp.views.present import CHART_LINES_ONE_BY_ONE, axis_numbers, sequence_chart


def test_axis_numbers_start_and_end_and_step_roundly() -> None:
    assert axis_numbers(0) == []
    assert axis_numbers(1) == [0]
    assert axis_numbers(10) == list(range(10))
    assert axis_numbers(23) == [0, 4, 9, 14, 19, 22]  # R1, R5, R10, R15, R20, R23
    assert axis_numbers(1000) == [0, *range(99, 999, 100), 999]
    for n in (11, 37, 250, 1234):
        numbers = axis_numbers(n)
        assert numbers[0] == 0 and numbers[-1] == n - 1 and len(numbers) <= 12
        assert numbers == sorted(set(numbers))


def test_a_short_chart_draws_each_link_with_its_title() -> None:
    result = _result([(0, 0, False), (8, 1, True), (2, 2, False)], 4)
    chart = sequence_chart(result, 10)
    assert [line.number for line in chart.lines] == [1, 2, 3]
    assert chart.kept_path == ""
    assert chart.lines[1].moved and "R9 → A2 (moved)" == chart.lines[1].label
    assert [t for _, t in chart.record_labels] == [f"R{i}" for i in range(1, 11)]
    assert [t for _, t in chart.account_labels] == ["A1", "A2", "A3", "A4"]
    states = dict(chart.record_dots)
    assert states["omitted"].count("h0") == 7 and states["linked"].count("h0") == 3


def test_a_long_chart_draws_kept_links_as_one_path_and_moves_one_by_one() -> None:
    n = CHART_LINES_ONE_BY_ONE + 50
    links = [(i, i, False) for i in range(n)]
    links[5] = (5, n - 1, True)
    links[-1] = (n - 1, 5, False)
    chart = sequence_chart(_result(links, n, record_size=n), n)
    assert [line.number for line in chart.lines] == [6]
    assert chart.kept_path.count("M") == n - 1
    assert len(chart.record_labels) <= 12
