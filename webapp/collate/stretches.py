"""Hand a sentence segmenter bounded stretches of a long block, with the same sentences.

Rule-based segmenters look at a whole block at once: pysbd pairs quotation marks and
brackets across it (its patterns rescan to the end of the block from every unclosed
mark) and an unclosed mark can hide every sentence end up to the next mark. So a block
longer than :data:`MAX_STRETCH` characters is segmented window by window:

* a window ends just after a possible sentence end (closing punctuation and white space),
  preferably one outside quotation marks and brackets as pysbd pairs them over the block;
* of a window's sentences all but the last are kept (all before the last one that starts
  outside quotation marks and brackets); the next window starts there, so that sentence
  is decided again with what follows it, and the marks pair as in the whole block;
* if nothing in the window could end a sentence, the stretch up to the next possible end
  is one sentence, and the segmenter is not asked.

Segmenters decide sentence ends from nearby text, so on ordinary prose the sentences are
those of the whole block. Only a sentence of more than about half a window, or a window
where quotation marks stay open throughout, may be cut at a possible end. Every call sees
at most ``MAX_STRETCH`` characters, so a block costs time in proportion to its length.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable

Span = tuple[int, int]
SpanFinder = Callable[[str], list[Span]]

#: Longest stretch of text handed to a segmenter in one call, in characters: some 1,700
#: words, longer than nearly every paragraph of prose; windows of half this size already
#: gave pysbd's own sentences on 39 books of three Bible translations, chapters as paragraphs.
MAX_STRETCH = 10_000

#: A possible sentence end: closing punctuation (pysbd's own marks among it), then space.
_POSSIBLE_END = re.compile(r"[.!?…。．！？]+[\"'”’)\]»]*\s+")
#: Marks pysbd pairs each with the next closing one (straight quotes and parentheses apart).
_PAIRS = (("“", "”"), ("[", "]"), ("«", "»"))


def bounded_spans(find: SpanFinder, block: str, limit: int = MAX_STRETCH) -> list[Span]:
    """``find(block)``, asking ``find`` about at most ``limit`` characters at a time."""
    if len(block) <= limit:
        return find(block)
    ends = [m.end() for m in _POSSIBLE_END.finditer(block)]
    quoted = _Quoted(block)
    spans: list[Span] = []
    pos = 0
    while len(block) - pos > limit:
        cut = _window_end(ends, quoted, pos, limit)
        if cut is None:  # nothing in the window could end a sentence
            after = bisect_right(ends, pos + limit)
            cut = ends[after] if after < len(ends) else len(block)
            spans.extend(_trimmed(block, pos, cut))
        else:
            found = [(pos + a, pos + b) for a, b in find(block[pos:cut])]
            keep = _kept(found, quoted, pos + limit // 4)
            spans.extend(found[:keep])
            cut = found[keep][0] if keep < len(found) else cut
        pos = cut
    if block[pos:].strip():
        spans.extend((pos + a, pos + b) for a, b in find(block[pos:]))
    return spans


def _kept(found: list[Span], quoted: _Quoted, least: int) -> int:
    """How many of a window's sentences to keep: all before the last sentence start that
    lies outside quotation marks and brackets, so the next window starts there; all of
    them if there is no such start at ``least`` or later (the window makes no progress)."""
    for k in range(len(found) - 1, 0, -1):
        if found[k][0] < least:
            break
        if not quoted.inside(found[k][0]):
            return k
    return len(found)


def _window_end(ends: list[int], quoted: _Quoted, pos: int, limit: int) -> int | None:
    """Where the window from ``pos`` ends: the last possible sentence end within ``limit``
    outside quotation marks and brackets (in the window's second half), else the last."""
    first = bisect_right(ends, pos)
    last = bisect_right(ends, pos + limit)
    if first == last:
        return None
    candidates = ends[first:last]
    start = bisect_left(candidates, pos + limit // 2)
    outside = (e for e in reversed(candidates[start:]) if not quoted.inside(e))
    return next(outside, candidates[-1])


class _Quoted:
    """The stretches of a block that pysbd treats as quoted or bracketed, as it pairs marks.

    pysbd pairs each straight double quote with the next one; ``“`` with the next ``”``
    (likewise ``[ ]`` and ``« »``); and ``(`` with a ``)`` that follows with no parenthesis
    between. A window that starts and ends outside all of them pairs its marks as the
    whole block does.
    """

    def __init__(self, block: str) -> None:
        pairs = [*_straight_pairs(block), *_paren_pairs(block)]
        for opening, closing in _PAIRS:
            pairs.extend(_next_close_pairs(block, opening, closing))
        self._spans = _merged(pairs)
        self._starts = [a for a, _ in self._spans]

    def inside(self, pos: int) -> bool:
        """Whether the text from ``pos`` on begins within a quoted or bracketed stretch."""
        k = bisect_left(self._starts, pos) - 1
        return k >= 0 and pos <= self._spans[k][1]


def _straight_pairs(block: str) -> list[Span]:
    """(index of the opening mark, index of the closing one) of each straight quote pair."""
    marks = [m.start() for m in re.finditer('"', block)]
    return list(zip(marks[0::2], marks[1::2], strict=False))


def _next_close_pairs(block: str, opening: str, closing: str) -> list[Span]:
    """Pairs of an ``opening`` mark with the next ``closing`` one (``“ ”``, ``[ ]``)."""
    pairs: list[Span] = []
    pos = block.find(opening)
    while pos >= 0:
        end = block.find(closing, pos + 1)
        if end < 0:
            break
        pairs.append((pos, end))
        pos = block.find(opening, end + 1)
    return pairs


def _paren_pairs(block: str) -> list[Span]:
    """Pairs of parentheses with no parenthesis between them."""
    return [(m.start(), m.end() - 1) for m in re.finditer(r"\([^()]*\)", block)]


def _merged(pairs: list[Span]) -> list[Span]:
    """Sorted, disjoint spans covering the same positions as ``pairs``."""
    merged: list[Span] = []
    for start, end in sorted(pairs):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _trimmed(block: str, start: int, end: int) -> list[Span]:
    """``[(start, end)]`` without surrounding white space, or nothing if only space."""
    while start < end and block[start].isspace():
        start += 1
    while end > start and block[end - 1].isspace():
        end -= 1
    return [(start, end)] if start < end else []
