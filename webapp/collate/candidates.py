"""Candidate pairs and their scores as the aligner sees them.

The sparse candidates of :class:`.similarity.Scorer`, identical sentences (bounded for
repeated formulae), quotation evidence, the semantic blend when asked, and the
:class:`.align.Evidence` the aligner may query beyond the candidates; and one pass of
scoring and choosing links over them (a witness takes it once, and again when a learned
lexicon spells its words alike, :mod:`.lexicon`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import dataclass

import numpy as np

from . import semantic
from .align import AlignSettings, DraftLink, Evidence, choose_links
from .corroboration import RarePhrases
from .model import Quote
from .normalize import Normalizer, is_content
from .ranking import best_first
from .similarity import PairScores, Scorer, concat

#: A quotation found in a record sentence adds up to this much to the pair's score, in
#: proportion to the share of the account sentence's content words that it quotes.
QUOTE_WEIGHT = 0.4


def scored_pairs(
    scorer: Scorer,
    candidates: set[tuple[int, int]],
    bonus: dict[tuple[int, int], float],
    identical: set[tuple[int, int]],
    meaning: semantic.Meaning | None = None,
) -> PairScores:
    """Score candidate pairs, with quotation evidence; identical sentences score 1.

    With ``meaning`` (the semantic scorer), the embeddings' cosine is blended in first.
    """
    pairs = scorer.score_sorted(candidates)
    if meaning is not None:
        pairs = meaning.rescore(pairs)
    same = np.zeros(len(pairs.score), dtype=bool)
    same[positions_of(pairs, identical)] = True
    for k in positions_of(pairs, bonus.keys()):
        if not same[k]:
            key = (int(pairs.source[k]), int(pairs.witness[k]))
            pairs.score[k] = min(1.0, float(pairs.score[k]) + bonus[key])
    pairs.score[same] = 1.0
    return pairs


def positions_of(pairs: PairScores, wanted: Set[tuple[int, int]]) -> list[int]:
    """Indices of the scored pairs that are in ``wanted`` (without a Python pass over all)."""
    if not wanted or not len(pairs.witness):
        return []
    width = int(pairs.witness.max()) + 1
    keys = pairs.source * width + pairs.witness
    flat = np.fromiter(itertools.chain.from_iterable(wanted), dtype=np.int64, count=2 * len(wanted))
    src, wit = flat[0::2], flat[1::2]
    targets = (src * width + wit)[wit < width]
    found: list[int] = np.flatnonzero(np.isin(keys, targets)).tolist()
    return found


def among_best(pairs: PairScores, keep: int) -> np.ndarray:
    """Whether each pair is among the ``keep`` best of its record or its account sentence
    (so near-duplicate material, where every pair is strong, does not multiply them)."""
    best = np.zeros(len(pairs.score), dtype=bool)
    for index in (pairs.source, pairs.witness):
        order = best_first(index, pairs.score)
        ordered = index[order]
        start = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        rank = np.arange(len(order)) - np.repeat(start, np.diff(np.r_[start, len(order)]))
        best[order[rank < keep]] = True
    return best


def neighbours(
    pairs: Iterable[tuple[int, int]], n_source: int, n_witness: int
) -> set[tuple[int, int]]:
    """Pairs next to the given ones (one step on either or both sides), within bounds."""
    steps = ((1, 1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1))
    return {
        (i + di, j + dj)
        for i, j in pairs
        for di, dj in steps
        if 0 <= i + di < n_source and 0 <= j + dj < n_witness
    }


def identical_pairs(
    source_words: list[list[str]], witness_words: list[list[str]], k: int
) -> set[tuple[int, int]]:
    """Pairs of sentences whose normalised words are the same: always candidates.

    A sentence repeated many times on both sides (a formula, a refrain) pairs each
    account copy with the ``k`` record copies nearest its own rank among the copies, so
    the candidates grow with the text, not with the square of the copies.
    """
    where: dict[tuple[str, ...], list[int]] = {}
    for i, words in enumerate(source_words):
        if words:
            where.setdefault(tuple(words), []).append(i)
    uses: dict[tuple[str, ...], list[int]] = {}
    for j, words in enumerate(witness_words):
        if tuple(words) in where:
            uses.setdefault(tuple(words), []).append(j)
    out: set[tuple[int, int]] = set()
    for key, witnesses in uses.items():
        copies = where[key]
        for rank, j in enumerate(witnesses):
            middle = round(rank * len(copies) / len(witnesses))
            lo = max(0, min(middle - k // 2, len(copies) - k))
            out.update((i, j) for i in copies[lo : lo + k])
    return out


def quote_bonus(
    quotes: Sequence[Quote], witness_terms: list[list[str]], normalizer: Normalizer
) -> dict[tuple[int, int], float]:
    """Score added to (record, account) pairs where the account quotes the record.

    A quotation is strong evidence when it is much of what the sentence says, and weak
    when it is one common word of a long sentence (a title such as "Time").
    """
    bonus: dict[tuple[int, int], float] = {}
    for quote in quotes:
        if quote.source is None:
            continue
        quoted = [w for w in normalizer.words(quote.text) if is_content(w)]
        content = max(len(witness_terms[quote.witness]), 1)
        share = min(1.0, len(quoted) / content)
        key = (quote.source, quote.witness)
        bonus[key] = max(bonus.get(key, 0.0), QUOTE_WEIGHT * share)
    return bonus


def align_evidence(
    scorer: Scorer,
    bonus: dict[tuple[int, int], float],
    identical: set[tuple[int, int]],
    meaning: semantic.Meaning | None,
) -> Evidence:
    """What the aligner may ask of the scorer: any cells, whole links, random pairs."""
    special = identical | bonus.keys()

    def cells(src: np.ndarray, wit: np.ndarray) -> np.ndarray:
        pairs = scorer.score_arrays(src, wit)
        if meaning is not None:
            pairs = meaning.rescore(pairs)
        for k in positions_of(pairs, special):
            key = (int(pairs.source[k]), int(pairs.witness[k]))
            pairs.score[k] = 1.0 if key in identical else min(1.0, pairs.score[k] + bonus[key])
        return pairs.score

    def groups(
        items: Sequence[tuple[Sequence[int], Sequence[int]]],
    ) -> list[tuple[float, float, float]]:
        return scorer.group_scores(items)

    def joins(
        items: Sequence[tuple[Sequence[int], Sequence[int]]],
    ) -> list[tuple[float, float, float]]:
        return scorer.group_scores(items, every_word=True)

    cosine = meaning.cosine if meaning is not None else None
    return Evidence(cells, groups, cosine, RarePhrases(*scorer.terms), joins, scorer.lengths)


@dataclass(frozen=True, slots=True)
class Fixed:
    """What a witness's alignment reads besides the scorer: quotation bonuses, identical
    pairs, the meaning scorer, the two lengths (the same in a second scoring)."""

    bonus: dict[tuple[int, int], float]
    identical: set[tuple[int, int]]
    meaning: semantic.Meaning | None
    n_source: int
    n_witness: int


def score_and_align(
    scorer: Scorer,
    fixed: Fixed,
    k: int,
    settings: AlignSettings,
    report: Callable[[str], None],
) -> tuple[PairScores, list[DraftLink]]:
    """Score the candidate pairs and their strong pairs' neighbours; choose the links."""
    bonus, identical, meaning = fixed.bonus, fixed.identical, fixed.meaning
    candidates = scorer.candidates(k) | set(bonus) | identical
    if meaning is not None:
        candidates |= meaning.candidates()
    report("scoring")
    pairs = scored_pairs(scorer, candidates, bonus, identical, meaning)
    # Neighbours of strong pairs are candidates too: the other half of a split, a
    # merged sentence, a reworded sentence between two kept ones.
    strong = (pairs.score >= settings.min_score) & among_best(pairs, 2)
    around = neighbours(
        zip(pairs.source[strong].tolist(), pairs.witness[strong].tolist(), strict=True),
        fixed.n_source,
        fixed.n_witness,
    )
    pairs = concat(pairs, scored_pairs(scorer, around - candidates, bonus, identical, meaning))
    report("aligning")
    evidence = align_evidence(scorer, bonus, identical, meaning)
    drafts = choose_links(pairs, fixed.n_source, fixed.n_witness, settings, evidence)
    return pairs, drafts
