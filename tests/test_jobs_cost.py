"""Long work never blocks a request: a comparison estimated over a second (from the texts'
shapes, without segmenting them) answers at once with the progress page; a small one is
still computed in the request, each text segmented once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from benchmarks.bench_cost import Case, templated, write_dossier
from benchmarks.synthetic import make_pair
from webapp import create_app
from webapp.library.job_cost import (
    DEFAULT_BACKGROUND_SECONDS,
    estimate_seconds,
    estimate_text_seconds,
    shape_of,
)
from webapp.library.jobs import Jobs
from webapp.store import ComparisonCache, Job

from .conftest import TEST_CONFIG

MINUTES, SMALL = "minutes", "small-talks"


def _small() -> Case:
    light, heavy = make_pair(60, seed=7), make_pair(60, seed=7, level="heavy")
    return Case("small", light.record_text, (light.witness_text, heavy.witness_text))


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpora")
    write_dossier(folder, templated(1200), MINUTES)
    write_dossier(folder, _small(), SMALL)
    return folder


@pytest.fixture
def app(corpora: Path, tmp_path: Path) -> Iterator[Flask]:
    """The app with the default thresholds (1 s, 3,000 sentences, 1,000,000 characters)."""
    made = create_app({**TEST_CONFIG, "CORPORA_DIR": str(corpora), "INSTANCE_PATH": str(tmp_path)})
    yield made
    made.extensions["memcon.jobs"].close()


def _count(app: Flask, model: Any) -> int:
    with app.extensions["memcon.db"].session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_templated_1200_sentence_dossier_answers_at_once_with_the_progress_page(
    app: Flask, segmented: list[str]
) -> None:
    client = app.test_client()
    page = client.get(f"/dossiers/{MINUTES}/compare")
    html = page.get_data(as_text=True)
    assert page.status_code == 202, html[:300]
    assert "Comparing in the background" in html and "<progress" in html
    assert 'class="sentences' not in html  # the progress page, not the comparison
    # No comparison in the request (it takes 1.2 s), only the estimate: nothing segmented,
    # nothing cached (the request's seconds: benchmarks/bench_hostile.py).
    assert segmented == [] and _count(app, ComparisonCache) == 0
    with app.extensions["memcon.db"].session() as session:
        (job,) = session.scalars(select(Job)).all()
        assert job.status == "queued"
    api = client.get(f"/api/dossiers/{MINUTES}/comparison")
    assert api.status_code == 202 and api.headers["Location"] == f"/api/jobs/{job.id}"


def test_a_small_dossier_is_still_compared_in_the_request(app: Flask, segmented: list[str]) -> None:
    page = app.test_client().get(f"/dossiers/{SMALL}/compare")
    assert page.status_code == 200 and 'class="sentences' in page.get_data(as_text=True)
    assert sorted(segmented) == sorted(set(segmented)) and len(segmented) == 3  # once each
    assert _count(app, ComparisonCache) == 1 and _count(app, Job) == 0


def test_the_estimate_reads_the_shape_of_the_texts() -> None:
    minutes = templated(1200)
    shape = shape_of(minutes.record)
    assert 1150 <= shape.sentences <= 1250 and shape.chars == len(minutes.record)
    assert shape.repeated > 0.5 and shape.copies == 0  # the template repeats, never exactly
    copies = shape_of("The minister spoke at length. " * 50)
    assert copies.copies == 49 / 50 and copies.near == 0  # exact copies, not near ones
    assert shape.near > 0.5
    prose = shape_of(make_pair(300, seed=3).record_text)
    assert prose.repeated < shape.repeated and 280 <= prose.sentences <= 320
    quoted = shape_of('He said "no. Then he left. She said "yes." and went.')
    assert quoted.quotes == 3 and quoted.lone_quotes >= 1
    huge = shape_of("word " * 20_000 + ".")
    assert huge.sentences == 1 and huge.longest > 100_000 and huge.long_units > 100_000
    assert shape_of("").sentences == 0 and shape_of("  \n\n ").sentences == 0


def test_the_estimate_grows_with_the_work() -> None:
    small, minutes = _small(), templated(1200)
    small_s = estimate_text_seconds([small.record, *small.accounts])
    minutes_s = estimate_text_seconds([minutes.record, *minutes.accounts])
    assert small_s < DEFAULT_BACKGROUND_SECONDS < minutes_s
    one = estimate_text_seconds([small.record, small.accounts[0]])
    assert one < small_s  # another account is another pair
    # The record is not known to the estimate: the heaviest text is taken as it.
    shapes = [shape_of(minutes.record), shape_of(small.record)]
    assert estimate_seconds(shapes) == estimate_seconds(shapes[::-1])
    assert estimate_seconds([shape_of(minutes.record)]) < small_s  # nothing to compare


def test_the_hard_limits_and_the_budget_of_the_gate(tmp_path: Path) -> None:
    app = create_app({**TEST_CONFIG, "INSTANCE_PATH": str(tmp_path)})
    jobs: Jobs = app.extensions["memcon.jobs"]
    small = _small()
    texts = [small.record, *small.accounts]
    assert not jobs.wants_background(texts)
    assert jobs.wants_background(["One. Two. " * 1501])  # over 3,000 sentences
    assert not jobs.wants_background(["x. " * 3000])  # one text: nothing to compare
    jobs.seconds = 0.0
    assert jobs.wants_background(texts)  # 0: always in the background
    jobs.seconds, jobs.chars = 1.0, 10
    assert jobs.wants_background(texts)
    assert app.config["BACKGROUND_SECONDS"] == DEFAULT_BACKGROUND_SECONDS
