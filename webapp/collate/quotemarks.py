"""Find the quoted spans of a text: marks paired locally, never across a paragraph.

>>> text = 'He said "one thing." Then \\'another\\', «a third» and „a fourth“.'
>>> [text[a:b] for a, b in quoted_spans(text)]
['one thing', 'another', 'a third', 'a fourth']

Marks are paired left to right. A quotation stays inside one paragraph (a blank line
ends it) and runs over at most :data:`MAX_QUOTE_SENTENCES` sentences and
:data:`MAX_QUOTE_WORDS` words: an opening mark with no partner within those bounds is
unpaired and ignored (scanned and OCR'd texts drop marks; a lone mark must not swallow
the text after it), and so is a closing mark with nothing open.

Straight marks open before a word (after a space, a bracket, a dash or the start) and
close after one (before a space, punctuation or the end). English curly quotes, „German“
and ‚German‘ low quotes, «French» and »German« guillemets and ‹single› guillemets pair
with their own closers. A single mark inside a word is an apostrophe (don't, Yeltsin's),
and single quotes inside a double-quoted span belong to that quotation.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

#: A quotation runs over this many sentences at most (a longer "quotation" is a lost mark).
MAX_QUOTE_SENTENCES = 3
#: ... and this many words at most (a bound also where sentence ends are missing).
MAX_QUOTE_WORDS = 120

_DOUBLE = '"“”„«»'
_SINGLE = "'‘’‚‹›"
_OPEN_AFTER = "([{<—–-/" + _DOUBLE + _SINGLE
_DOUBLE_MARK = re.compile("[" + _DOUBLE + "]")
_SINGLE_MARK = re.compile("[" + _SINGLE + "]")
_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n")
_WORD = re.compile(r"\w+")
_BRACKET = re.compile(r"[()\[\]]")
# A sentence ends at . ! ? … (and any closing marks) before a space and an upper-case
# letter; the boundary is the space (group 1), so a mark on either side stays outside it.
SENTENCE_END = re.compile(r"[.!?…][\"'”’»›)\]]*(\s+)[\"'“‘„‚«»‹›(\[]*(?=\w)")
_EDGE_PUNCT = ".,;:!?…—–- \t\n\r"


class _Bounds:
    """Where the paragraphs, words and sentence ends of a text lie, for fast bound checks;
    found on the first check (a text with no pair of marks, however long, is not read)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.paragraphs: list[int] | None = None
        self.words: list[int] = []
        self.ends: list[int] = []

    def fits(self, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` may be one quotation."""
        if self.paragraphs is None:
            text = self.text
            self.paragraphs = [m.start() for m in _PARAGRAPH.finditer(text)]
            self.words = [m.start() for m in _WORD.finditer(text)]
            ends = SENTENCE_END.finditer(text)
            self.ends = [m.start(1) for m in ends if text[m.end()].isupper()]
        return (
            _count(self.paragraphs, start, end) == 0
            and _count(self.words, start, end) <= MAX_QUOTE_WORDS
            and _count(self.ends, start, end) < MAX_QUOTE_SENTENCES
        )


def _count(points: Sequence[int], start: int, end: int) -> int:
    """How many of the sorted ``points`` lie in ``[start, end)``."""
    return bisect_left(points, end) - bisect_left(points, start)


def _opening(text: str, i: int) -> bool:
    """A mark that stands before a word: after a space, a bracket, a dash or the start."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in _OPEN_AFTER) and not after.isspace()


def _closing(text: str, i: int) -> bool:
    """A mark that stands after a word: before a space, punctuation or the end."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and not after.isalnum()


def _closers(text: str, i: int) -> str:
    """The marks that close a quotation opened by ``text[i]`` ("" if it opens none)."""
    mark = text[i]
    if mark in "«„":
        return "»" if mark == "«" else "“”"
    if mark in "‹‚":
        return "›" if mark == "‹" else "‘’"
    if not _opening(text, i):
        return ""
    after = text[i + 1]
    closers = {'"': '"”', "“": '”“"', "”": "”", "»": "«", "›": "‹", "‘": "’'", "'": "'’"}
    if mark in "'‘" and not after.isalnum():
        return ""  # a single mark opens only right before a letter or digit
    return closers.get(mark, "")


def _closes(text: str, i: int, closers: str) -> bool:
    """Whether ``text[i]`` closes a quotation whose closing marks are ``closers``."""
    if text[i] not in closers:
        return False
    return text[i] in "”»›«‹" or _closing(text, i)


def _pair(text: str, marks: Sequence[int], bounds: _Bounds) -> list[tuple[int, int]]:
    """Pair the marks of one family (double or single) left to right, within the bounds."""
    spans: list[tuple[int, int]] = []
    opened, closers = -1, ""
    for i in marks:
        if opened >= 0 and _closes(text, i, closers):
            if bounds.fits(opened + 1, i):
                spans.append((opened + 1, i))
                opened = -1
                continue
            opened = -1  # too far: that opening mark was unpaired
        mark_closers = _closers(text, i)
        if mark_closers:  # a new opening mark replaces an unpaired one
            opened, closers = i, mark_closers
    return spans


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of the words inside each quotation, in text order."""
    pairs, _ = _all_pairs(text)
    stripped = (_strip(text, a, b) for a, b in pairs)
    return sorted((a, b) for a, b in stripped if _WORD.search(text, a, b))


def unpaired_marks(text: str) -> list[int]:
    """Where the quotation marks lie that open or close no quotation within the bounds.

    A single mark inside a word (an apostrophe: don't) or inside a double quotation is
    not listed; one after a word before a space (the Russians' view) is, when unpaired.
    A segmenter that pairs marks across sentences is told which ones (see :mod:`.segment`).
    """
    if not _DOUBLE_MARK.search(text) and not _SINGLE_MARK.search(text):
        return []
    pairs, singles = _all_pairs(text)
    paired = {i for a, b in pairs for i in (a - 1, b)}
    marks = [m.start() for m in _DOUBLE_MARK.finditer(text)]
    marks += [i for i in singles if not _inside_word(text, i)]
    return sorted(i for i in marks if i not in paired)


def overlong_brackets(text: str) -> list[int]:
    """Where the brackets lie, ( ) and [ ], of each pair whose inside exceeds the bounds.

    pysbd ends no sentence inside a pair of brackets, so an aside of a dozen sentences
    (a translator's note, "(The President then reviewed ...)") would be one sentence. An
    aside within the quotation bounds stays whole, as a short quotation does; the marks of
    a longer one are listed, for the segmenter to read as spaces (see :mod:`.segment`).
    Brackets pair by kind, innermost first; an unclosed one pairs nothing.
    """
    if "(" not in text and "[" not in text:
        return []
    bounds = _Bounds(text)
    out: list[int] = []
    opened: dict[str, list[int]] = {"(": [], "[": []}
    for m in _BRACKET.finditer(text):
        mark, i = m.group(), m.start()
        if mark in opened:
            opened[mark].append(i)
            continue
        stack = opened["(" if mark == ")" else "["]
        if stack:
            start = stack.pop()
            if not bounds.fits(start + 1, i):
                out += (start, i)
    return sorted(out)


def single_mark_role(text: str, i: int) -> str:
    """What the straight or curly single mark at ``i`` is by its shape alone: ``"word"``
    inside a word (an apostrophe: don't), ``"open"`` before a letter or digit after a
    space, bracket, dash or the start, ``"close"`` after a word before a space,
    punctuation or the end (also a plural possessive: the Russians'), else ``""``."""
    if _inside_word(text, i):
        return "word"
    after = text[i + 1] if i + 1 < len(text) else " "
    if _opening(text, i) and after.isalnum():
        return "open"
    return "close" if _closing(text, i) else ""


def _inside_word(text: str, i: int) -> bool:
    """Whether the mark at ``i`` has a letter or digit on both sides."""
    return 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()


def _all_pairs(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """``(just after the opening mark, at the closing mark)`` of every pair of both
    families, and where the single marks outside double quotations lie."""
    bounds = _Bounds(text)
    double = _pair(text, [m.start() for m in _DOUBLE_MARK.finditer(text)], bounds)
    outer = sorted(double)
    starts = [a for a, _ in outer]

    def inside_double(i: int) -> bool:
        k = bisect_left(starts, i + 1) - 1  # the last double span starting at or before i
        return k >= 0 and outer[k][0] - 1 <= i <= outer[k][1]

    singles = [m.start() for m in _SINGLE_MARK.finditer(text) if not inside_double(m.start())]
    return double + _pair(text, singles, bounds), singles


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop punctuation and spaces at the edges of a quoted span."""
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCT:
        end -= 1
    return start, end
