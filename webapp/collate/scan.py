"""Find the records an account draws on, among the many records of an archive.

>>> records = [
...     Document.from_text("minutes", "The talks began at ten. The harbour was closed."),
...     Document.from_text("memcon", "Yeltsin called it a stroke of genius. Then he left."),
... ]
>>> account = Document.from_text("memoir", "Yeltsin said it was a stroke of genius.")
>>> result = scan(account, records)
>>> [(hit.name, [p.record_index for p in hit.passages]) for hit in result.records]
[('memcon', [0])]

The work is split so that it can run in partitions, on one machine or many:

1. :func:`profile` turns each segmented document into its matching terms (stemmed content
   words, as :class:`~webapp.collate.normalize.Normalizer` makes them, plus adjacent word
   pairs);
2. :func:`frequencies` counts, per partition, in how many sentences each term occurs;
   the counts of the account and of every partition are summed (:class:`Frequencies`
   adds), which gives one table for the whole archive;
3. :func:`scan_partition` finds, for every record of a partition and every account
   sentence, the record sentence that matches it best (:class:`RecordMatches`);
4. :func:`rank` merges the matches of all partitions: each account sentence is credited
   to the record that matches it best (shared equally between records that match it
   about as well), and records are ranked by the credit they receive.

**Why the result does not depend on the partitioning.** Term weights (inverse document
frequency) come from sentence frequencies over the account plus *all* records, computed
by summing per-partition counts (addition commutes), rather than from what one partition
happens to hold. With that table fixed, the similarity of an account sentence and a
record sentence depends only on those two sentences: the account's vectors are built
once (:class:`Query`), and each record sentence's vector is normalised with all of its
own terms. So 1 partition or 50 give bit-identical similarities, and :func:`rank` sorts
with a total order (score, matched sentences, name). Record names must be unique.

Similarity of two sentences is in [0, 1]: the cosine of their TF-IDF vectors (sublinear
term frequency, stemmed content words and word pairs), raised by containment when one
sentence says part of the other (a condensation in the account), as in
:mod:`webapp.collate.similarity`. Character n-grams are left out here: over thousands of
records they cost more than they help a ranking.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp

from .document import Document
from .normalize import Normalizer

#: Upper bound on the cells of one dense block of similarities (record sentences x
#: account sentences) computed at once; bounds memory on long accounts.
BLOCK_CELLS = 2_000_000
#: Similarities are rounded to this many decimals (what is shown and what is ranked).
DECIMALS = 4


@dataclass(frozen=True, slots=True)
class ScanSettings:
    """What a scan depends on besides the texts.

    ``min_score``: the similarity from which a record sentence counts as a source of an
    account sentence. ``tie``: records whose best match for an account sentence reaches
    this share of the best record's share that sentence's credit.
    """

    variants: Mapping[str, str] = field(default_factory=dict)
    min_score: float = 0.25
    tie: float = 0.9

    def __post_init__(self) -> None:
        if not 0.0 < self.min_score <= 1.0:
            raise ValueError(f"min_score must be in (0, 1], not {self.min_score}")
        if not 0.0 < self.tie <= 1.0:
            raise ValueError(f"tie must be in (0, 1], not {self.tie}")

    def normalizer(self) -> Normalizer:
        """The normaliser for the account and every record (one spelling table)."""
        return Normalizer(self.variants)

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as plain data."""
        return {
            "variants": dict(sorted(self.variants.items())),
            "min_score": self.min_score,
            "tie": self.tie,
        }


@dataclass(frozen=True, slots=True)
class Profile:
    """The sentences of one document with the terms they are matched on."""

    name: str
    texts: tuple[str, ...]
    terms: tuple[tuple[str, ...], ...]

    def __len__(self) -> int:
        return len(self.texts)


def profile(document: Document, normalizer: Normalizer) -> Profile:
    """Profile a segmented document: stemmed content words per sentence."""
    texts = tuple(s.text for s in document.sentences)
    terms = tuple(tuple(normalizer.terms(normalizer.words(text))) for text in texts)
    return Profile(document.name, texts, terms)


def _features(terms: Sequence[str]) -> list[str]:
    """Terms plus adjacent term pairs (as :mod:`webapp.collate.similarity` uses them)."""
    return list(terms) + [f"{a} {b}" for a, b in zip(terms, terms[1:], strict=False)]


@dataclass(frozen=True, slots=True)
class Frequencies:
    """In how many sentences each feature occurs; tables of partitions add up."""

    sentences: int = 0
    counts: Mapping[str, int] = field(default_factory=dict)

    def __add__(self, other: Frequencies) -> Frequencies:
        counts = Counter(self.counts)
        counts.update(other.counts)
        return Frequencies(self.sentences + other.sentences, dict(counts))

    def idf(self, feature: str) -> float:
        """Smoothed inverse document frequency (as scikit-learn's ``smooth_idf``)."""
        return math.log((1 + self.sentences) / (1 + self.counts.get(feature, 0))) + 1.0


def frequencies(profiles: Iterable[Profile]) -> Frequencies:
    """Sentence frequencies of the features of the given documents."""
    counts: Counter[str] = Counter()
    sentences = 0
    for p in profiles:
        sentences += len(p)
        for terms in p.terms:
            counts.update(set(_features(terms)))
    return Frequencies(sentences, dict(counts))


