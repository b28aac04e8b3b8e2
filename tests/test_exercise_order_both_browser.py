"""Real-browser test of the fourth phrase-order answer: a student picks "both" for an
account by keyboard (the record offers before / after only), at 390 and 1280 px, and the
result page says how it was marked. Screenshots in test-artifacts/.

Runs against its own ``memcon serve`` and database (see :mod:`tests.browser_support`).
"""

from __future__ import annotations

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
from tests.test_exercise_hints_browser import PASSWORD, USER, _set, _student
from tests.test_exercise_hints_browser import teacher as teacher  # autouse: the admin

#: The phrase-question field of the new-exercise form.
FIELD = (
    "Phrase-order questions (for an order task; up to 10, one a line: phrase A | "
    "phrase B, each word for word from the record)"
)


def test_a_student_answers_both_by_keyboard_at_390_and_1280_px(
    live_server: LiveServer, page: Page, browser: Browser
) -> None:
    log_in(page, live_server.base, USER, PASSWORD)
    fields = {"Record from R": "8", "to R": "9", FIELD: "pinnacle of the temple | forty days"}
    code, _ = _set(page, live_server.base, "predict the order", fields)
    for width in (390, 1280):
        student, errors = _student(browser, width)
        student.goto(f"{live_server.base}/x/{code}")
        question = student.locator("#phrase-1")
        record, luke = question.locator("fieldset.phrase-text").all()
        expect(record.get_by_role("radio")).to_have_count(2)
        expect(luke.get_by_role("radio")).to_have_count(4)
        # Keyboard only: Space picks the account's "before", two arrows move to "both".
        luke.get_by_label("before").focus()
        student.keyboard.press("Space")
        student.keyboard.press("ArrowRight")
        student.keyboard.press("ArrowRight")
        expect(luke.get_by_label("both (told twice, in both orders)")).to_be_checked()
        question.scroll_into_view_if_needed()
        student.screenshot(path=str(ARTIFACTS / f"exercise-phrases-both-{width}.png"))
        wide = student.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"the task page scrolls sideways at {width} px ({wide} px)"
        student.get_by_role("button", name="Submit my answer").click()
        # The bundled key tells R6 once in Luke, after R2: "both" is marked wrong there.
        expect(student.locator("dl.phrase-scores")).to_contain_text(
            "You answered 0 of 2 order questions as the key does"
        )
        expect(student.locator("table.breakdown").last).to_contain_text(
            "both (told twice, in both orders) (wrong)"
        )
        student.screenshot(
            path=str(ARTIFACTS / f"exercise-phrases-both-result-{width}.png"), full_page=True
        )
        assert not errors, errors
        student.context.close()
