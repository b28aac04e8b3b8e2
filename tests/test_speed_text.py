"""The text side's short-cuts (issue 10, the long sentence) give what the plain steps give."""

from __future__ import annotations

import random
import unicodedata
from collections import Counter

import numpy as np
import pytest
import scipy.sparse as sp
from diff_match_patch import diff_match_patch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from webapp.collate import anchors, diff
from webapp.collate.normalize import (
    _APOSTROPHES,
    _DIGIT_GROUP,
    _PUNCT_FOLD,
    SPLIT_FROM,
    Normalizer,
    _fold,
    content_words,
    stems,
)
from webapp.collate.number_words import numbers_as_digits
from webapp.collate.tfidf import char_tfidf, numbered


def _runs_once(codes_a: np.ndarray, codes_b: np.ndarray, k: int) -> list[tuple[int, int]]:
    """The plain reading of ``_unique_pairs``: count every run's hash on each side."""
    hashes_a = anchors._run_hashes(codes_a, k).tolist()
    hashes_b = anchors._run_hashes(codes_b, k).tolist()
    in_a, in_b = Counter(hashes_a), Counter(hashes_b)
    where_b = {h: at for at, h in enumerate(hashes_b)}
    out = []
    for at in range(0, len(hashes_a), k):
        h = hashes_a[at]
        if in_a[h] == 1 and in_b[h] == 1:
            at_b = where_b[h]
            if list(codes_a[at : at + k]) == list(codes_b[at_b : at_b + k]):
                out.append((at, at_b))
    return out


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 5), max_size=300),
    st.lists(st.tuples(st.integers(0, 299), st.integers(0, 5)), max_size=20),
    st.sampled_from([1, 2, 3, 8]),
    st.sampled_from([-12, -4, 0, 1]),
    st.booleans(),
)
def test_anchors_counted_in_buckets_are_the_runs_found_once_on_each_side(
    a: list[int], edits: list[tuple[int, int]], k: int, bits: int, weak_hash: bool
) -> None:
    # Few symbols: runs repeat; few bucket bits or a hash of base 1: buckets are crowded
    # and hashes collide, so every path of the bucket count is taken.
    b = list(a)
    for at, symbol in edits:
        if b:
            b[at % len(b)] = symbol
    codes_a, codes_b = np.array(a, dtype=np.uint64), np.array(b[3:], dtype=np.uint64)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(anchors, "BUCKET_BITS", bits)
        if weak_hash:
            patch.setattr(anchors, "_HASH_BASE", np.uint64(1))
        expected = _runs_once(codes_a, codes_b, k)
        found_a, found_b = anchors._unique_pairs(codes_a, codes_b, k)
        assert list(zip(found_a.tolist(), found_b.tolist(), strict=True)) == expected


@settings(max_examples=300, deadline=None)
@given(st.text("abc", max_size=12), st.text("abc", max_size=12))
def test_a_gap_s_diff_is_diff_match_patch_s(a: str, b: str) -> None:
    # Among them the short-cut's case: one symbol changed between a shared start and end.
    engine = diff_match_patch()
    expected = engine.diff_main(a, b, False) if a and b else None
    found = anchors._gap(a, b, engine)
    if expected is not None:
        assert found == expected
    assert "".join(t for op, t in found if op != 1) == a
    assert "".join(t for op, t in found if op != -1) == b


def test_a_changed_word_in_a_long_sentence_is_one_delete_and_one_insert() -> None:
    rng = random.Random(3)
    words = [rng.choice(["alpha", "beta", "gamma", "delta", "kappa"]) for _ in range(3000)]
    changed = list(words)
    changed[1234] = "omega"
    ops = diff.word_diff(" ".join(words), " ".join(changed), Normalizer())
    assert [op.op for op in ops] == ["equal", "delete", "insert", "equal"]
    assert (ops[1].text, ops[2].text) == (words[1234], "omega")
    assert ops[0].text == " ".join(words[:1234]) + " "


_PIECES = ["Word", "a", "b c", "", "ÉTÉ", "x'y", "İ", "ab"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=12), min_size=1, max_size=5))
def test_n_grams_of_numbered_words_are_scikit_learn_s_to_the_bit(docs: list[list[str]]) -> None:
    # Words holding a space are split as scikit-learn splits the joined text.
    theirs = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32
    )
    joined = [" ".join(d) for d in docs]
    if not any(len(w.strip()) for w in joined):
        return  # scikit-learn has no vocabulary; the engine gives zeros
    try:
        expected = theirs.fit_transform(joined)
    except ValueError:
        return
    found = char_tfidf(docs)
    assert isinstance(expected, sp.csr_matrix)
    assert found.shape == expected.shape
    assert np.array_equal(found.indptr, expected.indptr)
    assert np.array_equal(found.indices, expected.indices)
    assert np.array_equal(found.data, expected.data)


