"""Real-browser test of the archivist's path: log in, create a dossier, upload a record and
an account, preview the scan clean-up, and read the comparison; then log out.

Runs against its own ``memcon serve`` and database (see :mod:`tests.browser_support`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
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
    take_errors,
)

USER = "archivist"
PASSWORD = "correct horse battery staple"
TITLE = "Geneva talks, 1985 (test)"
SCRIPT = "<script>alert(1)</script>"

#: A synthetic memorandum of conversation: a heading block and ten sentences.
RECORD = """\
MEMORANDUM OF CONVERSATION

SUBJECT: Meeting between the Secretary and the Foreign Minister
PARTICIPANTS: The Secretary of State; the Soviet Foreign Minister; interpreters
DATE, TIME AND PLACE: November 19, 1985, 10:00 a.m., Soviet Mission, Geneva

The Secretary opened by thanking the Foreign Minister for the hospitality of the Soviet \
delegation.
He said that the President wanted the talks to produce a joint statement on nuclear arms.
The Foreign Minister replied that Moscow was ready to discuss a fifty percent reduction in \
strategic forces.
He added that research on space weapons must be confined to the laboratory.
The Secretary answered that the President would not give up the Strategic Defense Initiative.
Both sides agreed that the experts should meet again in January.
The Foreign Minister raised the question of human rights and the cases of divided families.
The Secretary said that he would pass a list of names to the Soviet side before the end of \
the week.
The Foreign Minister noted that the weather in Geneva had been unusually cold.
The meeting ended at half past eleven with a promise to continue the talks over lunch.
"""

#: A memoir retelling it, as a scanned book in Markdown: a running header on both pages,
#: page numbers, and a word hyphenated across a line break. Against the record it moves
#: "Both sides agreed" earlier, paraphrases the Foreign Minister's reply, drops the weather
#: and adds a sentence quoting a script tag (escaped, so Markdown keeps it as text).
ACCOUNT = """\
Memoirs of a Diplomat

# Chapter 7: Geneva

I remember that the Secretary opened by thanking the Foreign Minister for the hospitality \
of the Soviet delegation.
Both sides agreed, almost at once, that the experts should meet again in January.
He said the President wanted the talks to produce a joint statement on nuclear arms.
The Foreign Minister told us that Moscow was prepared to consider cutting strategic forces \
by half.
He insisted that any research on space weapons had to stay in the labo-
ratory.

212

Memoirs of a Diplomat

The Secretary answered that the President would never give up the Strategic Defense \
Initiative.
The Foreign Minister raised the question of human rights and the cases of divided families.
The Secretary said that he would pass a list of names to the Soviet side before the end of \
the week.
Someone had scrawled \\<script>alert(1)\\</script> on the whiteboard in the delegation room.
The meeting ended at half past eleven with a promise to continue the talks over lunch.

