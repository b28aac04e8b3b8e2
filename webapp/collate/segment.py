"""Split a text into sentences with exact character offsets.

>>> [s.text for s in segment("Mr. Smith met Yeltsin. He left.")]
['Mr. Smith met Yeltsin.', 'He left.']

Invariants: ``text[s.start:s.end] == s.text`` for every sentence; sentences are in text
order, do not overlap, and carry no leading or trailing white space. The segmenter is
behind a small interface (:data:`SEGMENTERS`): pysbd by default (best on abbreviations,
initials, quotations and numbers), syntok when speed matters more, ``lines`` for
presegmented input (one sentence per line).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from .model import Sentence

Span = tuple[int, int]

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_TERMINAL = tuple(".!?:;…\"'”’)]")
_CLOSERS = "\"”’'»"


class SegmentationError(ValueError):
    """Raised for an unknown segmenter name."""


def segment(text: str, segmenter: str = "pysbd") -> tuple[Sentence, ...]:
    """Return the sentences of ``text`` found by the named segmenter."""
    try:
        split = SEGMENTERS[segmenter]
    except KeyError:
        names = ", ".join(sorted(SEGMENTERS))
        raise SegmentationError(f"unknown segmenter {segmenter!r} (choose {names})") from None
    spans = split(text) if segmenter == "lines" else list(_prose_spans(text, split))
    return tuple(
        Sentence(index=i, start=start, end=end, text=text[start:end])
        for i, (start, end) in enumerate(spans)
    )


def _prose_spans(text: str, split: Callable[[str], list[Span]]) -> Iterator[Span]:
    """Run ``split`` on each block of prose and shift its spans back into ``text``."""
    for block_start, block_end in _blocks(text):
        block = text[block_start:block_end]
        # Soft line breaks inside a block become spaces (same length, so offsets hold).
        flat = block.replace("\r\n", " \n").replace("\n", " ").replace("\r", " ")
        yield from _repair_quotes(
            text, [(block_start + a, block_start + b) for a, b in split(flat)]
        )


def _repair_quotes(text: str, spans: list[Span]) -> Iterator[Span]:
    """Give a closing quotation mark that a segmenter split off back to its sentence."""
    trimmed = [t for a, b in spans for t in _trimmed(text, a, b)]
    out: list[Span] = []
    for start, end in trimmed:
        while out and start < end and text[start] in _CLOSERS:
            after = text[start + 1 : start + 2]
            if after and not after.isspace() and after not in _TERMINAL:
                break
            out[-1] = (out[-1][0], start + 1)
            start += 1
            while start < end and text[start].isspace():
                start += 1
        if start < end:
            out.append((start, end))
    return iter(out)


def _trimmed(text: str, start: int, end: int) -> Iterator[Span]:
    """Yield ``(start, end)`` without surrounding white space, if anything is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end


def _blocks(text: str) -> Iterator[Span]:
    """Yield spans of text between hard breaks: blank lines, and headings or unwrapped lines.

    A block whose lines are hard-wrapped at a steady width (as in e-mail or OCR text) is
    kept whole; a short line in it without closing punctuation is a heading and stands
    alone. Outside wrapped blocks every line break ends a paragraph.
    """
    pos = 0
    for match in _BLANK_LINE.finditer(text):
        yield from _lines_of_block(text, pos, match.start())
        pos = match.end()
    yield from _lines_of_block(text, pos, len(text))


def _lines_of_block(text: str, start: int, end: int) -> Iterator[Span]:
    """Split one blank-line-delimited block at its hard line breaks."""
    lines: list[Span] = []
    pos = start
    for line in text[start:end].split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    lengths = [len(text[a:b].rstrip()) for a, b in lines]
    # A typical full line, not the longest: captions and tables make outliers.
    width = sorted(lengths)[int(0.8 * (len(lengths) - 1))]
    wrapped = len(lines) >= 3 and sum(n >= 0.7 * width for n in lengths) >= 0.6 * len(lines)
    if len(lines) == 2:
        first = text[lines[0][0] : lines[0][1]].rstrip()
        wrapped = len(first) >= 40 and not first.endswith(_TERMINAL)
    texts = [text[a:b].rstrip() for a, b in lines]
    # Short lines without closing punctuation are headings or captions: they stand alone.
    heading = [
        n < 0.6 * width and not t.endswith(_TERMINAL) for n, t in zip(lengths, texts, strict=False)
    ]
    current = lines[0][0]
    for i, (_, line_end) in enumerate(lines[:-1]):
        long_line = lengths[i] > 1.15 * width
        if not wrapped or heading[i] or heading[i + 1] or long_line:
            yield current, line_end
            current = line_end + 1
    yield current, lines[-1][1]


def _line_spans(text: str) -> list[Span]:
    """Treat each non-blank line as one sentence (the ``--presegmented`` format)."""
    spans: list[Span] = []
    pos = 0
    for line in text.split("\n"):
        spans.extend(_trimmed(text, pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _locate(block: str, pieces: list[str]) -> list[Span]:
    """Find each segment string in ``block`` in order and return its span."""
    spans: list[Span] = []
    cursor = 0
    for piece in pieces:
        needle = piece.strip()
        if not needle:
            continue
        found = block.find(needle, cursor)
        if found < 0:
            # The segmenter changed the text (it should not); keep what is left whole.
            spans.append((cursor, len(block)))
            return spans
        spans.append((found, found + len(needle)))
        cursor = found + len(needle)
    return spans


@lru_cache(maxsize=1)
def _pysbd_segmenter() -> object:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def _pysbd_spans(block: str) -> list[Span]:
    """Segment with pysbd, which handles abbreviations, initials and numbers well."""
    seg = _pysbd_segmenter()
    pieces: list[str] = seg.segment(block)  # type: ignore[attr-defined]
    return _locate(block, pieces)


def _syntok_spans(block: str) -> list[Span]:
    """Segment with syntok, about six times faster than pysbd and a little less exact."""
    from syntok import segmenter as syntok

    spans: list[Span] = []
    for paragraph in syntok.analyze(block):
        for sentence in paragraph:
            if not sentence:
                continue
            last = sentence[-1]
            spans.extend(_trimmed(block, sentence[0].offset, last.offset + len(last.value)))
    return spans


#: Named segmenters; each maps a block of prose (or, for ``lines``, a whole text) to spans.
SEGMENTERS: dict[str, Callable[[str], list[Span]]] = {
    "pysbd": _pysbd_spans,
    "syntok": _syntok_spans,
    "lines": _line_spans,
}
