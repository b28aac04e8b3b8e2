"""Score a student's comparison of an account against a teacher's answer key.

>>> key = Key(links=(KeyLink((0,), (0,), "verbatim"), KeyLink((1,), (2,), "paraphrase")),
...           omitted=frozenset({2}), order={0: 0, 2: 1})
>>> answer = Answer(links=(AnswerLink((0,), (0,), "verbatim"), AnswerLink((2,), (1,), "other")),
...                 omitted=frozenset({1}), order=(0, 2))
>>> result = score(key, answer)
>>> result.links.f1, result.labels.accuracy, result.order.tau
(0.5, 1.0, 1.0)

Everything is counted in sentence *pairs* (record sentence, account sentence): a link of
two record sentences to one account sentence is two pairs, so a student who links them
one by one is not punished for drawing two lines where the key drew one. A key link
flagged "not scored" (ambiguous) takes its pairs out of both sides, its record sentences
out of the omission count and its account sentences out of the order count: neither
linking it nor leaving it costs anything.

Pure Python on purpose (no numpy, scipy or scikit-learn): the numbers must be explainable
and the same everywhere; the tests check kappa and tau-b against scikit-learn and scipy.
Indices are 0-based, as in the engine; pages show them 1-based (R1, A1).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .agreement import (
    LabelScores,
    LinkScores,
    OrderScores,
    QuoteScores,
    SetScores,
    cohen_kappa,
    count_inversions,
    inversions,
    kendall_tau_b,
    set_scores,
)
from .model import WitnessResult
from .scoring_words import explain

__all__ = [
    "Answer",
    "AnswerLink",
    "answer_of",
    "Explained",
    "Key",
    "KeyLink",
    "LabelScores",
    "LinkScores",
    "LinkVerdict",
    "OrderScores",
    "QuoteScores",
    "Scores",
    "SetScores",
    "cohen_kappa",
    "inversions",
    "kendall_tau_b",
    "key_order",
    "pairs_of",
    "score",
    "set_scores",
    "unlinked",
]

Pair = tuple[int, int]

#: Shown instead of a number that is undefined (kappa when chance agreement is certain).
NOT_AVAILABLE = "n/a"


@dataclass(frozen=True, slots=True)
class KeyLink:
    """One link of the key: record and account sentences, the key's label and note.

    ``scored=False`` marks an ambiguous link the teacher does not count.
    """

    source: tuple[int, ...]
    witness: tuple[int, ...]
    label: str | None = None
    note: str = ""
    scored: bool = True


@dataclass(frozen=True, slots=True)
class AnswerLink:
    """One link a student drew, with the label they chose and their one-line why."""

    source: tuple[int, ...]
    witness: tuple[int, ...]
    label: str | None = None
    why: str = ""


@dataclass(frozen=True, slots=True)
class Key:
    """The answer key of one account: links, omitted record sentences, order, quotations.

    ``order`` gives each account sentence that has a place its rank in the record's order
    (equal ranks: either order is right); ``quotes`` a verdict per quotation id (one of
    the engine's quotation statuses: ``exact``, ``altered``, ``not_found``).
    """

    links: tuple[KeyLink, ...] = ()
    omitted: frozenset[int] = frozenset()
    order: Mapping[int, float] = field(default_factory=dict)
    quotes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Answer:
    """A student's answer: links, omitted record sentences, an order, quotation verdicts.

    ``order`` lists account sentences in the order the student put them.
    """

    links: tuple[AnswerLink, ...] = ()
    omitted: frozenset[int] = frozenset()
    order: tuple[int, ...] = ()
    quotes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LinkVerdict:
    """One row of the per-link breakdown.

    ``status``: ``right`` (every pair, the key's label), ``wrong label`` (every pair, another
    label), ``partial`` (some pairs), ``missed`` (none), ``not scored`` (an ambiguous key
    link), or ``extra`` (a student link, or its part, not in the key). ``pairs`` are the
    pairs the row is about (an extra row: only the pairs the key lacks).
    """

    status: str
    source: tuple[int, ...]
    witness: tuple[int, ...]
    key_label: str | None
    answer_label: str | None
    note: str
    pairs: tuple[Pair, ...]
    found: int


@dataclass(frozen=True, slots=True)
class Explained:
    """One number as a results page shows it: a name, the figure, one plain sentence."""

    name: str
    value: float | int | None
    text: str

    @property
    def shown(self) -> str:
        """The figure as shown: two decimals, a whole count, or "n/a"."""
        if self.value is None:
            return NOT_AVAILABLE
        if isinstance(self.value, int):
            return str(self.value)
        return f"{self.value:.2f}"


@dataclass(frozen=True, slots=True)
class Scores:
    """Every score of one answer, the per-link breakdown and the explained figures."""

    links: LinkScores
    omissions: SetScores
    labels: LabelScores
    order: OrderScores
    quotes: QuoteScores
    breakdown: tuple[LinkVerdict, ...]

    def explained(self) -> tuple[Explained, ...]:
        """Each figure with a one-sentence explanation in plain words, in page order."""
        return tuple(
            Explained(*row)
            for row in explain(self.links, self.omissions, self.labels, self.order, self.quotes)
        )


# --- Building blocks --------------------------------------------------------------------


def pairs_of(links: Iterable[KeyLink | AnswerLink]) -> set[Pair]:
    """Every (record sentence, account sentence) pair the links draw."""
    return {(i, j) for link in links for i in link.source for j in link.witness}


def unlinked(links: Iterable[KeyLink | AnswerLink], record: Iterable[int]) -> frozenset[int]:
    """The record sentences (of ``record``, e.g. an exercise's range) no link reaches:
    what an align task counts as omitted."""
    linked = {i for link in links for i in link.source}
    return frozenset(i for i in record if i not in linked)


def key_order(links: Iterable[KeyLink]) -> dict[int, float]:
    """The record's order of the account sentences: each linked account sentence ranked
    by the first record sentence it is linked to (sentences of one record sentence tie)."""
    ranks: dict[int, float] = {}
    for link in links:
        for j in link.witness:
            ranks[j] = min(ranks.get(j, float(link.source[0])), float(link.source[0]))
    return ranks


def answer_of(result: WitnessResult) -> Answer:
    """The machine's comparison of one account read as a student's answer: its links (with
    no label: the machine gives none), its omissions, the record's order of its linked
    account sentences, and its quotation statuses named by their offsets."""
    ranks = key_order(KeyLink(link.source, link.witness) for link in result.links)
    return Answer(
        links=tuple(AnswerLink(link.source, link.witness) for link in result.links),
        omitted=frozenset(result.omitted),
        order=tuple(sorted(ranks, key=lambda j: (ranks[j], j))),
        quotes={f"{q.start}-{q.end}": q.status for q in result.quotes},
    )


# --- The scores ------------------------------------------------------------------------


def score(key: Key, answer: Answer, counted_labels: Collection[str] | None = None) -> Scores:
    """Score ``answer`` against ``key`` (see the module docstring for what counts).

    ``counted_labels``: only key links with these labels take part in the label scores
    (None: every labelled key link).
    """
    scored = tuple(link for link in key.links if link.scored)
    skipped = pairs_of(link for link in key.links if not link.scored)
    key_pairs = pairs_of(scored) - skipped
    answer_pairs = pairs_of(answer.links) - skipped
    free_record = {i for link in key.links if not link.scored for i in link.source}
    free_account = {j for link in key.links if not link.scored for j in link.witness}
    free_account -= {j for link in scored for j in link.witness}
    labels_of = _answer_labels(answer.links)
    return Scores(
        links=LinkScores(*_fields(set_scores(key_pairs, answer_pairs))),
        omissions=set_scores(key.omitted - free_record, answer.omitted - free_record),
        labels=_label_scores(scored, labels_of, counted_labels),
        order=_order_scores(key.order, answer.order, free_account),
        quotes=_quote_scores(key.quotes, answer.quotes),
        breakdown=_breakdown(key.links, answer.links, labels_of, key_pairs),
    )


def _fields(scores: SetScores) -> tuple[int, int, int, float | None, float | None, float]:
    return (
        scores.true_positives,
        scores.false_positives,
        scores.false_negatives,
        scores.precision,
        scores.recall,
        scores.f1,
    )


def _answer_labels(links: Iterable[AnswerLink]) -> dict[Pair, str | None]:
    """The student's label of each pair they drew (a later link's label wins)."""
    return {(i, j): link.label for link in links for i in link.source for j in link.witness}


def _label_for(link: KeyLink, labels_of: Mapping[Pair, str | None]) -> tuple[int, str | None]:
    """How many of the key link's pairs the student drew, and their label for it: the
    label on most of those pairs (the first such in pair order on a tie)."""
    found = [labels_of[p] for p in sorted(pairs_of([link])) if p in labels_of]
    if not found:
        return 0, None
    counts = Counter(found)
    return len(found), max(found, key=lambda label: counts[label])


def _label_scores(
    links: Sequence[KeyLink],
    labels_of: Mapping[Pair, str | None],
    counted: Collection[str] | None,
) -> LabelScores:
    """Kappa and accuracy over the labelled key links the student linked at least in part."""
    keys: list[str] = []
    answers: list[str] = []
    for link in links:
        if link.label is None or (counted is not None and link.label not in counted):
            continue
        found, label = _label_for(link, labels_of)
        if found:
            keys.append(link.label)
            answers.append(label or "")
    agreed = sum(a == b for a, b in zip(keys, answers, strict=True))
    accuracy = agreed / len(keys) if keys else None
    return LabelScores(len(keys), agreed, cohen_kappa(keys, answers), accuracy)


def _order_scores(
    key: Mapping[int, float], answer: Sequence[int], free: Collection[int]
) -> OrderScores:
    """Tau-b and inversions of the student's order against the key's, over the sentences
    both hold (each counted once, at its first place in the answer).

    Sentences the key ties (one record sentence told in two) may come in either order, so
    the tie is ordered as the student ordered it: the key's ties never cost a point, and a
    perfect answer has tau 1. With no tie left, tau-b is tau-a, 1 - 2 I / P for I inverted
    of P pairs: counted in O(n log n), so a long account scores as fast as a short one.
    """
    position: dict[int, int] = {}
    for place, sentence in enumerate(answer):
        position.setdefault(sentence, place)
    common = [j for j in key if j in position and j not in free]
    missing = sum(1 for j in key if j not in position and j not in free)
    ranked = sorted(common, key=lambda j: (key[j], position[j]))
    inverted = count_inversions([position[j] for j in ranked])
    pairs = len(ranked) * (len(ranked) - 1) // 2
    tau = 1.0 - 2.0 * inverted / pairs if pairs else None
    return OrderScores(len(common), tau, inverted, missing)


def _quote_scores(key: Mapping[str, str], answer: Mapping[str, str]) -> QuoteScores:
    """Share of the key's quotations the student judged as the key does (unanswered ones
    count as wrong; quotations the key does not judge are ignored)."""
    agreed = sum(1 for quote, verdict in key.items() if answer.get(quote) == verdict)
    return QuoteScores(len(key), agreed, agreed / len(key) if key else None)


def _breakdown(
    key_links: Sequence[KeyLink],
    answer_links: Sequence[AnswerLink],
    labels_of: Mapping[Pair, str | None],
    key_pairs: set[Pair],
) -> tuple[LinkVerdict, ...]:
    """A row per key link (with its note), then a row per student link that draws pairs
    the key does not have."""
    rows = [_key_row(link, labels_of) for link in key_links]
    known = key_pairs | pairs_of(link for link in key_links if not link.scored)
    for link in answer_links:
        extra = tuple(p for p in sorted(pairs_of([link])) if p not in known)
        if extra:
            rows.append(
                LinkVerdict(
                    "extra", link.source, link.witness, None, link.label, "", extra, len(extra)
                )
            )
    return tuple(rows)


def _key_row(link: KeyLink, labels_of: Mapping[Pair, str | None]) -> LinkVerdict:
    pairs = tuple(sorted(pairs_of([link])))
    found, label = _label_for(link, labels_of)
    if not link.scored:
        status = "not scored"
    elif found == 0:
        status = "missed"
    elif found < len(pairs):
        status = "partial"
    elif link.label is not None and label != link.label:
        status = "wrong label"
    else:
        status = "right"
    return LinkVerdict(
        status, link.source, link.witness, link.label, label, link.note, pairs, found
    )
