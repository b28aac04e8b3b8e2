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
the same text. Patterns are also compiled once here, instead of going through ``re``'s
cache, which pysbd's several hundred patterns overflow.

pysbd looks at the letter after an abbreviation with a pattern that (by a slip in
pysbd) only matches text holding ``{abbreviation}`` in braces; for such a text the
original, per-occurrence pass is kept, so the result is pysbd's in every case.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pysbd.abbreviation_replacer import replace_pre_number_abbr, replace_prepositive_abbr
from pysbd.lang.english import English
from pysbd.processor import Processor
from pysbd.segmenter import Segmenter

__all__ = ["FastSegmenter"]


@lru_cache(maxsize=4096)
def _pattern(source: str, flags: int = 0) -> re.Pattern[str]:
    """A compiled pattern, kept for the life of the process."""
    return re.compile(source, flags)


class _FastAbbreviationReplacer(English.AbbreviationReplacer):  # type: ignore[misc]
    """English abbreviation handling, one substitution per distinct spelling."""

    def search_for_abbreviations_in_string(self, text: str) -> str:
        """Protect abbreviation periods in one line; pysbd's result in linear time."""
        lowered = text.lower()
        for abbr in self.lang.Abbreviation.ABBREVIATIONS:
            stripped = abbr.strip()
            if stripped not in lowered:
                continue
            found = _pattern(rf"(?:^|\s|\r|\n){stripped}", re.IGNORECASE).findall(text)
            if not found:
                continue
            next_char = _pattern(r"(?<={" + str(re.escape(stripped)) + "} ).{1}")
            char_array = next_char.findall(text)
            if char_array:  # pysbd's per-occurrence pass, as it is
                for ind, match in enumerate(found):
                    text = self.scan_for_replacements(text, match, ind, char_array)
                continue
            for spelling in dict.fromkeys(match.strip() for match in found):
                text = self._replace(text, spelling)
        return text

    def _replace(self, text: str, spelling: str) -> str:
        """pysbd's substitution for one spelling of an abbreviation (no letter after it)."""
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
