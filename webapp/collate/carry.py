"""Carry people's marks (character spans) from one version of a text to the next.

>>> carry_span("Yeltsin spoke. Then he left.", "At noon Yeltsin spoke. Then he left.", 0, 14)
(8, 22)
>>> carry_span("Yeltsin spoke. Then he left.", "Then he left.", 0, 14) is None
True

A span is mapped through the edit (what stayed equal between the versions), and the
mapped span is accepted only if it still holds the same passage; otherwise the passage is
looked up in the new text and the occurrence nearest the mapped place wins; ``None`` when
it no longer occurs (the caller lists the mark for review).

Passages are compared with runs of white space collapsed to one space, so re-wrapped
lines or doubled spaces inside a passage do not lose a mark; any other change does. A
passage that began (ended) on a word boundary is only found on one: a mark on "cat" does
not move into "concatenate".

The edit is found with :class:`difflib.SequenceMatcher` (``autojunk=False``), coarse to
fine so that it stays fast on long texts: the common prefix and suffix are set aside, then
lines are matched, then sentences inside changed lines, words inside changed sentences and
characters inside changed words; a changed block too large for the next level is left
unmatched (its marks are then found by search).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher

from .model import Sentence

Span = tuple[int, int]
#: (old offset, new offset, length) of a stretch the two versions share.
_Block = tuple[int, int, int]

_SENTENCE = re.compile(r"[^.!?;\n]*(?:[.!?;]+|\n|$)\s*")
_WORD = re.compile(r"\S+\s*|\s+")
_SPACE = re.compile(r"\s+")
_TOKENIZERS: tuple[Callable[[str], list[str]], ...] = (
    lambda text: text.splitlines(keepends=True),
    lambda text: [t for t in _SENTENCE.findall(text) if t],
    _WORD.findall,
    list,
)
#: Work allowed for matching two versions, in pairs of equal tokens (see :func:`_cost`);
#: past it, what is left unmatched (texts that hardly share anything) is found by search.
_BUDGET = 1_000_000
#: Longest changed block (characters, either side) matched by lines, sentences, words and
#: characters: a long block that no sentence of the other side matches is new text, and
#: matching it word by word would cost much and find only chance matches.
_LARGEST = (10**12, 10**12, 20_000, 2_000)


def carry_span(old_text: str, new_text: str, start: int, end: int) -> Span | None:
    """Return where ``old_text[start:end]`` is in ``new_text``, or ``None`` if it is gone."""
    return carry_spans(old_text, new_text, [(start, end)])[0]


def carry_spans(old_text: str, new_text: str, spans: Sequence[Span]) -> list[Span | None]:
    """Carry many spans at once: the edit between the two texts is computed once."""
    for start, end in spans:
        if not 0 <= start < end <= len(old_text):
            raise ValueError(f"span ({start}, {end}) is not a passage of the old text")
    if old_text == new_text:
        return [(start, end) for start, end in spans]
    carrier = _Carrier(old_text, new_text)
    return [carrier.carry(start, end) for start, end in spans]


def sentences_for_spans(sentences: Sequence[Sentence], spans: Sequence[Span]) -> tuple[int, ...]:
    """Indices of the sentences that share a non-blank character with any of the spans.

    Used to find a stored decision's sentences again after the text was re-segmented.
    """
    starts = [s.start for s in sentences]
    found: set[int] = set()
    for start, end in spans:
        k = max(bisect_right(starts, start) - 1, 0)
        while k < len(sentences) and sentences[k].start < end:
            s = sentences[k]
            lo, hi = max(s.start, start), min(s.end, end)
            if lo < hi and s.text[lo - s.start : hi - s.start].strip():
                found.add(s.index)
            k += 1
    return tuple(sorted(found))


class _Carrier:
    """The edit between two versions of a text, and lookups of passages in the new one."""

    def __init__(self, old: str, new: str) -> None:
        self.old = old
        self.new = new
        self.blocks = _matching_blocks(old, new)
        self.block_starts = [a for a, _, _ in self.blocks]
        self._collapsed: tuple[str, list[int]] | None = None

    def carry(self, start: int, end: int) -> Span | None:
        """Map one span; fall back to the nearest occurrence of its passage."""
        passage = self.old[start:end]
        edges = _edges(self.old, start, end)
        new_start, new_end = self._map(start), self._map(end - 1)
        if new_start is not None and new_end is not None and new_start <= new_end:
            candidate = (new_start, new_end + 1)
            if _same(self.new[new_start : new_end + 1], passage) and self._fits(candidate, edges):
                return candidate
        return self._nearest(passage, edges, self._hint(start))

    def _map(self, offset: int) -> int | None:
        """The new offset of an old character that the edit kept, else ``None``."""
        k = bisect_right(self.block_starts, offset) - 1
        if k < 0:
            return None
        a, b, size = self.blocks[k]
        return b + offset - a if offset < a + size else None

    def _hint(self, offset: int) -> int:
        """Where an old offset would be in the new text, if only roughly (for ranking)."""
        k = bisect_right(self.block_starts, offset) - 1
        if k < 0:
            return 0
        a, b, size = self.blocks[k]
        return b + min(offset - a, size)

    def _fits(self, span: Span, edges: tuple[bool, bool]) -> bool:
        """Whether a span of the new text starts/ends on word boundaries as the old one did."""
        start_inside, end_inside = _edges(self.new, *span)
        return (edges[0] or not start_inside) and (edges[1] or not end_inside)

    def _nearest(self, passage: str, edges: tuple[bool, bool], hint: int) -> Span | None:
        """The occurrence of ``passage`` (white space collapsed) nearest ``hint``, if any."""
        if self._collapsed is None:
            self._collapsed = _collapse(self.new)
        text, where = self._collapsed
        needle = _SPACE.sub(" ", passage)
        best: Span | None = None
        at = text.find(needle)
        while at >= 0:
            span = (where[at], where[at + len(needle) - 1] + 1)
            if span[0] > hint and best is not None and span[0] - hint >= abs(best[0] - hint):
                break
            if self._fits(span, edges) and (
                best is None or abs(span[0] - hint) < abs(best[0] - hint)
            ):
                best = span
            at = text.find(needle, at + 1)
        return best


def _same(found: str, passage: str) -> bool:
    """Whether two passages are equal up to runs of white space."""
    return found == passage or _SPACE.sub(" ", found) == _SPACE.sub(" ", passage)


def _edges(text: str, start: int, end: int) -> tuple[bool, bool]:
    """Whether the span starts / ends inside a word of ``text``."""
    start_inside = 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum()
    end_inside = 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum()
    return start_inside, end_inside


def _collapse(text: str) -> tuple[str, list[int]]:
    """``text`` with white-space runs as one space, and each character's original offset."""
    parts: list[str] = []
    where: list[int] = []
    for match in re.finditer(r"\s+|\S+", text):
        if match.group()[0].isspace():
            parts.append(" ")
            where.append(match.start())
        else:
            parts.append(match.group())
            where.extend(range(match.start(), match.end()))
    return "".join(parts), where


