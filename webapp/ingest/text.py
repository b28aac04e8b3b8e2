"""Read UTF-8 plain text and Markdown, refusing what is not text with a clear reason.

>>> decode_text(b"\\xef\\xbb\\xbfOne.\\r\\nTwo.", "a.txt")
'One.\\nTwo.'

The text returned is the text as stored: offsets of sentences refer to it. A byte-order
mark is dropped and line ends become ``\\n``; nothing else is changed, except that
Markdown is reduced to its plain text (markup is not part of what an account says).
"""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt

#: Share of control characters above which bytes are taken for a binary file.
_BINARY_CONTROL_SHARE = 0.02
_ALLOWED_CONTROLS = {"\n", "\t", "\f", "\r"}
#: The other control characters, counted by the regular expression engine (a 5 MB text in
#: a few milliseconds, where a loop in Python takes a second).
_CONTROLS = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in range(32) if chr(c) not in _ALLOWED_CONTROLS) + "]"
)


class IngestError(ValueError):
    """A file could not be read as text; the message names the file and the reason."""


class UnsupportedType(IngestError):
    """A file of a type that is not accepted, or whose content contradicts its name."""


def read_text(path: str | Path) -> str:
    """Read a ``.txt`` or ``.md`` file as UTF-8 text, or raise :class:`IngestError`."""
    p = Path(path)
    if not p.exists():
        raise IngestError(f"{p}: no such file")
    if p.is_dir():
        raise IngestError(f"{p}: is a directory, not a text file")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise IngestError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    text = decode_text(data, str(p))
    if p.suffix.lower() in {".md", ".markdown"}:
        text = markdown_to_text(text)
        if not text.strip():
            raise IngestError(f"{p}: the Markdown has no text")
    return text


def decode_text(data: bytes, name: str) -> str:
    """Decode bytes as UTF-8 text; refuse empty, binary or undecodable input."""
    if not data.strip():
        raise IngestError(f"{name}: the file is empty")
    if b"\x00" in data:
        raise IngestError(f"{name}: looks like a binary file (it contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"{name}: is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8 and try again"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = len(_CONTROLS.findall(text))
    if controls > _BINARY_CONTROL_SHARE * len(text):
        raise IngestError(f"{name}: looks like a binary file (control characters), not text")
    if not text.strip():
        raise IngestError(f"{name}: the file is empty")
    return text


def markdown_to_text(source: str) -> str:
    """Return the plain text of Markdown: one paragraph, heading or list item per block."""
    tokens = MarkdownIt("commonmark").parse(source)
    blocks: list[str] = []
    for token in tokens:
        if token.type == "inline":
            blocks.append(_inline_text(token.children or []))
        elif token.type in {"code_block", "fence"}:
            blocks.append(token.content.rstrip("\n"))
    return "\n\n".join(b for b in blocks if b.strip()) + "\n"


def _inline_text(children: list) -> str:  # type: ignore[type-arg]
    parts: list[str] = []
    for child in children:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append("\n")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)
