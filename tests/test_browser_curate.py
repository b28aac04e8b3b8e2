"""Real-browser tests of curation in place on the Zavidovo compare view (Chromium).

An editor confirms, removes, adds and labels links without a page load (a window marker
survives, no load event fires, only the address's #fragment changes); each change is read
back through the API, shows as a person's decision in the columns, the connectors and the
link list, and Undo (the button or Ctrl+Z) takes it back, read back again. The keyboard path
(c, x, l, Ctrl+Z) is tested too; a reader gets no editor; a change from the page without
its CSRF token is refused with a JSON reason. Screenshots at 1280x720 and 390 px.

Runs against its own ``memcon serve`` and database (see :mod:`tests.browser_support`).
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect

from tests.browser_support import (  # noqa: F401  (fixtures: pytest finds them by name)
    ARTIFACTS,
    LiveServer,
    browser_fixture,
    live_server_fixture,
    log_in,
    page_fixture,
    record_dialogs,
    server_fixture,
    take_errors,
)

Z = "zavidovo-1993"
SLUG = "zavidovo-1993-christopher"
ADMIN, EDITOR, READER = "ada", "olga", "rob"
PASSWORD = "correct horse battery"
NOTE = "Christopher *condenses* this. <script>window.__pwned = 1</script>\n\n- one\n- two"


@pytest.fixture(scope="module")
def people(live_server: LiveServer, browser: Browser) -> dict[str, str]:
    """An admin, an annotator the admin makes a member of Zavidovo (the editor of these
    tests) and a reader, made once for the module."""
    for name, role in ((ADMIN, "admin"), (EDITOR, "annotator"), (READER, "reader")):
        made = live_server.cli(
            "create-user", name, "--role", role, "--password-stdin", stdin=PASSWORD + "\n"
        )
        assert made.returncode == 0, made.stderr
    context = browser.new_context()
    page = context.new_page()
    log_in(page, live_server.base, ADMIN, PASSWORD)
    page.goto(f"{live_server.base}/dossiers/{Z}")
    page.get_by_label("Add a member (user name)").fill(EDITOR)
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("ul.members")).to_contain_text(EDITOR)
    context.close()
    return {ADMIN: ADMIN, EDITOR: EDITOR, READER: READER}


def api_account(base: str) -> dict[str, Any]:
    """Christopher's curated links as the API gives them (1-based sentence numbers)."""
    with urllib.request.urlopen(f"{base}/api/dossiers/{Z}/links", timeout=30) as response:
        data = json.load(response)
    found: dict[str, Any] = next(a for a in data["accounts"] if a["id"] == SLUG)
    return found


def api_link(base: str, source: list[int], witness: list[int]) -> dict[str, Any] | None:
    """The link joining these sentence numbers, as stored, or None."""
    links = api_account(base)["links"]
    return next((x for x in links if (x["source"], x["witness"]) == (source, witness)), None)


def pair_of(item: Locator) -> tuple[list[int], list[int]]:
    """A link's sentence numbers (1-based) from its data attributes (0-based indices)."""
    numbers = [
        [int(i) + 1 for i in (item.get_attribute(name) or "").split()]
        for name in ("data-source", "data-witness")
    ]
    return numbers[0], numbers[1]


class NoLoads:
    """Records every page load and every navigation of the main frame."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.loads: list[str] = []
        self.urls: list[str] = []
        page.on("load", lambda p: self.loads.append(p.url))
        page.on(
            "framenavigated",
            lambda f: self.urls.append(f.url) if f == page.main_frame else None,
        )
        page.evaluate("window.__curateMarker = 'still the same page'")

    def check(self) -> None:
        """No load happened: the marker survives and only the #fragment ever changed."""
        assert self.page.evaluate("window.__curateMarker") == "still the same page"
        assert self.loads == [], self.loads
        here = urlsplit(self.page.url)
        for url in self.urls:
            seen = urlsplit(url)
            assert (seen.path, seen.query) == (here.path, here.query), url


