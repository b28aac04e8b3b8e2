"""Word correspondences learned from a text pair's own confident links (issue 10):
a consistent rendering is learned and links a pair that shares only it; a rendering seen
once is not; an unrelated sentence does not link through it; off, nothing changes."""

from __future__ import annotations

import dataclasses
import importlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

from webapp.collate import Comparison, Document, Rendering, Settings, compare
from webapp.collate.align_settings import AlignSettings
from webapp.report import comparison_report

from .webdb import web_site

lexicon = importlib.import_module("webapp.collate.lexicon")

NOUNS = (
    "harbor lantern orchard ledger quarry saddle furnace meadow chisel vessel granary "
    "tapestry anvil bridle cistern garland parchment kettle trellis beacon"
).split()
VERBS = (
    "mended carried painted counted sharpened polished buried lifted folded weighed "
    "hammered scattered guarded watered gathered measured tied lit stitched sealed"
).split()
PLACES = (
    "river chapel market tower bridge stable village fountain mill gate courtyard hill "
    "forest cellar barn garden road wharf square valley"
).split()
ON = Settings(align=AlignSettings(lexicon=True))
OFF = Settings(align=AlignSettings(lexicon=False))


def _sentence(k: int, adjective: str) -> str:
    return f"The {adjective} {NOUNS[k]} was {VERBS[k]} beside the {PLACES[k]}."


def _texts(renderings: int, record_extra: str, account_extra: str) -> tuple[Document, Document]:
    """Twenty kept sentences, ``renderings`` of them (every third) saying "froward" where
    the account says "perverse"; a further pair inserted at 17 (between kept ones)."""
    record, account = [], []
    for k in range(20):
        rendered = k % 3 == 0 and k < 3 * renderings
        record.append(_sentence(k, "froward" if rendered else "old"))
        account.append(_sentence(k, "perverse" if rendered else "old"))
    record.insert(17, record_extra)
    account.insert(17, account_extra)
    return Document.from_text("record", " ".join(record)), Document.from_text(
        "account", " ".join(account)
    )


def _partners(document: tuple[Document, Document], settings: Settings, j: int) -> list[int]:
    """The record sentences linked to account sentence ``j``."""
    result = compare(document[0], [document[1]], settings).witnesses[0]
    return [i for link in result.links if j in link.witness for i in link.source]


def test_a_consistent_rendering_links_a_pair_that_shares_only_it() -> None:
    texts = _texts(5, "The froward speak.", "The perverse talk.")
    assert _partners(texts, OFF, 17) == []
    assert _partners(texts, ON, 17) == [17]


def test_a_rendering_seen_in_one_link_is_not_learned() -> None:
    texts = _texts(1, "The froward speak.", "The perverse talk.")
    assert _partners(texts, ON, 17) == []


def test_an_unrelated_sentence_does_not_link_through_a_learned_pair() -> None:
    # The account's sentence shares the learned word with record sentence 0, far away,
    # and nothing else with anything: it stays an addition.
    texts = _texts(5, "Seven geese crossed the frozen pond.", "Perverse rumours travel fast.")
    result = compare(texts[0], [texts[1]], ON).witnesses[0]
    assert 17 in result.added and 17 in result.omitted


