"""Quotation check: each quoted span of an account is exact, altered or not found."""

from __future__ import annotations

import csv
import io
import json
import random
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from webapp import create_app
from webapp.collate import Comparison, Document, Quote, QuoteChange, compare
from webapp.collate.normalize import Normalizer
from webapp.collate.quotemarks import MAX_QUOTE_WORDS
from webapp.collate.quotes import WORK_PER_WORD, Cost, TokenStream, check_quotes, quoted_spans
from webapp.export import from_json, from_tei, to_csv, to_json, to_tei, to_webanno, validate_tei
from webapp.export.model import CuratedDossier, ExportQuote
from webapp.library import cache_key, info
from webapp.library import comparisons as library
from webapp.report import comparison_report
from webapp.store import ComparisonCache
from webapp.store import Dossier as StoredDossier

from .conftest import TEST_CONFIG, write_record_and_memoir
from .test_exports import _dossier

RECORD = (
    'Yeltsin responded, "This is a brilliant idea, it is a stroke of genius." '
    'He said it was "a great idea, really great. Tell Bill I am thrilled by this brilliant '
    'stroke." The Secretary said membership was a longer term eventuality.'
)


def quotes_of(account: str):  # type: ignore[no-untyped-def]
    result = compare(Document.from_text("r", RECORD), [Document.from_text("a", account)])
    return {q.text: q for q in result.witnesses[0].quotes}


def spans(text: str) -> list[str]:
    return [text[a:b] for a, b in quoted_spans(text)]


def test_quoted_spans_in_curly_straight_and_single_quotes() -> None:
    text = "He said “one thing” and \"another thing\"; the 'open door' mantra, Yeltsin's view."
    assert spans(text) == ["one thing", "another thing", "open door"]


def test_german_french_and_low_quotes() -> None:
    text = "„Das ist gut“, sagte er. »Ja«, sagte sie. « Oui », dit-il. ‚Klein‘ und ‹petit›."
    assert spans(text) == ["Das ist gut", "Ja", "Oui", "Klein", "petit"]


def test_apostrophes_are_not_quotation_marks() -> None:
    text = "The envoys' cars, Yeltsin’s dacha and the ’90s; don't say 'never' again."
    assert spans(text) == ["never"]


def test_single_quotes_inside_a_double_quotation_belong_to_it() -> None:
    text = "He said \"the 'open door' stays open\" and left."
    assert spans(text) == ["the 'open door' stays open"]


def test_an_unpaired_straight_quote_is_ignored() -> None:
    text = 'He said "one thing.\n\nThen another "quoted" word.'
    assert spans(text) == ["quoted"]


def test_a_lone_mark_does_not_pair_with_one_far_away_in_the_same_paragraph() -> None:
    filler = " ".join(f"Sentence number {k} goes here." for k in range(6))
    text = f'He said "nothing then. {filler} Later it was over" for good.'
    assert spans(text) == []
    # Within the bound the same marks do pair.
    near = 'He said "nothing then. Later it was over" for good.'
    assert spans(near) == ["nothing then. Later it was over"]


def test_a_quotation_of_three_sentences_after_a_full_stop_is_kept() -> None:
    # The sentence end before the opening mark is not the quotation's own.
    text = "He left early. 'One went. Two went. Three went.' Done."
    assert spans(text) == ["One went. Two went. Three went"]
    text = "He left early. 'One went. Two went. Three went. Four went.' Done."
    assert spans(text) == []  # four sentences: a lost mark, not a quotation


def test_a_new_opening_mark_replaces_an_unpaired_one() -> None:
    text = 'He said "yes and she said "no" at once.'
    assert spans(text) == ["no"]


def test_unbalanced_quotes_every_seventh_line_give_short_spans_only() -> None:
    rng = random.Random(3)
    lines = []
    for k in range(3000):
        words = [rng.choice(["alpha", "beta", "gamma", "delta", "talks"]) for _ in range(12)]
        if k % 7 == 3:
            words[6] = '"' + words[6]
        lines.append(" ".join(words).capitalize() + ".")
    text = "\n".join(lines)
    assert spans(text) == []  # every mark is unpaired: none swallows the lines after it
    text = text.replace('"', "").replace("Alpha beta", 'Alpha "beta gamma" beta')
    found = spans(text)
    assert found and all(len(s.split()) <= MAX_QUOTE_WORDS for s in found)