@pytest.fixture
def editor_page(page: Page, server: str, people: dict[str, str]) -> Iterator[Page]:
    log_in(page, server, EDITOR, PASSWORD)
    page.goto(f"{server}/dossiers/{Z}/compare?account={SLUG}")
    page.wait_for_selector("body.curate-ready")
    page.wait_for_selector("body.connectors-ready")
    yield page


def panel_of(page: Page) -> Locator:
    return page.locator(f"section.panel#{SLUG}")


def status(page: Page) -> Locator:
    return page.locator(".curate-bar .curate-message")


def expect_human(
    panel: Locator, source: list[int], witness: list[int], status: str, who: str = EDITOR
) -> Locator:
    """The link and its sentences and connector look like a person's decision."""
    item = panel.locator(
        f'ol.links > li.link[data-source="{" ".join(str(i - 1) for i in source)}"]'
        f'[data-witness="{" ".join(str(j - 1) for j in witness)}"]'
    )
    expect(item).to_have_count(1)
    expect(item).to_have_attribute("data-status", status)
    expect(item).to_have_class(re.compile(r"\bhuman\b"))
    expect(item.locator(".link-button .human-badge")).to_have_text(
        re.compile(rf"{status} by {who}")
    )
    for i in source:
        expect(panel.locator(f"#{SLUG}-r{i}")).to_have_attribute("data-status", status)
    for j in witness:
        expect(panel.locator(f"#{SLUG}-a{j}")).to_have_attribute("data-status", status)
    number = item.get_attribute("data-number")
    connector = panel.locator(f'svg.connectors g.connector[data-link="{number}"]')
    expect(connector.first).to_have_class(re.compile(r"\bhuman\b"))
    return item


def first_machine(panel: Locator, skip: int = 0) -> Locator:
    return panel.locator('ol.links > li.link[data-status="machine"]').nth(skip)


def remove_by_key_and_undo(
    page: Page, server: str, pair: tuple[list[int], list[int]]
) -> dict[str, Any] | None:
    """x removes the selected link (gone from the API); Ctrl+Z brings it back: as stored."""
    page.keyboard.press("x")
    expect(status(page)).to_contain_text(f"Removed R{pair[0][0]}")
    assert api_link(server, *pair) is None
    page.keyboard.press("Control+z")
    expect(status(page)).to_contain_text("Undone: removed")
    return api_link(server, *pair)


