"""Find quoted spans in an account and look each one up in the record.

>>> from webapp.collate.normalize import Normalizer
>>> record = TokenStream.build(["He said, \\"a stroke of genius.\\""], Normalizer())
>>> record.find(Normalizer().words("stroke of genius")).status
'exact'

A quotation is ``exact`` when its normalised words occur contiguously in the record,
``close`` when at most a fifth of its words differ (four words or more), and
``not_found`` otherwise. Quoted words are compared unstemmed: "longer" is not "long".
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .model import Quote, Sentence
from .normalize import Normalizer

_DOUBLE_CURLY = re.compile(r"“([^“”]{1,2000}?)”")
_GUILLEMETS = re.compile(r"«\s?([^«»]{1,2000}?)\s?»")
_SINGLE_CURLY = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))‘([^‘’]{1,500}?[^\s])’(?![^\W_])")
_SINGLE_STRAIGHT = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–]))'([^\W_][^'\n]{0,500}?)'(?![^\W_])")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_EDGE_PUNCT = ".,;:!?…—–- \t\n"

#: The fraction of a quotation's words that may differ for it to count as ``close``.
CLOSE_FRACTION = 0.2
#: Quotations shorter than this must be exact.
CLOSE_MIN_WORDS = 4


@dataclass(frozen=True, slots=True)
class Match:
    """Where a run of words was found in the record, and how well."""

    status: str
    sentence: int | None
    similarity: float
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class TokenStream:
    """The record's normalised words in order, with an index for fast look-up."""

    words: tuple[str, ...]
    sentence_of: tuple[int, ...]
    positions: dict[str, list[int]]

    @classmethod
    def build(cls, sentences: Sequence[str], normalizer: Normalizer) -> TokenStream:
        """Index the words of the record sentences (given as strings, in order)."""
        return cls.from_words([normalizer.words(text) for text in sentences])

    @classmethod
    def from_words(cls, sentences: Sequence[Sequence[str]]) -> TokenStream:
        """Index the record's sentences given as normalised words (no second normalising)."""
        words: list[str] = []
        sentence_of: list[int] = []
        for index, forms in enumerate(sentences):
            words.extend(forms)
            sentence_of.extend([index] * len(forms))
        positions: dict[str, list[int]] = defaultdict(list)
        for pos, word in enumerate(words):
            positions[word].append(pos)
        return cls(tuple(words), tuple(sentence_of), dict(positions))

    def find(self, query: Sequence[str]) -> Match:
        """Return the best place of ``query`` (normalised words) in the record."""
        if not query:
            return Match("not_found", None, 0.0)
        best = (len(query) + 1, 0, 0)
        size = len(query)
        wanted = Counter(query)
        whole = tuple(query)
        slack = max(2, size // 4)
        for anchor in self._anchors(query):
            if anchor >= 0 and whole == self.words[anchor : anchor + size]:
                best = (0, anchor, anchor + size - 1)
                break
            # Each query word missing from the window costs an edit at least: a window
            # that cannot beat the best so far is not aligned (the result is the same).
            # A quick count of the window's words that are in the query comes first.
            window = self.words[max(0, anchor - slack) : anchor + size + slack]
            if size - sum(1 for w in window if w in wanted) >= best[0]:
                continue
            if size - sum((wanted & Counter(window)).values()) >= best[0]:
                continue
            distance, start, end = self._best_in_window(query, anchor)
            if distance < best[0]:
                best = (distance, start, end)
            if distance == 0:
                break
        distance, start, end = best
        similarity = max(0.0, 1.0 - distance / len(query))
        if distance == 0:
            status = "exact"
        elif len(query) >= CLOSE_MIN_WORDS and distance <= CLOSE_FRACTION * len(query):
            status = "close"
        else:
            return Match("not_found", None, similarity)
        return Match(status, self.sentence_of[start], similarity, start, end)

    def _anchors(self, query: Sequence[str]) -> Iterator[int]:
        """Yield record positions where the query could start, rarest words first."""
        present = sorted(
            {(len(self.positions[w]), k, w) for k, w in enumerate(query) if w in self.positions}
        )
        seen: set[int] = set()
        for _, offset, word in present[:2]:
            for pos in self.positions[word][:100]:
                start = pos - offset
                if start not in seen:
                    seen.add(start)
                    yield start

    def _window(self, size: int, start: int) -> tuple[int, int]:
        """Bounds of the record words searched for a query of ``size`` words at ``start``."""
        slack = max(2, size // 4)
        return max(0, start - slack), min(len(self.words), start + size + slack)

    def _best_in_window(self, query: Sequence[str], start: int) -> tuple[int, int, int]:
        """Semi-global edit distance of the query inside a window around ``start``."""
        lo, hi = self._window(len(query), start)
        window = self.words[lo:hi]
        # prev[j]: cost of aligning the query prefix ending at window[j-1]; free start.
        prev = [0] * (len(window) + 1)
        origin = list(range(len(window) + 1))
        for k, word in enumerate(query, start=1):
            cur = [k] * (len(window) + 1)
            cur_origin = [0] * (len(window) + 1)
            for j, other in enumerate(window, start=1):
                options = (
                    (prev[j - 1] + (word != other), origin[j - 1]),
                    (prev[j] + 1, origin[j]),
                    (cur[j - 1] + 1, cur_origin[j - 1]),
                )
                cur[j], cur_origin[j] = min(options)
            prev, origin = cur, cur_origin
        end = min(range(len(window) + 1), key=lambda j: (prev[j], -j))
        begin = origin[end]
        return prev[end], lo + begin, lo + max(end, begin + 1) - 1


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of the words inside each quotation, in text order.

    Straight double quotes are paired within a paragraph; an unpaired one is ignored.
    Single quotes count only where they cannot be apostrophes.
    """
    spans = [m.span(1) for m in _DOUBLE_CURLY.finditer(text)]
    spans += [m.span(1) for m in _GUILLEMETS.finditer(text)]
    spans += _straight_double(text)
    inside = sorted(spans)
    for pattern in (_SINGLE_CURLY, _SINGLE_STRAIGHT):
        for m in pattern.finditer(text):
            a, b = m.span(1)
            if not any(s <= a and b <= e for s, e in inside):
                spans.append((a, b))
    return sorted(_strip(text, a, b) for a, b in spans if _strip(text, a, b)[0] < b)


def _straight_double(text: str) -> list[tuple[int, int]]:
    """Pair straight double quotes paragraph by paragraph."""
    spans: list[tuple[int, int]] = []
    start = 0
    for para_end in [m.start() for m in _PARAGRAPH.finditer(text)] + [len(text)]:
        marks = [i for i in range(start, para_end) if text[i] == '"']
        spans.extend((marks[k] + 1, marks[k + 1]) for k in range(0, len(marks) - 1, 2))
        start = para_end
    return spans


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop punctuation and spaces at the edges of a quoted span."""
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCT:
        end -= 1
    return start, end


def check_quotes(
    text: str,
    sentences: Sequence[Sentence],
    record: TokenStream,
    normalizer: Normalizer,
) -> tuple[Quote, ...]:
    """Look up every quotation of a witness text in the record."""
    starts = [s.start for s in sentences]
    quotes: list[Quote] = []
    for start, end in quoted_spans(text):
        words = normalizer.words(text[start:end])
        if not words:
            continue
        match = record.find(words)
        witness = _sentence_at(starts, start)
        # The record's own (normalised) words, shown beside the quotation.
        found = (
            " ".join(record.words[match.start : match.end + 1])
            if match.sentence is not None
            else ""
        )
        quotes.append(
            Quote(
                witness=witness,
                start=start,
                end=end,
                text=text[start:end],
                status=match.status,
                source=match.sentence,
                similarity=match.similarity,
                match=found,
            )
        )
    return tuple(quotes)


def _sentence_at(starts: Sequence[int], offset: int) -> int:
    """Index of the sentence that contains ``offset`` (by sentence starts)."""
    lo, hi = 0, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= offset:
            lo = mid + 1
        else:
            hi = mid
    return max(0, lo - 1)