def test_off_the_result_is_the_one_without_a_second_scoring(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = _texts(5, "The froward speak.", "The perverse talk.")
    off = compare(texts[0], [texts[1]], OFF).witnesses[0]
    monkeypatch.setattr(lexicon, "learn", lambda *args, **kwargs: {})
    never = compare(texts[0], [texts[1]], ON).witnesses[0]
    assert off.links == never.links and off.added == never.added


def test_the_learning_needs_mutual_best_and_the_union_bound() -> None:
    links = [(["froward", f"w{k}"], ["pervers", f"w{k}"]) for k in range(6)]
    fillers = [([f"x{k}"], [f"x{k}"]) for k in range(12)]
    assert lexicon.learn(links + fillers, min_links=3, alpha=0.05) == {"pervers": "froward"}
    # Too few links for the count asked.
    assert lexicon.learn(links + fillers, min_links=7, alpha=0.05) == {}
    # A stricter chance level than these 18 links can show.
    assert lexicon.learn(links + fillers, min_links=3, alpha=1e-9) == {}
    # A word the account keeps in most links is no rendering of another.
    kept = [(["froward", "pervers"], ["pervers"]) for _ in range(12)]
    assert lexicon.learn(links + kept + fillers, min_links=3, alpha=0.05) == {}


def test_pairs_sharing_a_word_become_one_class_on_both_sides() -> None:
    canon = lexicon.classes({"fled": "cross", "cross": "move"})
    assert canon == {"cross": "cross", "fled": "cross", "move": "cross"}
    terms, words = lexicon.apply(
        {"fled": "cross"}, ([["cross", "river"]], [["fled", "river"]]), ([["crossed"]], [["fled"]])
    )
    assert terms == ([["cross", "river"]], [["cross", "river"]])
    assert words == ([["cross"]], [["cross"]])


def test_the_settings_are_the_last_of_the_align_group_and_off_learns_nothing() -> None:
    fields = [f.name for f in dataclasses.fields(AlignSettings)]
    at = fields.index("lexicon")  # one group (later rounds' groups follow it)
    assert fields[at : at + 3] == ["lexicon", "lexicon_min_links", "lexicon_alpha"]
    off = AlignSettings(lexicon=False)
    # Off, nothing is scored (no scorer is even needed) and nothing is learned.
    assert lexicon.learned([], None, off, ([], [])) == {}


def test_the_second_alignment_only_adds_links_between_free_sentences() -> None:
    draft = importlib.import_module("webapp.collate.merges").DraftLink
    first = [draft({0}, {0}), draft({2}, {3})]
    second = [draft({0}, {1}), draft({1}, {1}), draft({1, 2}, {2}), draft({4}, {4})]
    assert lexicon.free_links(first, second) == [draft({1}, {1}), draft({4}, {4})]


def test_the_learned_words_are_named_in_the_json_and_read_back() -> None:
    texts = _texts(5, "The froward speak.", "The perverse talk.")
    comparison = compare(texts[0], [texts[1]], ON)
    (witness,) = comparison.witnesses
    assert witness.lexicon == (Rendering("froward", "perverse"),)
    # The link found through the learned pair shows it as its evidence (the record's word).
    (found,) = [link for link in witness.links if link.witness == (17,)]
    assert found.source == (17,) and found.shared == ("froward",)
    data = comparison.to_dict()
    assert data["witnesses"][0]["lexicon"] == [{"record": "froward", "account": "perverse"}]
    assert Comparison.from_dict(data).witnesses[0].lexicon == witness.lexicon
    assert "Read as one word (learned from the confident links): record “froward” = " in (
        comparison_report(comparison)
    )


def test_no_link_found_through_a_learned_word_names_none() -> None:
    # Learned or not, a rendering through which no link was found is not a finding.
    for texts, settings in (
        (_texts(1, "The froward speak.", "The perverse talk."), ON),
        (_texts(5, "Seven geese crossed the frozen pond.", "Wild rumours travel fast."), ON),
        (_texts(5, "The froward speak.", "The perverse talk."), OFF),
    ):
        comparison = compare(texts[0], [texts[1]], settings)
        assert comparison.witnesses[0].lexicon == ()
        assert "lexicon" not in comparison.to_dict()["witnesses"][0]
        assert "Read as one word" not in comparison_report(comparison)


def _sayings_page(tmp_path: Path) -> tuple[int, str]:
    """The compare page (status, HTML) of a dossier whose account says "perverse" where
    its record says "froward", five times, and once in a pair sharing only that word."""
    record, account = _texts(5, "The froward speak.", "The perverse talk.")
    with web_site("sqlite", tmp_path) as site:
        site.add_user("ada")
        dossier = site.dossier("ada", "Sayings")
        site.document("ada", dossier, "Old", "memcon", record.text)
        site.document("ada", dossier, "New", "memoir", account.text)
        page = site.call("ada", "GET", f"/dossiers/{dossier}/compare")
        return page.status_code, page.get_data(as_text=True)


def test_the_compare_page_names_the_learned_words(tmp_path: Path) -> None:
    # The words are the normaliser's (letters and digits), so there is no markup to escape.
    status, html = _sayings_page(tmp_path)
    assert status == 200
    line = html[html.index('<p class="meta lexicon">') :].split("</p>")[0]
    assert "“froward” in the record, “perverse” in the account" in line


def test_the_printed_page_names_the_learned_words(tmp_path: Path) -> None:
    # Page 1's head on paper says what was read as one, as the text report does.
    status, html = _sayings_page(tmp_path)
    assert status == 200
    page_one = html[html.index('<svg class="print-page"') :].split("</svg>")[0]
    assert "Read as one word (learned from the confident links): record “froward” = " in (
        page_one.replace("&#34;", '"')
    )
    assert page_one.index("Read as one word") > page_one.index(" links · ")


@examples(max_examples=300, deadline=None)
@given(st.floats(min_value=1e-300, max_value=1.0, exclude_max=True))
def test_the_g2_threshold_is_scipy_s_chi_square_quantile(p: float) -> None:
    # The threshold a pair's G2 must reach comes from the standard library now (scipy.stats
    # cost 0.6 s to import); it must be the same figure.
    from scipy.stats import chi2

    assert lexicon.chi2_isf_1(p) == pytest.approx(float(chi2.isf(p, 1)), rel=1e-10, abs=1e-12)


def test_the_g2_threshold_at_the_ends() -> None:
    assert lexicon.chi2_isf_1(1.0) == 0.0 and lexicon.chi2_isf_1(2.0) == 0.0
    assert lexicon.chi2_isf_1(0.0) == float("inf")
    assert lexicon.chi2_isf_1(0.05) == pytest.approx(3.841458820694124)  # the textbook 3.84
