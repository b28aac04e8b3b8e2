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

import itertools
import os
from collections.abc import Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .band import band_pairs, expected_places, landmarks, unclear
from .normalize import merge_comparatives, merged_stems_of
from .ranking import by_keys
from .tfidf import Numbered, numbered, numbered_char_tfidf, tfidf, tfidf_of_pairs
from .topk import top_k_of_copies

#: A word in more sentences than this is common in the candidate search however long the
#: texts (5% of the sentences up to 20,000 of them): it bounds the search's work per
#: sentence on very long texts. Synthetic heavy, 20,000 a side: 25.6 -> 17.6 s with the
#: same figures (link / omitted / added / moved F1 0.992 / 0.971 / 0.946 / 0.915 without
#: a bound, 0.993 / 0.972 / 0.948 / 0.916 at 1,000; at 500 moved F1 fell to 0.893).
COMMON_CAP = 1000.0
#: Pairs scored at once (bounds memory: each pair copies two rows of n-gram vectors).
CHUNK_PAIRS = 8192
#: Threads scoring the chunks of a long list of pairs (from THREADED_CHUNKS chunks): scipy's
#: sparse kernels release the GIL, each chunk is scored as alone (same scores, same order).
#: Repeated 5,000, compare at load 1: 5.2 -> 4.7 s wall, the JSON identical.
SCORE_THREADS, THREADED_CHUNKS = min(2, os.cpu_count() or 1), 4
#: From this many terms on, a sentence's repeated terms are dropped before presence counts.
LONG_TERMS = 64


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


def _all_stems(words: Sequence[Sequence[str]], terms: Sequence[Sequence[str]]) -> list[list[str]]:
    """Stems of every word of each sentence, comparatives merged as for the content
    terms; a sentence without words keeps its terms."""
    merged = merged_stems_of(words)
    return [s if s else list(t) for s, t in zip(merged, terms, strict=True)]


