"""Simple aligners to measure the engine against, on the same sentences and the same truth.

Each takes the record's and the account's sentences (strings, in order) and returns a
:class:`~benchmarks.metrics.Predicted`, scored like the engine's output:

* :func:`tfidf_nearest` links every account sentence to its most similar record sentence
  (TF-IDF cosine) when the similarity reaches a threshold; a record sentence may take
  several; the only order analysis is the longest chain of links in order (LIS): links
  off it are *moved*;
* :func:`difflib_blocks` runs :class:`difflib.SequenceMatcher` over the two lists of
  (case- and space-folded) sentences; sentences in ``equal`` and ``replace`` blocks are
  linked pairwise in order, the rest of a block is omitted or added; nothing is moved;
* :func:`collatex_words` collates the two texts word by word with CollateX (the
  ``collatex`` package, an optional extra: ``pip install .[bench]``) and links two
  sentences when CollateX aligned enough of their words as the same reading; moves are
  the links off the longest chain in order (this CollateX has no transposition detection
  that runs).
"""

from __future__ import annotations

import difflib
import json
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from .metrics import Predicted

__all__ = ["BASELINES", "collatex_words", "difflib_blocks", "lis_moved", "tfidf_nearest"]

#: Cosine from which :func:`tfidf_nearest` links: the best link F1 of 0.1, 0.2, ..., 0.6 on
#: the 1,000-sentence pairs (mean of both levels, seed 0), so the baseline is at its best.
TFIDF_THRESHOLD = 0.5
#: :func:`collatex_words` links two sentences when CollateX aligned as the same reading at
#: least this share of the words of the shorter one (and at least two words).
COLLATEX_SHARE = 0.4

_WORD = re.compile(r"\w+")


def _predicted(links: set[tuple[int, int]], n_record: int, n_witness: int) -> Predicted:
    """Links, with omissions, additions and moves (off the LIS) derived from them."""
    linked_record = {i for i, _ in links}
    linked_witness = {j for _, j in links}
    return Predicted(
        links=frozenset(links),
        omitted=frozenset(i for i in range(n_record) if i not in linked_record),
        added=frozenset(j for j in range(n_witness) if j not in linked_witness),
        moved=frozenset(lis_moved(links)),
    )


def lis_moved(links: Iterable[tuple[int, int]]) -> set[int]:
    """Account sentences whose links are all off the longest chain in order.

    The chain is the longest sequence of (record, account) links increasing in the
    account and non-decreasing in the record (patience sorting, O(n log n)). Links of
    one account sentence come in decreasing record order, so at most one is taken.
    """
    ordered = sorted(set(links), key=lambda p: (p[1], -p[0]))
    tails: list[int] = []  # smallest record index that ends a chain of each length
    ends: list[int] = []  # the link that ends it
    previous = [-1] * len(ordered)
    for k, (i, _) in enumerate(ordered):
        at = bisect_right(tails, i)
        previous[k] = ends[at - 1] if at else -1
        if at == len(tails):
            tails.append(i)
            ends.append(k)
        else:
            tails[at] = i
            ends[at] = k
    on_chain: set[int] = set()
    k = ends[-1] if ends else -1
    while k >= 0:
        on_chain.add(ordered[k][1])
        k = previous[k]
    return {j for _, j in ordered} - on_chain


def tfidf_nearest(
    record: Sequence[str], witness: Sequence[str], threshold: float = TFIDF_THRESHOLD
) -> Predicted:
    """Each account sentence to its nearest record sentence by TF-IDF cosine, if near enough."""
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", dtype=np.float32)
    matrix = sp.csr_matrix(vectorizer.fit_transform(list(record) + list(witness)))
    rec, wit = matrix[: len(record)], matrix[len(record) :]
    links: set[tuple[int, int]] = set()
    rec_t = rec.T.tocsc()
    for begin in range(0, wit.shape[0], 2048):
        product = sp.csr_matrix(wit[begin : begin + 2048] @ rec_t)
        best = np.asarray(product.argmax(axis=1)).ravel()
        value = np.asarray(product.max(axis=1).todense()).ravel()
        for row in np.flatnonzero(value >= threshold):
            links.add((int(best[row]), begin + int(row)))
    return _predicted(links, len(record), len(witness))


def difflib_blocks(record: Sequence[str], witness: Sequence[str]) -> Predicted:
    """Links from difflib's opcodes: sentences of equal and replace blocks, pairwise in order."""

    def fold(text: str) -> str:
        return " ".join(text.casefold().split())

    matcher = difflib.SequenceMatcher(None, [fold(s) for s in record], [fold(s) for s in witness])
    links: set[tuple[int, int]] = set()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("equal", "replace"):
            links.update(zip(range(i1, i2), range(j1, j2), strict=False))
    return _predicted(links, len(record), len(witness))


def collatex_words(record: Sequence[str], witness: Sequence[str]) -> Predicted:
    """Sentence links from CollateX's word-level alignment of the two texts."""
    from collatex import collate

    def tokens(sentences: Sequence[str]) -> list[dict[str, object]]:
        return [
            {"t": word + " ", "n": word.casefold(), "s": k}
            for k, text in enumerate(sentences)
            for word in _WORD.findall(text)
        ]

    data = {
        "witnesses": [
            {"id": "record", "tokens": tokens(record)},
            {"id": "account", "tokens": tokens(witness)},
        ]
    }
    table = json.loads(collate(data, output="json", segmentation=False))["table"]
    shared: Counter[tuple[int, int]] = Counter()
    for rec_cell, wit_cell in zip(table[0], table[1], strict=True):
        if rec_cell and wit_cell and rec_cell[0]["n"] == wit_cell[0]["n"]:
            shared[(int(rec_cell[0]["s"]), int(wit_cell[0]["s"]))] += 1
    length_r = [len(_WORD.findall(s)) for s in record]
    length_w = [len(_WORD.findall(s)) for s in witness]
    links = {
        (i, j)
        for (i, j), count in shared.items()
        if count >= max(2.0, COLLATEX_SHARE * min(length_r[i], length_w[j]))
    }
    return _predicted(links, len(record), len(witness))


#: The baselines by name, as ``bench_align --methods`` knows them.
BASELINES = {
    "tfidf": tfidf_nearest,
    "difflib": difflib_blocks,
    "collatex": collatex_words,
}
