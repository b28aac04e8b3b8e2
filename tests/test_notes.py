"""The one sanitiser of people's notes: Markdown in, only allow-listed HTML out."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.notes import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    MAX_NOTE,
    NoteError,
    check_note,
    render_note,
    sanitize_html,
)

XSS = Path(__file__).parent / "data" / "xss" / "xss-payload-list.txt"
PAYLOADS = [line for line in XSS.read_text(encoding="utf-8", errors="replace").splitlines() if line]


class Elements(HTMLParser):
    """Every element and attribute of a fragment, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


def assert_safe(html: str) -> None:
    parser = Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, (tag, html)
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES.get(tag, []), (tag, name, html)
            if name == "href":
                # As a browser reads a URL: control characters and white space dropped.
                url = "".join(c for c in (value or "") if c.isprintable() and not c.isspace())
                head = url.split(":", 1)[0].lower() if ":" in url else ""
                # Only a well-formed scheme is one; "j&#97vascript:" is a relative URL.
                scheme = head if re.fullmatch(r"[a-z][a-z0-9+.-]*", head) else ""
                assert scheme in {"", "http", "https", "mailto"}, html


def test_markdown_is_rendered() -> None:
    html = render_note("A **bold** and *quiet* note with `code`.\n\n- one\n- two")
    assert "<strong>bold</strong>" in html and "<em>quiet</em>" in html
    assert "<code>code</code>" in html and "<li>one</li>" in html


def test_links_are_kept_with_safe_protocols_and_marked_nofollow() -> None:
    html = render_note("[the memcon](https://nsarchive.gwu.edu/x) and https://example.org")
    assert 'href="https://nsarchive.gwu.edu/x"' in html and 'rel="nofollow noopener"' in html
    assert html.count("<a ") == 2
    assert "<a" not in render_note("[x](javascript:alert(1))")
    assert "<a" not in render_note("[x](data:text/html,<script>alert(1)</script>)")


def test_script_in_a_note_is_shown_as_text() -> None:
    html = render_note("<script>alert(1)</script> says **who**")
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<strong>who</strong>" in html


def test_raw_html_that_bleach_must_clean() -> None:
    """The second line of defence on its own: HTML that did not come from Markdown."""
    html = sanitize_html(
        '<p onclick="x()">hi<img src=x onerror=alert(1)><a href="javascript:x">y</a></p>'
    )
    assert_safe(html)
    assert "onclick" not in html and "onerror" not in html and "javascript" not in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_xss_payload_is_harmless(payload: str) -> None:
    assert_safe(render_note(payload))
    assert_safe(sanitize_html(payload))


@given(st.text(max_size=300))
def test_any_text_renders_safely(text: str) -> None:
    assert_safe(render_note(text))


def test_notes_have_a_length_limit() -> None:
    assert check_note(" a\r\nb ") == "a\nb"
    with pytest.raises(NoteError, match=f"at most {MAX_NOTE} characters"):
        check_note("x" * (MAX_NOTE + 1))
