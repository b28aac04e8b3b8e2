"""Exports of a curated dossier: JSON and TEI round trips, CSV rows, Web Annotation targets."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from webapp.collate import LINK_KINDS, Comparison, DiffOp, Sentence
from webapp.export import (
    FORMATS,
    from_json,
    from_tei,
    to_csv,
    to_json,
    to_tei,
    to_webanno,
    validate_tei,
)
from webapp.export.model import (
    LABELS,
    MACHINE,
    CuratedDossier,
    ExportDocument,
    ExportLink,
    ExportMark,
    HistoryEntry,
    RejectedLink,
)
from webapp.export.tei import from_xml_id, xml_id

from .tei_all import OFFICIAL_SCHEMA, errors_against_tei_all

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NS = {"tei": "http://www.tei-c.org/ns/1.0"}

RECORD_SENTENCES = [
    "The President welcomed Kozyrev — «да», he said.",
    "Yeltsin  agreed.",
    "Talbott asked about <script>alert('x')</script> & the \"NATO\" question.",
    "Christopher: 'We will   consult.'",
    "The meeting ended at 1 a.m. & nobody left.",
    "Final remark — не спешите.",
]
RECORD_TEXT = (
    "  The President welcomed Kozyrev — «да», he said.  Yeltsin  agreed.\n"
    "Talbott asked about <script>alert('x')</script> & the \"NATO\" question.\n\n"
    "Christopher: 'We will   consult.'\n"
    "\tThe meeting ended at 1 a.m. & nobody left.\r\n\r\n"
    "Final remark — не спешите.\n"
)
MEMOIR_SENTENCES = [
    "Kozyrev said yes.",
    "Yeltsin agreed at once.",
    "We would consult, Christopher promised.",
    "It was a long night.",
]
ARTICLE_SENTENCES = ["=SUM(A1:A9) was the answer.", "Talbott asked about NATO."]


def _document(doc_id: str, text: str, sentences: list[str], **extra: Any) -> ExportDocument:
    """A document whose sentences are found in ``text`` in order."""
    found = []
    position = 0
    for index, sentence in enumerate(sentences):
        start = text.index(sentence, position)
        position = start + len(sentence)
        found.append(Sentence(index, start, position, sentence))
    return ExportDocument(
        id=doc_id,
        title=f"Title of {doc_id} & <more>",
        author="Strobe Talbott",
        date="1997",
        kind="memoir",
        provenance="Uploaded from a scan\nby the archivist",
        version=3,
        text=text,
        sentences=tuple(found),
        **extra,
    )


def _dossier() -> CuratedDossier:
    record = _document(
        "zavidovo-1993-memcon",
        RECORD_TEXT,
        RECORD_SENTENCES,
        splits=(RECORD_TEXT.index("Yeltsin"),),
    )
    memoir_text = " ".join(MEMOIR_SENTENCES) + "\n"
    memoir = _document("talbott-memoir", memoir_text, MEMOIR_SENTENCES, joins=(4, 9))
    article = _document("1995-article", "\n\n".join(ARTICLE_SENTENCES), ARTICLE_SENTENCES)
    created = "2024-05-01T12:30:00+00:00"
    links = (
        ExportLink(
            "m-talbott-memoir-0",
            "talbott-memoir",
            (0,),
            (0,),
            0.8734,
            "paraphrase",
            False,
            "machine",
            MACHINE,
            diff=(DiffOp("equal", "Kozyrev"), DiffOp("delete", "— «да»"), DiffOp("insert", "yes")),
        ),
        ExportLink(
            "h12",
            "talbott-memoir",
            (1,),
            (1,),
            0.91,
            "close",
            False,
            "confirmed",
            "alice",
            label="embellishment",
            note="Adds *at once*. <script>alert(1)</script>",
            created=created,
        ),
        ExportLink(
            "h13",
            "talbott-memoir",
            (3, 4),
            (2,),
            1.0,
            "partial",
            True,
            "added",
            "bob o'brien",
            label="altered quotation",
            note="-1 for accuracy",
            created=created,
        ),
        ExportLink(
            "m-1995-article-0",
            "1995-article",
            (2,),
            (1,),
            0.5,
            "partial",
            False,
            "machine",
            MACHINE,
        ),
    )
    rejected = (
        RejectedLink("m-talbott-memoir-3", "talbott-memoir", (5,), (3,), "alice", created, "No."),
    )
    marks = (
        ExportMark(
            "s1",
            "zavidovo-1993-memcon",
            "talbott-memoir",
            2,
            "omitted",
            True,
            '=HYPERLINK("http://x")',
            "alice",
            created,
        ),
        ExportMark("s2", "talbott-memoir", "talbott-memoir", 3, "added", False, "", "alice"),
        ExportMark(
            "s3",
            "zavidovo-1993-memcon",
            "talbott-memoir",
            1,
            "linked",
            None,
            "  spaced\n\nnote  ",
            "bob o'brien",
        ),
    )
    history = (
        HistoryEntry(
            1,
            created,
            "alice",
            "link h12",
            "create",
            None,
            json.dumps({"label": "embellishment", "note": "<b>&</b>"}),
        ),
        HistoryEntry(
            2,
            "yesterday",
            "bob o'brien",
            "sentence s4",
            "update",
            '{"significant": null}',
            '{"significant": true}',
        ),
        HistoryEntry(3, created, MACHINE, "dossier", "revert", "{}", None),
    )
    return CuratedDossier(
        id="zavidovo-1993",
        title="Zavidovo, 3 January 1993 — «да»",
        date="1993-01-03",
        description="Yeltsin & Clinton's team.\nTwo accounts.",
        url="https://memcon.example/dossiers/zavidovo-1993",
        note="Check the <em>memoir</em> against the **record**.",
        record=record,
        accounts=(memoir, article),
        links=links,
        rejected=rejected,
        marks=marks,
        history=history,
        exported="2024-06-01T08:00:00Z",
        settings={"align": {"threshold": 0.35}, "segmenter": "pysbd"},
    )


@pytest.fixture(scope="module")
def dossier() -> CuratedDossier:
    return _dossier()


@pytest.fixture(scope="module")
def tei_bytes(dossier: CuratedDossier) -> bytes:
    return to_tei(dossier)


# --- JSON ------------------------------------------------------------------------------------


def test_json_round_trip_is_exact_and_readable_by_the_engine(dossier: CuratedDossier) -> None:
    data = json.loads(json.dumps(to_json(dossier)))
    assert from_json(data) == dossier
    comparison = Comparison.from_dict(data)  # still the engine's schema 1
    assert [w.name for w in comparison.witnesses] == ["talbott-memoir", "1995-article"]
    memoir = data["witnesses"][0]
    assert memoir["omitted"] == [2, 5]
    assert memoir["added"] == [3]
    assert memoir["order"]["moved"] == 1 and memoir["order"]["kept_in_order"] == 2
    assert data["curation"]["format"] == "memcon-curation"
    assert memoir["links"][1]["label"] == "embellishment"
    assert memoir["links"][1]["note"].endswith("<script>alert(1)</script>")


def _broken(path: list[str | int], value: object) -> dict[str, Any]:
    data = to_json(_dossier())
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            ["witnesses", 0, "links", 1, "label"],
            "fiction",
            "witnesses[0].links[1].label: 'fiction' is not a label",
        ),
        (
            ["witnesses", 1, "links", 0, "witness"],
            [7],
            "witnesses[1].links[0].witness: sentence index 7 is out of range",
        ),
        (["witnesses", 0, "links", 0, "score"], 1.5, "witnesses[0].links[0].score: 1.5 is not in"),
        (["witnesses", 0, "sentences", 2, "text"], "Changed.", "witnesses[0].sentences[2].text"),
        (["curation", "marks", 0, "significant"], "yes", "curation.marks[0].significant: expected"),
        (["curation"], KeyError, "curation: missing"),
        (["curation", "documents", 1, "version"], "3", "curation.documents[1].version: expected"),
    ],
)
def test_json_import_refuses_malformed_input(
    path: list[str | int], value: object, message: str
) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("[", r"\[").replace("]", r"\]")):
        from_json(_broken(path, value))


def test_json_import_refuses_what_is_not_an_object() -> None:
    with pytest.raises(ValueError, match="expected an object"):
        from_json([])  # type: ignore[arg-type]
    data = to_json(_dossier())
    data["witnesses"][0]["links"][0]["id"] = "h12"
    with pytest.raises(ValueError, match=r"witnesses\[0\]\.links\[1\]\.id: 'h12' is used"):
        from_json(data)


# --- CSV -------------------------------------------------------------------------------------


def test_csv_has_a_row_per_link_omission_and_addition(dossier: CuratedDossier) -> None:
    text = to_csv(dossier)
    rows = list(csv.DictReader(io.StringIO(text)))
    by_type = {
        (account, kind): [r for r in rows if r["account"] == account and r["row_type"] == kind]
        for account in ("talbott-memoir", "1995-article")
        for kind in ("link", "omission", "addition")
    }
    assert [len(by_type["talbott-memoir", k]) for k in ("link", "omission", "addition")] == [
        3,
        2,
        1,
    ]
    assert [len(by_type["1995-article", k]) for k in ("link", "omission", "addition")] == [1, 5, 1]
    link = by_type["talbott-memoir", "link"][2]
    assert link["record_sentences"] == "4 5"  # 1-based
    assert link["record_text"] == f"{RECORD_SENTENCES[3]} {RECORD_SENTENCES[4]}"
    assert (link["score"], link["moved"], link["label"]) == ("1.0000", "yes", "altered quotation")
    assert link["resp"] == "bob o'brien"
    omission = by_type["talbott-memoir", "omission"][0]
    assert (omission["record_sentences"], omission["significant"]) == ("3", "yes")
    assert omission["record_text"] == RECORD_SENTENCES[2]  # quotes, <script> and & intact
    assert by_type["talbott-memoir", "addition"][0]["significant"] == "no"


def test_csv_guards_against_formula_injection(dossier: CuratedDossier) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(dossier))))
    notes = {r["note"] for r in rows}
    assert '\'=HYPERLINK("http://x")' in notes
    assert "'-1 for accuracy" in notes
    addition = next(
        r for r in rows if r["account"] == "1995-article" and r["row_type"] == "addition"
    )
    assert addition["account_text"] == "'=SUM(A1:A9) was the answer."
    dangerous = ("=", "+", "-", "@", "\t", "\r")
    assert not any(cell.startswith(dangerous) for row in rows for cell in row.values())


# --- TEI -------------------------------------------------------------------------------------


def test_tei_is_well_formed_valid_and_every_sentence_has_an_id(
    dossier: CuratedDossier, tei_bytes: bytes
) -> None:
    assert tei_bytes.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<TEI xmlns=")
    root = etree.fromstring(tei_bytes)
    assert validate_tei(tei_bytes) == []
    texts = root.findall("tei:text/tei:group/tei:text", NS)
    for document, text in zip((dossier.record, *dossier.accounts), texts, strict=True):
        assert from_xml_id(text.get(XML_ID)) == document.id
        sentence_ids = [s.get(XML_ID) for s in text.iter(TEI + "s")]
        assert sentence_ids == [
            f"{xml_id(document.id)}-s{n + 1}" for n in range(len(document.sentences))
        ]
        # The paragraphs' string values rebuild the text exactly.
        paragraphs = "".join(p.xpath("string()") for p in text.iter(TEI + "p"))
        assert paragraphs == document.text
    assert texts[2].get(XML_ID) == "_1995-article"  # a slug starting with a digit
    ids = {e.get(XML_ID) for e in root.iter() if e.get(XML_ID)}
    for element in root.iter(TEI + "link", TEI + "span", TEI + "note"):
        for pointer in (element.get("target") or "").split():
            assert pointer[1:] in ids
    (link,) = root.xpath(".//tei:link[@xml:id='h13']", namespaces=NS)
    assert link.get("type") == "altered-quotation"
    assert link.get("subtype") == "added"
    assert link.get("cert") == "1.0"
    assert link.get("resp") == "#resp-bob_20_o_27_brien"
    assert set(link.get("ana").split()) == {
        "#memcon-kind-partial",
        "#memcon-label-altered-quotation",
        "#memcon-moved",
    }
    assert root.find(".//tei:linkGrp[@type='rejected']/tei:link", NS) is not None
    assert len(root.findall(".//tei:listChange/tei:change", NS)) == 3


def test_tei_round_trip_is_exact(dossier: CuratedDossier, tei_bytes: bytes) -> None:
    assert from_tei(tei_bytes) == dossier


def test_tei_import_refuses_entity_declarations() -> None:
    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;">]>\n'
        b'<TEI xmlns="http://www.tei-c.org/ns/1.0">&b;</TEI>'
    )
    external = (
        b'<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<TEI xmlns="http://www.tei-c.org/ns/1.0">&x;</TEI>'
    )
    for data in (laughs, external, laughs.decode().encode("utf-16")):
        with pytest.raises(ValueError, match="DOCTYPE|entit"):
            from_tei(data)
        assert validate_tei(data)


def test_tei_import_says_where_input_is_wrong(tei_bytes: bytes) -> None:
    broken = tei_bytes.replace(b'cert="0.91"', b'cert="high"')
    with pytest.raises(ValueError, match=r"TEI line \d+ <link xml:id='h12'>: @cert 'high'"):
        from_tei(broken)
    with pytest.raises(ValueError, match="not well-formed"):
        from_tei(tei_bytes[:-20])
    dangling = tei_bytes.replace(b'target="#zavidovo-1993-memcon-s2 ', b'target="#nowhere ')
    assert any("'#nowhere' points to no element" in p for p in validate_tei(dangling))
    with pytest.raises(ValueError, match="'#nowhere' is not a sentence"):
        from_tei(dangling)


@pytest.mark.skipif(
    not OFFICIAL_SCHEMA.exists(),
    reason="official tei_all.rng absent: run webapp/export/schema/fetch-tei-all.sh",
)
def test_tei_is_valid_against_the_official_tei_all_schema(tei_bytes: bytes) -> None:
    assert errors_against_tei_all(tei_bytes) == []


# --- Web Annotation --------------------------------------------------------------------------


def test_web_annotation_targets_both_sides_with_exact_selectors(dossier: CuratedDossier) -> None:
    collection = json.loads(json.dumps(to_webanno(dossier)))
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["type"] == "AnnotationCollection"
    page = collection["first"]
    assert page["type"] == "AnnotationPage"
    items = page["items"]
    assert len(items) == len(dossier.links)
    documents = {doc.id: doc for doc in (dossier.record, *dossier.accounts)}
    base = dossier.url + "/documents/"
    for item, link in zip(items, dossier.links, strict=True):
        assert item["id"] == f"{dossier.url}/annotations/{link.id}"
        assert (item["type"], item["motivation"]) == ("Annotation", "linking")
        sources = [target["source"] for target in item["target"]]
        assert sources[0] == base + dossier.record.id
        assert sources[-1] == base + link.account
        for target in item["target"]:
            text = documents[target["source"].removeprefix(base)].text
            quote, position = target["selector"]
            assert (quote["type"], position["type"]) == (
                "TextQuoteSelector",
                "TextPositionSelector",
            )
            start, end = position["start"], position["end"]
            assert text[start:end] == quote["exact"]
            assert quote["prefix"] == text[max(0, start - 32) : start]
            assert quote["suffix"] == text[end : end + 32]
    machine, confirmed = items[0], items[1]
    assert machine["creator"] == {"type": "Software", "name": "memcon"}
    assert machine["created"] == dossier.exported and "body" not in machine
    assert confirmed["creator"] == {"type": "Person", "nickname": "alice"}
    assert confirmed["created"] == dossier.links[1].created
    assert confirmed["body"] == [
        {"type": "TextualBody", "purpose": "tagging", "value": "embellishment"},
        {
            "type": "TextualBody",
            "purpose": "commenting",
            "value": dossier.links[1].note,
            "format": "text/markdown",
        },
    ]
    # Record sentences 4 and 5 are consecutive: one selector spans both, gap included.
    assert items[2]["target"][0]["selector"][0]["exact"].endswith(RECORD_SENTENCES[4])
    assert len(items[2]["target"]) == 2


def test_formats_give_bytes_with_a_media_type(dossier: CuratedDossier) -> None:
    assert set(FORMATS) == {"json", "csv", "tei", "webanno"}
    for name, (write, mimetype, extension) in FORMATS.items():
        data = write(dossier)
        assert isinstance(data, bytes) and data, name
        assert "/" in mimetype and not extension.startswith(".")
    assert from_json(json.loads(FORMATS["json"].write(dossier))) == dossier
    assert "«да»".encode() in FORMATS["json"].write(dossier)


def test_exports_refuse_a_broken_dossier(dossier: CuratedDossier) -> None:
    bad = dataclasses.replace(
        dossier, links=(*dossier.links[:1], dataclasses.replace(dossier.links[1], label="fiction"))
    )
    for export in (to_json, to_csv, to_tei, to_webanno):
        with pytest.raises(ValueError, match=r"links\[1\]\.label: 'fiction' is not a label"):
            export(bad)


# --- losslessness over generated texts -------------------------------------------------------

TRICKY = [
    " ",
    "  ",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\t",
    "\x0c",
    "\x00",
    "\ufffe",
    "<",
    "&",
    "]]>",
    "«да»",
    "—",
    "'",
    '"',
    "\u00a0",
    "\U0001f600",
    "ß",
    "Kozyrev",
]
texts = st.lists(
    st.one_of(
        st.sampled_from(TRICKY), st.text(st.characters(exclude_categories=["Cs"]), max_size=8)
    ),
    max_size=12,
).map("".join)


@st.composite
def documents(draw: st.DrawFn, doc_id: str) -> ExportDocument:
    text = draw(texts)
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=10)))
    cuts = cuts[: len(cuts) // 2 * 2]
    sentences = tuple(
        Sentence(n, cuts[2 * n], cuts[2 * n + 1], text[cuts[2 * n] : cuts[2 * n + 1]])
        for n in range(len(cuts) // 2)
    )
    offsets = st.lists(st.integers(0, len(text)), max_size=3).map(tuple)
    return ExportDocument(
        id=doc_id,
        title=draw(texts),
        author=draw(texts),
        date=draw(st.sampled_from(["1993-01-03", "", "winter 1993"])),
        kind="memoir",
        provenance=draw(texts),
        version=draw(st.integers(-3, 10**6)),
        text=text,
        sentences=sentences,
        splits=draw(offsets),
        joins=draw(offsets),
    )


@st.composite
def dossiers(draw: st.DrawFn) -> CuratedDossier:
    record = draw(documents(draw(st.sampled_from(["rec", "1993-rec", "rec ord_1"]))))
    account = draw(documents(draw(st.sampled_from(["acc", "9acc", "Аккаунт"]))))
    people = st.sampled_from([MACHINE, "alice", "bob o'brien", "", "x y_z"])
    links = []
    if record.sentences and account.sentences:
        sides = st.tuples(
            st.lists(
                st.integers(0, len(record.sentences) - 1), min_size=1, max_size=3, unique=True
            ),
            st.lists(
                st.integers(0, len(account.sentences) - 1), min_size=1, max_size=3, unique=True
            ),
        )
        for n in range(draw(st.integers(0, 3))):
            source, witness = draw(sides)
            links.append(
                ExportLink(
                    id=draw(st.sampled_from([f"h{n}", f"m-{account.id}-{n}", f"{n}x"])),
                    account=account.id,
                    source=tuple(source),
                    witness=tuple(witness),
                    score=draw(st.floats(0, 1)),
                    kind=draw(st.sampled_from(LINK_KINDS)),
                    moved=draw(st.booleans()),
                    status=draw(st.sampled_from(["machine", "confirmed", "added"])),
                    resp=draw(people),
                    label=draw(st.none() | st.sampled_from(LABELS)),
                    note=draw(texts),
                    created=draw(st.none() | st.sampled_from(["2024-01-01T00:00:00Z", "now", ""])),
                    diff=tuple(
                        DiffOp(op, text)
                        for op, text in draw(
                            st.lists(
                                st.tuples(st.sampled_from(["equal", "insert"]), texts), max_size=2
                            )
                        )
                    ),
                )
            )
    ids = [link.id for link in links]
    if len(set(ids)) != len(ids):
        links = [dataclasses.replace(link, id=f"{link.id}-{n}") for n, link in enumerate(links)]
    marks = []
    if record.sentences:
        marks.append(
            ExportMark(
                "k1",
                record.id,
                account.id,
                0,
                "omitted",
                draw(st.none() | st.booleans()),
                draw(texts),
                draw(people),
                draw(st.none() | texts),
            )
        )
    history = tuple(
        HistoryEntry(
            n,
            draw(texts),
            draw(people),
            draw(texts),
            "update",
            draw(st.none() | texts),
            draw(st.none() | texts),
        )
        for n in range(draw(st.integers(0, 2)))
    )
    return CuratedDossier(
        id="d",
        title=draw(texts),
        date="1993",
        description=draw(texts),
        url="https://memcon.example/d",
        note=draw(texts),
        record=record,
        accounts=(account,),
        links=tuple(links),
        marks=tuple(marks),
        history=history,
        exported=draw(st.sampled_from(["", "2024-06-01T08:00:00Z"])),
        settings={"k": draw(texts)},
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dossiers())
def test_json_and_tei_round_trips_are_lossless(d: CuratedDossier) -> None:
    assert from_json(json.loads(json.dumps(to_json(d)))) == d
    data = to_tei(d)
    assert from_tei(data) == d
    assert validate_tei(data) == []


@given(st.text())
def test_xml_ids_are_valid_and_reversible(value: str) -> None:
    ident = xml_id(value)
    assert from_xml_id(ident) == value
    etree.fromstring(f'<a xml:id="{ident}"/>'.encode())  # an NCName, or lxml would refuse it
    assert ident[0].isalpha() or ident[0] == "_"