def total_frequencies(parts: Iterable[Frequencies]) -> Frequencies:
    """Sum the tables of the account and every partition (order does not matter)."""
    counts: Counter[str] = Counter()
    sentences = 0
    for part in parts:
        counts.update(part.counts)
        sentences += part.sentences
    return Frequencies(sentences, dict(counts))


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


@dataclass(frozen=True, slots=True)
class RecordHit:
    """A record the account draws on, with the evidence.

    ``score`` is the share of the account that this record accounts for: the sum, over
    the account sentences credited to it, of the similarity (divided among records that
    match a sentence about equally well), over the number of account sentences.
    ``matched_account_sentences`` counts the sentences credited to it, ``coverage`` is
    their share of the account; ``passages`` pair each of them with the record sentence
    it draws on, in account order.
    """

    name: str
    score: float
    matched_account_sentences: int
    coverage: float
    sentences: int
    passages: tuple[Passage, ...]

    def strongest(self, n: int) -> list[Passage]:
        """The ``n`` passages with the highest similarity (in account order on a tie)."""
        return sorted(self.passages, key=lambda p: (-p.similarity, p.account_index))[:n]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "name": self.name,
            "score": self.score,
            "matched": self.matched_account_sentences,
            "coverage": self.coverage,
            "sentences": self.sentences,
            "passages": [p.to_dict() for p in self.passages],
        }


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Records ranked by how much of the account they account for (best first)."""

    account: str
    account_sentences: int
    records_scanned: int
    records: tuple[RecordHit, ...]
    settings: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (see the README, ``memcon scan``)."""
        return {
            "account": {"name": self.account, "sentences": self.account_sentences},
            "records_scanned": self.records_scanned,
            "records": [{"rank": k, **hit.to_dict()} for k, hit in enumerate(self.records, 1)],
            "settings": dict(self.settings),
        }


def rank(
    account: Profile,
    parts: Iterable[Sequence[RecordMatches]],
    settings: ScanSettings | None = None,
    *,
    top: int | None = None,
) -> ScanResult:
    """Merge the matches of every partition into one ranking (independent of their order).

    Each account sentence is credited to the record that matches it best; records whose
    best match reaches ``tie`` times the best share the credit equally. A record's score
    is its credit over the number of account sentences; ties are broken by the number
    of sentences credited, then by name.
    """
    settings = settings or ScanSettings()
    by_name: dict[str, RecordMatches] = {}
    for part in parts:
        for record in part:
            if record.name in by_name:
                raise ValueError(f"two records are named {record.name!r}")
            by_name[record.name] = record
    candidates: dict[int, list[tuple[float, str, Passage]]] = {}
    for record in by_name.values():
        for passage in record.matches:
            if passage.similarity < settings.min_score:
                continue
            candidates.setdefault(passage.account_index, []).append(
                (passage.similarity, record.name, passage)
            )
    credit: dict[str, float] = {}
    credited: dict[str, list[Passage]] = {}
    for j in sorted(candidates):
        found = candidates[j]
        best = max(s for s, _, _ in found)
        winners = [(name, p) for s, name, p in found if s >= settings.tie * best]
        for name, passage in winners:
            credit[name] = credit.get(name, 0.0) + passage.similarity / len(winners)
            credited.setdefault(name, []).append(passage)
    n = len(account)
    hits = [
        RecordHit(
            name=name,
            score=round(credit[name] / n, DECIMALS) if n else 0.0,
            matched_account_sentences=len(passages),
            coverage=round(len(passages) / n, DECIMALS) if n else 0.0,
            sentences=by_name[name].sentences,
            passages=tuple(sorted(passages, key=lambda p: p.account_index)),
        )
        for name, passages in credited.items()
    ]
    hits.sort(key=lambda h: (-h.score, -h.matched_account_sentences, h.name))
    if top is not None:
        hits = hits[:top]
    return ScanResult(account.name, n, len(by_name), tuple(hits), settings.to_dict())


def partitions(items: Sequence[Any], count: int) -> list[list[Any]]:
    """Split ``items`` into at most ``count`` contiguous, nearly equal, non-empty parts."""
    count = max(1, min(count, len(items)))
    size, extra = divmod(len(items), count)
    out: list[list[Any]] = []
    start = 0
    for k in range(count):
        end = start + size + (1 if k < extra else 0)
        out.append(list(items[start:end]))
        start = end
    return [part for part in out if part]


def scan(
    account: Document,
    records: Sequence[Document],
    settings: ScanSettings | None = None,
    *,
    n_partitions: int = 1,
    top: int | None = None,
) -> ScanResult:
    """Scan segmented records for an account, in this process (see the module's steps).

    ``n_partitions`` only changes how the work is split, never the result.
    """
    settings = settings or ScanSettings()
    normalizer = settings.normalizer()
    return scan_profiles(
        profile(account, normalizer),
        [profile(d, normalizer) for d in records],
        settings,
        n_partitions=n_partitions,
        top=top,
    )


def scan_profiles(
    account: Profile,
    records: Sequence[Profile],
    settings: ScanSettings | None = None,
    *,
    n_partitions: int = 1,
    top: int | None = None,
) -> ScanResult:
    """:func:`scan` for profiles made beforehand (and perhaps kept: see the web page)."""
    settings = settings or ScanSettings()
    parts = partitions(records, n_partitions)
    table = total_frequencies([frequencies([account]), *(frequencies(p) for p in parts)])
    vectors = query(account, table)
    matches = [scan_partition(vectors, part, table, settings) for part in parts]
    return rank(account, matches, settings, top=top)
