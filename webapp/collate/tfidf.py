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

The scorer's three vectorisations live here: terms (:func:`tfidf`), terms with their
adjacent pairs (:func:`tfidf_with_pairs`) and character n-grams inside words
(:func:`char_tfidf`). None loops in Python over every token of a text: words and pairs
are numbered through ``dict``/``map`` and arrays, each distinct word is read once, so a
20,000-word sentence costs about what 1,000 sentences of 20 words do (issue 10).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import scipy.sparse as sp

#: From a document of this many words on, its repeated words are counted before its
#: character n-grams are (a 20,000-word sentence: a product of its distinct words).
LONG_DOCUMENT = 512
#: Counting keys in an array of cells (no sort) when there are at most this many cells:
#: a few long documents (one 20,000-word sentence a side), not many short ones.
DENSE_CELLS = 1 << 20
#: Up to this many documents, a document's tokens and pairs are made from its own slices.
FEW_DOCUMENTS = 16
#: Rows at least this long have their squares summed by a running sum each; shorter ones
#: all together, one position at a time (the same order of additions either way).
LONG_ROW = 512


@dataclass(frozen=True, slots=True)
class Numbered:
    """Token lists numbered once: each distinct token by first appearance, the number of
    every token in order, and each list's length. The scorer numbers a text's words once
    and derives its stems from the distinct words (a 20,000-word sentence: issue 10)."""

    tokens: list[str]
    ids: np.ndarray
    lengths: np.ndarray

    def lists(self) -> list[list[str]]:
        """The token lists again (for the rare paths that need the strings)."""
        ends = np.cumsum(self.lengths).tolist()
        flat = list(map(self.tokens.__getitem__, self.ids.tolist()))
        return [flat[end - n : end] for end, n in zip(ends, self.lengths.tolist(), strict=True)]

    def mapped(self, table: Sequence[str]) -> Numbered:
        """Each token replaced by ``table[its number]``, numbered again by first
        appearance (a token's first appearance is that of the first token mapped to it)."""
        renumber = {t: k for k, t in enumerate(dict.fromkeys(table))}
        new_ids = np.fromiter(map(renumber.__getitem__, table), dtype=np.int64, count=len(table))
        return Numbered(list(renumber), new_ids[self.ids], self.lengths)


