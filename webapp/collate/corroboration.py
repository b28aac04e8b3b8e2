"""Phrases two texts share nowhere else: evidence that a lone pair corresponds.

A pair of sentences that share two content words in a row which no other sentence of either
text has (a turn of phrase, a name with its title, a rare collocation) is unlikely to be a
chance likeness, even when the pair's score is moderate: the issue's *shared phrase* that
corroborates a move on weak evidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

__all__ = ["RarePhrases"]


def _bigrams(terms: Sequence[str]) -> set[tuple[str, str]]:
    """The adjacent pairs of content terms of one sentence."""
    return set(zip(terms, terms[1:], strict=False))


class RarePhrases:
    """For each sentence, its content bigrams, and how many sentences of each text have each.

    The index is built on the first question, not on construction: most comparisons ask
    none (no weak lone move), and on a long text the bigrams cost a pass over every word.
    """

    def __init__(
        self, source_terms: Sequence[Sequence[str]], witness_terms: Sequence[Sequence[str]]
    ) -> None:
        self._terms = (source_terms, witness_terms)
        self._source: list[set[tuple[str, str]]] = []
        self._witness: list[set[tuple[str, str]]] = []
        self._count_source: Counter[tuple[str, str]] = Counter()
        self._count_witness: Counter[tuple[str, str]] = Counter()
        self._built = False

    def _build(self) -> None:
        """Read every sentence's bigrams and count the sentences of each text having each."""
        self._source = [_bigrams(t) for t in self._terms[0]]
        self._witness = [_bigrams(t) for t in self._terms[1]]
        for grams in self._source:
            self._count_source.update(grams)
        for grams in self._witness:
            self._count_witness.update(grams)
        self._built = True

    def shared(self, source: int, witness: int, copies: int = 1) -> bool:
        """Whether the two sentences share a content bigram found in at most ``copies``
        sentences of each text (1: in no other sentence of either)."""
        if not self._built:
            self._build()
        both = self._source[source] & self._witness[witness]
        return any(
            self._count_source[g] <= copies and self._count_witness[g] <= copies for g in both
        )
