"""Numbers written in words read as digits: "twenty-two" and "22" match, as do "21st"
and "21" (see :meth:`.normalize.Normalizer.words`).

>>> numbers_as_digits(["twenty", "two", "men", "and", "21st", "one", "hundred", "five"])
['22', 'men', 'and', '21', '105']

The British and older forms with "and" are one number too, as in the 17th-century
translations: "two hundred and seven", "nine hundred sixty and nine", "a hundred and
thirty", "five and twenty", "threescore and ten" (issue 10: a record in them and a modern
retelling in "two hundred seven" share the number). An "and" that fills no empty place
("two and three", "between two and thirty") stays a word between two numbers.

>>> numbers_as_digits("an hundred and five and twenty years".split())
['125', 'years']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Set
from itertools import compress

_UNITS = {
    w: n
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {
    w: 10 * n
    for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
#: Scores, as the older texts count ("threescore and ten").
_SCORES = {"twoscore": 40, "threescore": 60, "fourscore": 80}
#: Articles that make a scale a number: "a hundred", and the older "an hundred".
_ARTICLES = frozenset({"a", "an"})
_A_SCALE = [[scale] for scale in _SCALES]
#: A word after which "two and thirty" is two numbers ("between two and thirty").
_APART = "between"
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
#: Up to this many distinct number words, each one's places are found by ``list.index``.
FEW_SPECIAL = 3
#: The English number words read as digits.
NUMBER_WORDS = frozenset(_UNITS) | frozenset(_TENS) | frozenset(_SCALES) | frozenset(_SCORES)


def numbers_as_digits(words: list[str], distinct: Iterable[str] | None = None) -> list[str]:
    """Replace runs of English number words, and digit ordinals, by digits.

    Only the runs of number words and ordinals are read: any other word, digits
    included, ends a run and is kept as it is, so the cost is in the numbers.
    ``distinct``, if given, holds every word of ``words`` (repeats allowed).
    """
    runs = _with_and(words, _number_runs(words, set(words if distinct is None else distinct)))
    if not runs:
        return words
    out: list[str] = []
    done = 0
    for start, end in runs:
        out.extend(words[done:start])
        out.extend(_read_numbers(words[start:end]))
        done = end
    out.extend(words[done:])
    return out


def _number_runs(words: list[str], distinct: set[str]) -> list[tuple[int, int]]:
    """``(start, end)`` of each run of number words and digit ordinals ("21st") in
    ``words``, whose words are ``distinct``."""
    ordinals = {w for w in distinct if w[:1].isdigit() and _ORDINAL.match(w)}
    special = NUMBER_WORDS.intersection(distinct) | ordinals
    runs: list[tuple[int, int]] = []
    if not special:
        return runs
    for k in _positions(words, special):
        if runs and runs[-1][1] == k:
            runs[-1] = (runs[-1][0], k + 1)
        else:
            runs.append((k, k + 1))
    return runs


def _with_and(words: list[str], runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The runs, each one starting at a scale taking the article before it ("a hundred"),
    and two runs with one "and" between them made one ("two hundred and seven"), unless
    "between" comes before: :func:`_read_numbers` then reads whether the "and" joins."""
    out: list[tuple[int, int]] = []
    for start, end in runs:
        if words[start] in _SCALES and start > 0 and words[start - 1] in _ARTICLES:
            start -= 1
        previous = out[-1] if out else None
        if (
            previous is not None
            and previous[1] + 1 == start
            and words[start - 1] == "and"
            and (previous[0] == 0 or words[previous[0] - 1] != _APART)
        ):
            out[-1] = (previous[0], end)
        else:
            out.append((start, end))
    return out


def _positions(words: list[str], special: Set[str]) -> list[int]:
    """Where the words of ``special`` stand in ``words``, in order: by ``list.index`` for
    a few of them (a pass in C each, as one number word in a 20,000-word sentence: issue
    10), else by one test a word."""
    if len(special) > FEW_SPECIAL:
        return list(compress(range(len(words)), map(special.__contains__, words)))
    found: list[int] = []
    for word in special:
        at = -1
        try:
            while True:
                at = words.index(word, at + 1)
                found.append(at)
        except ValueError:  # no more of it
            pass
    return sorted(found)


def _read_numbers(words: list[str]) -> list[str]:
    """Number words as digits, in a run of number words and digits."""
    out: list[str] = []
    k = 0
    while k < len(words):
        value, used = _read_one(words, k)
        if used:
            out.append(str(value))
            k += used
            continue
        ordinal = _ORDINAL.match(words[k])
        out.append(ordinal.group(1) if ordinal else words[k])
        k += 1
    return out


def _read_one(words: list[str], k: int) -> tuple[int, int]:
    """The number that starts at ``words[k]`` and how many words it takes (0: none)."""
    total, current, used, last = 0, 0, 0, ""
    while k + used < len(words):
        word = words[k + used]
        # "twenty two" and "hundred five" combine; "two three" are two numbers.
        if word in _UNITS and last in ("", "ten", "scale"):
            current += _UNITS[word]
            last = "unit"
        elif word in _TENS and last in ("", "scale"):
            current += _TENS[word]
            last = "ten"
        elif word in _SCORES and last in ("", "scale"):
            current += _SCORES[word]
            last = "score"
        elif word in _ARTICLES and used == 0 and words[k + 1 : k + 2] in _A_SCALE:
            current, last = 1, "unit"
        elif word in _SCALES and used > 0:
            last = "scale"
            scale = _SCALES[word]
            if scale == 100:
                current *= 100
            else:
                total += current * scale
                current = 0
        elif word == "and" and used > 0 and (after := _after_and(words, k + used, last, current)):
            value, last, width = after
            current += value
            used += width - 1
        else:
            break
        used += 1
    return total + current, used


def _after_and(words: list[str], at: int, last: str, current: int) -> tuple[int, str, int] | None:
    """What the "and" at ``words[at]`` adds when the number word after it fills a place
    the number so far left empty ("hundred and seven", "sixty and nine", "threescore and
    ten", the older order "five and twenty"): the value, the reader's state after it and
    the words taken (after a scale, only the "and": the next word is read as usual)."""
    word = words[at + 1] if at + 1 < len(words) else ""
    unit = _UNITS.get(word, 0)
    if last == "scale" and (unit or word in _TENS or word in _SCORES):
        return 0, "scale", 1
    if (last == "ten" and 0 < unit < 10) or (last == "score" and 0 < unit):
        return unit, "unit", 2
    if last == "unit" and 0 < current % 100 < 10 and word in _TENS:
        return _TENS[word], "ten", 2
    return None