def numbered(docs: Sequence[Sequence[str]]) -> Numbered:
    """Number the tokens of ``docs`` (see :class:`Numbered`): one ``dict`` and one ``map``."""
    flat = list(chain.from_iterable(docs))
    vocabulary = {t: k for k, t in enumerate(dict.fromkeys(flat))}  # by first appearance
    ids = np.fromiter(map(vocabulary.__getitem__, flat), dtype=np.int64, count=len(flat))
    lengths = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    return Numbered(list(vocabulary), ids, lengths)


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
    each row's entries in the order of the terms' first appearance in ``docs``.

    Terms are numbered by ``dict`` and ``map`` (no Python loop per token), so one long
    document costs what many short ones do.
    """
    flat = list(chain.from_iterable(docs))
    if not flat:
        raise ValueError("empty vocabulary")
    vocabulary = {t: k for k, t in enumerate(dict.fromkeys(flat))}  # by first appearance
    size = len(vocabulary)
    ids = np.fromiter(map(vocabulary.__getitem__, flat), dtype=np.int64, count=len(flat))
    lengths = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    keys = np.repeat(np.arange(len(docs), dtype=np.int64), lengths) * size
    keys += ids
    rank = np.empty(size, dtype=np.int32)
    rank[list(map(vocabulary.__getitem__, sorted(vocabulary)))] = np.arange(size, dtype=np.int32)
    return _counted(keys, rank, len(docs), size)


def tfidf_with_pairs(
    docs: Sequence[Sequence[str]], *, rows: np.ndarray | None = None, sublinear: bool = False
) -> sp.csr_matrix:
    """:func:`tfidf` of each document's terms followed by its adjacent pairs of terms
    (``"a b"``), the same matrix to the bit, without making a string per pair."""
    return tfidf_of_pairs(numbered(docs), rows=rows, sublinear=sublinear)


def tfidf_of_pairs(
    docs: Numbered, *, rows: np.ndarray | None = None, sublinear: bool = False
) -> sp.csr_matrix:
    """:func:`tfidf_with_pairs` of documents already numbered."""
    counts = numbered_pair_counts(docs)
    if rows is not None:
        counts = sp.csr_matrix(counts[rows])
    return weigh(counts, sublinear=sublinear, normalise=True)


def pair_counts(docs: Sequence[Sequence[str]]) -> sp.csr_matrix:
    """:func:`term_counts` of each document's terms followed by its pairs of adjacent terms.

    A pair is numbered from its two terms, so a long text of distinct pairs costs array
    operations, not a string and a dictionary entry per pair. The pair ``"a b"`` sorts as
    the tuple of its terms' places among the sorted terms, after the term ``"a"`` and
    before any term that continues it; that holds when no term has a space or a control
    character, otherwise the pairs are spelled out.
    """
    return numbered_pair_counts(numbered(docs))


def numbered_pair_counts(docs: Numbered) -> sp.csr_matrix:
    """:func:`pair_counts` of documents already numbered."""
    terms, ids, lengths = docs.tokens, docs.ids, docs.lengths
    if not terms:
        raise ValueError("empty vocabulary")
    if "" in terms or min(map(min, terms)) <= " ":
        return term_counts([_spelled_pairs(d) for d in docs.lists()])
    size = len(terms)
    stream, doc_of = _stream(ids, lengths, size)
    # Each token numbered by first appearance in the stream, as term_counts numbers them.
    distinct, first, inverse = _first_appearances(stream, size + size * size)
    appearance = _ranks(first, len(stream))  # each token's place by first appearance
    token_ids = appearance[inverse]
    # Sorted order of the tokens' strings: terms by their own order, pairs by their terms.
    place = np.empty(size, dtype=np.int64)
    place[sorted(range(size), key=terms.__getitem__)] = np.arange(size)
    head = np.where(distinct < size, distinct, (distinct - size) // size)
    tail = np.where(distinct < size, 0, place[(distinct - size) % size] + 1)  # a term: 0
    rank = np.empty(len(distinct), dtype=np.int32)
    keys = place[head] * (size + 1) + tail  # one key per token, all distinct
    rank[appearance] = _ranks(keys, size * (size + 1))
    return _counted(doc_of * len(distinct) + token_ids, rank, len(lengths), len(distinct))


def _ranks(keys: np.ndarray, space: int) -> np.ndarray:
    """The place of each of ``keys`` (distinct, below ``space``) among them in sorted
    order: marked in an array of ``space`` cells and counted when that is small, without
    sorting; else by sorting."""
    if space <= DENSE_CELLS:
        marks = np.zeros(space, dtype=bool)
        marks[keys] = True
        ranks: np.ndarray = (np.cumsum(marks) - 1)[keys]
        return ranks
    found = np.empty(len(keys), dtype=np.int64)
    found[np.argsort(keys)] = np.arange(len(keys))
    return found


def _spelled_pairs(terms: Sequence[str]) -> list[str]:
    """The terms and their adjacent pairs as strings."""
    return list(terms) + [f"{a} {b}" for a, b in zip(terms, terms[1:], strict=False)]


def _stream(ids: np.ndarray, lengths: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The tokens of every document in order, its terms then its pairs (a pair of terms
    ``a, b`` numbered ``size + a * size + b``), and the document of each token."""
    n_docs = len(lengths)
    if n_docs <= FEW_DOCUMENTS:  # a few long documents: each one's slices, joined
        ends = np.cumsum(lengths).tolist()
        parts: list[np.ndarray] = []
        for end, n in zip(ends, lengths.tolist(), strict=True):
            doc = ids[end - n : end]
            parts += [doc, size + doc[:-1] * size + doc[1:]]
        counts = lengths + np.maximum(lengths - 1, 0)
        owner = np.repeat(np.arange(n_docs, dtype=np.int64), counts)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64), owner
    doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    pairs = np.maximum(lengths - 1, 0)
    within = doc_of[1:] == doc_of[:-1] if len(ids) else np.zeros(0, dtype=bool)
    starts = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(lengths + pairs, out=starts[1:])
    offsets = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    at = np.arange(len(ids), dtype=np.int64)
    term_pos = starts[doc_of] + at - offsets[doc_of]
    pair_docs = doc_of[:-1][within]
    pair_pos = starts[pair_docs] + lengths[pair_docs] + at[:-1][within] - offsets[pair_docs]
    stream = np.empty(int(starts[-1]), dtype=np.int64)
    stream[term_pos] = ids
    stream[pair_pos] = size + ids[:-1][within] * size + ids[1:][within]
    owner = np.empty(len(stream), dtype=np.int64)
    owner[term_pos], owner[pair_pos] = doc_of, pair_docs
    return stream, owner