def test_exact_quotation_names_the_record_sentence() -> None:
    quote = quotes_of('Yeltsin called it a "stroke of genius."')["stroke of genius"]
    assert quote.status == "exact"
    assert quote.source == 0
    assert quote.witness == 0
    assert quote.changes == ()


def test_quotation_across_record_sentences_is_exact() -> None:
    quote = quotes_of('He was "really great. Tell Bill" about it.')["really great. Tell Bill"]
    assert (quote.status, quote.source) == ("exact", 1)


def test_a_changed_word_in_a_long_quotation_is_altered_and_named() -> None:
    quote = quotes_of('"Tell Bill I am delighted by this brilliant stroke," he said.')
    found = quote["Tell Bill I am delighted by this brilliant stroke"]
    assert found.status == "altered"
    assert not found.verbatim
    assert found.source == 1
    assert 0.8 <= found.similarity < 1.0
    assert [(c.record, c.account) for c in found.changes] == [("thrilled", "delighted")]


def test_two_of_ten_words_changed_is_altered_with_both_changes_listed() -> None:
    record = "The president told the envoys that the new treaty would be signed in the spring."
    account = 'He wrote that "the new accord would be signed early in the spring" that year.'
    result = compare(Document.from_text("r", record), [Document.from_text("a", account)])
    (quote,) = result.witnesses[0].quotes
    assert quote.text == "the new accord would be signed early in the spring"
    assert quote.status == "altered"
    assert quote.source == 0
    changes = [(c.record, c.account) for c in quote.changes]
    assert changes == [("treaty", "accord"), ("", "early")]
    data = result.to_dict()["witnesses"][0]["quotes"][0]
    assert data["status"] == "altered"
    assert data["changes"] == [
        {"record": "treaty", "account": "accord"},
        {"record": "", "account": "early"},
    ]


def test_a_dropped_word_is_listed_with_an_empty_account_side() -> None:
    quote = quotes_of('"Tell Bill I am thrilled by this stroke," he said.')
    found = quote["Tell Bill I am thrilled by this stroke"]
    assert found.status == "altered"
    assert [(c.record, c.account) for c in found.changes] == [("brilliant", "")]


def test_invented_quotations_are_not_found() -> None:
    quotes = quotes_of(
        'It would be "long-term and evolutionary." He said, "This really is a great idea."'
    )
    assert quotes["long-term and evolutionary"].status == "not_found"
    assert quotes["This really is a great idea"].status == "not_found"
    assert quotes["This really is a great idea"].source is None
    assert quotes["This really is a great idea"].changes == ()


def test_offsets_of_a_quotation_slice_back_to_its_words() -> None:
    account = "Yeltsin called it “brilliant.”"
    quote = quotes_of(account)["brilliant"]
    assert account[quote.start : quote.end] == "brilliant"


def test_schema_1_json_is_read_with_close_as_altered() -> None:
    result = compare(
        Document.from_text("r", RECORD),
        [Document.from_text("a", '"Tell Bill I am delighted by this brilliant stroke"')],
    )
    data = result.to_dict()
    assert data["schema"] == 2
    data["schema"] = 1
    for quote in data["witnesses"][0]["quotes"]:
        quote["status"] = "close"
        del quote["changes"]
    for link in data["witnesses"][0]["links"]:
        link.pop("possible_move", None)
    old = Comparison.from_dict(data)
    (quote,) = old.witnesses[0].quotes
    assert (quote.status, quote.changes) == ("altered", ())
    assert all(link.possible_move is False for link in old.witnesses[0].links)


# The cost of the check: work units (words compared, index postings, alignment cells),
# counted by the look-up itself, so the property below is exact, not a timing.

WORDS = [f"w{k}" for k in range(12)]
sentences = st.lists(st.sampled_from(WORDS), min_size=3, max_size=14).map(
    lambda ws: " ".join(ws).capitalize() + "."
)
marks = st.sampled_from(['"', "“", "”", "'", "‘", "’", "«", "»", ""])


