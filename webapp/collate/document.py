"""A text with its sentences: what the engine compares.

Its own module so that the scorers (:mod:`.semantic`, :mod:`.scan`) can name it without
importing :mod:`.compare`, which imports them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Sentence
from .segment import segment


@dataclass(frozen=True, slots=True)
class Document:
    """A text with its sentences; build one with :meth:`from_text` or :meth:`from_lines`."""

    name: str
    text: str
    sentences: tuple[Sentence, ...]

    @classmethod
    def from_text(cls, name: str, text: str, *, segmenter: str = "pysbd") -> Document:
        """Segment prose into sentences with the named segmenter."""
        return cls(name, text, segment(text, segmenter))

    @classmethod
    def from_lines(cls, name: str, text: str) -> Document:
        """Take one sentence per non-blank line (presegmented input)."""
        return cls(name, text, segment(text, "lines"))
