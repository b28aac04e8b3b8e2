"""Real-browser test of hints that cost points and of phrase-order questions: a teacher sets
an align exercise whose hints cost 5 points, a student with no account reveals a hint
(fetch: the page does not reload), links, submits and reads the cost on the result page;
an order exercise's phrase questions answered by keyboard. Screenshots at 1280x720 and
390 px in test-artifacts/.

Runs against its own ``memcon serve`` and database (see :mod:`tests.browser_support`).
"""

from __future__ import annotations

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


def _set(page: Page, base: str, kind: str, fields: dict[str, str]) -> tuple[str, str]:
    """Set an exercise on the Temptation through the form; its code and teacher's page."""
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{base}/dossiers/temptation/exercises")
    page.get_by_label(kind, exact=True).check()
    for label, value in fields.items():
        if value == "check":
            page.get_by_label(label).check()
        else:
            page.get_by_label(label, exact=True).fill(value)
    page.get_by_label(label).scroll_into_view_if_needed()  # the last field filled
    page.screenshot(path=str(ARTIFACTS / f"exercise-new-{kind.split()[0]}-1280.png"))
    page.get_by_role("button", name="Open the exercise").click()
    expect(page.locator("ul.flashes")).to_contain_text("The exercise is open")
    return page.locator("#ex-code").inner_text(), page.url


def _student(browser: Browser, width: int) -> tuple[Page, list[str]]:
    context = browser.new_context(viewport={"width": width, "height": 720})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return page, errors


def test_a_student_reveals_a_hint_and_sees_its_cost_on_the_result(
    live_server: LiveServer, page: Page, browser: Browser
) -> None:
    log_in(page, live_server.base, USER, PASSWORD)
    code, url = _set(
        page,
        live_server.base,
        "align and label",
        {
            "Record from R": "1",
            "to R": "4",
            "Account from A": "1",
            "to A": "6",
            "shown on request, each costs points (set below; align and label)": "check",
            "Points one hint costs (1 to 100, of a 100-point link score)": "5",
        },
    )
    student, errors = _student(browser, 1280)
    student.goto(f"{live_server.base}/x/{code}")
    status = student.locator("#hint-status")
    expect(status).to_contain_text("Hints used so far: 0")
    buttons = student.locator("button.hint-button")
    first = buttons.first
    number = first.get_attribute("data-sentence")
    assert number is not None
    student.evaluate("window.stillHere = true")  # gone if the page reloads
    first.focus()
    student.keyboard.press("Enter")
    hint = student.locator(f"#acc1-hint-{number}")
    expect(hint).to_contain_text("Hint: the machine suggests R")
    expect(status).to_have_text("Hints used so far: 1 hint, 5 points off your link score (of 100).")
    assert student.evaluate("window.stillHere") is True  # fetch: no page load
    student.locator(f"#acc1-a{number}").scroll_into_view_if_needed()
    student.screenshot(path=str(ARTIFACTS / "exercise-hint-1280.png"))
    # Link A1 to R1 (one of the key's six pairs in range) and submit.
    student.locator("#acc1-a1").get_by_label("R1", exact=True).check()
    student.get_by_role("button", name="Submit my answer").click()
    expect(student.locator("h1")).to_have_text("Your answer")
    scores = student.locator("dl.hint-scores")
    expect(scores).to_contain_text("hints used: 1")
    expect(scores).to_contain_text("each costs 5 points of a 100-point link score")
    # One of six key pairs, nothing extra: F1 = 2 / (2 + 0 + 5) = 0.2857; less 0.05.
    expect(student.locator("dl.scores").first).to_contain_text("link f1: 0.29")
    expect(scores).to_contain_text("score after hints: 0.24")
    student.screenshot(path=str(ARTIFACTS / "exercise-hint-result-1280.png"), full_page=True)
    student.set_viewport_size({"width": 390, "height": 844})
    student.screenshot(path=str(ARTIFACTS / "exercise-hint-result-390.png"), full_page=True)
    wide = student.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, f"the result page scrolls sideways at 390 px ({wide} px)"
    page.goto(f"{url}/dashboard")
    expect(page.locator("table.figures").first).to_contain_text("hints used")
    page.set_viewport_size({"width": 1280, "height": 720})
    page.screenshot(path=str(ARTIFACTS / "exercise-hint-dashboard-1280.png"), full_page=True)
    assert not errors, errors


