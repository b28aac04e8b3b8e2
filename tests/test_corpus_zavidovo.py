"""Golden tests on the headline dossier: what a teacher must see without telling the tool."""

from __future__ import annotations

from webapp.collate import Link, WitnessResult, phrase_order

from .conftest import DossierRun


def record_index(run: DossierRun, words: str) -> int:
    """The record sentence containing ``words`` (exactly one must)."""
    (index,) = [s.index for s in run.record.sentences if words in s.text]
    return index


def account_index(run: DossierRun, file_part: str, words: str) -> int:
    (index,) = [s.index for s in run.account(file_part).sentences if words in s.text]
    return index


def link_of(witness: WitnessResult, account_sentence: int) -> Link:
    (link,) = [k for k in witness.links if account_sentence in k.witness]
    return link


def test_the_dossier_is_complete_and_honest_about_provenance(zavidovo: DossierRun) -> None:
    files = [d.file for d in zavidovo.dossier.documents]
    assert "zavidovo" in zavidovo.dossier.id
    assert any("memcon" in f for f in files)
    assert any("christopher" in f for f in files)
    assert any("talbott" in f for f in files)
    record = zavidovo.dossier.record_meta
    assert record.kind == "memcon" and record.reconstructed
    assert "reconstruct" in record.provenance.lower()
    assert "reconstruction" in zavidovo.dossier.note.lower()
    for meta in zavidovo.dossier.documents:
        assert meta.title and meta.author and meta.date and meta.provenance


def test_christopher_caveat_is_linked_to_the_eventuality_and_moved(zavidovo: DossierRun) -> None:
    witness = zavidovo.witness("christopher")
    caveat = account_index(zavidovo, "christopher", "long-term and evolutionary")
    great = account_index(zavidovo, "christopher", "This really is a great idea")
    eventuality = record_index(zavidovo, "longer term eventuality")
    great_idea = record_index(zavidovo, "a great idea, really great")
    caveat_link = link_of(witness, caveat)
    great_link = link_of(witness, great)
    assert eventuality in caveat_link.source
    assert great_idea in great_link.source
    assert caveat_link.moved or great_link.moved
    # The record tells the enthusiasm first; the memoir the caveat.
    assert great_idea < eventuality and caveat < great


def test_christopher_stroke_of_genius_is_linked_in_order(zavidovo: DossierRun) -> None:
    witness = zavidovo.witness("christopher")
    genius = link_of(witness, account_index(zavidovo, "christopher", "stroke of genius"))
    assert record_index(zavidovo, "it is a stroke of genius") in genius.source
    assert not genius.moved


def test_order_question_says_inverted_for_christopher(zavidovo: DossierRun) -> None:
    answer = phrase_order(
        zavidovo.record, zavidovo.comparison, "longer term eventuality", "great idea"
    )
    verdicts = {a.name: a.verdict for a in answer.accounts}
    christopher = next(a for a in answer.accounts if "Stream of History" in a.name)
    assert christopher.verdict == "inverted"
    assert "inverted" in christopher.explanation
    assert "great idea" in christopher.explanation
    talbott = next(name for name in verdicts if "Russia Hand" in name)
    assert verdicts[talbott] == "missing"
    genius = phrase_order(
        zavidovo.record, zavidovo.comparison, "longer term eventuality", "stroke of genius"
    )
    assert next(a for a in genius.accounts if "Stream" in a.name).verdict == "kept"


def test_talbott_brilliant_is_linked_and_the_eventuality_omitted(zavidovo: DossierRun) -> None:
    witness = zavidovo.witness("talbott")
    brilliant = link_of(witness, account_index(zavidovo, "talbott", "brilliant"))
    beats = {
        record_index(zavidovo, "it is a stroke of genius"),
        record_index(zavidovo, "a great idea, really great"),
    }
    assert set(brilliant.source) & beats
    assert record_index(zavidovo, "longer term eventuality") in witness.omitted
    assert len(witness.omitted) > len(zavidovo.record.sentences) // 2


def test_quotations_not_in_the_record_are_found_out(zavidovo: DossierRun) -> None:
    quotes = {q.text: q for q in zavidovo.witness("christopher").quotes}
    assert quotes["long-term and evolutionary"].status == "not_found"
    assert quotes["This really is a great idea"].status == "not_found"
    genius = quotes["stroke of genius"]
    assert genius.status == "exact"
    assert genius.source == record_index(zavidovo, "it is a stroke of genius")


def test_the_essay_retelling_keeps_the_record_order(zavidovo: DossierRun) -> None:
    witness = zavidovo.witness("goldgeier")
    assert not any(link.moved for link in witness.links)
    assert witness.order.kendall_tau == 1.0
    eventuality = record_index(zavidovo, "longer term eventuality")
    assert any(eventuality in link.source for link in witness.links)
    statuses = {q.status for q in witness.quotes}
    assert statuses == {"exact"}


def test_whole_comparison_json_round_trips(zavidovo: DossierRun) -> None:
    data = zavidovo.comparison.to_dict()
    assert data["schema"] == 2
    assert [w["name"] for w in data["witnesses"]] == [m.title for m in zavidovo.dossier.accounts]