213
"""


def test_upload_a_record_and_an_account_and_compare_them(
    live_server: LiveServer, page: Page, tmp_path: Path
) -> None:
    base = live_server.base
    created = live_server.cli(
        "create-user", USER, "--role", "annotator", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert created.returncode == 0, created.stderr
    assert "created annotator 'archivist'" in created.stdout

    # Nothing may ever open a dialog: a script from a document would show up here.
    dialogs = record_dialogs(page)

    log_in(page, base, USER, PASSWORD)
    expect(page.locator("header.site .account")).to_contain_text("archivist (annotator)")

    # Create a dossier: it starts private and empty.
    dossier_url = create_dossier(page, base, TITLE)
    slug = dossier_url.rsplit("/", 1)[1]
    assert slug == "geneva-talks-1985-test"
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("p.meta")).to_contain_text("private")
    expect(page.get_by_text("No documents yet.")).to_be_visible()

    # Upload the record as a .txt file.
    record_file = tmp_path / "geneva-memcon-1985-11-19.txt"
    record_file.write_text(RECORD, encoding="utf-8")
    page.get_by_role("link", name="Add a document").click()
    expect(page).to_have_url(f"{dossier_url}/documents/new")
    page.get_by_label("Title").fill("Memorandum of conversation, 19 November 1985")
    page.get_by_label("Kind").select_option("memcon")
    page.get_by_label("Author").fill("Department of State")
    page.get_by_label("Date").fill("1985-11-19")
    page.get_by_label("Provenance").fill("Synthetic test memcon")
    page.set_input_files("input[name=file]", str(record_file))
    page.get_by_role("button", name="Save the document").click()
    expect(page).to_have_url(dossier_url)
    expect(page.locator("ul.flashes")).to_contain_text("Document added.")
    record_entry = page.locator("dl.documents dt", has_text="Memorandum of conversation")
    expect(record_entry.locator(".badge")).to_have_text("record")
    expect(page.locator("ol.record-text > li")).to_have_count(12)  # 2 heading lines + 10

    # Upload the account as a .md file: preview the clean-up first, then save.
    account_file = tmp_path / "memoirs-chapter-7.md"
    account_file.write_text(ACCOUNT, encoding="utf-8")
    page.get_by_role("link", name="Add a document").click()
    page.get_by_label("Title").fill("Memoirs of a Diplomat, chapter 7")
    page.get_by_label("Kind").select_option("memoir")
    page.get_by_label("Author").fill("A. Diplomat")
    page.get_by_label("Date").fill("1996")
    page.set_input_files("input[name=file]", str(account_file))
    page.get_by_label("Clean up a scanned memcon").check()
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("section.preview")
    expect(preview).to_be_visible()
    changes = preview.locator("li").all_inner_texts()
    header = "repeated page header"
    assert any(header in c and "Memoirs of a Diplomat" in c for c in changes), changes
    assert any("page-number" in c for c in changes), changes
    assert any("hyphenated" in c for c in changes), changes
    text = page.get_by_label("Text to save").input_value()
    assert "laboratory." in text and "labo-" not in text
    assert "Memoirs of a Diplomat" not in text and "212" not in text
    assert SCRIPT in text  # the text itself, escaped in the page, not markup
    # What was typed is kept; the file was read, so there is no file input any more.
    expect(page.get_by_label("Title")).to_have_value("Memoirs of a Diplomat, chapter 7")
    expect(page.get_by_label("Kind")).to_have_value("memoir")
    expect(page.locator("input[name=file]")).to_have_count(0)
    page.get_by_role("button", name="Save the document").click()
    expect(page).to_have_url(dossier_url)
    expect(page.locator("ul.flashes")).to_contain_text("Document added.")
    expect(page.locator("dl.documents dt")).to_have_count(2)
    expect(page.locator("table.accounts tbody tr")).to_have_count(1)

    # The comparison.
    page.get_by_role("link", name="Compare all accounts with the record").click()
    expect(page).to_have_url(f"{dossier_url}/compare")
    page.wait_for_selector("body.connectors-ready")
    panel = page.locator("section.panel")
    expect(panel).to_have_count(1)
    assert panel.locator("svg.connectors g.connector").count() > 0
    moved = panel.locator("svg.connectors g.connector.moved")
    assert moved.count() >= 1
    moved_items = panel.locator("li.moved-item").all_inner_texts()
    assert any("Both sides agreed, almost at once" in t for t in moved_items), moved_items
    omitted = panel.locator("li.omitted").all_inner_texts()
    assert any("weather in Geneva had been unusually cold" in t for t in omitted), omitted
    added = panel.locator("li.added").all_inner_texts()
    assert any(SCRIPT in t for t in added), added
    expect(panel.locator("ol.sentences.account")).to_contain_text(SCRIPT)
    assert panel.locator("script").count() == 0
    # The Foreign Minister's reply (R5), retold in other words, is linked as a paraphrase.
    reply = panel.locator('ol.links > li.link[data-source="4"] .link-button')
    expect(reply).to_contain_text("paraphrase")

    moved.first.click()
    selected = panel.locator(".selected-link")
    expect(selected).to_be_visible()
    expect(selected).to_contain_text("moved")
    ARTIFACTS.mkdir(exist_ok=True)
    panel.screenshot(path=str(ARTIFACTS / "upload-compare.png"))
    assert dialogs == []

    # Logged out, the private dossier is not found, and not listed.
    page.get_by_role("button", name="Log out").click()
    expect(page.locator("ul.flashes")).to_contain_text("You are logged out.")
    expect(page.get_by_text(TITLE)).to_have_count(0)
    for url in (dossier_url, f"{dossier_url}/compare"):
        response = page.goto(url)
        assert response is not None and response.status == 404, url
        expect(page.locator("h1")).to_have_text(re.compile(r"^404"))
        expect(page.locator("main")).not_to_contain_text(TITLE)
    # The browser logs each 404 it was shown; those two, and nothing else, are expected.
    assert take_errors(page) == [
        f"Failed to load resource: the server responded with a status of 404 (NOT FOUND) [{url}]"
        for url in (dossier_url, f"{dossier_url}/compare")
    ]
    assert dialogs == []


#: The connectors' drawn height, the taller sentence list beside them, and the page height.
_HEIGHTS = """panel => ({
    svg: parseFloat(panel.querySelector("svg.connectors").getAttribute("height")),
    lists: Math.max(...Array.from(panel.querySelectorAll(".columns > ol"),
                                  ol => ol.getBoundingClientRect().height)),
    page: document.documentElement.scrollHeight,
})"""


def test_connectors_shrink_back_when_a_folded_gap_is_closed(server: str, page: Page) -> None:
    page.goto(f"{server}/dossiers/zavidovo-1993/compare?account=zavidovo-1993-christopher")
    page.wait_for_selector("body.connectors-ready")
    panel = page.locator("section.panel").first
    before = panel.evaluate(_HEIGHTS)
    assert before["svg"] == pytest.approx(before["lists"], abs=1)

    gap = panel.locator("li.gap summary").first
    gap.click()  # opened: the record column and its connectors grow
    page.wait_for_timeout(100)
    opened = panel.evaluate(_HEIGHTS)
    assert opened["lists"] > before["lists"]
    assert opened["svg"] == pytest.approx(opened["lists"], abs=1)

    gap.click()  # closed again: everything is as before, no blank band under the columns
    page.wait_for_timeout(100)  # the toggle event comes after the click
    closed = panel.evaluate(_HEIGHTS)
    assert closed["svg"] == pytest.approx(closed["lists"], abs=1)
    assert closed["page"] == pytest.approx(before["page"], abs=1)

    page.set_viewport_size({"width": 800, "height": 900})  # narrower: taller columns
    page.set_viewport_size({"width": 1280, "height": 900})  # and back
    page.wait_for_timeout(100)  # the redraw waits for an animation frame
    resized = panel.evaluate(_HEIGHTS)
    assert resized["svg"] == pytest.approx(resized["lists"], abs=1)
    assert resized["page"] == pytest.approx(before["page"], abs=1)


def test_the_phrase_box_suggests_record_phrases_as_one_types(server: str, page: Page) -> None:
    page.goto(f"{server}/dossiers/zavidovo-1993/compare?account=zavidovo-1993-christopher")
    page.locator("details.order-details > summary").click()  # the box folds on the page
    box = page.locator("section.order-box")
    phrase_a = box.get_by_label("Phrase A")
    phrase_a.press_sequentially("longer t", delay=20)
    options = page.locator("datalist#phrases-a option")
    expect(options.first).to_have_attribute("value", "longer term eventuality", timeout=5000)
    expect(options.first).to_have_attribute("label", "R19")
    # The memoir's own words: the hint names its sentence and offers the record's words.
    phrase_b = box.get_by_label("Phrase B")
    phrase_b.fill("long-term and evolutionary")
    hint = page.locator("#phrase-hint-b")
    expect(hint).to_contain_text("Not in the record:", timeout=5000)
    expect(hint).to_contain_text("has these words in A2, linked to R19")
    hint.get_by_role("button", name="Use “longer term eventuality”").click()
    expect(phrase_b).to_have_value("longer term eventuality")
    phrase_a.fill("great idea")
    box.get_by_role("button", name="Compare the order").click()
    expect(page.locator("li.verdict")).to_contain_text("inverted")
    ARTIFACTS.mkdir(exist_ok=True)
    box.screenshot(path=str(ARTIFACTS / "phrase-box.png"))
    assert take_errors(page) == []


def test_a_share_link_is_shown_with_a_copy_button(
    live_server: LiveServer, server: str, page: Page
) -> None:
    made = live_server.cli(
        "create-user", "sharer", "--role", "annotator", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert made.returncode == 0, made.stderr
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    log_in(page, server, "sharer", PASSWORD)
    page.goto(server)
    page.get_by_role("link", name="New dossier").click()
    page.get_by_label("Title").fill("Shared talks")
    page.get_by_role("button", name="Create the dossier").click()
    page.get_by_label("Visibility").select_option("link")
    page.get_by_role("button", name="Change").click()
    flash = page.locator("ul.flashes li.share-link")
    expect(flash).to_contain_text("The dossier is now shared by link:")
    field = flash.get_by_label("The dossier is now shared by link:")
    link = field.input_value()
    assert re.fullmatch(rf"{re.escape(server)}/shared/[\w-]+", link), link
    expect(field).to_have_attribute("readonly", "")
    flash.get_by_role("button", name="Copy the link").click()
    expect(flash.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("() => navigator.clipboard.readText()") == link
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "share-link-flash.png"))
    assert take_errors(page) == []