def test_confirm_label_remove_add_in_place_and_undo(editor_page: Page, server: str) -> None:
    page = editor_page
    dialogs = record_dialogs(page)
    watch = NoLoads(page)
    panel = panel_of(page)
    links = panel.locator("ol.links > li.link")
    count = links.count()

    # Confirm a machine link by its editor's button.
    item = first_machine(panel)
    source, witness = pair_of(item)
    item.locator(".link-button").click()
    editor = panel.locator(".selected-link .editor")
    expect(editor).to_be_visible()
    expect(editor.locator(".editor-state")).to_contain_text("Proposed by the machine")
    editor.get_by_role("button", name=re.compile("^Confirm")).click()
    expect(status(page)).to_contain_text(f"Confirmed R{source[0]}")
    expect_human(panel, source, witness, "confirmed")
    stored = api_link(server, source, witness)
    assert stored and (stored["status"], stored["resp"]) == ("confirmed", EDITOR)
    # The same link is selected again, with its editor, and the list is where it was.
    expect(panel.locator("ol.links > li.link.selected")).to_have_count(1)
    expect(editor.locator(".editor-state")).to_contain_text(f"Confirmed by {EDITOR}")

    # Label it, with a note previewed by the server's rules; then undo the label.
    editor.locator("select[name=label]").select_option("paraphrase")
    editor.locator("textarea[name=note]").fill(NOTE)
    editor.get_by_role("button", name="Preview").click()
    preview = editor.locator(".note-preview")
    expect(preview.locator("em")).to_have_text("condenses")
    expect(preview.locator("li")).to_have_count(2)
    expect(preview).to_contain_text("<script>")  # as text: the server's sanitiser
    expect(preview.locator("script")).to_have_count(0)
    editor.get_by_role("button", name="Save").click()
    expect(status(page)).to_contain_text("Saved the label and note")
    labelled = expect_human(panel, source, witness, "confirmed")
    expect(labelled.locator(".label-badge")).to_have_text("paraphrase")
    stored = api_link(server, source, witness)
    assert stored and stored["label"] == "paraphrase" and "*condenses*" in stored["note"]
    page.get_by_role("button", name=re.compile("^Undo")).click()
    expect(status(page)).to_contain_text("Undone: the label and note of")
    expect(labelled.locator(".label-badge")).to_have_count(0)
    stored = api_link(server, source, witness)
    assert stored and stored["label"] is None and stored["status"] == "confirmed"
    # Undo again: the confirmation is withdrawn, the link is the machine's once more.
    page.get_by_role("button", name=re.compile("^Undo")).click()
    expect(status(page)).to_contain_text(f"Undone: confirmed R{source[0]}")
    stored = api_link(server, source, witness)
    assert stored and stored["status"] == "machine"
    expect(labelled).to_have_attribute("data-status", "machine")

    # Remove another machine link: it leaves the list (and its connector); Undo brings it back.
    item = first_machine(panel, 1)
    removed = pair_of(item)
    item.locator(".link-button").click()
    editor.get_by_role("button", name=re.compile("^Remove")).click()
    expect(status(page)).to_contain_text(f"Removed R{removed[0][0]}")
    expect(links).to_have_count(count - 1)
    assert api_link(server, *removed) is None
    rejected = [(r["source"], r["witness"]) for r in api_account(server)["rejected"]]
    assert rejected == [removed]
    page.get_by_role("button", name=re.compile("^Undo")).click()
    expect(status(page)).to_contain_text("Undone: removed")
    expect(links).to_have_count(count)
    stored = api_link(server, *removed)
    assert stored and stored["status"] == "machine"
    assert api_account(server)["rejected"] == []

    # Add a link from an omitted record sentence, straight from the list of omissions.
    before = api_account(server)
    omitted, added = before["omitted"][0], before["added"][0] if before["added"] else 1
    entry = panel.locator(".lists li.omitted").first
    entry.get_by_role("button", name=f"Link R{omitted} to an account sentence").click()
    expect(editor.locator(".editor-state")).to_contain_text("A new link")
    editor.locator("select[name=counterpart]").select_option(str(added))
    editor.locator("select[name=label]").select_option("embellishment")
    editor.get_by_role("button", name="Save").click()
    expect(status(page)).to_contain_text(f"Linked R{omitted} → A{added}")
    made = expect_human(panel, [omitted], [added], "added")
    expect(made.locator(".label-badge")).to_have_text("embellishment")
    stored = api_link(server, [omitted], [added])
    assert stored and (stored["status"], stored["label"]) == ("added", "embellishment")
    assert omitted not in api_account(server)["omitted"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 720})
    panel.locator(".selected-link").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "curate-editor-1280.png"))
    panel.locator(".columns").screenshot(path=str(ARTIFACTS / "curate-columns-human.png"))
    panel.locator("ol.links").screenshot(path=str(ARTIFACTS / "curate-links-human.png"))
    page.get_by_role("button", name=re.compile("^Undo")).click()
    expect(status(page)).to_contain_text(f"Undone: linked R{omitted} → A{added}")
    assert api_link(server, [omitted], [added]) is None
    assert omitted in api_account(server)["omitted"]
    expect(panel.locator('ol.links > li.link[data-status="added"]')).to_have_count(0)

    watch.check()
    assert dialogs == [] and page.evaluate("window.__pwned") is None


