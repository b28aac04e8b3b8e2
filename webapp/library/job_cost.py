"""How much work a text gives the engine, estimated without segmenting it: what decides
whether a dossier is compared in the request or by a background job."""

from __future__ import annotations

import math
import re

#: The default threshold: more sentences than this in a dossier go to the background.
DEFAULT_BACKGROUND_SENTENCES = 3000
#: ... and so do more characters than this (about a second of segmenting and comparing).
DEFAULT_BACKGROUND_CHARS = 100_000
#: A stretch of text without an end of sentence costs one sentence up to this length, and
#: the square of its length in such units beyond: segmenting a long stretch and diffing
#: long sentences take time that grows faster than their length (80,000 characters with
#: no full stop take some 20 s to segment, 8,000 characters a second).
SENTENCE_EQUIVALENT_CHARS = 300

_SENTENCE_END = re.compile(r"[.!?…]+[\"'»”’)\]]*(?=\s|$)")
#: Where a stretch of text ends for the segmenter: an end of sentence or a blank line.
_STRETCH_END = re.compile(_SENTENCE_END.pattern + r"|\n[ \t]*\n")


def estimate_cost(text: str) -> int:
    """The work a text gives the engine, in sentences of ordinary length: each stretch
    between ends of sentences (or paragraphs) counts one, a stretch longer than
    :data:`SENTENCE_EQUIVALENT_CHARS` the square of its length in such units.

    Linear in the text (one regular expression), so it is cheap where segmenting is not.
    """
    cost, start = 0, 0
    for match in _STRETCH_END.finditer(text):
        cost += _stretch_cost(text, start, match.end())
        start = match.end()
    return cost + _stretch_cost(text, start, len(text))


def _stretch_cost(text: str, start: int, end: int) -> int:
    length = end - start
    if length <= SENTENCE_EQUIVALENT_CHARS:
        return 1 if text[start:end].strip() else 0
    return math.ceil((length / SENTENCE_EQUIVALENT_CHARS) ** 2)


def estimate_sentences(text: str) -> int:
    """A quick count of a text's sentences (ends of sentences), without segmenting it."""
    found = len(_SENTENCE_END.findall(text))
    return found if found or not text.strip() else 1
