"""Pairs grouped by one side, best score first: ``np.lexsort`` by one stable integer sort.

>>> import numpy as np
>>> best_first(np.array([1, 0, 1, 0]), np.array([0.5, 0.2, 0.9, 0.2]), np.array([3, 1, 2, 4]))
array([3, 1, 2, 0])

The aligner orders every candidate pair by its sentence, then by score, best first, and
ties by partner (:class:`.matching.TopPartners`, :func:`.candidates.among_best`); a
lexsort of a million pairs sorts three keys one after another (0.3 s). The scores are
ranked once (``np.unique``) and the three keys packed into one integer, sorted stably:
the same permutation, ties and repeated pairs in the same order as the lexsort's.
:func:`by_keys` does the same for a lexsort of integer keys (pairs by record, then account).
"""

from __future__ import annotations

import numpy as np

#: Packed keys stay below this (int64), or the lexsort is done.
_MOST_KEY = 1 << 62


def best_first(
    index: np.ndarray, score: np.ndarray, partner: np.ndarray | None = None
) -> np.ndarray:
    """``np.lexsort((-partner, -score, index))`` (without ``partner``: ``np.lexsort((-score,
    index))``): by ``index``, then the higher score, then the higher partner."""
    keys = [] if partner is None else [-partner]
    if len(index) == 0 or np.isnan(score).any():
        return np.lexsort((*keys, -score, index))
    values, rank = np.unique(score, return_inverse=True)
    low = int(index.min())
    spans = [int(index.max()) - low + 1, len(values)]
    if partner is not None:
        spans.append(int(partner.max()) - int(partner.min()) + 1)
    if float(np.prod(np.asarray(spans, dtype=np.float64))) >= _MOST_KEY:
        return np.lexsort((*keys, -score, index))
    key = (index.astype(np.int64) - low) * spans[1] + (spans[1] - 1 - rank.ravel())
    if partner is not None:
        key = key * spans[2] + (int(partner.max()) - partner.astype(np.int64))
    order: np.ndarray = np.argsort(key, kind="stable")
    return order


def by_keys(*keys: np.ndarray) -> np.ndarray:
    """``np.lexsort(keys)`` of integer arrays (the last key sorts first), as one stable
    argsort of the keys packed into one integer (each shifted by its minimum); the
    lexsort itself when the packed keys would not fit."""
    if not keys or len(keys[0]) == 0 or any(k.dtype.kind not in "iu" for k in keys):
        return np.lexsort(keys)
    lows = [int(k.min()) for k in keys]
    spans = [int(k.max()) - low + 1 for k, low in zip(keys, lows, strict=True)]
    if float(np.prod(np.asarray(spans, dtype=np.float64))) >= _MOST_KEY:
        return np.lexsort(keys)
    packed = np.zeros(len(keys[0]), dtype=np.int64)
    for key, low, span in zip(keys[::-1], lows[::-1], spans[::-1], strict=True):
        packed *= span
        packed += key.astype(np.int64) - low
    order: np.ndarray = np.argsort(packed, kind="stable")
    return order
