"""Numbers written in words read as digits: "twenty-two" and "22" match, as do "21st"
and "21" (see :meth:`.normalize.Normalizer.words`).

>>> numbers_as_digits(["twenty", "two", "men", "and", "21st", "one", "hundred", "five"])
['22', 'men', 'and', '21', '105']
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
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
#: Up to this many distinct number words, each one's places are found by ``list.index``.
FEW_SPECIAL = 3
#: The English number words read as digits.
NUMBER_WORDS = frozenset(_UNITS) | frozenset(_TENS) | frozenset(_SCALES)


def numbers_as_digits(words: list[str], distinct: Iterable[str] | None = None) -> list[str]:
    """Replace runs of English number words, and digit ordinals, by digits.

    Only the runs of number words and ordinals are read: any other word, digits
    included, ends a run and is kept as it is, so the cost is in the numbers.
    ``distinct``, if given, holds every word of ``words`` (repeats allowed).
    """
    runs = _number_runs(words, set(words if distinct is None else distinct))
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
            elif word in _SCALES and used > 0:
                last = "scale"
                scale = _SCALES[word]
                if scale == 100:
                    current *= 100
                else:
                    total += current * scale
                    current = 0
            else:
                break
            used += 1
        if used:
            out.append(str(total + current))
            k += used
            continue
        ordinal = _ORDINAL.match(words[k])
        out.append(ordinal.group(1) if ordinal else words[k])
        k += 1
    return out
