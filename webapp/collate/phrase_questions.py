"""Phrase-order questions of a "predict the order" exercise, and their key answers.

A teacher asks "in the record, does phrase A come before phrase B? And in each account?".
Both phrases are looked up, word for word (after normalising), in the record. The key's
answer for the record comes from where the two phrases stand in it; for an account from
the frozen key's links, read as the reading room's order box reads an account
(:func:`.phrases.account_order`, one reading for both): an account with no sentence linked
to one of them does not tell that part (``not_told``); one telling each phrase in the
record's order answers as the record does, against it the other way round; a phrase told
twice, once before the other and once after it, answers ``both``.

>>> record = ["It is a great idea.", "It will take a long time."]
>>> ask = question("great idea", "long time", record, [("memoir", [((1,), (0,)), ((0,), (1,))],
...     ["It takes long.", "A fine idea."])])
>>> ask.expected
{'record': 'before', 'memoir': 'after'}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .normalize import Normalizer
from .phrases import BOTH, PhraseNotFound, PhrasePlace, Told, account_order, find_phrase

#: The id of the record among a question's texts (accounts go by their slugs).
RECORD = "record"
#: The answer for an account that does not tell one of the two phrases.
NOT_TOLD = "not_told"
#: The answers a student chooses from, as the form sends them and in words.
ANSWERS = {
    "before": "before",
    "after": "after",
    BOTH: "both (told twice, in both orders)",
    NOT_TOLD: "not told in this account",
}
#: The most phrase pairs one exercise asks about.
MAX_PAIRS = 10
#: The longest phrase a teacher may give.
MAX_PHRASE = 200

#: A link as the key holds it: (record sentences, account sentences), 0-based.
Link = tuple[Sequence[int], Sequence[int]]
#: An account as a question reads it: its slug, its key links and its sentences' texts.
AccountText = tuple[str, Iterable[Link], Sequence[str]]


class PhraseError(ValueError):
    """A phrase pair the teacher wrote cannot be asked (the message says which and why)."""


@dataclass(frozen=True, slots=True)
class Question:
    """One phrase pair with the key's answer for the record and for each account.

    ``a_sentence`` / ``b_sentence`` are the record sentences (0-based) holding the phrases;
    ``expected`` maps ``record`` and each account's slug to ``before`` / ``after`` /
    ``both`` / ``not_told`` ("does A come before B in this text?"). ``tellings`` maps an
    account telling a phrase more than once to its pairs of tellings (as the order box's
    JSON gives them); it is ``None`` for a question stored before accounts could answer
    ``both`` (its key read each phrase's first telling, so ``both`` is not offered there).
    """

    a: str
    b: str
    a_sentence: int
    b_sentence: int
    expected: dict[str, str]
    tellings: dict[str, list[dict[str, Any]]] | None = None

    def choices(self, text: str) -> dict[str, str]:
        """The answers offered for a text: the record tells each phrase once, where it was
        found, so neither "both" nor "not told"; an account every answer, also where its key
        says otherwise (offering "both" only where it is the answer would give it away),
        but "both" only on a question whose key can say it (not an older one)."""
        if text == RECORD:
            return {k: v for k, v in ANSWERS.items() if k not in (BOTH, NOT_TOLD)}
        return {k: v for k, v in ANSWERS.items() if k != BOTH or self.tellings is not None}

    def to_dict(self) -> dict[str, Any]:
        """The stored form of the question (JSON); an older question keeps its old form."""
        out: dict[str, Any] = {
            "a": self.a,
            "b": self.b,
            "a_sentence": self.a_sentence,
            "b_sentence": self.b_sentence,
            "expected": dict(self.expected),
        }
        if self.tellings is not None:
            out["tellings"] = {k: [dict(p) for p in v] for k, v in self.tellings.items()}
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Question:
        """A question as :meth:`to_dict` stored it (with or without ``tellings``)."""
        told = data.get("tellings")
        return cls(
            str(data["a"]),
            str(data["b"]),
            int(data["a_sentence"]),
            int(data["b_sentence"]),
            {str(k): str(v) for k, v in data["expected"].items()},
            None if told is None else {str(k): [dict(p) for p in v] for k, v in told.items()},
        )


def parse_pairs(text: str, limit: int = MAX_PAIRS) -> list[tuple[str, str]]:
    """The phrase pairs a teacher wrote, one a line as ``phrase A | phrase B``; blank lines
    are skipped. Raises :class:`PhraseError` naming the line that cannot be read."""
    pairs = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [" ".join(p.split()) for p in line.split("|")]
        if len(parts) != 2 or not all(parts):
            raise PhraseError(f"line {number} is not “phrase A | phrase B”: {line.strip()!r}")
        if any(len(p) > MAX_PHRASE for p in parts):
            raise PhraseError(f"line {number}: a phrase has at most {MAX_PHRASE} characters")
        pairs.append((parts[0], parts[1]))
    if len(pairs) > limit:
        raise PhraseError(f"ask at most {limit} phrase pairs ({len(pairs)} given)")
    return pairs


def locate(sentences: Sequence[str], phrase: str, normalizer: Normalizer) -> tuple[int, int]:
    """The sentence (0-based) holding ``phrase`` word for word and the word position where
    it starts; raises :class:`~.phrases.PhraseNotFound` when the text has no exact copy."""
    match = find_phrase(sentences, phrase, normalizer)
    if match.status != "exact" or match.sentence is None:
        raise PhraseNotFound(f"the phrase {phrase!r} is not in the record word for word")
    return match.sentence, match.start


def _order(first: int, second: int) -> str:
    return "before" if first < second else "after"


#: An account's verdict in the order reading (:mod:`.phrases`) as the exercise's answer,
#: given the record's: kept answers as the record does, inverted the other way round.
_AS_ANSWER = {"missing": NOT_TOLD, BOTH: BOTH}


def account_answer(
    a: str,
    b: str,
    record_answer: str,
    places: tuple[tuple[int, int], tuple[int, int]],
    account: AccountText,
) -> tuple[str, list[dict[str, Any]]]:
    """The key's answer for one account and its pairs of tellings (empty unless a phrase is
    told more than once), from the order box's reading (:func:`.phrases.account_order`) of
    the key's links; ``places`` are where A and B start in the record (sentence, word)."""
    name, links, sentences = account
    told = Told.from_links(name, list(links), sentences)
    found = account_order(
        told,
        PhrasePlace(a, places[0][0], "exact", places[0][1]),
        PhrasePlace(b, places[1][0], "exact", places[1][1]),
        Normalizer(),
    )
    tellings = [t.to_dict() for t in found.tellings]
    if found.verdict in _AS_ANSWER:
        return _AS_ANSWER[found.verdict], tellings
    if found.verdict == "kept":
        return record_answer, tellings
    return ("after" if record_answer == "before" else "before"), tellings


