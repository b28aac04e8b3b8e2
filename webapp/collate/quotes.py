"""Look up each quotation of an account in the record: exact, altered or not found.

>>> from webapp.collate.normalize import Normalizer
>>> record = TokenStream.build(["He said, \\"a stroke of genius.\\""], Normalizer())
>>> record.find(Normalizer().words("stroke of genius")).status
'exact'
>>> altered = record.find(Normalizer().words("he said a flash of genius"))
>>> altered.status, [(c.record, c.account) for c in altered.changes]
('altered', [('stroke', 'flash')])

A quotation is ``exact`` when its normalised words occur contiguously in the record,
``altered`` when a passage of the record differs from it in at most a quarter of its
words (four words or more; the changed words are listed) and ``not_found`` otherwise.
Quoted words are compared unstemmed: "longer" is not "long".

The cost of one look-up is bounded by the number of its words, whatever the record:
exact copies are checked at the places of the quotation's rarest word (at most
:data:`MAX_EXACT_CANDIDATES`), candidate places for an altered copy come from a word
index (at most :data:`POSTINGS_PER_WORD` postings per quoted word) and at most
:data:`MAX_WINDOWS` bounded windows are scored by rapidfuzz (C).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import LCSseq, Levenshtein, Opcode

from .model import Quote, QuoteChange, Sentence
from .normalize import Normalizer
from .quotemarks import MAX_QUOTE_WORDS, quoted_spans

__all__ = ["Cost", "Match", "TokenStream", "check_quotes", "quoted_spans"]

#: The share of a quotation's words that may differ for it to count as ``altered``.
ALTERED_FRACTION = 0.25
#: Quotations shorter than this are exact or not found (too short to call altered).
ALTERED_MIN_WORDS = 4
#: Places of the rarest quoted word checked for an exact copy, at most.
MAX_EXACT_CANDIDATES = 2048
#: Index postings read per quoted word when looking for an altered copy, at most.
POSTINGS_PER_WORD = 64
#: Windows of the record scored per quotation, at most.
MAX_WINDOWS = 8
#: The character that stands for a quoted word the record does not have.
_UNKNOWN = "\x00"


def slack(size: int) -> int:
    """Record words a window adds on each side of a quotation of ``size`` words."""
    return max(2, int(size * ALTERED_FRACTION) + 1)


def work_bound(size: int) -> int:
    """The most work units :meth:`TokenStream.find` spends on a quotation of ``size`` words."""
    window = size + 2 * slack(size)
    return size * (MAX_EXACT_CANDIDATES + POSTINGS_PER_WORD + (MAX_WINDOWS + 2) * window)


#: Work units per quoted word at most, for quotations of up to ``MAX_QUOTE_WORDS`` words.
WORK_PER_WORD = work_bound(MAX_QUOTE_WORDS) // MAX_QUOTE_WORDS


@dataclass(slots=True)
class Cost:
    """Work units spent by look-ups: words compared, postings read, alignment cells."""

    units: int = 0
    quoted_words: int = 0


@dataclass(frozen=True, slots=True)
class Match:
    """Where a run of words was found in the record, how well, and what differs.

    ``start`` and ``end`` are record word positions (``end`` inclusive); ``work`` is the
    number of work units the look-up spent.
    """

    status: str
    sentence: int | None
    similarity: float
    start: int = 0
    end: int = 0
    changes: tuple[QuoteChange, ...] = ()
    work: int = 0


@dataclass(frozen=True, slots=True)
class TokenStream:
    """The record's normalised words in order, with an index for fast look-up.

    ``chars`` spells the record with one character per distinct word, so rapidfuzz and
    ``str.startswith`` compare words in C.
    """

    words: tuple[str, ...]
    sentence_of: tuple[int, ...]
    positions: dict[str, list[int]]
    code: dict[str, str]
    chars: str

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
        code = {word: _char(n) for n, word in enumerate(positions, start=1)}
        chars = "".join(map(code.__getitem__, words))
        return cls(tuple(words), tuple(sentence_of), dict(positions), code, chars)

    def find(self, query: Sequence[str]) -> Match:
        """Return the best place of ``query`` (normalised words) in the record."""
        if not query:
            return Match("not_found", None, 0.0)
        key = "".join(self.code.get(w, _UNKNOWN) for w in query)
        start, work = self._exact(query, key)
        if start >= 0:
            end = start + len(query) - 1
            return Match("exact", self.sentence_of[start], 1.0, start, end, work=work)
        windows, postings = self._windows(query)
        return self._score(query, key, windows, work + postings)

    def _exact(self, query: Sequence[str], key: str) -> tuple[int, int]:
        """An exact copy's start (or -1) from the places of the rarest word, and the work."""
        if _UNKNOWN in key:
            return -1, 0
        offset, rarest = min(enumerate(query), key=lambda kw: len(self.positions[kw[1]]))
        work = 0
        for pos in self.positions[rarest][:MAX_EXACT_CANDIDATES]:
            work += len(query)
            if pos >= offset and self.chars.startswith(key, pos - offset):
                return pos - offset, work
        return -1, work

    def _windows(self, query: Sequence[str]) -> tuple[list[int], int]:
        """Starts of the record windows most likely to hold the quotation, and the work.

        Each posting of a quoted word votes for the start it implies; votes within
        :func:`slack` of each other add up (words inserted or dropped shift the start).
        Rare words vote first, so common ones cannot exhaust the budget.
        """
        offsets: dict[str, list[int]] = defaultdict(list)
        for k, word in enumerate(query):
            if word in self.positions:
                offsets[word].append(k)
        budget = POSTINGS_PER_WORD * len(query)
        votes: Counter[int] = Counter()
        for word in sorted(offsets, key=lambda w: len(self.positions[w])):
            take = self.positions[word][: max(0, budget) // len(offsets[word])]
            budget -= len(take) * len(offsets[word])
            votes.update(pos - k for pos in take for k in offsets[word])
        return _best_starts(votes, slack(len(query))), POSTINGS_PER_WORD * len(query) - budget

    def _score(self, query: Sequence[str], key: str, windows: list[int], work: int) -> Match:
        """Score the windows with rapidfuzz; the best one's edits decide the status."""
        size, pad = len(query), slack(len(query))
        best, best_lcs, best_lo = "", 0, 0
        for start in windows:
            lo, hi = max(0, start - pad), min(len(self.chars), start + size + pad)
            window = self.chars[lo:hi]
            work += size * len(window)
            lcs = LCSseq.similarity(key, window)
            if lcs > best_lcs:
                best, best_lcs, best_lo = window, lcs, lo
        if best_lcs == 0:
            return Match("not_found", None, 0.0, work=work)
        scored = []
        for lo, hi in _spans(key, best):
            work += size * (hi - lo)
            scored.append((Levenshtein.distance(key, best[lo:hi]), hi - lo, lo, hi))
        distance, _, lo, hi = min(scored)
        span = best[lo:hi]
        similarity = max(0.0, 1.0 - distance / size)
        first, last = best_lo + lo, best_lo + hi - 1
        if distance == 0:
            return Match("exact", self.sentence_of[first], 1.0, first, last, work=work)
        if size < ALTERED_MIN_WORDS or distance > ALTERED_FRACTION * size:
            return Match("not_found", None, similarity, work=work)
        changes = self._changes(query, key, span, first)
        return Match("altered", self.sentence_of[first], similarity, first, last, changes, work)

    def _changes(
        self, query: Sequence[str], key: str, span: str, first: int
    ) -> tuple[QuoteChange, ...]:
        """The record's words and the account's words wherever the two differ."""
        changes = []
        for op in Levenshtein.opcodes(span, key):
            if op.tag != "equal":
                record = " ".join(self.words[first + op.src_start : first + op.src_end])
                account = " ".join(query[op.dest_start : op.dest_end])
                changes.append(QuoteChange(record, account))
        return tuple(changes)


def _char(n: int) -> str:
    """The ``n``-th code character (surrogates skipped: they are not valid in a str)."""
    return chr(n if n < 0xD800 else n + 0x800)


def _best_starts(votes: Counter[int], pad: int) -> list[int]:
    """The :data:`MAX_WINDOWS` starts with most votes nearby, at least ``pad`` apart."""
    starts = sorted(votes)
    near: list[tuple[int, int]] = []
    lo = hi = total = 0
    for s in starts:  # votes within pad of s, by two pointers over the sorted starts
        while hi < len(starts) and starts[hi] <= s + pad:
            total += votes[starts[hi]]
            hi += 1
        while starts[lo] < s - pad:
            total -= votes[starts[lo]]
            lo += 1
        near.append((-total, s))
    chosen: list[int] = []
    for _, s in sorted(near):
        if all(abs(s - c) > pad for c in chosen):
            chosen.append(s)
            if len(chosen) == MAX_WINDOWS:
                break
    return chosen


def _spans(key: str, window: str) -> list[tuple[int, int]]:
    """Parts of ``window`` that may face the quotation: from its first to its last word in
    common (longest common subsequence), widened by the quoted words left over at either
    end (they face the record words there, replaced, or nothing, inserted).

    A common word far from the rest (another "the") would stretch the span: an end run of
    common words is dropped when the record gap it opens is longer than the run and the
    quoted gap together (keeping it costs more edits than dropping it). Both the whole and
    the trimmed span are offered.
    """
    runs = [op for op in LCSseq.opcodes(key, window) if op.tag == "equal"]
    options = {_widened(runs, len(key), len(window))}
    while len(runs) > 1 and _far(runs[0], runs[1], runs[0]):
        runs = runs[1:]
    while len(runs) > 1 and _far(runs[-2], runs[-1], runs[-1]):
        runs = runs[:-1]
    options.add(_widened(runs, len(key), len(window)))
    return sorted(options)


def _far(first: Opcode, second: Opcode, end: Opcode) -> bool:
    """Whether the end run ``end`` (``first`` or ``second``, two adjacent runs) opens a
    record gap longer than itself plus the quoted gap (then dropping it costs less)."""
    record_gap = second.dest_start - first.dest_end
    quoted_gap = second.src_start - first.src_end
    return record_gap > (end.src_end - end.src_start) + quoted_gap


def _widened(runs: Sequence[Opcode], size: int, length: int) -> tuple[int, int]:
    """From the first run to the last, widened by the quoted words left over at the ends."""
    lo = runs[0].dest_start - runs[0].src_start
    hi = runs[-1].dest_end + (size - runs[-1].src_end)
    return max(0, lo), min(length, hi)


def check_quotes(
    text: str,
    sentences: Sequence[Sentence],
    index: TokenStream | Callable[[], TokenStream],
    normalizer: Normalizer,
    cost: Cost | None = None,
) -> tuple[Quote, ...]:
    """Look up every quotation of a witness text in the record (work added to ``cost``).

    ``index`` is the record's index, or a function that builds it: called at the first
    quotation, so a witness that quotes nothing costs no index of a long record.
    """
    starts = [s.start for s in sentences]
    quotes: list[Quote] = []
    record: TokenStream | None = index if isinstance(index, TokenStream) else None
    for start, end in quoted_spans(text):
        words = normalizer.words(text[start:end])
        if not words:
            continue
        if record is None:
            record = index() if callable(index) else index
        match = record.find(words)
        if cost is not None:
            cost.units += match.work
            cost.quoted_words += len(words)
        # The record's own (normalised) words, shown beside the quotation.
        found = (
            "" if match.sentence is None else " ".join(record.words[match.start : match.end + 1])
        )
        quotes.append(
            Quote(
                witness=_sentence_at(starts, start),
                start=start,
                end=end,
                text=text[start:end],
                status=match.status,
                source=match.sentence,
                similarity=match.similarity,
                match=found,
                changes=match.changes,
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
