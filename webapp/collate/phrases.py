"""Answer "does phrase A come before phrase B?" for every account.

>>> from webapp.collate.compare import Document, compare
>>> record = Document.from_text("record", "It is a great idea. It will take a long time.")
>>> account = Document.from_text("memoir", "It will take a long time. It is a great idea.")
>>> answer = phrase_order(record, compare(record, [account]), "great idea", "long time")
>>> answer.accounts[0].verdict
'inverted'

Both phrases are looked up in the record (exact, else close). In each account the
counterparts are the sentences linked to the record sentence holding the phrase; the
verdict is ``kept`` (same order as the record), ``inverted`` or ``missing`` (a phrase has
no counterpart, so the order cannot be compared).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .compare import Document
from .model import Comparison, WitnessResult
from .normalize import Normalizer
from .quotes import TokenStream


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


def locate_phrase(record: Document, phrase: str, normalizer: Normalizer) -> PhrasePlace:
    """Find the record sentence that holds ``phrase``, or raise :class:`PhraseNotFound`."""
    words = normalizer.words(phrase)
    if not words:
        raise PhraseNotFound(f"the phrase {phrase!r} has no words")
    stream = TokenStream.build([s.text for s in record.sentences], normalizer)
    match = stream.find(words)
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
    name = witness.name
    missing = [q for q, c in ((qa, ca), (qb, cb)) if not c]
    if missing:
        what = " and ".join(missing)
        text = (
            f"{name} has nothing that corresponds to {what} (record sentence"
            f"{'s' if len(missing) > 1 else ''} "
            f"{_numbers([s.sentence for s, c in ((a, ca), (b, cb)) if not c])}), "
            "so the order cannot be compared: missing."
        )
        return AccountOrder(name, "missing", ca, cb, text)
    record_first = qa if a.sentence < b.sentence else qb
    pos_a, pos_b = min(ca), min(cb)
    if pos_a == pos_b:
        pos_a, pos_b = _within_sentence(witness, pos_a, a, b, normalizer)
    if a.sentence == b.sentence or pos_a == pos_b:
        verdict = "kept"
        text = (
            f"{name} tells {qa} and {qb} in the same sentence "
            f"(sentence {pos_a + 1}), as the record does: kept."
            if a.sentence == b.sentence
            else f"{name} joins {qa} and {qb} into one sentence (sentence {pos_a + 1}); "
            "nothing in it reverses the record's order: kept."
        )
        return AccountOrder(name, verdict, ca, cb, text)
    same_way = (pos_a < pos_b) == (a.sentence < b.sentence)
    account_first = qa if pos_a < pos_b else qb
    account_second = qb if account_first == qa else qa
    where = f"(sentences {min(pos_a, pos_b) + 1} and {max(pos_a, pos_b) + 1})"
    record_where = f"(record sentences {_numbers(sorted([a.sentence, b.sentence]))})"
    if same_way:
        text = (
            f"In {name}, {account_first} comes before {account_second} {where}, "
            f"as in the record {record_where}: the order is kept."
        )
        return AccountOrder(name, "kept", ca, cb, text)
    text = (
        f"In {name}, {account_first} comes before {account_second} {where}, but in the "
        f"record {record_first} comes first {record_where}: the order is inverted."
    )
    return AccountOrder(name, "inverted", ca, cb, text)


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


def _numbers(values: list[int]) -> str:
    """Human sentence numbers (1-based) joined with "and"."""
    return " and ".join(str(v + 1) for v in values)