@st.composite
def quoting_account(draw: st.DrawFn) -> str:
    """Sentences of a small vocabulary with quotation marks anywhere, some unpaired."""
    out = []
    for sentence in draw(st.lists(sentences, min_size=1, max_size=30)):
        words = sentence.split(" ")
        for _ in range(draw(st.integers(0, 3))):
            k = draw(st.integers(0, len(words) - 1))
            words[k] = draw(marks) + words[k] + draw(marks)
        out.append(" ".join(words))
    return draw(st.sampled_from([" ", "\n"])).join(out)


def quote_cost(record: str, account: str) -> Cost:
    normalizer = Normalizer()
    stream = TokenStream.build([record], normalizer)
    cost = Cost()
    sentences = Document.from_text("a", account).sentences
    check_quotes(account, sentences, stream, normalizer, cost)
    return cost


@given(st.lists(sentences, min_size=1, max_size=40), st.integers(1, 60), quoting_account())
@settings(max_examples=80, deadline=None)
def test_the_quotation_check_costs_at_most_a_constant_per_quoted_word(
    record: list[str], repeat: int, account: str
) -> None:
    # Repeated, near-duplicate record material is the worst case for the look-up.
    cost = quote_cost(" ".join(record * repeat), account)
    assert cost.units <= WORK_PER_WORD * cost.quoted_words


@given(st.lists(sentences, min_size=1, max_size=20), quoting_account(), st.integers(2, 5))
@settings(max_examples=40, deadline=None)
def test_the_quotation_check_cost_grows_linearly_with_the_quoted_words(
    record: list[str], account: str, copies: int
) -> None:
    once = quote_cost(" ".join(record * 5), account)
    assume(once.quoted_words > 0 and once.units > 0)  # 0 == k * 0 would prove nothing
    many = quote_cost(" ".join(record * 5), "\n\n".join([account] * copies))
    assert many.quoted_words == copies * once.quoted_words
    assert many.units == copies * once.units


def test_long_quotations_in_a_long_record_stay_within_the_bound_per_word() -> None:
    rng = random.Random(5)
    vocab = [f"v{k}" for k in range(300)]
    record = " ".join(rng.choice(vocab) for _ in range(20000))
    per_word = []
    for size in (10, 40, 100):
        quote = " ".join(rng.choice(vocab) for _ in range(size))
        cost = quote_cost(record, f'He said "{quote}" then.')
        assert cost.quoted_words == size
        per_word.append(cost.units / size)
    assert max(per_word) <= WORK_PER_WORD


# The web app's stored comparisons: keyed by the engine's version, unreadable ones recomputed.

ZAVIDOVO = "zavidovo-1993"


def _app(path: Path) -> Flask:
    return create_app({**TEST_CONFIG, "DATABASE_URL": f"sqlite:///{path / 'memcon.db'}"})


def _stored_rows(app: Flask) -> list[ComparisonCache]:
    with app.extensions["memcon.db"].session() as session:
        rows = session.scalars(select(ComparisonCache)).all()
        session.expunge_all()
        return list(rows)


def test_the_cache_key_names_the_engine_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _app(tmp_path)
    with app.extensions["memcon.db"].session() as session:
        row = session.scalar(select(StoredDossier).where(StoredDossier.slug == ZAVIDOVO))
        assert row is not None
        dossier = info(row)
    before = cache_key(dossier)
    monkeypatch.setattr(library, "ENGINE_VERSION", "an older engine")
    assert cache_key(dossier) != before


def test_a_stored_result_that_cannot_be_read_is_computed_again(tmp_path: Path) -> None:
    app = _app(tmp_path)
    first = app.test_client().get(f"/api/dossiers/{ZAVIDOVO}/comparison").get_json()
    assert first["schema"] == 2
    (row,) = _stored_rows(app)
    with app.extensions["memcon.db"].session() as session:
        stored = session.get(ComparisonCache, row.id)
        assert stored is not None
        stored.data = {"schema": 0, "witnesses": "stale"}
    restarted = _app(tmp_path)  # a new process: nothing in memory
    answer = restarted.test_client().get(f"/api/dossiers/{ZAVIDOVO}/comparison")
    assert answer.status_code == 200
    assert answer.get_json()["witnesses"] == first["witnesses"]
    (row,) = _stored_rows(restarted)
    assert row.data["schema"] == 2


