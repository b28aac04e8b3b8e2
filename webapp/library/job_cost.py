"""How long the first request for a dossier's comparison would take, estimated from its
texts without segmenting them: what decides whether a request computes it or a
background job does.

The estimate reads each text once with regular expressions (:func:`shape_of`): its
stretches between ends of sentences (about its sentences), its length, its longest
stretch, how much of it repeats (word trigrams seen before: templated or formulaic
material), and sentences with a lone straight quotation mark. :func:`estimate_seconds`
turns the shapes into seconds with the coefficients below, fitted by
``python -m benchmarks.bench_cost --fit`` on this machine's engine (CPU seconds of the
first compare page, computed in the request, as an annotator sees it).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: The default budget: a comparison estimated to take longer than this many seconds in
#: the request is computed by a background job (``MEMCON_BACKGROUND_SECONDS``).
DEFAULT_BACKGROUND_SECONDS = 1.0
#: Hard limits whatever the estimate: more sentences than this in a dossier go to the
#: background, ...
DEFAULT_BACKGROUND_SENTENCES = 3000
#: ... and so do more characters than this (their texts are not even read in a request).
DEFAULT_BACKGROUND_CHARS = 1_000_000
#: A stretch of text without an end of sentence costs one sentence up to this length, and
#: the square of its length in such units beyond (:func:`estimate_cost`): lines without
#: full stops become long sentences, and comparing many long sentences of different
#: content takes far longer than their length says (700 such lines a side: 1.3 s).
SENTENCE_EQUIVALENT_CHARS = 300

# Coefficients of :func:`estimate_seconds`: a rounded mean of five fits of
# ``benchmarks/bench_cost.py --fit`` on 23 to 27 dossiers (real, synthetic, awkward shapes;
# docs/operations.md has the table), single fits being unstable on a busy machine.
#: Seconds of any first request (the page, the cache row).
BASE_SECONDS = 0.25
#: Seconds per account compared with the record.
PAIR_SECONDS = 0.0
#: Seconds per sentence on either side of a pair (segmenting, scoring, aligning, the page),
#: in proportion to the text's share of new material ...
SENTENCE_SECONDS = 0.00062
#: ... per sentence in proportion to its near-duplicate share (repeated word trigrams in
#: sentences that are not exact copies: templated minutes, formulae with a word changed,
#: where every copy is a candidate for every other) ...
NEAR_SECONDS = 0.00045
#: ... and per sentence that is an exact copy of an earlier one (cheap: scored once).
COPY_SECONDS = 0.0001
#: Seconds per character of either side (diffs, quotations, the page's text).
CHAR_SECONDS = 1.5e-6
#: Seconds per unit of :func:`estimate_cost` beyond one a stretch (overlong sentences).
#: Not the least-squares value (0: one huge sentence told twice with a few words changed
#: is cheap) but that of lines without full stops whose accounts differ, the expensive
#: kind (700 lines a side: 2 s): what the texts alone cannot tell apart errs towards a job.
LONG_SECONDS = 0.0009
#: Seconds per sentence with an odd number of straight quotation marks.
LONE_QUOTE_SECONDS = 0.00015

_SENTENCE_END = re.compile(r"[.!?…]+[\"'»”’)\]]*(?=\s|$)")
#: Where a stretch of text ends for the segmenter: an end of sentence or a blank line.
_STRETCH_END = re.compile(_SENTENCE_END.pattern + r"|\n[ \t]*\n")
_WORD = re.compile(r"\w+")
_QUOTES = re.compile('["“”„«»]')


@dataclass(frozen=True, slots=True)
class TextShape:
    """What makes a text expensive to compare, read without segmenting it."""

    #: Stretches between ends of sentences (or paragraphs) holding text: about its sentences.
    sentences: int
    chars: int
    #: Characters of the longest stretch.
    longest: int
    #: :func:`estimate_cost` beyond one per stretch: what overlong stretches add.
    long_units: int
    #: Share of the word trigrams that occurred earlier in the text (0: none repeats).
    repeated: float
    #: Share of the stretches that are exact copies of an earlier one (case and spacing
    #: aside).
    copies: float
    #: Quotation marks of any kind.
    quotes: int
    #: Stretches with an odd number of straight double quotes (a mark without its partner).
    lone_quotes: int

    @property
    def near(self) -> float:
        """The near-duplicate share: repeated material that is not an exact copy."""
        return max(0.0, self.repeated - self.copies)

    @property
    def work(self) -> float:
        """Seconds this text adds to each pair it is a side of."""
        return (
            self.sentences * (1 - self.repeated) * SENTENCE_SECONDS
            + self.sentences * self.near * NEAR_SECONDS
            + self.sentences * self.copies * COPY_SECONDS
            + self.chars * CHAR_SECONDS
            + self.long_units * LONG_SECONDS
            + self.lone_quotes * LONE_QUOTE_SECONDS
        )


def shape_of(text: str) -> TextShape:
    """The shape of one text: one pass for the stretches, one for the words."""
    sentences = longest = long_units = lone = copies = 0
    start = 0
    seen: set[str] = set()
    for end in [m.end() for m in _STRETCH_END.finditer(text)] + [len(text)]:
        stretch = text[start:end]
        start = end
        if not stretch.strip():
            continue
        sentences += 1
        key = " ".join(stretch.lower().split())
        copies += key in seen
        seen.add(key)
        longest = max(longest, len(stretch))
        long_units += _stretch_cost(len(stretch)) - 1
        lone += stretch.count('"') % 2
    return TextShape(
        sentences=sentences,
        chars=len(text),
        longest=longest,
        long_units=long_units,
        repeated=_repeated_share(text),
        copies=copies / sentences if sentences else 0.0,
        quotes=len(_QUOTES.findall(text)),
        lone_quotes=lone,
    )


def _repeated_share(text: str) -> float:
    """Share of word trigrams (case folded) that occurred earlier in the text."""
    words = _WORD.findall(text.lower())
    total = len(words) - 2
    if total <= 0:
        return 0.0
    distinct = len(set(zip(words, words[1:], words[2:], strict=False)))
    return 1 - distinct / total


def estimate_seconds(shapes: Sequence[TextShape]) -> float:
    """Seconds the first request for a dossier of texts of these shapes would take to
    compare and show. Which text is the record is not known here: the heaviest is taken
    (each account is compared with it), so the estimate errs on the side of a job."""
    if len(shapes) < 2:
        return BASE_SECONDS
    works = sorted((s.work for s in shapes), reverse=True)
    record, accounts = works[0], works[1:]
    return BASE_SECONDS + sum(PAIR_SECONDS + record + work for work in accounts)


def estimate_text_seconds(texts: Iterable[str]) -> float:
    """:func:`estimate_seconds` of these texts."""
    return estimate_seconds([shape_of(t) for t in texts])


def too_long_for_a_request(
    texts: Sequence[str],
    seconds: float = DEFAULT_BACKGROUND_SECONDS,
    sentences: int = DEFAULT_BACKGROUND_SENTENCES,
    chars: int = DEFAULT_BACKGROUND_CHARS,
) -> bool:
    """Whether a dossier of these texts goes to a background job: more than ``chars``
    characters or ``sentences`` sentence-equivalents (:func:`estimate_cost`) whatever the
    estimate, else an estimate over ``seconds``."""
    if sum(len(t) for t in texts) > chars:
        return True
    if sum(estimate_cost(t) for t in texts) > sentences:
        return True
    return estimate_text_seconds(texts) > seconds


def estimate_cost(text: str) -> int:
    """The work a text gives the engine, in sentences of ordinary length: each stretch
    between ends of sentences (or paragraphs) counts one, a stretch longer than
    :data:`SENTENCE_EQUIVALENT_CHARS` the square of its length in such units.

    Linear in the text (one regular expression), so it is cheap where segmenting is not.
    """
    cost, start = 0, 0
    for match in _STRETCH_END.finditer(text):
        if text[start : match.end()].strip():
            cost += _stretch_cost(match.end() - start)
        start = match.end()
    return cost + (_stretch_cost(len(text) - start) if text[start:].strip() else 0)


def _stretch_cost(length: int) -> int:
    if length <= SENTENCE_EQUIVALENT_CHARS:
        return 1
    return math.ceil((length / SENTENCE_EQUIVALENT_CHARS) ** 2)


def estimate_sentences(text: str) -> int:
    """A quick count of a text's sentences (ends of sentences), without segmenting it."""
    found = len(_SENTENCE_END.findall(text))
    return found if found or not text.strip() else 1
