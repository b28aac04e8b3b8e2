"""Answer "does phrase A come before phrase B?" for every account.

>>> from webapp.collate.compare import Document, compare
>>> record = Document.from_text("record", "It is a great idea. It will take a long time.")
>>> account = Document.from_text("memoir", "It will take a long time. It is a great idea.")
>>> answer = phrase_order(record, compare(record, [account]), "great idea", "long time")
>>> answer.accounts[0].verdict
'inverted'

Both phrases are looked up in the record (exact, else altered). In each account the
counterparts are the sentences linked to the record sentence holding the phrase; the
verdict is ``kept`` (same order as the record), ``inverted`` or ``missing`` (a phrase has
no counterpart, so the order cannot be compared).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .document import Document
from .model import Comparison, WitnessResult
from .normalize import Normalizer
from .quotes import Match, TokenStream


class PhraseNotFound(ValueError):
    """Raised when a phrase does not occur in the record."""


@dataclass(frozen=True, slots=True)
class PhrasePlace:
    """Where a phrase stands in the record."""

    phrase: str
    sentence: int
    status: str


@dataclass(frozen=True, slots=True)
class AccountOrder:
    """The verdict for one account, with the sentences it rests on."""

    name: str
    verdict: str
    a_sentences: tuple[int, ...]
    b_sentences: tuple[int, ...]
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the verdict."""
        return {
            "name": self.name,
            "verdict": self.verdict,
            "a": list(self.a_sentences),
            "b": list(self.b_sentences),
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
    return PhrasePlace(phrase, match.sentence, match.status)


def phrase_order(
    record: Document, comparison: Comparison, phrase_a: str, phrase_b: str
) -> OrderAnswer:
    """Compare the order of two record phrases in every account of ``comparison``."""
    variants = comparison.settings.get("variants", {})
    normalizer = Normalizer(variants)
    a = locate_phrase(record, phrase_a, normalizer)
    b = locate_phrase(record, phrase_b, normalizer)
    accounts = tuple(_verdict(w, a, b, normalizer) for w in comparison.witnesses)
    return OrderAnswer(a, b, record.name, accounts)


def _counterparts(witness: WitnessResult, sentence: int) -> tuple[int, ...]:
    return tuple(j for link in witness.links if sentence in link.source for j in link.witness)


def _verdict(
    witness: WitnessResult, a: PhrasePlace, b: PhrasePlace, normalizer: Normalizer
) -> AccountOrder:
    """Decide kept / inverted / missing for one account and say it in plain words."""
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
    pos_a, pos_b = min(ca), min(cb)
    if pos_a == pos_b:
        pos_a, pos_b = _within_sentence(witness, pos_a, a, b, normalizer)
    if a.sentence == b.sentence or pos_a == pos_b:
        text = (
            f"In {account} {qa} and {qb} are told in one sentence (sentence {min(ca) + 1}), "
            "so nothing reverses the record's order: kept."
        )
        return AccountOrder(witness.name, "kept", ca, cb, text)
    first, second = (qa, qb) if pos_a < pos_b else (qb, qa)
    told = (
        f"In {account} what corresponds to {first} (sentence {min(pos_a, pos_b) + 1}) comes "
        f"before what corresponds to {second} (sentence {max(pos_a, pos_b) + 1})"
    )
    rec_first, rec_second = (qa, qb) if a.sentence < b.sentence else (qb, qa)
    record = (
        f"in the record {rec_first} (sentence {min(a.sentence, b.sentence) + 1}) comes before "
        f"{rec_second} (sentence {max(a.sentence, b.sentence) + 1})"
    )
    again = _tellings_note(witness, (qa, a), (qb, b))
    if (pos_a < pos_b) == (a.sentence < b.sentence):
        return AccountOrder(
            witness.name, "kept", ca, cb, f"{told}, as {record}: the order is kept.{again}"
        )
    return AccountOrder(
        witness.name, "inverted", ca, cb, f"{told}, but {record}: the order is inverted.{again}"
    )


def _runs_of(witness: WitnessResult, sentence: int) -> list[tuple[int, ...]]:
    """The account's tellings of a record sentence: each telling of each link holding it."""
    return [
        told.witness
        for link in witness.links
        if sentence in link.source
        for told in (link.tellings or (link,))
    ]


def _tellings_note(
    witness: WitnessResult, first: tuple[str, PhrasePlace], second: tuple[str, PhrasePlace]
) -> str:
    """`` “B” is told twice there: “A” in sentence 5 and “B” in sentence 6, in the record's
    order; “A” in sentence 5 and “B” in sentence 17, in the record's order.`` when the
    account tells a phrase more than once (the verdict reads the first tellings), else ``""``.
    Each telling is set against the nearest telling of the other phrase."""
    (qa, a), (qb, b) = first, second
    ra, rb = _runs_of(witness, a.sentence), _runs_of(witness, b.sentence)
    if max(len(ra), len(rb)) < 2:
        return ""
    swap = len(rb) > len(ra)
    many, few = (rb, ra) if swap else (ra, rb)
    parts = []
    for run in many:
        near = min(few, key=lambda r: (abs(r[0] - run[0]), r[0]))
        pa, pb = (near[0], run[0]) if swap else (run[0], near[0])
        if pa == pb:
            parts.append(f"{qa} and {qb} together in sentence {pa + 1}")
            continue
        kept = (pa < pb) == (a.sentence < b.sentence)
        order = "in the record's order" if kept else "against the record's order"
        parts.append(f"{qa} in sentence {pa + 1} and {qb} in sentence {pb + 1}, {order}")
    told = [q for q, r in ((qa, ra), (qb, rb)) if len(r) > 1]
    times = "twice" if len(many) == 2 else "more than once"
    verb = "is" if len(told) == 1 else "are each"
    return f" {' and '.join(told)} {verb} told {times} there: " + "; ".join(parts) + "."


def _within_sentence(
    witness: WitnessResult,
    sentence: int,
    a: PhrasePlace,
    b: PhrasePlace,
    normalizer: Normalizer,
) -> tuple[int, int]:
    """Order two phrases inside one account sentence by where their words occur."""
    stream = TokenStream.build([witness.sentences[sentence].text], normalizer)
    ma = stream.find(normalizer.words(a.phrase))
    mb = stream.find(normalizer.words(b.phrase))
    if ma.sentence is None or mb.sentence is None or ma.start == mb.start:
        return sentence, sentence
    # Same sentence number, but fractional order shows which phrase comes first.
    return (sentence, sentence + 1) if ma.start < mb.start else (sentence + 1, sentence)
