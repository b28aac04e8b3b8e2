"""The compare view printed to PDF in Chromium: each connector ends at its two sentences.

Prints the Zavidovo compare page (memcon against Christopher and against Goldgeier) to an
A4 PDF with Chromium, reads the PDF's geometry back (:mod:`tests.print_geometry`) and
checks, page by page, that every line drawn between the columns starts in the box of a
record sentence and ends in the box of the account sentence the link joins, that every link
is drawn (or, across pages, stubbed with the right page), that page 1 opens with the
title, the names, the counts, the legend and the first sentences, and the footer.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
from playwright.sync_api import Browser, Page

from tests.browser_support import (  # noqa: F401  (fixtures: pytest finds them by name)
    ARTIFACTS,
    browser_fixture,
    live_server_fixture,
    page_fixture,
    server_fixture,
    serving,
)
from tests.print_geometry import AlignmentPage, Box, Chain, pieces, read_page

DOSSIER = "zavidovo-1993"
ACCOUNTS = ["zavidovo-1993-christopher", "zavidovo-1993-goldgeier"]
PDF = ARTIFACTS / "print-zavidovo.pdf"


@dataclass
class Printed:
    """The PDF and what the page said it shows: each account's title and link pairs."""

    pdf: pdfplumber.PDF
    titles: dict[str, str]
    pairs: dict[str, set[tuple[str, str]]]
    url: str
    #: Alignments the compare page left out, for print.js to fetch when printing.
    later: int


@pytest.fixture(scope="module")
def printed(server: str, browser: Browser) -> Iterator[Printed]:
    """Print the Zavidovo compare page to A4 the way a reader's Chromium does."""
    with print_pdf(browser, server, DOSSIER, ACCOUNTS, PDF) as result:
        yield result