def _matching_blocks(old: str, new: str) -> list[_Block]:
    """Stretches both versions share, in order, as (old offset, new offset, length)."""
    prefix = _common_prefix(old, new)
    suffix = _common_prefix(old[prefix:][::-1], new[prefix:][::-1])
    blocks: list[_Block] = [(0, 0, prefix)] if prefix else []
    middle_old, middle_new = old[prefix : len(old) - suffix], new[prefix : len(new) - suffix]
    _Matcher(blocks).match(middle_old, middle_new, prefix, prefix, 0)
    if suffix:
        blocks.append((len(old) - suffix, len(new) - suffix, suffix))
    return blocks


def _common_prefix(a: str, b: str) -> int:
    """Length of the common prefix, by bisection on slices (fast on long texts)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


class _Matcher:
    """Coarse-to-fine matching of two texts within a budget of difflib work."""

    def __init__(self, out: list[_Block]) -> None:
        self.out = out
        self.budget = _BUDGET

    def match(self, old: str, new: str, at_old: int, at_new: int, level: int) -> None:
        """Append the shared stretches of ``old`` and ``new``, matching tokens of ``level``."""
        if not old or not new or max(len(old), len(new)) > _LARGEST[level]:
            return
        a, b = _TOKENIZERS[level](old), _TOKENIZERS[level](new)
        # Characters must not be junked (in a long block every letter is "popular"); a
        # token that is popular (a blank line, "the") only cannot start a match.
        by_char = level == len(_TOKENIZERS) - 1
        self.budget -= _cost(a, b, popular=not by_char)
        if self.budget < 0:
            return
        offsets_a, offsets_b = _offsets(a), _offsets(b)
        matcher = SequenceMatcher(None, a, b, autojunk=not by_char)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            oa, ob = at_old + offsets_a[i1], at_new + offsets_b[j1]
            if tag == "equal":
                self.out.append((oa, ob, offsets_a[i2] - offsets_a[i1]))
            elif tag == "replace" and not by_char:
                chunk_a = old[offsets_a[i1] : offsets_a[i2]]
                chunk_b = new[offsets_b[j1] : offsets_b[j2]]
                self.match(chunk_a, chunk_b, oa, ob, level + 1)


def _cost(a: list[str], b: list[str], popular: bool) -> int:
    """Pairs of equal tokens across the sides that may start a match (difflib's work).

    With ``popular``, tokens that difflib's autojunk ignores (more than 1% of a side of
    200 tokens or more) do not count.
    """
    counts = Counter(b)
    limit = len(b) // 100 + 1 if popular and len(b) >= 200 else len(b)
    return len(a) + sum(n for n in map(counts.__getitem__, a) if n <= limit)


def _offsets(tokens: list[str]) -> list[int]:
    """Start offset of each token, plus the total length."""
    out = [0]
    for token in tokens:
        out.append(out[-1] + len(token))
    return out