def test_the_keyboard_path(editor_page: Page, server: str) -> None:
    page = editor_page
    watch = NoLoads(page)
    panel = panel_of(page)
    item = first_machine(panel, 2)
    source, witness = pair_of(item)
    item.locator(".link-button").click()
    # The link's detail and its editor arrive from the server a moment after the click.
    expect(panel.locator(".selected-link .editor")).to_be_visible()
    # c confirms, focus stays on the link (so the next key works), Ctrl+Z undoes.
    page.keyboard.press("c")
    expect(status(page)).to_contain_text(f"Confirmed R{source[0]}")
    expect_human(panel, source, witness, "confirmed")
    focused = page.evaluate("document.activeElement.closest('li.link')?.dataset.status")
    assert focused == "confirmed"
    page.keyboard.press("Control+z")
    expect(status(page)).to_contain_text(f"Undone: confirmed R{source[0]}")
    stored = api_link(server, source, witness)
    assert stored and stored["status"] == "machine"
    # The arrow keys move along the list (up, then down again to the last link, where
    # ArrowDown stays); l goes to the label, Enter saves it.
    selected = panel.locator("ol.links > li.link.selected")
    last = selected.get_attribute("data-number")
    assert last == str(panel.locator("ol.links > li.link").count())  # the list's last link
    page.keyboard.press("ArrowUp")
    expect(selected).not_to_have_attribute("data-number", last or "")
    expect(panel.locator(".selected-link .editor")).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(selected).to_have_attribute("data-number", last or "")
    page.keyboard.press("ArrowDown")  # at the end: stays, the detail is not loaded again
    expect(selected).to_have_attribute("data-number", last or "")
    nxt = pair_of(selected)
    # Its detail and editor arrive from the server a moment after the selection.
    number = selected.get_attribute("data-number")
    expect(panel.locator(f'.selected-link .link-detail[data-link="{number}"]')).to_be_visible()
    expect(panel.locator(".selected-link .editor")).to_be_visible()
    page.keyboard.press("l")
    label = panel.locator(".selected-link .editor select[name=label]")
    expect(label).to_be_focused()
    label.select_option("reordering")
    label.press("Enter")
    expect(status(page)).to_contain_text(f"Confirmed R{nxt[0][0]}")
    stored = api_link(server, *nxt)
    assert stored and (stored["status"], stored["label"]) == ("confirmed", "reordering")
    # x removes the selected link; Ctrl+Z, from anywhere but a text field, brings it back.
    # The confirmed link is selected again once the panel is read back, and its editor
    # comes from the server after that: x is pressed when the editor shows, as a person
    # would (a key pressed before says so: the next test).
    page.keyboard.press("Escape")
    selected = panel.locator("ol.links > li.link.selected")
    number = selected.get_attribute("data-number")
    expect(panel.locator(f'.selected-link .link-detail[data-link="{number}"]')).to_be_visible()
    expect(panel.locator(".selected-link .editor")).to_be_visible()
    panel.locator("ol.links > li.link.selected .link-button").focus()
    stored = remove_by_key_and_undo(page, server, nxt)
    assert stored and (stored["status"], stored["label"]) == ("confirmed", "reordering")
    # w withdraws the decision (the machine's link stands); Ctrl+Z reverts that through
    # the history, and once more withdraws the confirmation made with "l". The restored
    # link is selected again and its detail and editor come back from the server first
    # (pressing w before that was a race seen on two workers).
    selected = panel.locator("ol.links > li.link.selected")
    expect(selected).to_have_count(1)
    assert pair_of(selected) == nxt
    number = selected.get_attribute("data-number")
    expect(panel.locator(f'.selected-link .link-detail[data-link="{number}"]')).to_be_visible()
    expect(panel.locator(".selected-link .editor")).to_be_visible()
    page.keyboard.press("w")
    expect(status(page)).to_contain_text(f"Withdrew the decision on R{nxt[0][0]}")
    stored = api_link(server, *nxt)
    assert stored and (stored["status"], stored["label"]) == ("machine", None)
    page.keyboard.press("Control+z")
    expect(status(page)).to_contain_text("Undone: the withdrawal of the decision")
    stored = api_link(server, *nxt)
    assert stored and (stored["status"], stored["label"]) == ("confirmed", "reordering")
    page.keyboard.press("Control+z")  # and the confirmation with its label
    expect(status(page)).to_contain_text("Undone: confirmed")
    stored = api_link(server, *nxt)
    assert stored and stored["status"] == "machine"
    watch.check()