def _first_appearances(keys: np.ndarray, space: int) -> tuple[np.ndarray, ...]:
    """``numpy.unique(keys, return_index=True, return_inverse=True)`` for keys below
    ``space``; counted in an array of ``space`` cells when that is small (a few long
    documents), without sorting the keys."""
    if space > DENSE_CELLS:
        found: tuple[np.ndarray, ...] = np.unique(keys, return_index=True, return_inverse=True)
        return found
    first = np.full(space, len(keys), dtype=np.int64)
    np.minimum.at(first, keys, np.arange(len(keys), dtype=np.int64))
    present = first < len(keys)
    distinct = np.flatnonzero(present)
    return distinct, first[distinct], (np.cumsum(present) - 1)[keys]


def _counted(keys: np.ndarray, rank: np.ndarray, n_docs: int, size: int) -> sp.csr_matrix:
    """The count matrix from ``document * size + token`` keys (tokens by first
    appearance) and each token's column (``rank``); counted in an array of cells when
    documents x tokens is small, else by sorting the keys."""
    if n_docs * size <= DENSE_CELLS:
        dense = np.bincount(keys, minlength=n_docs * size)
        unique = np.flatnonzero(dense)
        counts = dense[unique]
    else:
        unique, counts = np.unique(keys, return_counts=True)
    rows, first_ids = np.divmod(unique, size)
    indptr = np.zeros(n_docs + 1, dtype=np.int32)
    np.cumsum(np.bincount(rows, minlength=n_docs), out=indptr[1:])
    return sp.csr_matrix((counts.astype(np.float32), rank[first_ids], indptr), shape=(n_docs, size))


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
        # A running sum adds left to right, one value after another (no pairwise steps).
        sums[row] = np.cumsum(values[indptr[row] : indptr[row + 1]])[-1]
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


def char_tfidf(docs: Sequence[Sequence[str]], rows: np.ndarray | None = None) -> sp.csr_matrix:
    """TF-IDF of character 3- to 5-grams inside words, built once per distinct word.

    The same matrix, to the bit, as scikit-learn's ``TfidfVectorizer(analyzer="char_wb",
    ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32)`` on the joined words, which
    counts every n-gram of every word occurrence in Python (most of the scorer's time on
    long texts). Here each distinct word is cut into n-grams once and the counts are a
    sparse product, documents x words times words x n-grams. Columns are in sorted n-gram
    order and each row's entries in order of first appearance, as sklearn leaves them.
    With ``rows``, the documents are ``docs[rows]`` (copies counted again for the IDF).
    """
    return numbered_char_tfidf(numbered(docs), rows)