def _stems_numbered(
    words: Numbered, lists: Sequence[Sequence[str]], terms: Sequence[Sequence[str]]
) -> Numbered:
    """:func:`_all_stems` of the numbered ``words`` (``lists``, numbered), numbered: each
    distinct word's merged stem (merged as over all the words: the same set of stems);
    with a sentence without words, the stems are spelled out and numbered again."""
    if not words.lengths.all():
        return numbered(_all_stems(lists, terms))
    return words.mapped(merged_stems_of([words.tokens])[0])


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
        #: Words of each sentence (record, account): how long it is, as the joins read it.
        self.lengths = ([len(w) for w in source_words], [len(w) for w in witness_words])
        merged = merge_comparatives(list(source_terms) + list(witness_terms))
        source_terms, witness_terms = merged[: self.n_source], merged[self.n_source :]
        terms = list(source_terms) + list(witness_terms)
        self._phrases: tuple[Sequence[Sequence[str]], Sequence[Sequence[str]]] = (
            source_terms,
            witness_terms,
        )
        # What is said: stemmed words and word pairs, cosine-normalised. Function words
        # are kept and IDF weighs them (little, being everywhere): "he said unto them"
        # and "he said to them" stay alike, where content stems alone are few and rivals
        # sharing two of them rise (archaic and modern wording; issue 10).
        # Copies of a sentence are tokenised and counted once (formulae, refrains), then
        # counted as documents again for the IDF: the same vectors.
        every_word = list(source_words) + list(witness_words)
        kept, rows = _distinct(every_word, terms)
        kept_words, kept_terms = [every_word[k] for k in kept], [terms[k] for k in kept]
        # The words numbered once: their stems and n-grams come from the distinct words.
        numbered_words = numbered(kept_words)
        stems = _stems_numbered(numbered_words, kept_words, kept_terms)
        words = _fit_with_pairs(stems, rows)
        self._stems, self._rows = stems, rows
        self._every: tuple[sp.csr_matrix, sp.csr_matrix] | None = None
        # Presence times IDF: the weight of each content word, for containment. Presence
        # only: a long sentence's repeats are dropped first (the same matrix).
        present = [list(dict.fromkeys(t)) if len(t) >= LONG_TERMS else list(t) for t in kept_terms]
        weights = _fit(present, rows, binary=True, normalise=False)
        # How it is spelled: character n-grams inside words.
        chars = numbered_char_tfidf(numbered_words, rows)
        n = self.n_source
        self.word_source, self.word_witness = words[:n], words[n:]
        self.weight_source, self.weight_witness = weights[:n], weights[n:]
        self.binary_source = _binary(self.weight_source)
        self.binary_witness = _binary(self.weight_witness)
        self.total_source = _rowsum(self.weight_source)
        self.total_witness = _rowsum(self.weight_witness)
        self.char_source, self.char_witness = chars[:n], chars[n:]
        # Sentences with the same words have the same vectors: pairs of copies are
        # scored once (formulae, refrains, a repeated line).
        self._copy_of = (_first_copies(source_words), _first_copies(witness_words))

    def candidates(self, k: int) -> set[tuple[int, int]]:
        """Return the top-``k`` partners of every sentence in both directions, and the
        best few near each account sentence's expected place (see :mod:`.band`)."""
        a, b = self._search_vectors()
        src_rows, src_cols, src_values = top_k_of_copies(a, b, k, self._copy_of)
        wit_rows, wit_cols, wit_values = top_k_of_copies(b, a, k, self._copy_of[::-1])
        rows = np.concatenate([src_rows, wit_cols])
        cols = np.concatenate([src_cols, wit_rows])
        values = np.concatenate([src_values, wit_values])
        keys, first = np.unique(rows * max(self.n_witness, 1) + cols, return_index=True)
        rows, cols, values = rows[first], cols[first], values[first]
        marks = landmarks(rows, cols, values, (self.n_source, self.n_witness))
        expected = expected_places(marks, self.n_source, self.n_witness)
        pairs = set(zip(rows.tolist(), cols.tolist(), strict=True))
        which = unclear(cols, values, self.n_witness)
        return pairs | band_pairs(self.word_source, self.word_witness, expected, which)

    def _search_vectors(self) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """Content-word vectors for the candidate search, without the words found in a
        large share of all sentences (no evidence of a correspondence, and they make the
        product dense; they still count in the final score), cosine-normalised."""
        df = np.asarray(self.binary_source.sum(axis=0) + self.binary_witness.sum(axis=0))
        df = df.ravel()
        total = self.n_source + self.n_witness
        common = df > min(max(50.0, 0.05 * total), COMMON_CAP)
        mask = sp.diags((~common).astype(np.float32))
        return _l2((self.weight_source @ mask).tocsr()), _l2((self.weight_witness @ mask).tocsr())

    def score(self, pairs: Sequence[tuple[int, int]]) -> PairScores:
        """Score many (source, witness) pairs at once."""
        if not pairs:
            empty = np.zeros(0)
            return PairScores(empty.astype(int), empty.astype(int), empty, empty, empty)
        src = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
        wit = np.fromiter((p[1] for p in pairs), dtype=np.int64, count=len(pairs))
        return self._score_all(src, wit)

    def score_arrays(self, src: np.ndarray, wit: np.ndarray) -> PairScores:
        """Score the pairs (src[k], wit[k]), in that order."""
        if not len(src):
            return self.score([])
        return self._score_all(np.asarray(src, dtype=np.int64), np.asarray(wit, dtype=np.int64))

    @property
    def terms(self) -> tuple[Sequence[Sequence[str]], Sequence[Sequence[str]]]:
        """Content terms of each sentence (record, account), as the phrase tests read them."""
        return self._phrases

    def shares_phrase(self, source: int, witness: int) -> bool:
        """Whether the two sentences share two content words in a row (by stem)."""
        a, b = self._phrases[0][source], self._phrases[1][witness]
        return bool(set(zip(a, a[1:], strict=False)) & set(zip(b, b[1:], strict=False)))

    def score_sorted(self, pairs: Collection[tuple[int, int]]) -> PairScores:
        """Score a collection of pairs, returned in (source, witness) order.

        The same as ``score(sorted(pairs))``, without sorting hundreds of thousands of
        tuples in Python.
        """
        if not pairs:
            return self.score([])
        flat = itertools.chain.from_iterable(pairs)
        both = np.fromiter(flat, dtype=np.int64, count=2 * len(pairs)).reshape(-1, 2)
        order = by_keys(both[:, 1], both[:, 0])
        return self._score_all(both[order, 0], both[order, 1])

    def _score_all(self, src: np.ndarray, wit: np.ndarray) -> PairScores:
        """Score aligned index arrays in chunks (bounded memory), each pair of distinct
        sentences once: a pair of copies takes the score of the first copies' pair."""
        asked_s, asked_w = src, wit
        first_s, first_w = self._copy_of[0][src], self._copy_of[1][wit]
        keys = first_s * max(self.n_witness, 1) + first_w
        distinct, back = np.unique(keys, return_inverse=True)
        copies = len(distinct) <= 0.9 * len(keys)  # else not worth the detour
        if copies:
            src, wit = np.divmod(distinct, max(self.n_witness, 1))
        starts = range(0, len(src), CHUNK_PAIRS)

        def chunk(k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            return self._score_arrays(src[k : k + CHUNK_PAIRS], wit[k : k + CHUNK_PAIRS])

        if SCORE_THREADS > 1 and len(starts) >= THREADED_CHUNKS:
            with ThreadPoolExecutor(SCORE_THREADS) as pool:
                parts = list(pool.map(chunk, starts))
        else:
            parts = [chunk(k) for k in starts]
        columns = [np.concatenate(column) for column in zip(*parts, strict=True)]
        score, cont_s, cont_w = [c[back] for c in columns] if copies else columns
        return PairScores(asked_s, asked_w, score, cont_s, cont_w)

    def _score_arrays(
        self, src: np.ndarray, wit: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Score, containment of source, containment of witness for aligned index arrays."""
        word = _rowwise(self.word_source[src], self.word_witness[wit])
        char = _rowwise(self.char_source[src], self.char_witness[wit])
        cont_s, cont_w = self._containment(src, wit)
        return _combine(word, char, cont_s, cont_w), cont_s, cont_w

    def _containment(self, src: np.ndarray, wit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """IDF-weighted share of each side's content words found on the other side.

        Both sides' weights are presence times one IDF, so the weight of the shared words
        is the same sum seen from either side: one product gives both.
        """
        shared = _rowsum(self.weight_source[src].multiply(self.binary_witness[wit]))
        shared_s = shared_w = shared
        total_s = self.total_source[src]
        total_w = self.total_witness[wit]
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
        return self.group_scores([(source, witness)])[0]

    def group_scores(
        self, groups: Sequence[tuple[Sequence[int], Sequence[int]]], every_word: bool = False
    ) -> list[tuple[float, float, float]]:
        """Score many links at once (see :meth:`group_score`): one sparse product per signal.

        With ``every_word``, the containments read every word of each side (its stem, as
        the word vectors do), function words at their low IDF, not the content words only:
        what the joins of :mod:`.merges` ask (a merged half's wording, issue 10).
        """
        if not groups:
            return []
        gs = _members([g[0] for g in groups], self.n_source)
        gw = _members([g[1] for g in groups], self.n_witness)
        word = _cosines(gs @ self.word_source, gw @ self.word_witness)
        char = _cosines(gs @ self.char_source, gw @ self.char_witness)
        cont_s, cont_w = _shares(gs @ self.weight_source, gw @ self.weight_witness)
        combined = _combine(word, char, cont_s, cont_w)
        if every_word:
            cont_s, cont_w = _shares(gs @ self._every_weight[0], gw @ self._every_weight[1])
        return [
            (float(a), float(b), float(c))
            for a, b, c in zip(combined.tolist(), cont_s.tolist(), cont_w.tolist(), strict=True)
        ]

    @property
    def _every_weight(self) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """Presence times IDF of every word's stem (record, account), made when the
        joins first ask for it."""
        if self._every is None:
            present = _fit(self._stems.lists(), self._rows, binary=True, normalise=False)
            self._every = present[: self.n_source], present[self.n_source :]
        return self._every


def _shares(ws: sp.spmatrix, ww: sp.spmatrix) -> tuple[np.ndarray, np.ndarray]:
    """Each side's weight found on the other, as a share of its own (rows: links)."""
    ws, ww = sp.csr_matrix(ws), sp.csr_matrix(ww)
    shared_s = _rowsum(ws.multiply(_binary(ww)))
    shared_w = _rowsum(ww.multiply(_binary(ws)))
    total_s, total_w = _rowsum(ws), _rowsum(ww)
    with np.errstate(divide="ignore", invalid="ignore"):
        cont_s = np.where(total_s > 0, shared_s / total_s, 0.0)
        cont_w = np.where(total_w > 0, shared_w / total_w, 0.0)
    return cont_s, cont_w


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


def _distinct(
    words: Sequence[Sequence[str]], terms: Sequence[Sequence[str]]
) -> tuple[list[int], np.ndarray | None]:
    """The first sentence of each kind (same words and terms), and for every sentence
    the position of its kind among them (``None`` when every sentence is distinct)."""
    first: dict[tuple[tuple[str, ...], tuple[str, ...]], int] = {}
    kept: list[int] = []
    kinds: list[int] = []
    for k, (w, t) in enumerate(zip(words, terms, strict=True)):
        kind = first.setdefault((tuple(w), tuple(t)), len(kept))
        if kind == len(kept):
            kept.append(k)
        kinds.append(kind)
    if len(kept) == len(kinds):
        return kept, None
    return kept, np.asarray(kinds, dtype=np.int64)


def _fit(docs: list[list[str]], rows: np.ndarray | None, **options: bool) -> sp.csr_matrix:
    """TF-IDF of token lists (:func:`.tfidf.tfidf`, scikit-learn's ``TfidfVectorizer``
    to the bit), of the documents ``docs[rows]`` when ``rows`` is given; texts with no
    words at all give an all-zero matrix."""
    try:
        return tfidf(docs, rows=rows, **options)
    except ValueError:  # empty vocabulary: only punctuation or nothing
        return sp.csr_matrix((len(docs) if rows is None else len(rows), 1), dtype=np.float32)


def _fit_with_pairs(docs: Numbered, rows: np.ndarray | None) -> sp.csr_matrix:
    """:func:`_fit` of each document's terms and adjacent term pairs (:func:`_with_bigrams`),
    sublinear TF, cosine-normalised."""
    try:
        return tfidf_of_pairs(docs, rows=rows, sublinear=True)
    except ValueError:  # empty vocabulary: only punctuation or nothing
        size = len(docs.lengths) if rows is None else len(rows)
        return sp.csr_matrix((size, 1), dtype=np.float32)


def _first_copies(words: Sequence[Sequence[str]]) -> np.ndarray:
    """For each sentence, the index of the first sentence with the same words."""
    first: dict[tuple[str, ...], int] = {}
    out: np.ndarray = np.array(
        [first.setdefault(tuple(w), k) for k, w in enumerate(words)], dtype=np.int64
    )
    return out


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


def _members(groups: Sequence[Sequence[int]], size: int) -> sp.csr_matrix:
    """One row per group with a 1 at each member: a product with it sums their vectors."""
    indptr = np.cumsum([0] + [len(g) for g in groups])
    indices = np.fromiter((i for g in groups for i in g), dtype=np.int64, count=int(indptr[-1]))
    ones = np.ones(len(indices), dtype=np.float32)
    return sp.csr_matrix((ones, indices, indptr), shape=(len(groups), size))


def _cosines(a: sp.spmatrix, b: sp.spmatrix) -> np.ndarray:
    """Cosine of row k of ``a`` with row k of ``b``, for every k (0 for an empty row)."""
    a, b = sp.csr_matrix(a), sp.csr_matrix(b)
    norms = np.sqrt(_rowsum(a.multiply(a)) * _rowsum(b.multiply(b)))
    with np.errstate(divide="ignore", invalid="ignore"):
        out: np.ndarray = np.where(norms > 0, _rowwise(a, b) / norms, 0.0)
    return out