# Exports: quotation checks and possible moves in every format, read back exactly.


def _export_dossier() -> CuratedDossier:
    """The export tests' dossier, with a possible move and three quotation checks."""
    base = _dossier()
    memoir = base.account("talbott-memoir")
    links = tuple(
        replace(link, possible_move=True) if link.id == "m-1995-article-0" else link
        for link in base.links
    )
    text = memoir.text
    start = text.index("We would consult")
    said = text.index("Yeltsin agreed")
    quotes = (
        ExportQuote(
            "talbott-memoir",
            Quote(
                2,
                start,
                start + 16,
                "We would consult",
                "altered",
                3,
                0.75,
                "we will consult",
                (QuoteChange("will", "would"),),
            ),  # fmt: skip
        ),
        ExportQuote(
            "talbott-memoir",
            Quote(1, said, said + 14, "Yeltsin agreed", "exact", 1, 1.0, "yeltsin agreed"),
        ),
        ExportQuote(
            "talbott-memoir",
            Quote(
                3,
                text.index("long night"),
                text.index("long night") + 10,
                "long night",
                "not_found",
                None,
                0.0,
            ),
        ),  # fmt: skip
    )
    return replace(base, links=links, quotes=quotes)


def test_exports_carry_quotation_checks_and_possible_moves() -> None:
    d = _export_dossier()
    data = to_json(d)
    assert data["schema"] == 2
    memoir = data["witnesses"][0]
    assert [q["status"] for q in memoir["quotes"]] == ["altered", "exact", "not_found"]
    assert memoir["quotes"][0]["changes"] == [{"record": "will", "account": "would"}]
    article_link = data["witnesses"][1]["links"][0]
    assert (article_link["moved"], article_link["possible_move"]) == (False, True)
    assert from_json(json.loads(json.dumps(data))) == d
    assert from_tei(to_tei(d)) == d
    validate_tei(to_tei(d))

    rows = list(csv.DictReader(io.StringIO(to_csv(d))))
    quoted = [r for r in rows if r["row_type"] == "quotation"]
    assert [(r["kind"], r["verbatim"]) for r in quoted] == [
        ("altered", "no"),
        ("exact", "yes"),
        ("not_found", "no"),
    ]
    assert quoted[0]["changes"] == "will -> would" and quoted[0]["account_sentences"] == "3"
    link_rows = {r["link_id"]: r for r in rows if r["row_type"] == "link"}
    assert link_rows["m-1995-article-0"]["possible_move"] == "yes"
    assert link_rows["h13"]["possible_move"] == "no"

    items = to_webanno(d)["first"]["items"]
    assessed = [i for i in items if i["motivation"] == "assessing"]
    verdicts = [i["body"][1]["value"] for i in assessed]
    assert verdicts[0] == "altered, not verbatim in record sentence 4; changed words: will -> would"
    assert verdicts[2] == "not found in the record (not verbatim)"
    assert assessed[0]["target"][0]["selector"][0]["exact"] == "We would consult"
    moves = {i["id"].rsplit("/", 1)[-1]: i.get("body", []) for i in items}
    assert {"type": "TextualBody", "purpose": "classifying", "value": "possible move"} in moves[
        "m-1995-article-0"
    ]


def test_a_schema_1_export_still_imports() -> None:
    d = _export_dossier()
    data = json.loads(json.dumps(to_json(d)))
    data["schema"] = 1
    for witness in data["witnesses"]:
        for link in witness["links"]:
            del link["possible_move"]
        for quote in witness["quotes"]:
            quote["status"] = "close" if quote["status"] == "altered" else quote["status"]
            del quote["changes"]
    old = from_json(data)
    assert not any(link.possible_move for link in old.links)
    assert [q.quote.status for q in old.quotes] == ["altered", "exact", "not_found"]
    assert old.quotes[0].quote.changes == ()


def test_an_export_with_a_broken_quotation_is_refused() -> None:
    d = _export_dossier()
    broken = replace(d.quotes[0], quote=replace(d.quotes[0].quote, start=0))
    with pytest.raises(ValueError, match="quotes\\[0\\]: offsets"):
        to_json(replace(d, quotes=(broken, *d.quotes[1:])))


