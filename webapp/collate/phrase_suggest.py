"""Record phrases to suggest while someone types an order question, and what to offer
when the words typed are an account's, not the record's.

>>> from webapp.collate.compare import Document
>>> record = Document.from_text("r", "It is a great idea. Membership is a longer term eventuality.")
>>> [s.phrase for s in suggest(record, "longer t")]
['longer term eventuality']
>>> [s.phrase for s in suggest(record, "membership eventuality")]
['Membership is a longer term eventuality']

The typed words are compared as the order question compares them (:class:`Normalizer`
words); the last word, while it is being typed, may be the start of a word. A phrase is
the record's own words (its spelling and case), from where the typed words start to two
words past them, so picking it completes what was typed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .document import Document
from .model import Comparison, WitnessResult
from .normalize import Normalizer
from .phrases import PhraseNotFound, locate_phrase
from .quotes import TokenStream

#: A word of the text as written (letters, digits, inner apostrophes and hyphens).
_TOKEN = re.compile(r"\w+(?:['’\-]\w+)*")
#: Words a suggestion runs past the typed ones.
AHEAD = 2
#: Suggestions offered at most.
LIMIT = 8


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A record phrase: its words as written and the record sentence (0-based) holding it."""

    phrase: str
    sentence: int
    score: float


@dataclass(frozen=True, slots=True)
class AccountHint:
    """A phrase found in an account, not in the record: the account sentence (0-based)
    that has it, the record sentences linked to it, and a record phrase to use instead."""

    account: int
    name: str
    sentence: int
    record_sentences: tuple[int, ...]
    offer: str


@dataclass(frozen=True, slots=True)
class _Word:
    form: str
    start: int
    end: int


def _words(text: str, normalizer: Normalizer) -> list[_Word]:
    """The words of a sentence with where they are written (one per normalised form)."""
    out = []
    for token in _TOKEN.finditer(text):
        for form in normalizer.words(token.group()):
            out.append(_Word(form, token.start(), token.end()))
    return out


def _query(typed: str, normalizer: Normalizer) -> tuple[list[str], bool]:
    """The typed words, normalised, and whether the last one is still being typed."""
    words = normalizer.words(typed)
    partial = bool(words) and bool(typed) and not typed[-1].isspace()
    if partial:  # "long" of "longer": normalise the prefix as it is, not as a word
        tail = _TOKEN.findall(typed)
        words[-1] = tail[-1].casefold() if tail else words[-1]
    return words, partial


def _matches(form: str, wanted: str, prefix: bool) -> bool:
    return form.startswith(wanted) if prefix else form == wanted


def _exact_at(words: Sequence[_Word], k: int, query: Sequence[str], partial: bool) -> bool:
    """Whether the typed words start at word ``k`` (the last one maybe half typed)."""
    window = words[k : k + len(query)]
    return len(window) == len(query) and all(
        _matches(w.form, q, partial and n == len(query) - 1)
        for n, (w, q) in enumerate(zip(window, query, strict=True))
    )


def _near_at(words: Sequence[_Word], k: int, query: Sequence[str]) -> int:
    """Where a window from word ``k`` holding at least two of the typed words (in any
    order, others between) ends, or -1: a phrase worded a little differently."""
    wanted = set(query)
    if words[k].form not in wanted:
        return -1
    seen = {words[k].form}
    for end in range(k + 1, min(len(words), k + max(8, 3 * len(query)) + 1)):
        if words[end].form in wanted:
            seen.add(words[end].form)
            if len(seen) >= min(2, len(wanted)) and len(seen) * 2 >= len(wanted):
                return end
    return -1


def _candidates(
    record: Document, query: Sequence[str], partial: bool, normalizer: Normalizer
) -> list[Suggestion]:
    found: list[Suggestion] = []
    # A word just begun ("great i") is no evidence on its own; a longer one may be whole.
    near = query[:-1] if partial and len(query[-1]) < 3 else query
    for index, sentence in enumerate(record.sentences):
        words = _words(sentence.text, normalizer)
        for k in range(len(words)):
            if _exact_at(words, k, query, partial):
                last = words[min(len(words), k + len(query) + AHEAD) - 1]
                found.append(Suggestion(sentence.text[words[k].start : last.end], index, 1.0))
            elif len(set(near)) > 1 and (end := _near_at(words, k, near)) >= 0:
                phrase = sentence.text[words[k].start : words[end].end]
                found.append(Suggestion(phrase, index, 0.5))
    return found


def suggest(
    record: Document, typed: str, normalizer: Normalizer | None = None, limit: int = LIMIT
) -> tuple[Suggestion, ...]:
    """Record phrases near the typed text, best first: exact runs of the typed words
    before phrases holding some of them, earlier sentences first; each phrase once."""
    normalizer = normalizer or Normalizer()
    query, partial = _query(typed, normalizer)
    if not query:
        return ()
    seen: set[str] = set()
    ranked = []
    found = _candidates(record, query, partial, normalizer)
    for item in sorted(found, key=lambda s: (-s.score, s.sentence)):
        key = item.phrase.casefold()
        if key not in seen:
            seen.add(key)
            ranked.append(item)
    return tuple(ranked[:limit])


def offer(record: Document, sentence: int, typed: str, normalizer: Normalizer) -> str:
    """A phrase of record sentence ``sentence`` to ask about instead of ``typed``: the
    part nearest the typed words that the order question finds in that very sentence."""
    words = _words(record.sentences[sentence].text, normalizer)
    stems = {q[:4] for q in normalizer.words(typed)}
    text = record.sentences[sentence].text
    size = max(3, min(len(stems) + 1, 6))

    def hits(window: Sequence[_Word]) -> int:
        return sum(1 for w in window if w.form[:4] in stems)

    windows = [_trimmed(words[k : k + size], stems) for k in range(max(1, len(words) - size + 1))]
    for window in sorted(windows, key=lambda w: (-hits(w), len(w))):
        if not window:
            continue
        phrase = text[window[0].start : window[-1].end]
        try:
            if locate_phrase(record, phrase, normalizer).sentence == sentence:
                return phrase
        except PhraseNotFound:
            continue
    return text.strip()


def _trimmed(window: Sequence[_Word], stems: set[str]) -> Sequence[_Word]:
    """The window without short words at its ends that the typed text does not share."""
    start, end = 0, len(window)
    while start < end - 2 and len(window[start].form) <= 3 and window[start].form[:4] not in stems:
        start += 1
    while (
        end > start + 2 and len(window[end - 1].form) <= 3 and window[end - 1].form[:4] not in stems
    ):
        end -= 1
    return window[start:end]


def _linked(witness: WitnessResult, sentence: int) -> tuple[int, ...]:
    return tuple(
        sorted({i for link in witness.links if sentence in link.witness for i in link.source})
    )


def account_hints(
    record: Document, comparison: Comparison, typed: str, normalizer: Normalizer | None = None
) -> tuple[AccountHint, ...]:
    """For a phrase the record lacks: each account that has it exactly, its sentence, the
    record sentences linked to that sentence, and a phrase of the first of them."""
    normalizer = normalizer or Normalizer(comparison.settings.get("variants", {}))
    query = normalizer.words(typed)
    if not query:
        return ()
    hints = []
    for k, witness in enumerate(comparison.witnesses):
        stream = TokenStream.build([s.text for s in witness.sentences], normalizer)
        match = stream.find(query)
        if match.sentence is None or match.status != "exact":
            continue
        linked = _linked(witness, match.sentence)
        said = offer(record, linked[0], typed, normalizer) if linked else ""
        hints.append(AccountHint(k, witness.name, match.sentence, linked, said))
    return tuple(hints)
