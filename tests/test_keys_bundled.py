"""The bundled teaching keys (corpora/*/key.json) fit their texts and say what they should."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from webapp.collate import Document
from webapp.collate.scoring import Answer, AnswerLink, inversions, score
from webapp.ingest.corpus import Dossier, bundled_dossiers, find_dossier
from webapp.ingest.keyfile import KeyFile, KeyFileError, check_key, read_key

from .conftest import DossierRun

KEYED = [d.id for d in bundled_dossiers() if read_key(d.folder) is not None]


def _documents(dossier: Dossier) -> dict[str, Document]:
    return {meta.file: dossier.document(meta) for meta in dossier.documents}


def _key(dossier_id: str) -> tuple[Dossier, KeyFile, dict[str, Document]]:
    dossier = find_dossier(dossier_id)
    key = read_key(dossier.folder)
    assert key is not None
    return dossier, key, _documents(dossier)


def test_the_three_teaching_dossiers_have_keys() -> None:
    assert {"temptation", "census-of-david", "paul-conversion"} <= set(KEYED)


@pytest.mark.parametrize("dossier_id", KEYED)
def test_each_key_fits_its_texts_and_scores_one_against_itself(dossier_id: str) -> None:
    dossier, key, documents = _key(dossier_id)
    check_key(key, documents)  # sentence counts, numbers, one link a sentence, order, quotes
    assert key.record == dossier.record and key.teacher_note
    assert {a.file for a in key.accounts} == {m.file for m in dossier.accounts}
    for account in key.accounts:
        scoring_key = account.key(documents[account.file])
        perfect = Answer(
            links=tuple(AnswerLink(k.source, k.witness, k.label) for k in account.links),
            omitted=account.omitted,
            order=tuple(j for group in account.order for j in group),
            quotes=dict(scoring_key.quotes),
        )
        result = score(scoring_key, perfect)
        assert result.links.f1 == 1.0 and result.omissions.f1 == 1.0
        assert result.labels.accuracy == 1.0 and result.labels.kappa == 1.0
        assert result.order.tau == 1.0 and result.order.inverted == 0
        assert result.quotes.accuracy in (None, 1.0)
        assert all(link.note or not link.scored or link.label for link in account.links)


def test_the_swapped_temptations_are_inverted_in_the_keys_order() -> None:
    _, key, documents = _key("temptation")
    luke = key.accounts[0]
    ranks = luke.ranks()
    reading = sorted(ranks)  # Luke's own order of its linked sentences
    x = [ranks[j] for j in reading]
    assert inversions(x, [float(j) for j in reading]) == 16
    mountain = {6, 7, 8, 9}  # A7-A10: the devil on the high mountain, Luke's second
    temple = {10, 11, 12, 13}  # A11-A14: the pinnacle of the temple, Luke's third
    swapped = {(a, b) for a in reading for b in reading if a < b and ranks[a] > ranks[b]}
    assert swapped == {(a, b) for a in mountain for b in temple}
    text = documents["temptation-luke.txt"].sentences
    assert "high mountain" in text[6].text and "pinnacle of the temple" in text[10].text


def test_the_machine_flags_the_swapped_temptations_as_moved(
    dossier_run: Callable[[str], DossierRun],
) -> None:
    run = dossier_run("temptation")
    result = run.witness("luke")
    moved = [link for link in result.links if link.moved]
    assert moved
    swapped = set(range(6, 14))
    assert all(set(link.witness) <= swapped for link in moved)


def test_pauls_companions_come_before_the_instruction_in_acts_22() -> None:
    _, key, _ = _key("paul-conversion")
    acts22 = key.account("paul-acts-22.txt")
    assert acts22 is not None
    ranks = acts22.ranks()
    assert ranks[7] > ranks[9]  # A8 (the companions) follows A10 (the instruction) in Acts 9
    labels = {link.witness: link.label for link in acts22.links}
    assert labels[(14, 15)] == "changed speaker"  # Ananias speaks the commission


def _broken(tmp_path: Path, change: Callable[[dict[str, object]], None]) -> Path:
    dossier = find_dossier("temptation")
    raw = json.loads((dossier.folder / "key.json").read_text(encoding="utf-8"))
    change(raw)
    (tmp_path / "key.json").write_text(json.dumps(raw), encoding="utf-8")
    return tmp_path


def _first_account(raw: dict[str, object]) -> dict[str, object]:
    accounts = raw["accounts"]
    assert isinstance(accounts, list)
    first: dict[str, object] = accounts[0]
    return first


def _set_link(raw: dict[str, object], number: int, side: str, value: list[int]) -> None:
    links = _first_account(raw)["links"]
    assert isinstance(links, list)
    links[number][side] = value


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw["sentences"].update({"temptation-luke.txt": 14}), "expects 14 sentences"),
        (lambda raw: _set_link(raw, 0, "account", [99]), "no account sentence 99"),
        (lambda raw: _set_link(raw, 1, "record", [1]), "record sentence 1 is in links 1 and 2"),
        (lambda raw: _first_account(raw).update({"omitted": [3]}), "omitted record sentence 3"),
        (lambda raw: _first_account(raw)["order"].reverse(), "not the record's order"),
        (lambda raw: _first_account(raw)["links"][0].update({"label": "lie"}), "unknown label"),
        (lambda raw: _first_account(raw)["quotes"][0].update({"sentence": 1}), "is not in"),
    ],
)
def test_a_key_that_does_not_fit_its_texts_is_refused_saying_why(
    tmp_path: Path, change: Callable[[dict[str, object]], None], message: str
) -> None:
    dossier = find_dossier("temptation")
    key = read_key(_broken(tmp_path, change))
    assert key is not None
    with pytest.raises(KeyFileError, match=message):
        check_key(key, _documents(dossier))


def test_a_key_file_that_is_not_json_or_not_format_1_is_refused(tmp_path: Path) -> None:
    (tmp_path / "key.json").write_text("{", encoding="utf-8")
    with pytest.raises(KeyFileError, match="not valid JSON"):
        read_key(tmp_path)
    (tmp_path / "key.json").write_text('{"format": 2}', encoding="utf-8")
    with pytest.raises(KeyFileError, match="format 2 is not 1"):
        read_key(tmp_path)
    assert read_key(tmp_path / "nowhere") is None


def test_an_unscored_link_counts_for_nothing_either_way() -> None:
    _, key, documents = _key("census-of-david")
    account = key.accounts[0]
    unscored = [link for link in account.links if not link.scored]
    assert [link.source for link in unscored] == [(10,), (36,)]
    scoring_key = account.key(documents[account.file])
    with_them = Answer(links=tuple(AnswerLink(k.source, k.witness, k.label) for k in account.links))
    without = replace(
        with_them, links=tuple(a for a in with_them.links if a.source not in ((10,), (36,)))
    )
    assert score(scoring_key, with_them).links.f1 == score(scoring_key, without).links.f1 == 1.0