@given(st.lists(st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=6), max_size=5))
def test_numbered_words_give_the_words_back_and_map_by_first_appearance(
    docs: list[list[str]],
) -> None:
    words = numbered(docs)
    assert words.lists() == docs
    table = [t.upper() if t in "ab" else "X" for t in words.tokens]
    mapped = words.mapped(table)
    expected = [[t.upper() if t in "ab" else "X" for t in d] for d in docs]
    assert mapped.lists() == expected
    assert mapped.tokens == list(dict.fromkeys(t for d in expected for t in d))


_PLAIN_PIECES = ["twenty", "two", "1,200", "3.000", "²", "21st", "one", "hundred", "men", "a.b"]
# Folding changes these: compatibility forms (some hold a space), combining marks at
# either end, soft hyphens, case, a backquote, digits of other scripts.
_FOLDED_PIECES = ["´", "¨", "ﬁne", "\u00ad", "e\u0301", "\u0301x", "ΣΑΣ", "ß", "İ", "x`y", "½"]
_OTHER_PIECES = ["①", "١٢٣", "Ⅻ", "don't", "’s", "“q”", "—", "x.", "Kosyrew", "\u00a0a"]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.sampled_from(_PLAIN_PIECES + _FOLDED_PIECES + _OTHER_PIECES), min_size=1, max_size=6
    ),
    st.integers(0, 2**32),
)
def test_a_long_text_s_words_are_those_of_the_plain_steps_over_the_whole_text(
    pieces: list[str], seed: int
) -> None:
    # The text is cut at its spaces before folding (each distinct piece folded once, the
    # cut shared with the diff), the digit-group pattern runs only when there is a digit,
    # and the number words are looked for among the distinct words: the same words as
    # folding the whole text and running the word pattern over it.
    rng = random.Random(seed)
    words = ["".join(rng.choices(pieces, k=rng.randint(1, 2))) for _ in range(1200)]
    text = " ".join(words)
    assert len(text) >= SPLIT_FROM
    normalizer = Normalizer({"kosyrew": "kozyrev"})
    assert normalizer.pieces(text) is not None or "\u00a0" in text
    folded = unicodedata.normalize("NFKC", text.replace("\u00ad", ""))
    folded = _DIGIT_GROUP.sub("", folded.translate(_APOSTROPHES)).casefold()
    expected = numbers_as_digits(normalizer._tokens(folded))
    assert normalizer.words(text) == expected
    assert normalizer.words(text) == expected  # the remembered cut gives the same


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(["the", "a", "of", "minister", "talks", "x", "1"]), max_size=200))
def test_a_long_list_s_terms_are_the_stems_of_its_content_words(words: list[str]) -> None:
    kept = content_words(words)
    assert Normalizer().terms(words) == stems(kept or words)


def _gaps_one_by_one(at_a: list[int], at_b: list[int]) -> tuple[list[tuple[int, ...]], tuple]:
    """The plain reading of ``anchors._gaps``: anchor after anchor."""
    k, gaps, end_a, end_b = anchors.ANCHOR_TOKENS, [], 0, 0
    for start_a, start_b in zip(at_a, at_b, strict=True):
        if start_a < end_a or start_b < end_b:
            continue
        if start_a > end_a or start_b > end_b:
            gaps.append((end_a, start_a, end_b, start_b))
        end_a, end_b = start_a + k, start_b + k
    return gaps, (end_a, end_b)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 3), st.integers(0, 12)), max_size=40))
def test_the_gaps_between_anchors_are_those_found_anchor_after_anchor(
    steps: list[tuple[int, int]],
) -> None:
    # Anchors k symbols apart or more in a (as they are taken), any distance in b: next
    # to each other, with a gap, or overlapping the one before (then skipped).
    k = anchors.ANCHOR_TOKENS
    at_a, at_b, pos_a, pos_b = [], [], 0, 0
    for step_a, step_b in steps:
        pos_a, pos_b = pos_a + step_a * k, pos_b + step_b
        at_a.append(pos_a)
        at_b.append(pos_b)
    found = anchors._gaps(np.array(at_a, dtype=np.int64), np.array(at_b, dtype=np.int64))
    assert found == _gaps_one_by_one(at_a, at_b)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(["1,200", "1200", "The", "the", "…", "...", "’s", "'s", "word", "x"]),
        min_size=1,
        max_size=6,
    ),
    st.integers(0, 2**32),
)
def test_a_long_diff_gives_both_texts_back_when_tokens_of_one_key_differ_in_length(
    pieces: list[str], seed: int
) -> None:
    # "1,200" and "1200" compare equal (one symbol) but are not as long: the text of a
    # run of tokens is then found from each piece's tokens, not from the symbols. What
    # is equal shows the source's text; the rest of the witness is its own.
    rng = random.Random(seed)
    words = [rng.choice(pieces) for _ in range(1500)]
    changed = [rng.choice(pieces) if rng.random() < 0.03 else w for w in words]
    source, witness = " ".join(words), " ".join(changed)
    normalizer = Normalizer()
    ops = diff.word_diff(source, witness, normalizer)
    assert "".join(op.text for op in ops if op.op != "insert") == source
    shown = "".join(op.text for op in ops if op.op != "delete")
    keys = [normalizer.key(t) for t in diff._TOKEN.findall(shown)]
    assert keys == [normalizer.key(t) for t in diff._TOKEN.findall(witness)]
    assert all(op.text in witness for op in ops if op.op == "insert")