def numbered_char_tfidf(docs: Numbered, rows: np.ndarray | None = None) -> sp.csr_matrix:
    """:func:`char_tfidf` of documents already numbered."""
    size = len(docs.lengths) if rows is None else len(rows)
    word_ids, occurrences, indptr = _word_occurrences(docs)
    # Each word's n-grams, numbered by first appearance (words in order of first appearance).
    of_words = list(map(_wb_ngrams, word_ids))
    every_gram = list(chain.from_iterable(of_words))
    gram_ids = {g: k for k, g in enumerate(dict.fromkeys(every_gram))}
    grams = list(map(gram_ids.__getitem__, every_gram))
    gram_ptr = np.zeros(len(of_words) + 1, dtype=np.int64)
    np.cumsum(
        np.fromiter(map(len, of_words), dtype=np.int64, count=len(of_words)), out=gram_ptr[1:]
    )
    if not gram_ids:
        return sp.csr_matrix((size, 1), dtype=np.float32)
    doc_words = _doc_words(occurrences, indptr, len(word_ids))
    word_grams = sp.csr_matrix(
        (np.ones(len(grams), dtype=np.float32), grams, gram_ptr),
        shape=(len(word_ids), len(gram_ids)),
    )
    counts = sp.csr_matrix(doc_words @ word_grams)
    counts.sum_duplicates()  # sorted by first appearance, as sklearn's counts
    rank = np.empty(len(gram_ids), dtype=counts.indices.dtype)  # n-gram -> sorted place
    rank[list(map(gram_ids.__getitem__, sorted(gram_ids)))] = np.arange(len(gram_ids))
    counts.indices = rank.take(counts.indices)
    if rows is not None:
        counts = sp.csr_matrix(counts[rows])
    return weigh(counts, sublinear=True, normalise=True)


def _doc_words(occurrences: np.ndarray, indptr: np.ndarray, n_words: int) -> sp.csr_matrix:
    """Documents x words: how often each document has each word. A long document's
    repeats are counted first (its product with the n-grams then costs its distinct
    words, not its length); the counts are whole numbers, so the product is the same."""
    n_docs = len(indptr) - 1
    lengths = np.diff(indptr)
    if not len(lengths) or lengths.max() < LONG_DOCUMENT:
        ones = np.ones(len(occurrences), dtype=np.float32)
        return sp.csr_matrix((ones, occurrences, indptr), shape=(n_docs, n_words))
    keys = np.repeat(np.arange(n_docs, dtype=np.int64), lengths) * n_words + occurrences
    return _counted(keys, np.arange(n_words), n_docs, n_words)


def _word_occurrences(docs: Numbered) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
    """The words of the documents (lower case, split at spaces) numbered by first
    appearance, the number of each occurrence, and where each document's occurrences
    start; each distinct word is read once (a 20,000-word sentence: no loop per word)."""
    pieces = [word.lower().split() for word in docs.tokens]  # in order of first appearance
    word_ids = {t: k for k, t in enumerate(dict.fromkeys(chain.from_iterable(pieces)))}
    lengths = docs.lengths
    if all(len(split) == 1 for split in pieces):  # the usual case: one token a word
        single = [word_ids[split[0]] for split in pieces]
        occurrences = np.asarray(single, dtype=np.int64)[docs.ids]
    else:
        numbered = [[word_ids[t] for t in split] for split in pieces]
        counts = np.fromiter(map(len, numbered), dtype=np.int64, count=len(numbered))
        ends = np.cumsum(lengths)
        per_token = np.concatenate([[0], np.cumsum(counts[docs.ids])])
        lengths = np.diff(np.concatenate([[0], per_token[ends]])).astype(np.int64)
        occurrences = np.fromiter(
            chain.from_iterable(map(numbered.__getitem__, docs.ids.tolist())), dtype=np.int64
        )
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    return word_ids, occurrences, indptr


def _wb_ngrams(word: str, low: int = 3, high: int = 5) -> list[str]:
    """Character n-grams of one word padded with spaces, as sklearn's ``char_wb``."""
    padded = f" {word} "
    out: list[str] = []
    for n in range(low, high + 1):
        out.extend(padded[k : k + n] for k in range(max(1, len(padded) - n + 1)))
        if len(padded) <= n:  # a short word counts once
            break
    return out
