"""pysbd's English segmenter with a linear-time abbreviation pass; same sentences, faster.

pysbd (0.3.x) protects the period of an abbreviation by, for each abbreviation in its
list, finding every word of the text that starts with it and then running one
substitution over the *whole* text per occurrence. A word that starts with ``a`` or ``in``
is an "occurrence", so a line of ``n`` words costs about ``n`` whole-line substitutions:
quadratic (a 20,000-word sentence took a minute). Every such substitution only turns
periods into pysbd's placeholder ``∯`` where they follow the abbreviation, and applying it
again changes nothing (a period it did not replace the first time cannot start to match:
the only edit anywhere is period to placeholder, and no pattern asks for a placeholder).
So one substitution per distinct spelling found, in the order pysbd meets them, gives
the same text. The words an abbreviation of letters begins are found by substring search
in a copy of the line case-folded as ``re.IGNORECASE`` folds (pysbd runs a case-blind
regular expression per abbreviation), and patterns are compiled once here instead of
going through ``re``'s cache, which pysbd's several hundred patterns overflow.

pysbd looks at the letter after an abbreviation with a pattern that (by a slip in
pysbd) only matches text holding ``{abbreviation}`` in braces; for such a text the
original, per-occurrence pass is kept, so the result is pysbd's in every case.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from typing import Any

from pysbd.abbreviation_replacer import replace_pre_number_abbr, replace_prepositive_abbr
from pysbd.lang.english import English
from pysbd.processor import Processor
from pysbd.segmenter import Segmenter

__all__ = ["FastSegmenter"]


_WHITESPACE = re.compile(r"\s")
#: What ``re.IGNORECASE`` takes for each ASCII letter: its capital, and four other letters
#: (dotted and dotless I, long S, the Kelvin sign).
_FOLD = str.maketrans(
    {
        **{c: c.lower() for c in string.ascii_uppercase},
        "\u0130": "i",
        "\u0131": "i",
        "\u017f": "s",
        "\u212a": "k",
    }
)


@lru_cache(maxsize=4096)
def _pattern(source: str, flags: int = 0) -> re.Pattern[str]:
    """A compiled pattern, kept for the life of the process."""
    return re.compile(source, flags)


#: pysbd's pattern for the letter after an abbreviation; its braces are literal.
_NEXT_CHAR = "(?<={{{}}} ).{{1}}"


def _spellings(text: str, words: str, stripped: str) -> list[str]:
    """The distinct spellings, in order, of ``stripped`` at the start of a word of ``text``.

    The same as pysbd's case-blind ``(?:^|\\s)abbreviation`` search; for an abbreviation of
    letters, done by substring search in ``words`` (``text`` case-folded as that search
    folds, white space as blanks, one blank before).
    """
    if not (stripped.isalpha() and stripped.isascii()):
        found = _pattern(rf"(?:^|\s|\r|\n){stripped}", re.IGNORECASE).findall(text)
        return list(dict.fromkeys(match.strip() for match in found))
    needle, size = " " + stripped, len(stripped)
    spellings: dict[str, None] = {}
    at = words.find(needle)
    while at >= 0:
        spellings[text[at : at + size]] = None
        at = words.find(needle, at + 1)
    return list(spellings)


class _FastAbbreviationReplacer(English.AbbreviationReplacer):  # type: ignore[misc]
    """English abbreviation handling, one substitution per distinct spelling."""

    def search_for_abbreviations_in_string(self, text: str) -> str:
        """Protect abbreviation periods in one line; pysbd's result in linear time."""
        lowered = text.lower()
        words = " " + _WHITESPACE.sub(" ", text).translate(_FOLD)
        for abbr in self.lang.Abbreviation.ABBREVIATIONS:
            stripped = abbr.strip()
            if stripped not in lowered:
                continue
            spellings = _spellings(text, words, stripped)
            if not spellings:
                continue
            if "{" in text and self._braced(text, stripped):
                found = _pattern(rf"(?:^|\s|\r|\n){stripped}", re.IGNORECASE).findall(text)
                char_array = _pattern(_NEXT_CHAR.format(re.escape(stripped))).findall(text)
                for ind, match in enumerate(found):  # pysbd's per-occurrence pass, as it is
                    text = self.scan_for_replacements(text, match, ind, char_array)
                continue
            for spelling in spellings:
                text = self._replace(text, spelling)
        return text

    @staticmethod
    def _braced(text: str, stripped: str) -> bool:
        """Whether pysbd's look at the letter after ``stripped`` finds anything."""
        return bool(_pattern(_NEXT_CHAR.format(re.escape(stripped))).search(text))

    def _replace(self, text: str, spelling: str) -> str:
        """pysbd's substitution for one spelling of an abbreviation (no letter after it).

        Each of its patterns replaces a period right after the spelling, taken literally,
        so a text without ``spelling.`` is left as it is without a search.
        """
        if spelling + "." not in text:
            return text
        lowered = spelling.lower()
        if lowered in self.lang.Abbreviation.PREPOSITIVE_ABBREVIATIONS:
            result: str = replace_prepositive_abbr(text, spelling)
        elif lowered in self.lang.Abbreviation.NUMBER_ABBREVIATIONS:
            result = replace_pre_number_abbr(text, spelling)
        else:
            result = self.replace_period_of_abbr(text, spelling)
        return result


class _FastProcessor(Processor):  # type: ignore[misc]
    """pysbd's processor with the linear abbreviation pass."""

    def abbreviations_replacer(self) -> Any:
        """The abbreviation replacer for this text."""
        return _FastAbbreviationReplacer(self.text, self.lang)


class FastSegmenter(Segmenter):  # type: ignore[misc]
    """``pysbd.Segmenter`` for English whose processor runs in linear time."""

    def __init__(self) -> None:
        super().__init__(language="en", clean=False, char_span=False)

    def processor(self, text: str) -> Any:
        """The processor for ``text`` (what ``segment`` runs)."""
        return _FastProcessor(text, self.language_module, char_span=self.char_span)
