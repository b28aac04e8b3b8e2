"""Score how well record sentences and account sentences correspond.

A :class:`Scorer` holds sparse TF-IDF vectors of both texts: stemmed content words and
word pairs (what is said), and character n-grams of the content words (robust to
inflection and spelling). ``candidates`` finds the top-k partners of every sentence from
a chunked sparse product, never all pairs; ``score`` rates any list of pairs at once;
``group_score`` rates a many-to-many link.

Scores are in [0, 1]: 1.0 for identical wording, around 0.2 or less for unrelated
sentences that share a few common words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from .normalize import merge_comparatives

#: Rows of the candidate product computed at once (bounds memory on long texts).
CHUNK_ROWS = 2048
#: Pairs scored at once (bounds memory: each pair copies two rows of n-gram vectors).
CHUNK_PAIRS = 8192


@dataclass(frozen=True, slots=True)
class PairScores:
    """Scores of candidate pairs as parallel arrays (source index, witness index, score)."""

    source: np.ndarray
    witness: np.ndarray
    score: np.ndarray
    containment_source: np.ndarray
    containment_witness: np.ndarray


def concat(a: PairScores, b: PairScores) -> PairScores:
    """Join two sets of scored pairs."""
    return PairScores(
        np.concatenate([a.source, b.source]),
        np.concatenate([a.witness, b.witness]),
        np.concatenate([a.score, b.score]),
        np.concatenate([a.containment_source, b.containment_source]),
        np.concatenate([a.containment_witness, b.containment_witness]),
    )


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _with_bigrams(terms: Sequence[str]) -> list[str]:
    """Terms plus adjacent term pairs, so word order inside a phrase counts a little."""
    return list(terms) + [f"{a} {b}" for a, b in zip(terms, terms[1:], strict=False)]


class Scorer:
    """Sparse vectors of one record and one account, fitted on both together."""

    def __init__(
        self,
        source_terms: Sequence[Sequence[str]],
        witness_terms: Sequence[Sequence[str]],
        source_words: Sequence[Sequence[str]],
        witness_words: Sequence[Sequence[str]],
    ) -> None:
        self.n_source = len(source_terms)
        self.n_witness = len(witness_terms)
        merged = merge_comparatives(list(source_terms) + list(witness_terms))
        source_terms, witness_terms = merged[: self.n_source], merged[self.n_source :]
        terms = list(source_terms) + list(witness_terms)
        # What is said: stemmed content words and word pairs, cosine-normalised.
        words = _fit(
            TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float32),
            [_with_bigrams(t) for t in terms],
        )
        # Presence times IDF: the weight of each content word, for containment.
        weights = _fit(
            TfidfVectorizer(analyzer=_identity, binary=True, norm=None, dtype=np.float32),
            [list(t) for t in terms],
        )
        # How it is spelled: character n-grams inside words.
        chars = _fit(
            TfidfVectorizer(
                analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32
            ),
            [" ".join(w) for w in list(source_words) + list(witness_words)],
        )
        n = self.n_source
        self.word_source, self.word_witness = words[:n], words[n:]
        self.weight_source, self.weight_witness = weights[:n], weights[n:]
        self.binary_source = _binary(self.weight_source)
        self.binary_witness = _binary(self.weight_witness)
        self.char_source, self.char_witness = chars[:n], chars[n:]

    def candidates(self, k: int) -> set[tuple[int, int]]:
        """Return the top-``k`` partners of every sentence in both directions."""
        df = np.asarray(self.binary_source.sum(axis=0) + self.binary_witness.sum(axis=0))
        df = df.ravel()
        total = self.n_source + self.n_witness
        # Words in a large share of all sentences are no evidence of a correspondence
        # and make the product dense; they still count in the final score.
        common = df > max(50.0, 0.05 * total)
        mask = sp.diags((~common).astype(np.float32))
        a = (self.weight_source @ mask).tocsr()
        b = (self.weight_witness @ mask).tocsr()
        a = _l2(a)
        b = _l2(b)
        pairs: set[tuple[int, int]] = set()
        for i, j in _top_k(a, b, k):
            pairs.add((i, j))
        for j, i in _top_k(b, a, k):
            pairs.add((i, j))
        return pairs

    def score(self, pairs: Sequence[tuple[int, int]]) -> PairScores:
        """Score many (source, witness) pairs at once."""
        if not pairs:
            empty = np.zeros(0)
            return PairScores(empty.astype(int), empty.astype(int), empty, empty, empty)
        src = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
        wit = np.fromiter((p[1] for p in pairs), dtype=np.int64, count=len(pairs))
        parts = [
            self._score_arrays(src[k : k + CHUNK_PAIRS], wit[k : k + CHUNK_PAIRS])
            for k in range(0, len(src), CHUNK_PAIRS)
        ]
        score, cont_s, cont_w = (np.concatenate(column) for column in zip(*parts, strict=True))
        return PairScores(src, wit, score, cont_s, cont_w)

    def _score_arrays(
        self, src: np.ndarray, wit: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Score, containment of source, containment of witness for aligned index arrays."""
        word = _rowwise(self.word_source[src], self.word_witness[wit])
        char = _rowwise(self.char_source[src], self.char_witness[wit])
        cont_s, cont_w = self._containment(src, wit)
        return _combine(word, char, cont_s, cont_w), cont_s, cont_w

    def _containment(self, src: np.ndarray, wit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """IDF-weighted share of each side's content words found on the other side."""
        ws = self.weight_source[src]
        ww = self.weight_witness[wit]
        shared_s = _rowsum(ws.multiply(self.binary_witness[wit]))
        shared_w = _rowsum(ww.multiply(self.binary_source[src]))
        total_s = _rowsum(ws)
        total_w = _rowsum(ww)
        with np.errstate(divide="ignore", invalid="ignore"):
            cont_s = np.where(total_s > 0, shared_s / total_s, 0.0)
            cont_w = np.where(total_w > 0, shared_w / total_w, 0.0)
        return cont_s, cont_w

    def group_score(
        self, source: Sequence[int], witness: Sequence[int]
    ) -> tuple[float, float, float]:
        """Score a many-to-many link as if each side were one joined sentence.

        Returns the score and the two containments, as :meth:`score` does for pairs.
        """
        s_idx = np.asarray(source)
        w_idx = np.asarray(witness)
        word = _joined_cosine(self.word_source[s_idx], self.word_witness[w_idx])
        char = _joined_cosine(self.char_source[s_idx], self.char_witness[w_idx])
        ws = sp.csr_matrix(self.weight_source[s_idx].sum(axis=0))
        ww = sp.csr_matrix(self.weight_witness[w_idx].sum(axis=0))
        bs, bw = _binary(ws), _binary(ww)
        cont_s = _safe_ratio(ws.multiply(bw).sum(), ws.sum())
        cont_w = _safe_ratio(ww.multiply(bs).sum(), ww.sum())
        combined = _combine(
            np.array([word]), np.array([char]), np.array([cont_s]), np.array([cont_w])
        )
        return float(combined[0]), cont_s, cont_w


def _combine(
    word: np.ndarray, char: np.ndarray, cont_s: np.ndarray, cont_w: np.ndarray
) -> np.ndarray:
    """Blend the signals into one score in [0, 1].

    Word and character cosines measure overall likeness; the containment term lets a
    short sentence that says part of a long one (a condensation) score on what it keeps.
    """
    blended = 0.55 * word + 0.45 * char
    partial = 0.8 * np.minimum(np.maximum(cont_s, cont_w), np.sqrt(np.maximum(word, 0) + 0.04))
    combined: np.ndarray = np.clip(np.maximum(blended, partial * (0.5 + 0.5 * char)), 0.0, 1.0)
    return combined


def _fit(vectorizer: TfidfVectorizer, docs: list[Any]) -> sp.csr_matrix:
    """Fit and transform; texts with no words at all give an all-zero matrix."""
    try:
        return sp.csr_matrix(vectorizer.fit_transform(docs))
    except ValueError:  # empty vocabulary: only punctuation or nothing
        return sp.csr_matrix((len(docs), 1), dtype=np.float32)


def _binary(matrix: sp.csr_matrix) -> sp.csr_matrix:
    out = matrix.copy().tocsr()
    out.data[:] = 1.0
    return out


def _l2(matrix: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)


def _rowsum(matrix: sp.spmatrix) -> np.ndarray:
    return np.asarray(matrix.sum(axis=1), dtype=np.float64).ravel()


def _rowwise(a: sp.csr_matrix, b: sp.csr_matrix) -> np.ndarray:
    """Dot product of row k of ``a`` with row k of ``b``, for every k."""
    return _rowsum(a.multiply(b))


def _joined_cosine(a: sp.csr_matrix, b: sp.csr_matrix) -> float:
    va = sp.csr_matrix(a.sum(axis=0))
    vb = sp.csr_matrix(b.sum(axis=0))
    na = float(np.sqrt(va.multiply(va).sum()))
    nb = float(np.sqrt(vb.multiply(vb).sum()))
    return _safe_ratio(float(va.multiply(vb).sum()), na * nb)


def _safe_ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den else 0.0


def _top_k(a: sp.csr_matrix, b: sp.csr_matrix, k: int) -> list[tuple[int, int]]:
    """For every row of ``a``, the ``k`` rows of ``b`` with the largest dot product."""
    out: list[tuple[int, int]] = []
    bt = b.T.tocsc()
    for begin in range(0, a.shape[0], CHUNK_ROWS):
        product = (a[begin : begin + CHUNK_ROWS] @ bt).tocsr()
        for row in range(product.shape[0]):
            lo, hi = product.indptr[row], product.indptr[row + 1]
            if lo == hi:
                continue
            data = product.data[lo:hi]
            cols = product.indices[lo:hi]
            if hi - lo > k:
                keep = np.argpartition(-data, k)[:k]
                cols = cols[keep]
            out.extend((begin + row, int(c)) for c in cols)
    return out
