"""People's notes: Markdown-like source in, safe HTML out, through one sanitiser.

Notes are stored as the source text people typed. The only HTML ever shown is what
:func:`render_note` returns: Markdown rendered with raw HTML disabled, then cleaned by
bleach against a small allow-list (so even a bug in the renderer cannot let a script or an
event handler through), links given ``rel="nofollow noopener"``.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from functools import cache

import bleach
from bleach.linkifier import Linker
from markdown_it import MarkdownIt
from markupsafe import Markup

from .errors import Refused

#: Longest note accepted, in characters.
MAX_NOTE = 20_000
#: The HTML a note may contain after rendering; everything else is removed or escaped.
ALLOWED_TAGS = frozenset(
    {"p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


class NoteError(Refused):
    """A note was refused (too long); the message says why."""


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")


Attrs = MutableMapping[tuple[str | None, str], str]


def _rel(attrs: Attrs, new: bool = False) -> Attrs:
    """Links in notes are not endorsed and cannot reach back to this page."""
    attrs[(None, "rel")] = "nofollow noopener"
    return attrs


def check_note(text: str) -> str:
    """The note as stored: line ends normalised, surrounding blank space removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > MAX_NOTE:
        raise NoteError(f"a note has at most {MAX_NOTE} characters")
    return text


def sanitize_html(html: str) -> Markup:
    """Clean HTML against the allow-list: the one function every shown note passes."""
    cleaned = bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
    linked = Linker(callbacks=[_rel]).linkify(cleaned)
    return Markup(linked)  # noqa: S704 -- cleaned by bleach just above


def render_note(text: str) -> Markup:
    """Render a note's Markdown-like source as safe HTML ("" for no note)."""
    if not text.strip():
        return Markup("")
    return sanitize_html(_markdown().render(text))