def question(a: str, b: str, record: Sequence[str], accounts: Sequence[AccountText]) -> Question:
    """The question "does A come before B?" with the key's answer for the record and each
    account; :class:`PhraseError` if a phrase is not in the record or both start at one
    word (the question would have no answer)."""
    normalizer = Normalizer()
    try:
        (a_sentence, a_start), (b_sentence, b_start) = (
            locate(record, p, normalizer) for p in (a, b)
        )
    except PhraseNotFound as missing:
        raise PhraseError(str(missing)) from None
    if a_start == b_start:
        raise PhraseError(f"“{a}” and “{b}” start at the same word of the record")
    told = _order(a_start, b_start)
    expected = {RECORD: told}
    tellings = {}
    for account in accounts:
        answer, pairs = account_answer(
            a, b, told, ((a_sentence, a_start), (b_sentence, b_start)), account
        )
        expected[account[0]] = answer
        if pairs:
            tellings[account[0]] = pairs
    return Question(a, b, a_sentence, b_sentence, expected, tellings)


def questions(text: str, record: Sequence[str], accounts: Sequence[AccountText]) -> list[Question]:
    """Every question of a teacher's pairs (see :func:`parse_pairs` and :func:`question`)."""
    return [question(a, b, record, accounts) for a, b in parse_pairs(text)]


@dataclass(frozen=True, slots=True)
class Asked:
    """One answer of the breakdown: question (0-based), text, the student's and the key's."""

    question: int
    text: str
    given: str | None
    expected: str

    @property
    def right(self) -> bool:
        """Whether the student answered as the key does."""
        return self.given == self.expected


@dataclass(frozen=True, slots=True)
class PhraseScore:
    """How many of the asked answers (question x text) match the key's; accuracy n/a when
    nothing was asked."""

    right: int
    asked: int
    rows: tuple[Asked, ...]

    @property
    def accuracy(self) -> float | None:
        """The share answered as the key does."""
        return self.right / self.asked if self.asked else None

    def sentence(self) -> str:
        """The result page's sentence on this figure, in plain words."""
        noun = "question" if self.asked == 1 else "questions"
        return (
            f"You answered {self.right} of {self.asked} order {noun} as the key does "
            "(each phrase pair asked once per text; an unanswered one counts as wrong)."
        )


def score(asked: Sequence[Question], given: Mapping[str, Mapping[str, str]]) -> PhraseScore:
    """Score the student's answers (``given[str(question number 0-based)][text]``)."""
    rows = tuple(
        Asked(n, text, given.get(str(n), {}).get(text), expected)
        for n, q in enumerate(asked)
        for text, expected in q.expected.items()
    )
    return PhraseScore(sum(r.right for r in rows), len(rows), rows)
