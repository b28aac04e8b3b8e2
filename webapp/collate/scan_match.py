"""The matching of a scan: an account's TF-IDF vectors against a partition of records, in
bounded dense blocks, keeping each record's best match for every account sentence."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp

from .scan_profile import Frequencies, Profile, ScanSettings, _features

#: Upper bound on the cells of one dense block of similarities (record sentences x
#: account sentences) computed at once; bounds memory on long accounts.
BLOCK_CELLS = 2_000_000
#: Similarities are rounded to this many decimals (what is shown and what is ranked).
DECIMALS = 4


class Passage(NamedTuple):
    """An account sentence and the record sentence it draws on (0-based indices)."""

    account_index: int
    record_index: int
    similarity: float
    account_text: str
    record_text: str

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "account": self.account_index,
            "record": self.record_index,
            "similarity": self.similarity,
            "account_text": self.account_text,
            "record_text": self.record_text,
        }


@dataclass(frozen=True, slots=True)
class RecordMatches:
    """What one partition found in one record: its best match per account sentence.

    Only matches of at least ``min_score`` are kept.
    """

    name: str
    sentences: int
    matches: tuple[Passage, ...]


@dataclass(frozen=True, slots=True)
class Query:
    """The account as vectors over its own features, built once for every partition."""

    profile: Profile
    columns: Mapping[str, int]
    #: Unit-length TF-IDF vectors of the account sentences (sentences x features).
    words: sp.csr_matrix
    #: IDF of each content word present in the sentence (single terms only).
    weights: sp.csr_matrix
    #: Sum of the IDF of each account sentence's content words.
    totals: np.ndarray


def query(account: Profile, table: Frequencies) -> Query:
    """Vectorise the account against the archive's frequency table."""
    columns: dict[str, int] = {}
    for terms in account.terms:
        for feature in _features(terms):
            columns.setdefault(feature, len(columns))
    # Columns in a fixed (sorted) order: the same account gives the same matrices.
    columns = {feature: k for k, feature in enumerate(sorted(columns))}
    words, weights, totals = _vectorise(account.terms, columns, _Idf(table), content_idf=True)
    return Query(account, columns, words, weights, totals)


class _Idf(dict[str, float]):
    """IDF of each feature, computed once per feature from the frequency table."""

    def __init__(self, table: Frequencies) -> None:
        super().__init__()
        self.table = table

    def __missing__(self, feature: str) -> float:
        value = self[feature] = self.table.idf(feature)
        return value


def _vectorise(
    sentences: Sequence[Sequence[str]],
    columns: Mapping[str, int],
    idf: _Idf,
    *,
    content_idf: bool,
) -> tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray]:
    """Word vectors, content-word presence and content IDF totals, over ``columns``.

    Word vectors are unit-length sublinear TF-IDF rows; their norm counts every feature of
    the sentence, also those outside ``columns``, so a record sentence's vector does not
    depend on the account. Presence is each content word's IDF (``content_idf``) or 1.
    Every sum runs in the sentence's own word order (never a set's), so the numbers are
    the same in any process and any partition.
    """
    shape = (len(sentences), max(len(columns), 1))
    word_ptr, word_cols, word_data = [0], [], []
    term_ptr, term_cols, term_data = [0], [], []
    totals: list[float] = []
    for terms in sentences:
        counts = Counter(_features(terms))
        weights = [
            (f, idf[f] if c == 1 else (1.0 + math.log(c)) * idf[f]) for f, c in counts.items()
        ]
        norm = math.sqrt(sum(w * w for _, w in weights)) or 1.0
        for feature, weight in weights:
            column = columns.get(feature)
            if column is not None:
                word_cols.append(column)
                word_data.append(weight / norm)
        word_ptr.append(len(word_cols))
        total = 0.0
        for term in dict.fromkeys(terms):
            weight = idf[term]
            total += weight
            column = columns.get(term)
            if column is not None:
                term_cols.append(column)
                term_data.append(weight if content_idf else 1.0)
        term_ptr.append(len(term_cols))
        totals.append(total)
    words = sp.csr_matrix((np.asarray(word_data, dtype=np.float64), word_cols, word_ptr), shape)
    content = sp.csr_matrix((np.asarray(term_data, dtype=np.float64), term_cols, term_ptr), shape)
    return words, content, np.asarray(totals, dtype=np.float64)


def similarity(
    cosine: np.ndarray, shared: np.ndarray, totals_a: np.ndarray, totals_r: np.ndarray
) -> np.ndarray:
    """Blend cosine and containment into one score in [0, 1].

    ``shared`` is the IDF mass of the content words both sentences use; containment is
    its share of either sentence's words. Containment counts only as far as the cosine
    allows (a long sentence that shares one rare word with a short one is no match).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        cont_a = np.where(totals_a > 0, shared / totals_a, 0.0)
        cont_r = np.where(totals_r > 0, shared / totals_r, 0.0)
    partial = 0.8 * np.minimum(np.maximum(cont_a, cont_r), np.sqrt(np.maximum(cosine, 0) + 0.04))
    blended: np.ndarray = np.clip(np.maximum(cosine, partial * (0.5 + 0.5 * cosine)), 0.0, 1.0)
    return blended


def scan_partition(
    account: Query,
    records: Sequence[Profile],
    table: Frequencies,
    settings: ScanSettings | None = None,
) -> list[RecordMatches]:
    """For each record, its best sentence for every account sentence it matches.

    Depends only on the account, each record and the archive's frequency table, never
    on the other records of the partition.
    """
    settings = settings or ScanSettings()
    n_account = len(account.profile)
    out: list[RecordMatches] = []
    if n_account == 0:
        return [RecordMatches(r.name, len(r), ()) for r in records]
    account_words_t = account.words.T.tocsr()
    account_weights_t = account.weights.T.tocsr()
    idf = _Idf(table)
    for block in _blocks(records, n_account):
        sentences = [terms for record in block for terms in record.terms]
        words, presence, totals = _vectorise(sentences, account.columns, idf, content_idf=False)
        cosine = (words @ account_words_t).toarray()
        shared = (presence @ account_weights_t).toarray()
        scores = np.round(
            similarity(cosine, shared, account.totals[np.newaxis, :], totals[:, np.newaxis]),
            DECIMALS,
        )
        start = 0
        for record in block:
            end = start + len(record)
            out.append(_best_matches(account.profile, record, scores[start:end], settings))
            start = end
    return out


def _blocks(records: Sequence[Profile], n_account: int) -> Iterable[list[Profile]]:
    """Groups of whole records whose similarity blocks stay under :data:`BLOCK_CELLS`."""
    block: list[Profile] = []
    cells = 0
    for record in records:
        size = len(record) * n_account
        if block and cells + size > BLOCK_CELLS:
            yield block
            block, cells = [], 0
        block.append(record)
        cells += size
    if block:
        yield block


def _best_matches(
    account: Profile, record: Profile, scores: np.ndarray, settings: ScanSettings
) -> RecordMatches:
    """The best record sentence for each account sentence, where it is good enough."""
    if len(record) == 0:
        return RecordMatches(record.name, 0, ())
    best_rows = scores.argmax(axis=0)  # the first best record sentence on a tie
    best = scores[best_rows, np.arange(scores.shape[1])]
    matches = tuple(
        Passage(j, int(best_rows[j]), float(best[j]), account.texts[j], record.texts[best_rows[j]])
        for j in np.flatnonzero(best >= settings.min_score).tolist()
    )
    return RecordMatches(record.name, len(record), matches)