_PIECE = st.tuples(st.sampled_from([-1, 0, 1]), st.text("ab", max_size=3))


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECE, max_size=8))
@example([(0, "a"), (1, "bb"), (0, "b")])  # slides over the equality after it
@example([(0, "a"), (-1, "ba"), (0, "b")])  # over the one before it
@example([(0, "a"), (1, "b"), (-1, "a"), (0, "b")])  # an insertion before a deletion
@example([(0, "a"), (-1, "ab"), (1, "b"), (0, "b")])  # ends alike
def test_diff_pieces_taken_as_merged_are_left_alone_by_the_merge(
    pieces: list[tuple[int, str]],
) -> None:
    merged = list(pieces)
    diff_match_patch().diff_cleanupMerge(merged)
    if anchors._merged(pieces):
        assert merged == pieces


def test_a_long_sentence_s_anchored_diff_needs_no_final_merge() -> None:
    rng = random.Random(5)
    words = [rng.choice(["alpha", "beta", "gamma", "delta", "kappa", "x,"]) for _ in range(4000)]
    changed = [rng.choice(["omega", "beta"]) if rng.random() < 0.03 else w for w in words]
    normalizer = Normalizer()
    source, witness = (
        diff._side(" ".join(words), normalizer),
        diff._side(" ".join(changed), normalizer),
    )
    of_token = diff._symbols(dict.fromkeys([*source.distinct, *witness.distinct]), normalizer)
    a, b = source.symbols(of_token), witness.symbols(of_token)
    engine = diff_match_patch()
    found = anchors.anchored(a, b, engine)
    assert anchors._merged(found)
    again = list(found)
    engine.diff_cleanupMerge(again)
    assert again == found


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 4), max_size=6), max_size=6))
def test_a_few_documents_pairs_are_those_of_the_many_documents_path(docs: list[list[int]]) -> None:
    from webapp.collate import tfidf

    ids = np.array([t for d in docs for t in d], dtype=np.int64)
    lengths = np.array([len(d) for d in docs], dtype=np.int64)
    few = tfidf._stream(ids, lengths, 5)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tfidf, "FEW_DOCUMENTS", -1)
        many = tfidf._stream(ids, lengths, 5)
    assert [part.tolist() for part in few] == [part.tolist() for part in many]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(["talk", "spring", "long", "longer", "minist", "x"]), max_size=90),
        min_size=2,
        max_size=6,
    )
)
def test_presence_weights_of_long_sentences_are_scikit_learn_s_to_the_bit(
    terms: list[list[str]],
) -> None:
    # A long sentence's repeated terms are dropped before its presence is counted.
    from webapp.collate.normalize import merge_comparatives
    from webapp.collate.similarity import Scorer

    if not any(terms):
        return
    half = len(terms) // 2
    scorer = Scorer(terms[:half], terms[half:], terms[:half], terms[half:])
    theirs = TfidfVectorizer(analyzer=lambda d: d, binary=True, norm=None, dtype=np.float32)
    expected = theirs.fit_transform(merge_comparatives(terms))
    found = sp.vstack([scorer.weight_source, scorer.weight_witness]).tocsr()
    assert np.array_equal(found.indptr, expected.indptr)
    assert np.array_equal(found.indices, expected.indices)
    assert np.array_equal(found.data, expected.data)


@settings(max_examples=300, deadline=None)
@given(
    st.text("abzAZ`'0_é ", min_size=1, max_size=6)
    | st.sampled_from(["Two", "Kosyrew", "twenty", "Zwei", "A", "B"]),
    st.sampled_from([{}, {"kosyrew": "kozyrev"}, {"zwei": "two"}, {"a": "new york"}, {"b": "b2"}]),
)
def test_a_plain_word_s_key_is_the_one_its_words_give(token: str, variants: dict[str, str]) -> None:
    # A word of ASCII letters takes a short-cut to its key: the same key.
    normalizer = Normalizer(variants)
    forms = normalizer.words(token)
    expected = " ".join(forms) if forms else _fold(token).translate(_PUNCT_FOLD)
    assert normalizer.key(token) == (" " if token.isspace() else expected)
