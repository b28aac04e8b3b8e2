"""Answer "does phrase A come before phrase B?" for every account.

>>> from webapp.collate.compare import Document, compare
>>> record = Document.from_text("record", "It is a great idea. It will take a long time.")
>>> account = Document.from_text("memoir", "It will take a long time. It is a great idea.")
>>> answer = phrase_order(record, compare(record, [account]), "great idea", "long time")
>>> answer.accounts[0].verdict
'inverted'

Both phrases are looked up in the record (exact, else altered). In each account the
counterparts are the sentences linked to the record sentence holding the phrase; the
verdict is ``kept`` (same order as the record), ``inverted``, ``both`` or ``missing`` (a
phrase has no counterpart, so the order cannot be compared). An account may tell a
passage twice (:mod:`.tellings`): each telling of a phrase is then set against the nearest
telling of the other, and when one pair keeps the record's order and another inverts it,
the verdict is ``both`` (e.g. told before the other phrase early, and again after it in
place), with each pair in ``AccountOrder.tellings``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .document import Document
from .model import Comparison, WitnessResult
from .normalize import Normalizer
from .quotes import Match, TokenStream
from .tellings import runs

#: The verdict of an account whose tellings of the two phrases come in both orders.
BOTH = "both"
#: Every verdict an account may get, as the JSON and the pages name them.
VERDICTS = ("kept", "inverted", BOTH, "missing")


#: A link as the order reading needs it: its record sentences and its account tellings
#: (each a run of account sentences, :mod:`.tellings`).
ToldLink = tuple[tuple[int, ...], tuple[tuple[int, ...], ...]]


class PhraseNotFound(ValueError):
    """Raised when a phrase does not occur in the record."""


@dataclass(frozen=True, slots=True)
class PhrasePlace:
    """Where a phrase stands in the record."""

    phrase: str
    sentence: int
    status: str
    #: Where the phrase starts among the record's words: orders two phrases of one sentence.
    start: int = 0


@dataclass(frozen=True, slots=True)
class Told:
    """An account as the order reading sees it: its name, each link's record side with its
    tellings, and its sentences' texts. Built from the engine's links (:meth:`of`) or from a
    frozen key's (:meth:`from_links`), so the order box and the exercises read alike."""

    name: str
    links: tuple[ToldLink, ...]
    texts: tuple[str, ...]

    @classmethod
    def of(cls, witness: WitnessResult) -> Told:
        """The account of a comparison, each link with the tellings the engine judged."""
        links = tuple(
            (link.source, tuple(t.witness for t in (link.tellings or (link,))))
            for link in witness.links
        )
        return cls(witness.name, links, tuple(s.text for s in witness.sentences))

    @classmethod
    def from_links(
        cls,
        name: str,
        links: Sequence[tuple[Sequence[int], Sequence[int]]],
        texts: Sequence[str],
    ) -> Told:
        """An account from bare (record, account) links, e.g. a frozen key's: a link's
        tellings are the runs of its account side, as the engine splits them."""
        told = tuple((tuple(src), tuple(runs(tuple(sorted(wit))))) for src, wit in links if wit)
        return cls(name, told, tuple(texts))


