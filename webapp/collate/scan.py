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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .document import Document
from .scan_match import (
    BLOCK_CELLS,
    DECIMALS,
    Passage,
    Query,
    RecordMatches,
    query,
    scan_partition,
    similarity,
)
from .scan_profile import (
    Frequencies,
    Profile,
    ScanSettings,
    frequencies,
    profile,
    total_frequencies,
)

__all__ = [
    "BLOCK_CELLS",
    "DECIMALS",
    "Frequencies",
    "Passage",
    "Profile",
    "Query",
    "RecordHit",
    "RecordMatches",
    "ScanResult",
    "ScanSettings",
    "frequencies",
    "partitions",
    "profile",
    "query",
    "rank",
    "scan",
    "scan_partition",
    "scan_profiles",
    "similarity",
    "total_frequencies",
]


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
