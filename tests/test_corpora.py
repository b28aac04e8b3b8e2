"""Every bundled dossier loads, is honest about provenance and compares either way round."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from webapp.collate import Document, compare, phrase_order
from webapp.ingest.corpus import KINDS, bundled_dossiers

from .conftest import DossierRun

IDS = [d.id for d in bundled_dossiers()]


def test_the_three_dossiers_are_bundled() -> None:
    assert {"zavidovo-1993", "lunch-1994", "whether-when-1994"} <= set(IDS)


@pytest.mark.parametrize("dossier_id", IDS)
def test_metadata_texts_and_phrases(
    dossier_id: str, dossier_run: Callable[[str], DossierRun]
) -> None:
    run = dossier_run(dossier_id)
    for meta in run.dossier.documents:
        assert meta.kind in KINDS
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
