"""The engine's own TF-IDF is scikit-learn's, to the bit, on real texts (so scores and
links do not move), without importing scikit-learn."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import (
    ENGLISH_STOP_WORDS,
    TfidfTransformer,
    TfidfVectorizer,
)

from webapp.collate import Document
from webapp.collate.normalize import Normalizer
from webapp.collate.similarity import Scorer, _all_stems, _with_bigrams
from webapp.collate.stopwords import ENGLISH_STOP_WORDS as OWN_STOP_WORDS
from webapp.collate.tfidf import (
    DENSE_CELLS,
    LONG_ROW,
    char_tfidf,
    pair_counts,
    term_counts,
    tfidf,
    tfidf_with_pairs,
    weigh,
)

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted((ROOT / "corpora").glob("*/*.txt")) + [
    ROOT / "tests/data/segment/bible-chapters.txt"
]


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _same(a: sp.spmatrix, b: sp.spmatrix) -> bool:
    a, b = sp.csr_matrix(a), sp.csr_matrix(b)
    return (
        a.shape == b.shape
        and a.dtype == b.dtype
        and np.array_equal(a.indptr, b.indptr)
        and np.array_equal(a.indices, b.indices)
        and np.array_equal(a.data, b.data)
    )


def _sentences() -> list[list[str]]:
    """The normalised words of every sentence of the bundled corpora and Bible chapters,
    and one run-on sentence longer than ``LONG_ROW`` terms."""
    norm = Normalizer()
    out = [
        norm.words(s.text)
        for path in TEXTS
        for s in Document.from_text(path.name, path.read_text(encoding="utf-8")).sentences
    ]
    out.append([w for words in out[:200] for w in words])
    assert max(len(w) for w in out) > LONG_ROW
    return out


def test_the_stop_words_are_scikit_learns() -> None:
    assert OWN_STOP_WORDS == ENGLISH_STOP_WORDS


def test_word_and_weight_vectors_are_scikit_learns_to_the_bit() -> None:
    words = _sentences()
    norm = Normalizer()
    terms = [norm.terms(w) for w in words]
    docs = [_with_bigrams(t) for t in _all_stems(words, terms)]
    theirs = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float32)
    assert _same(tfidf(docs, sublinear=True), theirs.fit_transform(docs))
    theirs = TfidfVectorizer(analyzer=_identity, binary=True, norm=None, dtype=np.float32)
    assert _same(tfidf(terms, binary=True, normalise=False), theirs.fit_transform(terms))


def test_character_vectors_are_scikit_learns_to_the_bit() -> None:
    words = _sentences()
    theirs = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32
    )
    assert _same(char_tfidf(words), theirs.fit_transform([" ".join(w) for w in words]))


def test_weighing_counts_is_scikit_learns_transformer() -> None:
    counts = sp.csr_matrix(
        np.random.default_rng(0).poisson(0.3, size=(400, 700)).astype(np.float32)
    )
    theirs = TfidfTransformer(sublinear_tf=True).fit(counts).transform(counts.copy())
    assert _same(weigh(counts.copy(), sublinear=True, normalise=True), theirs)


def test_no_token_at_all_is_an_error_as_in_scikit_learn() -> None:
    with pytest.raises(ValueError):
        tfidf([[], []])


def test_copies_counted_once_give_the_same_vectors() -> None:
    # A formula repeated through the text is tokenised once and taken again as rows.
    words = _sentences()[:300]
    text = [words[k % 40] for k in range(500)] + words[40:]
    norm = Normalizer()
    terms = [norm.terms(w) for w in text]
    scorer = Scorer(terms[:250], terms[250:], text[:250], text[250:])
    theirs = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32
    ).fit_transform([" ".join(w) for w in text])
    assert _same(sp.vstack([scorer.char_source, scorer.char_witness]), theirs)
    docs = [_with_bigrams(t) for t in _all_stems(text, terms)]
    theirs = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float32)
    assert _same(sp.vstack([scorer.word_source, scorer.word_witness]), theirs.fit_transform(docs))


TOKENS = st.sampled_from(
    ["a", "ab", "abc", "b", "ba", "a'b", "1", "é", "ab'", "zz", "a b", " ", ""]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(TOKENS, max_size=9), min_size=1, max_size=7))
def test_pairs_numbered_from_their_terms_count_as_pairs_spelled_out(docs: list[list[str]]) -> None:
    # The pair "a b" sorts as (a, b) among the terms; a term with a space (a variant such
    # as "new york") or an empty one makes the counts spell the pairs out instead.
    spelled = [d + [f"{a} {b}" for a, b in zip(d, d[1:], strict=False)] for d in docs]
    if not any(docs):
        with pytest.raises(ValueError):
            pair_counts(docs)
        return
    assert _same(pair_counts(docs), term_counts(spelled))


def test_a_few_long_documents_counted_in_cells_are_scikit_learns_to_the_bit() -> None:
    # Two and three run-on documents: documents x tokens and the pair keys are few enough
    # to be counted in arrays of cells, not by sorting (tfidf.DENSE_CELLS).
    words = _sentences()
    norm = Normalizer()
    for n_docs, n_sentences in ((2, 60), (3, 400)):
        joined = [
            [w for words_ in words[k::n_docs][:n_sentences] for w in words_] for k in range(n_docs)
        ]
        terms = [norm.terms(w) for w in joined]
        stems = _all_stems(joined, terms)
        vocabulary = {t for doc in stems for t in doc}
        assert n_docs * len(vocabulary) * 2 <= DENSE_CELLS
        small = len(vocabulary) + len(vocabulary) ** 2 <= DENSE_CELLS
        assert small == (n_sentences == 60)  # pair keys in cells for the short one only
        docs = [_with_bigrams(t) for t in stems]
        theirs = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float32)
        expected = theirs.fit_transform(docs)
        assert _same(tfidf_with_pairs(stems, sublinear=True), expected)
        assert _same(tfidf(docs, sublinear=True), expected)