def test_phrase_questions_answered_by_keyboard_at_390_px(
    live_server: LiveServer, page: Page, browser: Browser
) -> None:
    log_in(page, live_server.base, USER, PASSWORD)
    code, _ = _set(
        page,
        live_server.base,
        "predict the order",
        {
            "Record from R": "8",
            "to R": "9",
            "Phrase-order questions (for an order task; up to 10, one a line: phrase A | "
            "phrase B, each word for word from the record)": "pinnacle of the temple | "
            "exceedingly high mountain",
        },
    )
    student, errors = _student(browser, 390)
    student.goto(f"{live_server.base}/x/{code}")
    question = student.locator("#phrase-1")
    expect(question).to_contain_text("does “pinnacle of the temple” come before")
    # Keyboard only: Tab to the record's radio group, Space picks "before"; the arrow key
    # moves the account's choice from "before" to "after".
    question.get_by_label("before").first.focus()
    student.keyboard.press("Space")
    luke = question.locator("fieldset.phrase-text").nth(1)
    luke.get_by_label("before").focus()
    student.keyboard.press("Space")
    student.keyboard.press("ArrowRight")
    expect(luke.get_by_label("after")).to_be_checked()
    expect(question.get_by_label("before").first).to_be_checked()
    question.scroll_into_view_if_needed()
    student.screenshot(path=str(ARTIFACTS / "exercise-phrases-390.png"), full_page=True)
    wide = student.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, f"the task page scrolls sideways at 390 px ({wide} px)"
    student.get_by_role("button", name="Submit my answer").click()
    expect(student.locator("dl.phrase-scores")).to_contain_text(
        "You answered 2 of 2 order questions as the key does"
    )
    student.set_viewport_size({"width": 1280, "height": 720})
    student.screenshot(path=str(ARTIFACTS / "exercise-phrases-result-1280.png"), full_page=True)
    assert not errors, errors


def test_without_scripts_a_hint_reloads_the_page_and_is_charged(
    live_server: LiveServer, page: Page, browser: Browser
) -> None:
    log_in(page, live_server.base, USER, PASSWORD)
    code, _ = _set(
        page,
        live_server.base,
        "align and label",
        {
            "Record from R": "1",
            "to R": "4",
            "Account from A": "1",
            "to A": "6",
            "shown on request, each costs points (set below; align and label)": "check",
            "Points one hint costs (1 to 100, of a 100-point link score)": "10",
        },
    )
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    student = context.new_page()
    student.goto(f"{live_server.base}/x/{code}")
    buttons = student.locator("button.hint-button")
    before = buttons.count()
    numbers = [buttons.nth(k).get_attribute("data-sentence") for k in range(2)]
    for number in numbers:  # each press posts the form and comes back with the hint
        student.get_by_role("button", name=f"Show a hint for A{number} (costs 10 points)").click()
        expect(student.locator(f"#acc1-hint-{number}")).to_contain_text(
            "Hint: the machine suggests R"
        )
    expect(student.locator("#hint-status")).to_have_text(
        "Hints used so far: 2 hints, 20 points off your link score (of 100)."
    )
    assert student.locator("button.hint-button").count() == before - 2
    student.screenshot(path=str(ARTIFACTS / "exercise-hint-nojs-390.png"), full_page=True)
    wide = student.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, f"the task page scrolls sideways at 390 px ({wide} px)"
    for sentence, record in ((1, "R1"), (2, "R1"), (3, "R2")):  # 3 of the 6 key pairs
        student.locator(f"#acc1-a{sentence}").get_by_label(record, exact=True).check()
    student.get_by_role("button", name="Submit my answer").click()
    # F1 = 2*3 / (6 + 0 + 3) = 0.667; less 2 x 0.10 = 0.467.
    expect(student.locator("dl.scores").first).to_contain_text("link f1: 0.67")
    expect(student.locator("dl.hint-scores")).to_contain_text("score after hints: 0.47")
    context.close()


def test_two_accounts_each_with_their_own_hints_at_390_px(
    live_server: LiveServer, page: Page, browser: Browser
) -> None:
    log_in(page, live_server.base, USER, PASSWORD)
    page.goto(f"{live_server.base}/dossiers/paul-conversion/exercises")
    page.get_by_label("align and label", exact=True).check()
    page.locator('input[name="accounts"][value="paul-acts-22"]').check()
    page.locator('input[name="accounts"][value="paul-acts-26"]').check()
    page.get_by_label("Record from R").fill("1")
    page.get_by_label("to R", exact=True).fill("8")
    page.get_by_label("Account from A").fill("1")
    page.get_by_label("to A", exact=True).fill("10")
    page.get_by_label("shown on request, each costs points (set below; align and label)").check()
    page.get_by_label("Points one hint costs (1 to 100, of a 100-point link score)").fill("5")
    page.get_by_role("button", name="Open the exercise").click()
    code = page.locator("#ex-code").inner_text()
    student, errors = _student(browser, 390)
    student.goto(f"{live_server.base}/x/{code}")
    before = student.locator("#acc1-part button.hint-button").count()
    assert before >= 1
    second = student.locator("#acc2-part button.hint-button").first
    number = second.get_attribute("data-sentence")
    assert second.get_attribute("data-part") == "2" and number is not None
    expect(second).to_contain_text(f"Show a hint for A{number} of Acts 26")
    second.click()
    expect(student.locator(f"#acc2-hint-{number}")).to_contain_text("the machine suggests R")
    expect(student.locator("#hint-status")).to_contain_text("1 hint, 5 points")
    # The first account's hints are its own: revealing Acts 26's took none of them.
    assert student.locator("#acc1-part button.hint-button").count() == before
    student.locator(f"#acc2-a{number}").scroll_into_view_if_needed()
    student.screenshot(path=str(ARTIFACTS / "exercise-hint-two-accounts-390.png"))
    wide = student.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, f"the task page scrolls sideways at 390 px ({wide} px)"
    assert not errors, errors