@contextmanager
def print_pdf(
    browser: Browser, server: str, dossier: str, accounts: list[str], path: Path
) -> Iterator[Printed]:
    """Print a compare page to ``path`` (A4, the page's CSS size); read the links shown."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    query = "&".join(f"account={a}" for a in accounts)
    url = f"{server}/dossiers/{dossier}/compare?{query}"
    page.goto(url)
    page.wait_for_load_state("networkidle")
    later = page.locator(".print-later").count()
    titles, pairs = {}, {}
    for slug in accounts:
        panel = page.locator(f"section.panel#{slug}")
        titles[slug] = page.locator(f"#{slug}-print").get_attribute("data-title") or ""
        links = panel.locator("ol.links > li.link")
        pairs[slug] = {
            (f"R{int(i) + 1}", f"A{int(j) + 1}")
            for k in range(links.count())
            for i in (links.nth(k).get_attribute("data-source") or "").split()
            for j in (links.nth(k).get_attribute("data-witness") or "").split()
        }
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(path), format="A4", prefer_css_page_size=True)
    page.close()
    assert errors == [], errors
    if shutil.which("pdftoppm"):  # a picture of pages 1 and 2 to look at
        for n in (1, 2):
            out = path.with_name(f"{path.stem}-p{n}")
            subprocess.run(
                ["pdftoppm", "-png", "-r", "90", "-f", str(n), "-l", str(n), "-singlefile",
                 str(path), str(out)],
                check=True, timeout=60,
            )  # fmt: skip
    with pdfplumber.open(path) as pdf:
        yield Printed(pdf, titles, pairs, url, later)


def alignments(printed: Printed) -> dict[str, list[tuple[int, AlignmentPage]]]:
    """The alignment pages of each account, in order, with their PDF page numbers."""
    found: dict[str, list[tuple[int, AlignmentPage]]] = {slug: [] for slug in printed.titles}
    current = None
    for number, page in enumerate(printed.pdf.pages, start=1):
        geometry = read_page(page)
        if geometry is None:
            continue
        if geometry.number == 1:
            text = page.extract_text()
            current = next(s for s, title in printed.titles.items() if f"Account: {title}" in text)
        assert current is not None, f"PDF page {number}: an alignment page before any head"
        found[current].append((number, geometry))
    return found


def box_at(boxes: dict[str, Box], point: tuple[float, float]) -> str | None:
    """The label of the one box holding the point, if exactly one does."""
    holding = [b.label for b in boxes.values() if b.holds(*point)]
    return holding[0] if len(holding) == 1 else None


def ends(chain: Chain, page: AlignmentPage) -> tuple[str | None, str | None]:
    return box_at(page.record, chain.left), box_at(page.account, chain.right)


def test_every_connector_ends_at_its_two_sentences(printed: Printed) -> None:
    assert printed.later == 0  # short: in the compare page itself
    for slug, pages in alignments(printed).items():
        check_links(printed, slug, pages)


def check_links(printed: Printed, slug: str, pages: list[tuple[int, AlignmentPage]]) -> None:
    """Each line joins the boxes of a linked pair; each link is drawn or stubbed once."""
    assert pages, f"no printed alignment for {slug}"
    assert [p.number for _, p in pages] == list(range(1, pages[0][1].of + 1))
    drawn: list[tuple[str, str]] = []
    for number, page in pages:
        for chain in page.connectors:
            pair = ends(chain, page)
            where = f"{slug}, PDF page {number}: line from {chain.left} to {chain.right}"
            assert None not in pair, f"{where} does not end in two sentence boxes"
            assert pair in printed.pairs[slug], f"{where} joins {pair}, not a link"
            drawn.append(pair)  # type: ignore[arg-type]
    stubbed = stubs(slug, pages)
    assert sorted(drawn + stubbed) == sorted(printed.pairs[slug]), slug


def stubs(slug: str, pages: list[tuple[int, AlignmentPage]]) -> list[tuple[str, str]]:
    """Links drawn as two stubs: each names the other end and its page, which holds it."""
    by_number = {p.number: p for _, p in pages}
    pairs = []
    for _, page in pages:
        for chain, text in page.stubs:
            match = re.fullmatch(r"([→←]) ([RA]\d+) \(p\. (\d+)\)", text)
            assert match, f"{slug} p. {page.number}: a stray line in the gutter ({text!r})"
            arrow, other, target = match.group(1), match.group(2), int(match.group(3))
            side = by_number[target].account if arrow == "→" else by_number[target].record
            assert other in side, f"{slug}: {text!r} but p. {target} does not show {other}"
            if arrow == "→":
                own = box_at(page.record, chain.left)
                assert own, f"{slug} p. {page.number}: stub {text!r} starts in no record box"
                pairs.append((own, other))
            else:
                assert box_at(page.account, chain.right), f"{slug}: stub {text!r} off its box"
    return pairs


def test_the_move_is_drawn_dashed_and_the_kept_links_solid(printed: Printed) -> None:
    pages = alignments(printed)["zavidovo-1993-christopher"]
    lines = {ends(c, p): len(c.pieces) for _, p in pages for c in p.connectors}
    # The memoir tells R19 (membership a longer-term eventuality) before R17 ("a great idea").
    assert lines[("R19", "A2")] > 10  # dashed: many pieces
    assert lines[("R17", "A3")] <= 3 and lines[("R15", "A1")] <= 3  # solid: line and dots


def test_page_one_opens_with_names_counts_legend_and_first_sentences(printed: Printed) -> None:
    first = printed.pdf.pages[0]
    text = first.extract_text()
    assert text.startswith("Christopher and Yeltsin at Zavidovo, 22 October 1993")
    assert "Record: Memorandum of conversation" in text
    assert "Account: In the Stream of History" in text
    assert "3 links · 1 moved (told in another order)" in text
    assert "20 of 23 record sentences left out" in text
    geometry = read_page(first)
    assert geometry is not None and {"R1", "R2", "R3"} <= set(geometry.record)
    assert "Page 1 of" in text and printed.url in text.replace("\n", "")


def test_the_legend_is_drawn_in_strokes(printed: Printed) -> None:
    first = printed.pdf.pages[0]
    drawn = pieces(first)
    words = [w for w in first.extract_words(extra_attrs=["size"]) if abs(w["size"] - 7.5) < 0.1]

    def marks_before(word: str) -> int:
        w = next(w for w in words if w["text"] == word)
        return sum(
            1 for p in drawn
            if w["x0"] - 32 <= p.x0 and p.x1 <= w["x0"] and w["top"] - 6 <= p.top <= w["bottom"]
        )  # fmt: skip

    solid, dashed, dotted = marks_before("kept"), marks_before("moved:"), marks_before("possible")
    assert solid == 1 and 3 <= dashed < dotted, (solid, dashed, dotted)
    assert marks_before("omitted") >= 4  # a box drawn in dashes and dots
    assert marks_before("added") == 2  # a double border: two outlines


def test_every_page_has_its_number_and_the_citation(printed: Printed) -> None:
    total = len(printed.pdf.pages)
    assert total >= 4
    for number, page in enumerate(printed.pdf.pages, start=1):
        text = page.extract_text().replace("\n", " ")
        assert f"Page {number} of {total}" in text
        assert "Christopher and Yeltsin at Zavidovo, 22 October 1993 · Record:" in text
        assert re.search(r"printed \d{4}-\d{2}-\d{2}", text)


def test_no_word_runs_out_of_its_column(printed: Printed) -> None:
    for pages in alignments(printed).values():
        for number, page in pages:
            body = printed.pdf.pages[number - 1]
            shown = [*page.record.values(), *page.account.values()]
            top, bottom = min(b.top for b in shown), max(b.bottom for b in shown)
            for w in body.extract_words():
                if not top <= w["top"] <= bottom:
                    continue  # the head, the footer
                left = w["x1"] <= page.record_edge - 1
                right = w["x0"] >= page.account_edge + 1
                gutter = page.record_edge < w["x0"] and w["x1"] < page.account_edge
                assert left or right or gutter, f"PDF page {number}: {w['text']!r} overflows"


def test_folded_runs_are_printed_and_the_changes_follow(printed: Printed) -> None:
    pages = alignments(printed)["zavidovo-1993-christopher"]
    shown = {label for _, p in pages for label in p.record}
    assert shown == {f"R{i}" for i in range(1, 24)}  # the omitted runs unfolded
    last = pages[-1][0]
    after = printed.pdf.pages[last].extract_text()  # the page after the alignment
    assert after.startswith("Links of In the Stream of History")
    assert "R19 → A2 · moved:" in after and "long-term and evolutionary" in after
    everything = "\n".join(p.extract_text() for p in printed.pdf.pages)
    assert "Links (3)" not in everything  # the screen's list gives way to the printed one


#: Words for a long synthetic record whose sentences are easy to tell apart.
PEOPLE = "Abel Bianca Carlos Dmitri Elena Farid Greta Hiro Ines Jonas Kofi Lena".split()
THINGS = "grain timber cobalt wool salmon copper coffee rubber tin cotton oil rice".split()
PLACES = "Narvik Oran Tartu Cadiz Lviv Split Varna Izmir Bari Ghent Turku Porto".split()


def synthetic_record(n: int) -> list[str]:
    """``n`` distinct, fairly long sentences (three to four printed lines each)."""
    return [
        f"On day {k + 1} {PEOPLE[k % 12]} told {PEOPLE[(k * 5 + 3) % 12]} that the "
        f"{THINGS[k % 12]} and {THINGS[(k * 7 + 2) % 12]} shipments from "
        f"{PLACES[(k * 5) % 12]} to {PLACES[(k + 4) % 12]} would need another "
        f"{k + 2} inspections before the {k + 10}th convoy could sail."
        for k in range(n)
    ]


@pytest.fixture(scope="module")
def crossing(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Printed]:
    """A dossier whose account tells the record's last sentence first: that link spans
    pages on paper. Served from its own corpora folder, with the printed alignment left
    out of the compare page (fetched when printing), and printed."""
    folder = tmp_path_factory.mktemp("corpora")
    dossier = folder / "crossing"
    dossier.mkdir()
    record = synthetic_record(36)
    account = [record[-1], record[0], record[1], record[2]]
    (dossier / "record.txt").write_text(" ".join(record) + "\n")
    (dossier / "account.txt").write_text(" ".join(account) + "\n")
    meta = {"siglum": "X", "author": "Tester", "date": "2026", "provenance": "Synthetic.",
            "reconstructed": False, "source": "tests/test_print.py"}  # fmt: skip
    (dossier / "dossier.json").write_text(json.dumps({
        "id": "crossing", "title": "The convoy talks (a synthetic record)", "date": "2026",
        "record": "record.txt", "variants": [], "phrases": [],
        "documents": [
            {**meta, "file": "record.txt", "title": "Minutes", "kind": "memcon"},
            {**meta, "file": "account.txt", "title": "Memoir", "kind": "memoir", "siglum": "Y"},
        ],
    }))  # fmt: skip
    env = {
        "MEMCON_DATABASE_URL": f"sqlite:///{folder / 'memcon.db'}",
        "MEMCON_INSTANCE_PATH": str(folder),
        "MEMCON_CORPORA_DIR": str(folder),
        # Too long to hold in the compare page: print.js fetches it just before printing.
        "MEMCON_PRINT_INLINE_SENTENCES": "10",
    }
    with (
        serving(env) as base,
        print_pdf(browser, base, "crossing", ["account"], ARTIFACTS / "print-crossing.pdf") as p,
    ):
        yield p


def test_a_link_across_pages_is_stubbed_on_both_pages(crossing: Printed) -> None:
    assert crossing.later == 1  # fetched by print.js when printing, yet printed below
    (slug,) = crossing.titles
    pages = alignments(crossing)[slug]
    assert len(pages) >= 2
    assert ("R36", "A1") in crossing.pairs[slug] and len(crossing.pairs[slug]) == 4
    check_links(crossing, slug, pages)
    assert ("R36", "A1") in stubs(slug, pages)
    first = {ends(c, p) for n, p in pages for c in p.connectors if p.number == 1}
    assert {("R1", "A2"), ("R2", "A3"), ("R3", "A4")} <= first


@pytest.mark.parametrize("width", [1280, 390])
def test_the_print_page_shows_its_sheets_on_screen(server: str, page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 720})
    page.goto(f"{server}/dossiers/{DOSSIER}/print?account={ACCOUNTS[0]}")
    sheets = page.locator("svg.print-page")
    assert sheets.count() == 2 and sheets.first.is_visible()
    box = sheets.first.bounding_box()
    assert box and box["width"] <= width and box["height"] > box["width"]  # a page, upright
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width  # no sideways scroll
    page.screenshot(path=str(ARTIFACTS / f"print-page-{width}.png"))


def test_other_pages_print_as_they_are(server: str, browser: Browser, tmp_path: Path) -> None:
    page = browser.new_page()
    page.goto(f"{server}/dossiers/{DOSSIER}")
    page.pdf(path=str(tmp_path / "dossier.pdf"), format="A4", prefer_css_page_size=True)
    page.close()
    with pdfplumber.open(tmp_path / "dossier.pdf") as pdf:
        text = " ".join(pdf.pages[0].extract_text().split())  # the words, however they wrap
    assert text.startswith("Christopher and Yeltsin at Zavidovo, 22 October 1993")
    assert "Warren Christopher tells Boris Yeltsin" in text  # the description, not a blank
