"""TF-IDF of token lists with numpy and scipy.sparse: scikit-learn's figures, to the bit.

The scorer needs scikit-learn's ``TfidfVectorizer`` (and ``TfidfTransformer``) on lists
of tokens it has already made; importing scikit-learn costs about a second (it loads
``scipy.stats``), most of ``memcon align`` on a short text. This module computes the
same matrices: the same vocabulary order (sorted terms), the same entries in the same
order in each row (by the term's first appearance in the texts, as scikit-learn leaves
them), and the same float32 arithmetic: smoothed IDF ``ln((1 + n) / (1 + df)) + 1``,
sublinear TF ``1 + ln(tf)``, and each row divided by the square root of its squares
summed in a double, one after another, as scikit-learn's Cython does.
``tests/test_tfidf.py`` compares both on real texts.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

#: Rows at least this long have their squares summed in a Python loop; shorter ones all
#: together, one position at a time (the same order of additions either way).
LONG_ROW = 512


def tfidf(
    docs: Sequence[Sequence[str]],
    *,
    rows: np.ndarray | None = None,
    sublinear: bool = False,
    binary: bool = False,
    normalise: bool = True,
) -> sp.csr_matrix:
    """TF-IDF of token lists, as ``TfidfVectorizer(analyzer=<identity>, dtype=float32)``
    with ``sublinear_tf``, ``binary`` and ``norm="l2"`` (or ``None``) as given; with
    ``rows``, of the documents ``docs[rows]`` (each distinct document counted once, its
    copies taken again as rows: the same matrix as on the documents with their copies).

    Raises ``ValueError`` when no document has a token (as scikit-learn does).
    """
    counts = term_counts(docs)
    if rows is not None:
        counts = sp.csr_matrix(counts[rows])
    if binary:
        counts.data[:] = 1.0
    return weigh(counts, sublinear=sublinear, normalise=normalise)


def term_counts(docs: Sequence[Sequence[str]]) -> sp.csr_matrix:
    """Counts of each term in each document (float32), columns in sorted term order,
    each row's entries in the order of the terms' first appearance in ``docs``."""
    vocabulary: dict[str, int] = {}
    ids: list[int] = []
    lengths = np.zeros(len(docs), dtype=np.int64)
    for k, doc in enumerate(docs):
        ids.extend([vocabulary.setdefault(t, len(vocabulary)) for t in doc])
        lengths[k] = len(doc)
    if not vocabulary:
        raise ValueError("empty vocabulary")
    size = len(vocabulary)
    keys = np.repeat(np.arange(len(docs), dtype=np.int64), lengths) * size
    keys += np.asarray(ids, dtype=np.int64)
    unique, counts = np.unique(keys, return_counts=True)
    rows, first_ids = np.divmod(unique, size)
    rank = np.empty(size, dtype=np.int32)
    rank[[vocabulary[t] for t in sorted(vocabulary)]] = np.arange(size, dtype=np.int32)
    indptr = np.zeros(len(docs) + 1, dtype=np.int32)
    np.cumsum(np.bincount(rows, minlength=len(docs)), out=indptr[1:])
    return sp.csr_matrix(
        (counts.astype(np.float32), rank[first_ids], indptr), shape=(len(docs), size)
    )


def weigh(counts: sp.csr_matrix, *, sublinear: bool, normalise: bool) -> sp.csr_matrix:
    """``TfidfTransformer(sublinear_tf=sublinear, norm="l2" or None)`` fitted on
    ``counts`` (float32) and applied to it."""
    n_docs, n_terms = counts.shape
    df = np.bincount(counts.indices, minlength=n_terms).astype(np.float32)
    df += 1.0
    idf = np.full_like(df, fill_value=n_docs + 1, dtype=np.float32)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    data = counts.data.astype(np.float32, copy=True)
    if sublinear:
        np.log(data, out=data)
        data += 1.0
    data *= idf[counts.indices]
    if normalise:
        data = _l2_rows(data, counts.indptr)
    return sp.csr_matrix((data, counts.indices.copy(), counts.indptr.copy()), counts.shape)


def _l2_rows(data: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Each row divided by its Euclidean norm (rows of zeros left alone)."""
    sums = _sequential_row_sums((data * data).astype(np.float64), indptr)
    norms = np.sqrt(sums)
    lengths = np.diff(indptr)
    per_entry = np.repeat(norms, lengths)
    out = data.astype(np.float64)
    nonzero = per_entry != 0.0
    out[nonzero] /= per_entry[nonzero]
    result: np.ndarray = out.astype(np.float32)
    return result


def _sequential_row_sums(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """The sum of each row's values added left to right in a double (not numpy's
    pairwise summation, whose last bits differ)."""
    lengths = np.diff(indptr)
    sums = np.zeros(len(lengths))
    for row in np.flatnonzero(lengths >= LONG_ROW).tolist():
        total = 0.0
        for value in values[indptr[row] : indptr[row + 1]].tolist():
            total += value
        sums[row] = total
    short = np.flatnonzero((lengths < LONG_ROW) & (lengths > 0))
    short = short[np.argsort(-lengths[short], kind="stable")]  # longest first
    starts = indptr[short].astype(np.int64)
    remaining = lengths[short]
    active = len(short)
    for k in range(int(remaining[0]) if active else 0):
        while active and remaining[active - 1] <= k:
            active -= 1
        rows = short[:active]
        sums[rows] += values[starts[:active] + k]
    return sums
