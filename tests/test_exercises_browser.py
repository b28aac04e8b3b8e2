"""Real-browser test of an exercise: a teacher sets "predict the order" on the Temptation,
a student with no account puts Luke's sentences into Matthew's order with the keyboard
only, submits, and reads the scores; screenshots at 1280x720 and 390 px.

Runs against its own ``memcon serve`` and database (see :mod:`tests.browser_support`).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser_support import (  # noqa: F401  (fixtures: pytest finds them by name)
    ARTIFACTS,
    LiveServer,
    browser_fixture,
    live_server_fixture,
    log_in,
    page_fixture,
    server_fixture,
)

USER = "teacher"
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module", autouse=True)
def teacher(live_server: LiveServer) -> str:
    """An admin (the bundled dossiers have no owner), made once for the module's server."""
    ARTIFACTS.mkdir(exist_ok=True)
    made = live_server.cli(
        "create-user", USER, "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert made.returncode == 0, made.stderr
    return USER


def _set_exercise(page: Page, base: str) -> str:
    """Set the order exercise over Matthew's R5-R11 (the temple, then the mountain)."""
    page.goto(f"{base}/dossiers/temptation/exercises")
    page.set_viewport_size({"width": 1280, "height": 720})
    page.screenshot(path=str(ARTIFACTS / "exercise-new-1280.png"), full_page=True)
    page.get_by_label("predict the order").check()
    page.get_by_label("Record from R").fill("5")
    page.get_by_label("to R").fill("11")
    page.get_by_role("button", name="Open the exercise").click()
    expect(page.locator("ul.flashes")).to_contain_text("The exercise is open")
    page.set_viewport_size({"width": 1280, "height": 720})
    page.screenshot(path=str(ARTIFACTS / "exercise-teacher-1280.png"))
    return page.locator("#ex-code").inner_text()


def test_a_student_orders_the_temptations_by_keyboard_and_submits(
    live_server: LiveServer, page: Page, browser: Browser
) -> None:
    log_in(page, live_server.base, USER, PASSWORD)
    code = _set_exercise(page, live_server.base)
    assert re.fullmatch(r"[A-HJKMNP-TW-Z2-9]{6}", code)

    context = browser.new_context(viewport={"width": 1280, "height": 720})  # no account
    student = context.new_page()
    errors: list[str] = []
    student.on("pageerror", lambda exc: errors.append(str(exc)))
    student.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    student.goto(f"{live_server.base}/x")
    student.get_by_label("Code from your teacher").fill(code.lower())
    student.keyboard.press("Enter")
    expect(student).to_have_url(f"{live_server.base}/x/{code}")
    items = student.locator(".order-item")
    shown = [int(n) for n in items.evaluate_all("els => els.map(e => e.dataset.sentence)")]
    assert shown == [7, 8, 9, 10, 11, 12, 13, 14]  # Luke's own order
    student.screenshot(path=str(ARTIFACTS / "exercise-order-1280.png"))

    # Matthew tells the temple (Luke's A11-A14) before the mountain (A7-A10): move each of
    # A11..A14 up to its place, by keyboard only (focus the button, press Enter).
    for place, sentence in enumerate((11, 12, 13, 14)):
        button = student.get_by_role("button", name=f"Move A{sentence} up")
        button.focus()
        for _ in range(4):
            student.keyboard.press("Enter")
        expect(student.locator("#acc1-order-status")).to_contain_text(
            f"A{sentence} is now {place + 1}"
        )
    ordered = [int(n) for n in items.evaluate_all("els => els.map(e => e.dataset.sentence)")]
    assert ordered == [11, 12, 13, 14, 7, 8, 9, 10]
    places = items.locator(".place input").evaluate_all("els => els.map(e => e.value)")
    assert places == [str(k) for k in range(1, 9)]  # the numbers follow the list
    student.get_by_label("Pseudonym").fill("Keyboard Kim")
    student.set_viewport_size({"width": 390, "height": 844})
    student.screenshot(path=str(ARTIFACTS / "exercise-order-390.png"), full_page=True)
    student.get_by_role("button", name="Submit my answer").press("Enter")
    expect(student.locator("dl.scores")).to_contain_text("order tau: 1.00")
    expect(student.locator("dl.scores")).to_contain_text("You put no pair of sentences")
    receipt = student.locator("#receipt-code").inner_text()
    assert re.fullmatch(r"([A-HJKMNP-TW-Z2-9]{4}-){3}[A-HJKMNP-TW-Z2-9]{4}", receipt)
    student.screenshot(path=str(ARTIFACTS / "exercise-result-390.png"), full_page=True)
    student.set_viewport_size({"width": 1280, "height": 720})
    student.screenshot(path=str(ARTIFACTS / "exercise-result-1280.png"))
    wide = student.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert errors == [] and wide <= 1280

    page.goto(page.url + "/dashboard")
    expect(page.locator("main")).to_contain_text("1 submission")
    expect(page.locator("main")).to_contain_text("Keyboard Kim")


def test_an_align_answer_and_the_class_heat_map(
    live_server: LiveServer, page: Page, browser: Browser
) -> None:
    log_in(page, live_server.base, USER, PASSWORD)
    page.goto(f"{live_server.base}/dossiers/temptation/exercises")
    page.get_by_label("align and label", exact=True).check()
    page.get_by_label("Record from R").fill("1")
    page.get_by_label("to R").fill("4")
    page.get_by_label("Account from A").fill("1")
    page.get_by_label("to A", exact=True).fill("6")
    page.get_by_role("button", name="Open the exercise").click()
    code = page.locator("#ex-code").inner_text()
    teacher = page.url

    context = browser.new_context(viewport={"width": 390, "height": 844})
    student = context.new_page()
    student.goto(f"{live_server.base}/x/{code}")
    for sentence, record, label in (
        (1, 1, "embellishment"),
        (2, 1, "embellishment"),
        (5, 2, "other"),
    ):
        box = student.locator(f"#acc1-a{sentence}")
        box.get_by_label(f"R{record}", exact=True).check()
        box.get_by_label("How").select_option(label)
    student.screenshot(path=str(ARTIFACTS / "exercise-align-390.png"), full_page=True)
    wide = student.evaluate("document.documentElement.scrollWidth")
    student.get_by_role("button", name="Submit my answer").click()
    expect(student.locator("table.breakdown")).to_contain_text("missed")
    expect(student.locator("table.breakdown")).to_contain_text("extra")
    context.close()
    assert wide <= 390

    page.goto(teacher + "/dashboard")
    heat = page.locator("table.heat")
    expect(heat.locator('td[data-pair="1-1"]')).to_have_class(re.compile(r"\bh10\b.*\bkey\b"))
    expect(heat.locator('td[data-pair="2-5"]')).to_have_text("100")  # the wrong link
    expect(page.locator("main")).to_contain_text("R2 → A5")
    page.set_viewport_size({"width": 1280, "height": 720})
    page.screenshot(path=str(ARTIFACTS / "exercise-dashboard-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "exercise-dashboard-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_zavidovo_worksheet_prints_on_at_most_four_pages(
    live_server: LiveServer, page: Page
) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    log_in(page, live_server.base, USER, PASSWORD)
    page.goto(f"{live_server.base}/dossiers/zavidovo-1993/keys")
    page.get_by_role("button", name=re.compile("Freeze as version")).click()
    page.goto(f"{live_server.base}/dossiers/zavidovo-1993/exercises")
    for box in page.locator('input[name="accounts"]').all():
        box.uncheck()
    page.locator('input[name="accounts"][value="zavidovo-1993-christopher"]').check()
    page.get_by_role("button", name="Open the exercise").click()
    page.get_by_role("link", name="printable worksheet").click()
    expect(page.locator("table.grid tbody tr").first).to_contain_text("A1")
    page.set_viewport_size({"width": 1280, "height": 720})
    page.screenshot(path=str(ARTIFACTS / "exercise-worksheet-1280.png"))
    pdf = page.pdf(format="A4", print_background=False)
    (ARTIFACTS / "exercise-worksheet.pdf").write_bytes(pdf)
    pages = PdfReader(BytesIO(pdf)).pages
    text = " ".join(p.extract_text() for p in pages)
    assert 1 <= len(pages) <= 4, len(pages)  # issue 14: at most 4 A4 pages (today 2)
    assert "R1" in text and "A1" in text and "verbatim" in text  # columns and the legend
    assert "Log out" not in text  # the site's header is not printed


def test_a_guided_tour_on_the_projector_steps_by_arrow_keys(
    live_server: LiveServer, page: Page
) -> None:
    log_in(page, live_server.base, USER, PASSWORD)
    page.goto(f"{live_server.base}/dossiers/temptation/exercises")
    page.get_by_label("guided tour (not scored)").check()
    page.get_by_label(re.compile("Stops of a guided tour")).fill(
        "5 | Why might Luke end in Jerusalem?\n9 | Which order is the climax?\n11 | And here?"
    )
    page.get_by_role("button", name="Open the exercise").click()
    page.get_by_role("link", name="the tour on the projector").click()
    page.set_viewport_size({"width": 1280, "height": 720})
    expect(page.locator(".stop h2")).to_have_text("Stop 1 of 3")
    expect(page.locator(".stop .answer")).to_have_count(0)
    # Each step is a new page: a key pressed before its script has loaded would be lost,
    # so each press waits for the page's load (a class presses long after that).
    page.wait_for_load_state("load")
    page.keyboard.press("ArrowRight")
    expect(page.locator(".stop .answer")).to_contain_text("reordering")
    page.screenshot(path=str(ARTIFACTS / "exercise-tour-1280.png"))
    page.wait_for_load_state("load")
    page.keyboard.press("ArrowRight")
    expect(page.locator(".stop h2")).to_have_text("Stop 2 of 3")
    page.wait_for_load_state("load")
    page.keyboard.press("ArrowLeft")
    expect(page.locator(".stop h2")).to_have_text("Stop 1 of 3")


def test_reveal_after_close_in_chromium(
    live_server: LiveServer, page: Page, browser: Browser
) -> None:
    base = live_server.base
    log_in(page, base, USER, PASSWORD)
    page.goto(f"{base}/dossiers/temptation/exercises")
    page.get_by_label("quote check").check()
    page.get_by_label("after the exercise is closed").check()
    page.get_by_role("button", name="Open the exercise").click()
    code = page.locator("#ex-code").inner_text()
    teacher = page.url
    note = "Matthew has the same words without"

    students = [browser.new_context(viewport={"width": 1280, "height": 720}) for _ in range(2)]
    ann, ben = (context.new_page() for context in students)
    ann.goto(f"{base}/x/{code}")
    ann.get_by_label("Pseudonym").fill("Ann")
    ann.locator("fieldset.quote").first.get_by_label("altered").check()
    ann.get_by_role("button", name="Submit my answer").click()
    expect(ann.locator(".hidden-until")).to_be_visible()
    assert ann.locator("dl.scores").count() == 0  # scores come from the key: they wait too
    assert note not in ann.content()
    receipt = ann.locator("#receipt-code").inner_text()

    ben.goto(f"{base}/x/{code}")  # before submitting: nothing of Ann's, no class figures
    assert "Ann" not in ben.content() and note not in ben.content()
    assert ben.locator("table.heat, table.figures").count() == 0

    page.goto(teacher)
    page.get_by_role("button", name="Close the exercise").click()
    expect(page.locator("ul.flashes")).to_contain_text("The exercise is closed")
    ann.goto(f"{base}/x/{code}/receipt")
    ann.get_by_label("Receipt code").fill(receipt)
    ann.get_by_role("button", name="Show my answer").click()
    expect(ann.locator("table.breakdown")).to_contain_text(note)
    expect(ann.locator("dl.scores")).to_contain_text("You judged 1 of the 6 quotations")
    ann.screenshot(path=str(ARTIFACTS / "exercise-revealed-1280.png"))
    for context in students:
        context.close()


def test_a_two_account_exercise_in_chromium(
    live_server: LiveServer, page: Page, browser: Browser
) -> None:
    base = live_server.base
    log_in(page, base, USER, PASSWORD)
    page.goto(f"{base}/dossiers/paul-conversion/exercises")
    page.get_by_label("align and label", exact=True).check()
    page.locator('input[name="accounts"][value="paul-acts-22"]').check()
    page.locator('input[name="accounts"][value="paul-acts-26"]').check()
    page.get_by_label("Record from R").fill("1")
    page.get_by_label("to R").fill("6")
    page.get_by_label("Account from A").fill("1")
    page.get_by_label("to A", exact=True).fill("8")
    page.get_by_role("button", name="Open the exercise").click()
    code = page.locator("#ex-code").inner_text()
    teacher = page.url

    for width, height in ((1280, 720), (390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height})
        student = context.new_page()
        errors: list[str] = []
        student.on("pageerror", lambda exc, seen=errors: seen.append(str(exc)))
        student.goto(f"{base}/x/{code}")
        parts = student.locator("section.account-part h2")
        expect(parts).to_have_count(2)
        expect(parts.nth(0)).to_contain_text("Account 1 of 2: Acts 22")
        expect(parts.nth(1)).to_contain_text("Account 2 of 2: Acts 26")
        student.screenshot(
            path=str(ARTIFACTS / f"exercise-two-accounts-{width}.png"), full_page=True
        )
        student.screenshot(path=str(ARTIFACTS / f"exercise-two-accounts-{width}-top.png"))
        wide = student.evaluate("document.documentElement.scrollWidth")
        assert wide <= width and errors == []
        if width == 390:
            # Acts 22's A3 tells R2, Acts 26's A6 tells R2 as well (the key's links).
            student.locator("#acc1-a3").get_by_label("R2", exact=True).check()
            student.locator("#acc1-a3").get_by_label("How").select_option("embellishment")
            student.locator("#acc2-a6").get_by_label("R2", exact=True).check()
            student.get_by_role("button", name="Submit my answer").click()
            result = student.locator("main")
            expect(result).to_contain_text("Your scores: overall")
            expect(student.locator("section.account-part")).to_have_count(2)
            expect(student.locator("table.breakdown")).to_have_count(2)
            student.screenshot(
                path=str(ARTIFACTS / "exercise-two-accounts-result-390.png"), full_page=True
            )
            assert student.evaluate("document.documentElement.scrollWidth") <= 390
        context.close()

    page.goto(teacher + "/dashboard")
    expect(page.locator("table.heat")).to_have_count(2)
    expect(
        page.locator('table.heat[data-account="paul-acts-26"] td[data-pair="2-6"]')
    ).to_have_text("100")
    page.set_viewport_size({"width": 1280, "height": 720})
    page.screenshot(
        path=str(ARTIFACTS / "exercise-two-accounts-dashboard-1280.png"), full_page=True
    )


def test_two_rankings_move_and_announce_each_on_its_own(
    live_server: LiveServer, page: Page, browser: Browser
) -> None:
    base = live_server.base
    log_in(page, base, USER, PASSWORD)
    page.goto(f"{base}/dossiers/paul-conversion/exercises")
    page.get_by_label("predict the order").check()
    page.locator('input[name="accounts"][value="paul-acts-22"]').check()
    page.locator('input[name="accounts"][value="paul-acts-26"]').check()
    page.get_by_role("button", name="Open the exercise").click()
    code = page.locator("#ex-code").inner_text()
    context = browser.new_context(viewport={"width": 390, "height": 844})
    student = context.new_page()
    student.goto(f"{base}/x/{code}")
    second = student.locator("#acc2-part .order-item")
    last = second.last.get_attribute("data-sentence")
    button = student.locator("#acc2-part").get_by_role("button", name=f"Move A{last} up")
    button.focus()
    student.keyboard.press("Enter")
    count = second.count()
    expect(student.locator("#acc2-order-status")).to_contain_text(
        f"A{last} is now {count - 1} of {count}"
    )
    expect(student.locator("#acc1-order-status")).to_have_text("")  # the other list's
    first = student.locator("#acc1-part .order-item")
    places = first.locator(".place input").evaluate_all("els => els.map(e => e.value)")
    assert places == [str(k) for k in range(1, first.count() + 1)]  # untouched, numbered
    student.get_by_role("button", name="Submit my answer").click()
    expect(student.locator("main")).to_contain_text("Your scores: overall")
    expect(student.locator("main")).to_contain_text("The mean of the accounts' order taus.")
    student.screenshot(path=str(ARTIFACTS / "exercise-two-orders-result-390.png"), full_page=True)
    context.close()
