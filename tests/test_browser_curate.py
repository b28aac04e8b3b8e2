"""Real-browser test of the annotator's path: link two sentences the machine left apart,
label the link, write a note holding a script tag (shown as text), confirm a machine link,
and download the TEI P5 export of the curated dossier.

Runs against its own ``memcon serve`` and database (see :mod:`tests.browser_support`).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree
from playwright.sync_api import Page, expect

from tests.browser_support import (  # noqa: F401  (fixtures: pytest finds them by name)
    ARTIFACTS,
    LiveServer,
    browser_fixture,
    create_dossier,
    live_server_fixture,
    log_in,
    page_fixture,
    record_dialogs,
    server_fixture,
)
from webapp.export import validate_tei

USER = "curator"
PASSWORD = "tr0ub4dor & three"
TITLE = "Reykjavik fisheries talks (curation test)"
SCRIPT = "<script>window.__pwned = 1</script>"
NOTE = f"Not in the record: {SCRIPT} **really**"
TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

#: Six record sentences; the account drops R3 (the grain shipments).
RECORD = """\
The Ambassador opened the meeting by presenting a letter from the Prime Minister.
The Minister thanked him and promised a written answer within two weeks.
They discussed the grain shipments delayed at the northern ports.
The Ambassador asked whether the fishing agreement could be renewed before winter.
The Minister said the cabinet would decide on the fishing agreement in December.
The meeting closed with an exchange of courtesies.
"""

#: The memoir keeps five record sentences and adds A5, which shares no word with the record.
ACCOUNT = """\
The Ambassador opened the meeting by presenting a letter from the Prime Minister.
The Minister thanked him and promised a written answer within two weeks.
The Ambassador asked whether the fishing agreement could be renewed before winter.
The Minister said the cabinet would decide on the fishing agreement in December.
Snow fell heavily outside, covering every rooftop.
The meeting closed with an exchange of courtesies.
"""
OMITTED = "They discussed the grain shipments"
ADDED = "Snow fell heavily outside"


def _add_document(page: Page, dossier_url: str, title: str, kind: str, text: str) -> None:
    page.goto(f"{dossier_url}/documents/new")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Kind").select_option(kind)
    page.get_by_label("Author").fill("Test author")
    page.get_by_label("Date").fill("1987-03-02")
    page.get_by_label("Or paste the text").fill(text)
    page.get_by_role("button", name="Save the document").click()
    expect(page).to_have_url(dossier_url)
    expect(page.locator("ul.flashes")).to_contain_text("Document added.")


def test_annotator_links_labels_notes_confirms_and_exports_tei(
    live_server: LiveServer, page: Page, tmp_path: Path
) -> None:
    base = live_server.base
    created = live_server.cli(
        "create-user", USER, "--role", "annotator", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert created.returncode == 0, created.stderr

    # Nothing may ever open a dialog: a script from a note would show up here.
    dialogs = record_dialogs(page)

    log_in(page, base, USER, PASSWORD)

    dossier_url = create_dossier(page, base, TITLE)
    _add_document(page, dossier_url, "Memorandum of conversation", "memcon", RECORD)
    _add_document(page, dossier_url, "Memoirs, chapter 3", "memoir", ACCOUNT)

    # The compare view: R3 is omitted and A5 added, as the machine sees them.
    page.goto(f"{dossier_url}/compare")
    page.wait_for_selector("body.connectors-ready")
    panel = page.locator("section.panel")
    expect(panel).to_have_count(1)
    slug = panel.get_attribute("data-account")
    assert slug
    connectors = panel.locator("svg.connectors g.connector")
    before = connectors.count()
    assert before == 5
    links = panel.locator("ol.links > li.link")
    expect(links).to_have_count(5)
    expect(panel.locator(".lists li.omitted")).to_have_count(1)
    expect(panel.locator(".lists li.omitted")).to_contain_text(OMITTED)
    expect(panel.locator(".lists li.added")).to_have_count(1)
    expect(panel.locator(".lists li.added")).to_contain_text(ADDED)

    # Tick R3 and A5, label the link, write the note, link them.
    panel.locator("ol.sentences.record li.sentence", has_text=OMITTED).locator(
        "input.pick[name=source]"
    ).check()
    panel.locator("ol.sentences.account li.sentence", has_text=ADDED).locator(
        "input.pick[name=witness]"
    ).check()
    form = page.locator(f"form#{slug}-add")
    form.locator("select[name=label]").select_option("embellishment")
    form.locator("textarea[name=note]").fill(NOTE)
    form.get_by_role("button", name="Link the selected sentences").click()

    expect(page.locator("ul.flashes")).to_contain_text("Link added.")
    page.wait_for_selector("body.connectors-ready")
    assert re.search(rf"/compare\?account={re.escape(slug)}", page.url), page.url
    expect(links).to_have_count(6)
    assert connectors.count() == before + 1
    added = links.filter(has=page.locator("p.resp", has_text=f"Added by {USER}"))
    expect(added).to_have_count(1)
    expect(added).to_have_attribute("data-source", "2")
    expect(added).to_have_attribute("data-witness", "4")
    expect(added.locator("strong.link-label")).to_have_text("embellishment")
    note = added.locator("div.note-text")
    expect(note.locator("strong")).to_have_text("really")
    expect(note).to_contain_text(SCRIPT)
    expect(note.locator("script")).to_have_count(0)
    assert panel.locator("script").count() == 0
    assert page.evaluate("window.__pwned") is None
    # Selected, the link shows its details (and the harmless note) in the panel.
    added.locator(".link-button").click()
    selected = panel.locator(".selected-link")
    expect(selected).to_be_visible()
    expect(selected.locator("p.resp")).to_have_text(re.compile(rf"Added by {USER}"))
    expect(selected.locator("div.note-text")).to_contain_text(SCRIPT)
    expect(selected.locator("div.note-text strong")).to_have_text("really")
    # A5 is no longer an addition of the account, nor R3 an omission.
    expect(panel.locator(".lists li.added")).to_have_count(0)
    expect(panel.locator(".lists li.omitted")).to_have_count(0)

    # Confirm a machine link.
    machine = links.filter(has=page.locator("p.resp", has_text="Proposed by the machine"))
    expect(machine).to_have_count(5)
    first = machine.first
    number = first.get_attribute("data-number")
    source, witness = first.get_attribute("data-source"), first.get_attribute("data-witness")
    first.get_by_role("button", name="Confirm").click()
    expect(page.locator("ul.flashes")).to_contain_text("Link confirmed.")
    page.wait_for_selector("body.connectors-ready")
    confirmed = links.filter(has=page.locator("p.resp", has_text=f"Confirmed by {USER}"))
    expect(confirmed).to_have_count(1)
    expect(confirmed).to_have_attribute("data-source", source or "")
    expect(confirmed).to_have_attribute("data-witness", witness or "")
    expect(confirmed).to_have_attribute("data-number", number or "")
    expect(machine).to_have_count(4)
    expect(confirmed.get_by_role("button", name="Confirm")).to_have_count(0)
    assert connectors.count() == before + 1
    added.locator(".link-button").click()  # shown selected, with its note, in the screenshot
    expect(selected.locator("div.note-text")).to_contain_text(SCRIPT)
    ARTIFACTS.mkdir(exist_ok=True)
    panel.screenshot(path=str(ARTIFACTS / "curate-compare.png"))

    # Download the TEI P5 export from the dossier page.
    page.goto(dossier_url)
    with page.expect_download(timeout=10_000) as info:
        page.get_by_role("link", name="TEI P5").click()
    download = info.value
    assert download.suggested_filename.endswith(".xml"), download.suggested_filename
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = saved.read_bytes()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(data, parser)
    assert root.tag == f"{{{TEI_NS}}}TEI"
    t = {"t": TEI_NS}
    sentences = root.findall(".//t:s", t)
    assert len(sentences) == 12
    assert all(s.get(XML_ID) for s in sentences)
    stand_off = root.find(".//t:standOff", t)
    assert stand_off is not None
    labelled = stand_off.xpath(".//t:link[@type='embellishment']", namespaces=t)
    assert len(labelled) == 1
    link = labelled[0]
    resp = link.get("resp")
    assert resp and resp.startswith("#")
    agent = root.xpath("//t:respStmt[@xml:id=$id]/t:name", namespaces=t, id=resp[1:])
    assert [a.text for a in agent] == [USER]
    # The link joins R3 of the record with A5 of the account, by their sentence ids.
    ids = {s.get(XML_ID): "".join(s.itertext()) for s in sentences}
    targets = [ids[ref.lstrip("#")] for ref in link.get("target", "").split()]
    assert [text.rstrip(".") for text in targets] == [
        "They discussed the grain shipments delayed at the northern ports",
        "Snow fell heavily outside, covering every rooftop",
    ]
    confirmed_links = stand_off.xpath(".//t:link[@subtype='confirmed']", namespaces=t)
    assert [c.get("resp") for c in confirmed_links] == [resp]
    # The note is character data only: no script element anywhere in the file.
    assert root.xpath("//*[local-name()='script']") == []
    comments = stand_off.xpath(
        ".//t:note[@type='comment'][@target=$target]", namespaces=t, target="#" + link.get(XML_ID)
    )
    assert [len(c) for c in comments] == [0]  # text, no child elements
    assert comments[0].text == NOTE
    assert b"<script>" not in data and b"&lt;script&gt;" in data
    assert validate_tei(data) == []  # valid against the project's TEI subset

    # A note on a linked sentence: from its pencil in the compare view to its own page and back.
    page.goto(f"{dossier_url}/compare")
    page.get_by_role("link", name="Mark or note R1", exact=True).click()
    expect(page.locator("h1")).to_have_text("R1: record sentence 1")
    expect(page.locator(".counterparts")).to_contain_text("A1")
    page.get_by_role("textbox", name="note").fill("Opening *formula*. " + SCRIPT)
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(rf"/compare\?account={slug}#{slug}-r1$"))
    expect(page.locator("ul.flashes")).to_contain_text("Mark saved.")
    badge = page.get_by_role("link", name="Note on R1", exact=True)
    expect(badge).to_have_text("note")
    badge.click()
    expect(page.locator(".note-text em")).to_have_text("formula")
    expect(page.locator(".note-text")).to_contain_text(SCRIPT)
    assert dialogs == []
