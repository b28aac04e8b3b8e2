"""What a scan matches on: its settings, each document's sentences with their stemmed
terms (a profile), and the sentence frequencies of those terms, which partitions add up."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .document import Document
from .normalize import Normalizer


@dataclass(frozen=True, slots=True)
class ScanSettings:
    """What a scan depends on besides the texts.

    ``min_score``: the similarity from which a record sentence counts as a source of an
    account sentence. ``tie``: records whose best match for an account sentence reaches
    this share of the best record's share that sentence's credit.
    """

    variants: Mapping[str, str] = field(default_factory=dict)
    min_score: float = 0.25
    tie: float = 0.9

    def __post_init__(self) -> None:
        if not 0.0 < self.min_score <= 1.0:
            raise ValueError(f"min_score must be in (0, 1], not {self.min_score}")
        if not 0.0 < self.tie <= 1.0:
            raise ValueError(f"tie must be in (0, 1], not {self.tie}")

    def normalizer(self) -> Normalizer:
        """The normaliser for the account and every record (one spelling table)."""
        return Normalizer(self.variants)

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as plain data."""
        return {
            "variants": dict(sorted(self.variants.items())),
            "min_score": self.min_score,
            "tie": self.tie,
        }


@dataclass(frozen=True, slots=True)
class Profile:
    """The sentences of one document with the terms they are matched on."""

    name: str
    texts: tuple[str, ...]
    terms: tuple[tuple[str, ...], ...]

    def __len__(self) -> int:
        return len(self.texts)


def profile(document: Document, normalizer: Normalizer) -> Profile:
    """Profile a segmented document: stemmed content words per sentence."""
    texts = tuple(s.text for s in document.sentences)
    terms = tuple(tuple(normalizer.terms(normalizer.words(text))) for text in texts)
    return Profile(document.name, texts, terms)


def _features(terms: Sequence[str]) -> list[str]:
    """Terms plus adjacent term pairs (as :mod:`webapp.collate.similarity` uses them)."""
    return list(terms) + [f"{a} {b}" for a, b in zip(terms, terms[1:], strict=False)]


@dataclass(frozen=True, slots=True)
class Frequencies:
    """In how many sentences each feature occurs; tables of partitions add up."""

    sentences: int = 0
    counts: Mapping[str, int] = field(default_factory=dict)

    def __add__(self, other: Frequencies) -> Frequencies:
        counts = Counter(self.counts)
        counts.update(other.counts)
        return Frequencies(self.sentences + other.sentences, dict(counts))

    def idf(self, feature: str) -> float:
        """Smoothed inverse document frequency (as scikit-learn's ``smooth_idf``)."""
        return math.log((1 + self.sentences) / (1 + self.counts.get(feature, 0))) + 1.0


def frequencies(profiles: Iterable[Profile]) -> Frequencies:
    """Sentence frequencies of the features of the given documents."""
    counts: Counter[str] = Counter()
    sentences = 0
    for p in profiles:
        sentences += len(p)
        for terms in p.terms:
            counts.update(set(_features(terms)))
    return Frequencies(sentences, dict(counts))


def total_frequencies(parts: Iterable[Frequencies]) -> Frequencies:
    """Sum the tables of the account and every partition (order does not matter)."""
    counts: Counter[str] = Counter()
    sentences = 0
    for part in parts:
        counts.update(part.counts)
        sentences += part.sentences
    return Frequencies(sentences, dict(counts))