@dataclass(frozen=True, slots=True)
class TellingOrder:
    """One telling set against the nearest telling of the other phrase: the account
    sentences (0-based) that tell A and B there, and whether that pair keeps the record's
    order (``kept``, also when one sentence tells both) or inverts it."""

    a: int
    b: int
    verdict: str

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the pair."""
        return {"a": self.a, "b": self.b, "verdict": self.verdict}


@dataclass(frozen=True, slots=True)
class AccountOrder:
    """The verdict for one account, with the sentences it rests on; ``tellings`` holds
    each pair of tellings when the account tells a phrase more than once (else empty)."""

    name: str
    verdict: str
    a_sentences: tuple[int, ...]
    b_sentences: tuple[int, ...]
    explanation: str
    tellings: tuple[TellingOrder, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the verdict."""
        return {
            "name": self.name,
            "verdict": self.verdict,
            "a": list(self.a_sentences),
            "b": list(self.b_sentences),
            "tellings": [t.to_dict() for t in self.tellings],
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class OrderAnswer:
    """The phrase-order answer: where A and B stand in the record, and each account."""

    a: PhrasePlace
    b: PhrasePlace
    record_name: str
    accounts: tuple[AccountOrder, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the answer."""
        return {
            "record": {
                "name": self.record_name,
                "a": {"phrase": self.a.phrase, "sentence": self.a.sentence, "match": self.a.status},
                "b": {"phrase": self.b.phrase, "sentence": self.b.sentence, "match": self.b.status},
            },
            "accounts": [acc.to_dict() for acc in self.accounts],
        }


def find_phrase(sentences: Sequence[str], phrase: str, normalizer: Normalizer) -> Match:
    """Where ``phrase`` stands among ``sentences`` (exact, altered or not found); raises
    :class:`PhraseNotFound` for a phrase without words. One lookup for the reading room's
    phrase order and the exercises' phrase questions."""
    words = normalizer.words(phrase)
    if not words:
        raise PhraseNotFound(f"the phrase {phrase!r} has no words")
    return TokenStream.build(sentences, normalizer).find(words)


def locate_phrase(record: Document, phrase: str, normalizer: Normalizer) -> PhrasePlace:
    """Find the record sentence that holds ``phrase``, or raise :class:`PhraseNotFound`."""
    match = find_phrase([s.text for s in record.sentences], phrase, normalizer)
    if match.sentence is None:
        raise PhraseNotFound(f"the phrase {phrase!r} does not occur in the record {record.name!r}")
    return PhrasePlace(phrase, match.sentence, match.status, match.start)


def phrase_order(
    record: Document, comparison: Comparison, phrase_a: str, phrase_b: str
) -> OrderAnswer:
    """Compare the order of two record phrases in every account of ``comparison``."""
    variants = comparison.settings.get("variants", {})
    normalizer = Normalizer(variants)
    a = locate_phrase(record, phrase_a, normalizer)
    b = locate_phrase(record, phrase_b, normalizer)
    accounts = tuple(account_order(Told.of(w), a, b, normalizer) for w in comparison.witnesses)
    return OrderAnswer(a, b, record.name, accounts)


def _counterparts(witness: Told, sentence: int) -> tuple[int, ...]:
    return tuple(j for src, told in witness.links if sentence in src for run in told for j in run)


def account_order(
    witness: Told, a: PhrasePlace, b: PhrasePlace, normalizer: Normalizer
) -> AccountOrder:
    """Decide kept / inverted / both / missing for one account and say it in plain words
    (the one reading of the order box and of the exercises' phrase questions)."""
    qa, qb = f"“{a.phrase}”", f"“{b.phrase}”"
    ca, cb = _counterparts(witness, a.sentence), _counterparts(witness, b.sentence)
    account = f"the account “{witness.name}”"
    missing = [(q, p.sentence) for q, p, c in ((qa, a, ca), (qb, b, cb)) if not c]
    if missing:
        what = " or ".join(f"{q} (record sentence {s + 1})" for q, s in missing)
        text = (
            f"In {account} nothing corresponds to {what}, so the order cannot be compared: missing."
        )
        return AccountOrder(witness.name, "missing", ca, cb, text)
    ra, rb = _runs_of(witness, a.sentence), _runs_of(witness, b.sentence)
    pairs = [
        TellingOrder(pa, pb, _pair_verdict(_which_first(witness, pa, pb, a, b, normalizer), a, b))
        for pa, pb in _pairs(ra, rb)
    ]
    told = tuple(pairs) if max(len(ra), len(rb)) > 1 else ()
    verdicts = {p.verdict for p in pairs}
    if len(verdicts) > 1:
        text = _both_text(account, (qa, a, ra), (qb, b, rb), pairs)
        return AccountOrder(witness.name, BOTH, ca, cb, text, told)
    first = pairs[0]
    ahead = _which_first(witness, first.a, first.b, a, b, normalizer)
    if ahead == 0:
        text = _together(account, qa, qb, first.a)
    else:
        text = _agreed_text(account, (qa, a), (qb, b), first, ahead)
    if told:
        text += _tellings_note((qa, ra), (qb, rb), pairs)
    return AccountOrder(witness.name, first.verdict, ca, cb, text, told)


def _together(account: str, qa: str, qb: str, sentence: int) -> str:
    return (
        f"In {account} {qa} and {qb} are told in one sentence (sentence {sentence + 1}), "
        "so nothing reverses the record's order: kept."
    )


def _record_order(first: tuple[str, PhrasePlace], second: tuple[str, PhrasePlace]) -> str:
    """``“A” (sentence 3) comes before “B” (sentence 9)``: the two phrases in the record."""
    (qa, a), (qb, b) = sorted((first, second), key=lambda q: (q[1].sentence, q[1].start))
    return f"{qa} (sentence {a.sentence + 1}) comes before {qb} (sentence {b.sentence + 1})"


def _agreed_text(
    account: str,
    first: tuple[str, PhrasePlace],
    second: tuple[str, PhrasePlace],
    pair: TellingOrder,
    ahead: int,
) -> str:
    """The explanation of a kept or inverted verdict, told from the (first) pair of tellings;
    ``ahead`` (:func:`_which_first`) says which phrase comes first there."""
    (qa, _), (qb, _) = first, second
    lead, follow = (qa, qb) if ahead < 0 else (qb, qa)
    if pair.a == pair.b:
        told = f"In {account} {lead} comes before {follow} in one sentence (sentence {pair.a + 1})"
    else:
        at_lead, at_follow = (pair.a, pair.b) if ahead < 0 else (pair.b, pair.a)
        told = (
            f"In {account} what corresponds to {lead} (sentence {at_lead + 1}) comes "
            f"before what corresponds to {follow} (sentence {at_follow + 1})"
        )
    record = _record_order(first, second)
    if pair.verdict == "kept":
        return f"{told}, as in the record {record}: the order is kept."
    return f"{told}, but in the record {record}: the order is inverted."


def _runs_of(witness: Told, sentence: int) -> list[tuple[int, ...]]:
    """The account's tellings of a record sentence: each telling of each link holding it."""
    return [run for src, told in witness.links if sentence in src for run in told]


def _pairs(ra: Sequence[tuple[int, ...]], rb: Sequence[tuple[int, ...]]) -> list[tuple[int, int]]:
    """The (A, B) account sentences set against each other, in the account's order: each
    telling of either phrase with the nearest telling of the other, so that no telling is
    left out (an early telling of B is set against A even when both A's are nearer B's
    later one)."""
    found = set()
    for run in ra:
        near = min(rb, key=lambda r: (abs(r[0] - run[0]), r[0]))
        found.add((run[0], near[0]))
    for run in rb:
        near = min(ra, key=lambda r: (abs(r[0] - run[0]), r[0]))
        found.add((near[0], run[0]))
    return sorted(found, key=lambda pair: (min(pair), pair))


def _which_first(
    witness: Told, pa: int, pb: int, a: PhrasePlace, b: PhrasePlace, norm: Normalizer
) -> int:
    """-1 when A's telling comes first in the account, 1 when B's; 0 when one sentence
    tells both and their words there do not settle which comes first."""
    if pa != pb:
        return -1 if pa < pb else 1
    return _within_sentence(witness, pa, a, b, norm)


def _pair_verdict(ahead: int, a: PhrasePlace, b: PhrasePlace) -> str:
    """``kept`` when the telling follows the record's order (or tells both together, so
    nothing reverses it), else ``inverted``."""
    if ahead == 0 or (ahead < 0) == ((a.sentence, a.start) < (b.sentence, b.start)):
        return "kept"
    return "inverted"


_Told = tuple[str, PhrasePlace, Sequence[tuple[int, ...]]]


def _both_text(account: str, first: _Told, second: _Told, pairs: Sequence[TellingOrder]) -> str:
    """``In the account “C” “arrested” is told twice: in sentence 5, before what corresponds
    to “warehouses” (sentence 13), against the record's order; and again in sentence 16,
    after it, in the record's order. In the record ...: the account tells the two in both
    orders: both.``"""
    (qa, a, ra), (qb, b, rb) = first, second
    record = _record_order((qa, a), (qb, b))
    end = f". In the record {record}: the account tells the two in both orders: both."
    if min(len(ra), len(rb)) > 1:  # each phrase told more than once: each pair in turn
        parts = "; ".join(_pair_parts(qa, qb, pairs))
        each = f"{qa} and {qb} are each told more than once, and the tellings disagree"
        return f"In {account} {each}: {parts}{end}"
    many_is_b = len(rb) > len(ra)
    qm, qo = (qb, qa) if many_is_b else (qa, qb)
    places = []
    for k, pair in enumerate(sorted(pairs, key=lambda p: p.b if many_is_b else p.a)):
        at, other = (pair.b, pair.a) if many_is_b else (pair.a, pair.b)
        where = "together with" if at == other else "before" if at < other else "after"
        what = f"what corresponds to {qo} (sentence {other + 1})" if k == 0 else "it"
        places.append(f"in sentence {at + 1}, {where} {what}, {_ORDER_WORDS[pair.verdict]}")
    times = _times(len(pairs))
    said = places[0] + "".join(
        f"; {'and ' if k == len(places) - 1 else ''}again {p}" for k, p in enumerate(places) if k
    )
    return f"In {account} {qm} is told {times}: {said}{end}"


#: How a pair of tellings stands against the record's order, in words.
_ORDER_WORDS = {"kept": "in the record's order", "inverted": "against the record's order"}


def _pair_parts(qa: str, qb: str, pairs: Sequence[TellingOrder]) -> list[str]:
    """Each pair of tellings in words: ``“A” in sentence 5 and “B” in sentence 6, in the
    record's order``."""
    return [
        f"{qa} and {qb} together in sentence {p.a + 1}"
        if p.a == p.b
        else f"{qa} in sentence {p.a + 1} and {qb} in sentence {p.b + 1}, {_ORDER_WORDS[p.verdict]}"
        for p in pairs
    ]


def _tellings_note(
    first: tuple[str, Sequence[tuple[int, ...]]],
    second: tuple[str, Sequence[tuple[int, ...]]],
    pairs: Sequence[TellingOrder],
) -> str:
    """`` “B” is told twice there: “A” in sentence 5 and “B” in sentence 6, in the record's
    order; “A” in sentence 5 and “B” in sentence 17, in the record's order.`` when the
    account tells a phrase more than once: each telling against the nearest telling of
    the other phrase (:func:`_pairs`)."""
    (qa, ra), (qb, rb) = first, second
    told = [(q, len(r)) for q, r in ((qa, ra), (qb, rb)) if len(r) > 1]
    counts = {n for _, n in told}
    times = _times(counts.pop()) if len(counts) == 1 else "more than once"
    verb = "is" if len(told) == 1 else "are each"
    parts = "; ".join(_pair_parts(qa, qb, pairs))
    return f" {' and '.join(q for q, _ in told)} {verb} told {times} there: {parts}."


def _times(n: int) -> str:
    return "twice" if n == 2 else f"{n} times"


def _within_sentence(
    witness: Told,
    sentence: int,
    a: PhrasePlace,
    b: PhrasePlace,
    normalizer: Normalizer,
) -> int:
    """Order two phrases inside one account sentence by where their words occur: -1 when
    A's come first, 1 when B's, 0 when that does not settle it."""
    stream = TokenStream.build([witness.texts[sentence]], normalizer)
    ma = stream.find(normalizer.words(a.phrase))
    mb = stream.find(normalizer.words(b.phrase))
    if ma.sentence is None or mb.sentence is None or ma.start == mb.start:
        return 0
    return -1 if ma.start < mb.start else 1