def test_a_key_pressed_before_the_editor_arrives_says_so(editor_page: Page, server: str) -> None:
    """x while the selected link's detail is still on its way is not lost in silence: the
    bar says to press it again, nothing is stored; once the editor shows, x removes."""
    page = editor_page
    panel = panel_of(page)
    held: list[Route] = []  # the first detail request, kept back until released
    detail = re.compile(r"[?&]link=\d+")

    def is_detail(url: str) -> bool:
        return bool(detail.search(url))

    def hold(route: Route) -> None:
        if not held:  # the first detail waits; later ones go through
            held.append(route)
        else:
            route.continue_()

    page.route(is_detail, hold)
    item = first_machine(panel)
    pair = pair_of(item)
    item.locator(".link-button").click()
    expect(item).to_have_class(re.compile(r"\bselected\b"))
    for _ in range(100):  # until the held request reaches the route
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the link's detail was not requested from the server"
    expect(panel.locator(".selected-link .editor")).to_have_count(0)
    page.keyboard.press("x")
    expect(status(page)).to_contain_text("The link's editor is still loading: press x again")
    expect(page.locator(".curate-bar")).to_have_class(re.compile(r"\berror\b"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "curate-key-while-loading-1280.png"))
    stored = api_link(server, *pair)
    assert stored and stored["status"] == "machine"
    held[0].continue_()
    expect(panel.locator(".selected-link .editor")).to_be_visible()
    stored = remove_by_key_and_undo(page, server, pair)
    assert stored and stored["status"] == "machine"


def test_the_page_s_change_without_its_csrf_token_is_refused(editor_page: Page) -> None:
    page = editor_page
    link = page.evaluate(
        """async ([url, account]) => {
            const r = await fetch(url, {method: "POST", credentials: "same-origin",
              headers: {"Content-Type": "application/json"},
              body: JSON.stringify({account, action: "confirm", source: [1], witness: [1]})});
            return {status: r.status, body: await r.json()};
        }""",
        [f"/api/dossiers/{Z}/links", SLUG],
    )
    assert link["status"] == 403
    assert "X-CSRFToken" in link["body"]["error"]
    assert all("403" in e for e in take_errors(page))  # the browser logs the refused call


def test_a_folded_run_and_a_mark_without_unfolding(editor_page: Page, server: str) -> None:
    page = editor_page
    panel = panel_of(page)
    gap = panel.locator("li.gap").first
    expect(gap.locator("details")).not_to_have_attribute("open", "")
    gap.get_by_role("button", name=re.compile("^Link one of R")).click()
    editor = panel.locator(".selected-link .editor")
    expect(editor.locator("select[name=own]")).to_be_visible()
    assert editor.locator("select[name=own] option").count() >= 3
    # A mark on an omission, from the list, in place.
    entry = panel.locator(".lists li.omitted").first
    number = int((entry.locator("a").first.text_content() or "R0")[1:])
    entry.get_by_role("link", name="mark…").click()
    editor.locator("select[name=significant]").select_option("yes")
    editor.locator("textarea[name=note]").fill("The caveat, left out.")
    editor.get_by_role("button", name="Save").click()
    expect(status(page)).to_contain_text(f"Saved the mark of R{number}")
    expect(panel.locator(f'a.mark-edit[data-number="{number}"]')).to_be_focused()
    marks = api_account(server)["marks"]
    assert [(m["side"], m["index"], m["significant"]) for m in marks] == [("record", number, True)]
    expect(panel.locator(".lists li.omitted").first.locator(".badge")).to_have_text("significant")
    page.get_by_role("button", name=re.compile("^Undo")).click()
    expect(status(page)).to_contain_text(f"Undone: the mark of R{number}")
    assert api_account(server)["marks"] == []
    # Ticking a record and an account sentence and "Link the selected sentences", in place.
    shown = panel.locator("ol.sentences.record > li.sentence.omitted").first  # not folded
    number = int(shown.get_attribute("data-index") or "0") + 1
    panel.get_by_role("checkbox", name=f"Select R{number} for a new link").check()
    panel.get_by_role("checkbox", name="Select A2 for a new link", exact=True).check()
    panel.get_by_role("button", name="Link the selected sentences").click()
    expect(status(page)).to_contain_text(f"Linked R{number} → A2")
    expect_human(panel, [number], [2], "added")
    stored = api_link(server, [number], [2])
    assert stored and stored["status"] == "added"
    page.keyboard.press("Control+z")
    expect(status(page)).to_contain_text(f"Undone: linked R{number} → A2")
    assert api_link(server, [number], [2]) is None