# Pages and the text report: altered quotations with their changed words, possible moves.

GENEVA_RECORD = (
    "The delegation arrived in Geneva on Monday morning. The minister opened the talks "
    "with a statement on the border. He said the new treaty would be signed in the spring. "
    "Both sides agreed to meet again in March."
)
GENEVA_MEMOIR = (
    "Our delegation reached Geneva on a Monday morning. The minister began the talks with a "
    'statement about the border. He promised that "the new accord would be signed early in '
    'the spring." Both sides agreed to meet again in March.'
)


def _with_possible_move(result: Comparison) -> Comparison:
    """The comparison with its last link turned into a possible move (display only)."""
    witness = result.witnesses[0]
    links = (*witness.links[:-1], replace(witness.links[-1], moved=False, possible_move=True))
    return replace(result, witnesses=(replace(witness, links=links),))


def test_the_text_report_flags_possible_moves_and_altered_quotations() -> None:
    result = compare(
        Document.from_text("record", GENEVA_RECORD), [Document.from_text("memoir", GENEVA_MEMOIR)]
    )
    report = comparison_report(_with_possible_move(result))
    assert "1 possible move;" in report
    assert "R4 -> A4  verbatim 1.00 POSSIBLE MOVE" in report
    assert "Possible moves (out of the record's order on weak evidence, not counted):" in report
    assert "Quotations (1, 1 not verbatim in the record):" in report
    assert (
        "ALTERED (not verbatim) in record sentence R3, changed words (record -> account): "
        "treaty -> accord; (nothing) -> early"
    ) in report


def _geneva_app(tmp_path: Path) -> Flask:
    write_record_and_memoir(tmp_path / "corpora", "geneva", GENEVA_RECORD, GENEVA_MEMOIR)
    return create_app(
        {
            **TEST_CONFIG,
            "CORPORA_DIR": str(tmp_path / "corpora"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'memcon.db'}",
        }
    )


def test_the_compare_and_sentence_pages_show_possible_moves_and_changed_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_compare = library.compare
    monkeypatch.setattr(
        library, "compare", lambda *a, **k: _with_possible_move(real_compare(*a, **k))
    )
    client = _geneva_app(tmp_path).test_client()
    page = client.get("/dossiers/geneva/compare").get_data(as_text=True)
    # The summary above the columns counts it in plain words (compare view, session 6).
    assert "1 possible move to check (weak evidence)" in page
    assert "1 quotation is not word for word in the record" in page
    assert 'class="link possible-move"' in page and 'data-possible-move="true"' in page
    assert " · possible move</button>" in page  # the link's button says so
    assert "Possible moves (1)" in page and "Moved (0)" in page
    assert 'class="rung possible-move"' in page
    assert 'class="swatch possible-move"' in page  # the legend
    assert "altered, not verbatim" in page
    assert (
        '<del>treaty</del> → <ins>accord</ins></span>; <span class="quote-change"><em>nothing'
        in page
    )
    sentence = client.get("/dossiers/geneva/compare/memoir/account/4").get_data(as_text=True)
    assert 'class="link possible-move"' in sentence and "possible move</span>" in sentence
    overview = client.get("/dossiers/geneva").get_data(as_text=True)
    assert "<strong>1</strong> possible move" in overview


def test_the_record_index_is_built_at_the_first_quotation_only() -> None:
    """A witness that quotes nothing costs no index of the record; one that quotes builds
    it once, and the quotation is still found."""
    normalizer = Normalizer()
    record = ["The minister said the talks would continue in the spring."]
    built: list[int] = []

    def index() -> TokenStream:
        built.append(1)
        return TokenStream.build(record, normalizer)

    plain = Document.from_text("a", "The talks went on. Nobody said much.")
    assert check_quotes(plain.text, plain.sentences, index, normalizer) == ()
    assert built == []
    quoting = Document.from_text("a", 'He said "the talks would continue". "In the spring," too.')
    quotes = check_quotes(quoting.text, quoting.sentences, index, normalizer)
    assert [q.status for q in quotes] == ["exact", "exact"] and built == [1]
