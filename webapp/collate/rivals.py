"""Rivals that are copies: a near-repeated saying says which copy, not whether.

A pair (i, j) stands out when each side is the other's best by a ratio over any rival
(:func:`.matching.stand_out`). When a text says nearly the same thing twice (Proverbs'
repeated sayings, a doublet), the rival of j is i', a near-copy of i with a partner j' of
its own, and i resembles j' as i' resembles j: the four sentences form a square whose
crossed cells are the copies' likeness, not chance. Such a rival is a *copy rival* when
the crossed cells both reach the matching's lowest score (the likeness goes both ways),
the copy's own pair beats its cell with ours by ``copy_ratio`` (it is placed, as a pair
that stands out is), the copy is not next to our sentence (it could be the other half of
a split there) and the two pairs together outscore the crossed ones (the square's
diagonal is the assignment of the copies). The rivalry then says which copy goes where,
which the square settles; the pair must still stand out against every other rival. A
formula with many copies is left alone (:func:`.matching.crowded`, the gaps' order).
Opt-in (``AlignSettings.copy_rivals``): see RESULTS, sixth round, for what it costs.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from .gaps import CellScorer
from .matching import TopPartners

__all__ = ["CopyAwarePartners", "copy_aware"]


class CopyAwarePartners(TopPartners):
    """:class:`.matching.TopPartners` whose :meth:`rival` leaves copy rivals out."""

    def __init__(
        self,
        own: TopPartners,
        other: TopPartners,
        cells: CellScorer,
        record: bool,
        limits: tuple[float, float],
    ) -> None:
        # The same arrays as ``own`` (no copy): only the rival test differs.
        self.score, self.partner = own.score, own.partner
        self._other = other
        self._cells = cells
        self._record = record  # whether this side's sentences are the record's
        self._floor, self._ratio = limits

    def rival(self, index: np.ndarray, chosen: np.ndarray) -> np.ndarray:
        """Best score among each sentence's partners other than ``chosen``, its neighbours
        and the copy rivals (see the module); an unseen partner may score up to the last
        kept one, so a full list whose last slot is a copy keeps that slot's score."""
        index, chosen = np.asarray(index, dtype=np.int64), np.asarray(chosen, dtype=np.int64)
        far = np.abs(self.partner[index] - chosen[:, None]) > 1
        scores = np.where(far, self.score[index], 0.0)
        copy = self._copies(index, chosen, far)
        kept = np.where(copy, 0.0, scores).max(axis=1, initial=0.0)
        bound = np.where(copy[:, -1], self.score[index, -1], 0.0)
        out: np.ndarray = np.maximum(kept, bound)
        return out

    def _copies(self, index: np.ndarray, chosen: np.ndarray, far: np.ndarray) -> np.ndarray:
        """Which rival slots of each pair are copy rivals."""
        rivals = self.partner[index]  # (n, k) partners on the other side
        valid = far & (rivals >= 0)
        # Each rival's best partner away from our sentence: the copy of our sentence.
        partners = self._other.partner[np.maximum(rivals, 0)]  # (n, k, keep)
        own_scores = self._other.score[np.maximum(rivals, 0)]
        # A copy next to our sentence may be the other half of a split of its passage (as a
        # rival next to the chosen partner may be): no copy.
        usable = (np.abs(partners - index[:, None, None]) > 1) & (partners >= 0)
        first = np.argmax(usable, axis=2)
        copy_of = np.take_along_axis(partners, first[..., None], axis=2)[..., 0]
        copy_score = np.take_along_axis(own_scores, first[..., None], axis=2)[..., 0]
        rival_score = self.score[index]
        maybe = valid & usable.any(axis=2) & (copy_score >= self._ratio * rival_score)
        maybe &= rival_score >= self._floor
        cross = np.zeros(rival_score.shape)
        score = np.zeros(len(index))
        rows, slots = np.nonzero(maybe)
        if len(rows):
            cross[rows, slots] = self._scores(copy_of[rows, slots], chosen[rows])
            at = np.unique(rows)
            score[at] = self._scores(index[at], chosen[at])
        copy: np.ndarray = (
            maybe & (cross >= self._floor) & (score[:, None] + copy_score > rival_score + cross)
        )
        return copy

    def _scores(self, ours: np.ndarray, theirs: np.ndarray) -> np.ndarray:
        """Scores of cells given as (this side's sentence, the other side's)."""
        pair = (ours, theirs) if self._record else (theirs, ours)
        out: np.ndarray = np.asarray(self._cells(*pair), dtype=np.float64)
        return out


class CopySettings(Protocol):
    """The settings of :class:`.align.AlignSettings` that copy rivals read."""

    @property
    def copy_rivals(self) -> bool: ...
    @property
    def copy_ratio(self) -> float: ...
    @property
    def weak_score(self) -> float: ...


def copy_aware(
    top: tuple[TopPartners, TopPartners], cells: CellScorer, settings: CopySettings
) -> tuple[TopPartners, TopPartners]:
    """Both sides' partners with copy rivals left out of the stand-out test (``top``
    itself when ``copy_rivals`` is off); ``weak_score``: the lowest score the matching
    considers (a crossed cell under it is no copy's likeness)."""
    if not settings.copy_rivals:
        return top
    limits = (settings.weak_score, settings.copy_ratio)
    return (
        CopyAwarePartners(top[0], top[1], cells, True, limits),
        CopyAwarePartners(top[1], top[0], cells, False, limits),
    )