def test_small_screen_and_a_reader(browser: Browser, server: str, people: dict[str, str]) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, server, EDITOR, PASSWORD)
    page.goto(f"{server}/dossiers/{Z}/compare?account={SLUG}")
    page.wait_for_selector("body.curate-ready")
    panel = panel_of(page)
    first_machine(panel).locator(".link-button").click()
    editor = panel.locator(".selected-link .editor")
    expect(editor).to_be_visible()
    editor.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "curate-editor-390.png"))
    # Nothing of the panel, its editor or the status line reaches past the screen's edge.
    # (The site header is another matter: base.html, with a long user name and role.)
    wide = page.evaluate(
        """() => Array.from(document.querySelectorAll('section.panel *, .curate-bar *'))
          .filter((e) => e.getBoundingClientRect().right > 391)
          .map((e) => `${e.tagName}.${e.className} ${e.getBoundingClientRect().right | 0}`)"""
    )
    assert wide == [], wide
    context.close()
    # A reader gets no editor, no "link…", no Undo.
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    log_in(page, server, READER, PASSWORD)
    page.goto(f"{server}/dossiers/{Z}/compare?account={SLUG}")
    page.wait_for_selector("body.connectors-ready")
    panel = panel_of(page)
    panel.locator("ol.links > li.link .link-button").first.click()
    expect(panel.locator(".selected-link")).to_be_visible()
    for hidden in (".editor", "template.editor-template", ".curate-tools", "button.link-from"):
        expect(page.locator(hidden)).to_have_count(0)
    expect(page.locator(".curate-bar")).to_have_count(0)
    expect(page.locator("script[src*='curate']")).to_have_count(0)
    context.close()


def _api(base: str, token: str, method: str, path: str, body: Any = None) -> Any:
    request = urllib.request.Request(
        f"{base}{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def test_restore_in_place_and_a_stale_edit(
    editor_page: Page, server: str, live_server: LiveServer
) -> None:
    page = editor_page
    watch = NoLoads(page)
    panel = panel_of(page)
    links = panel.locator("ol.links > li.link")
    count = links.count()
    item = first_machine(panel)
    removed = pair_of(item)
    item.locator(".link-button").click()
    expect(panel.locator(".selected-link .editor")).to_be_visible()
    page.keyboard.press("x")
    expect(links).to_have_count(count - 1)
    # "Restore the machine's link" in the list of removed links works in place too.
    panel.get_by_role("button", name="Restore the machine's link").click()
    expect(status(page)).to_contain_text(f"Restored the machine's link R{removed[0][0]}")
    expect(links).to_have_count(count)
    assert api_account(server)["rejected"] == []

    # Someone else labels the link meanwhile: the page's save is refused and shows theirs.
    made = live_server.cli("token", ADMIN)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    item = first_machine(panel)
    source, witness = pair_of(item)
    item.locator(".link-button").click()
    page.keyboard.press("c")
    expect(status(page)).to_contain_text("Confirmed")
    stored = api_link(server, source, witness)
    assert stored
    path = f"/api/dossiers/{Z}/links/{stored['decision']}"
    _api(server, token, "PATCH", path, {"version": stored["version"], "label": "other"})
    editor = panel.locator(".selected-link .editor")
    editor.locator("select[name=label]").select_option("verbatim")
    editor.get_by_role("button", name="Save").click()
    expect(status(page)).to_contain_text("Not saved: ")
    expect(status(page)).to_contain_text("The panel now shows what is stored.")
    assert take_errors(page)  # the browser logs the refused (409) call
    human = expect_human(panel, source, witness, "confirmed", who=ADMIN)  # the last to edit
    expect(human.locator(".label-badge")).to_have_text("other")
    assert (api_link(server, source, witness) or {})["label"] == "other"
    _api(server, token, "DELETE", f"{path}?version={stored['version'] + 1}")
    watch.check()
