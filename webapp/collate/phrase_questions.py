"""Phrase-order questions of a "predict the order" exercise, and their key answers.

A teacher asks "in the record, does phrase A come before phrase B? And in each account?".
Both phrases are looked up, word for word (after normalising), in the record. The key's
answer for the record comes from where the two phrases stand in it; for an account from
the frozen key's links: the account sentences linked to the record sentence holding each
phrase. An account with no sentence linked to one of them does not tell that part
(``not_told``), so its order cannot be asked. When both phrases are told in one account
sentence, their words are looked up in it; if that does not settle it, the account keeps
the record's order (nothing in it reverses it), as :mod:`.phrases` reads it.

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
from .phrases import PhraseNotFound, find_phrase

#: The id of the record among a question's texts (accounts go by their slugs).
RECORD = "record"
#: The answers a student chooses from, as the form sends them and in words.
ANSWERS = {"before": "before", "after": "after", "not_told": "not told in this account"}
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
    ``not_told`` ("does A come before B in this text?").
    """

    a: str
    b: str
    a_sentence: int
    b_sentence: int
    expected: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        """The stored form of the question (JSON)."""
        return {
            "a": self.a,
            "b": self.b,
            "a_sentence": self.a_sentence,
            "b_sentence": self.b_sentence,
            "expected": dict(self.expected),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Question:
        """A question as :meth:`to_dict` stored it."""
        return cls(
            str(data["a"]),
            str(data["b"]),
            int(data["a_sentence"]),
            int(data["b_sentence"]),
            {str(k): str(v) for k, v in data["expected"].items()},
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


def _told_in(links: Iterable[Link], sentence: int) -> list[int]:
    """The account sentences the key links to record sentence ``sentence``."""
    return sorted({j for source, witness in links if sentence in source for j in witness})


def account_answer(
    a: str, b: str, record_answer: str, places: tuple[int, int], account: AccountText
) -> str:
    """The key's answer for one account (see the module docstring); ``places`` are the
    record sentences holding A and B."""
    _, links, sentences = account
    links = list(links)
    told_a, told_b = _told_in(links, places[0]), _told_in(links, places[1])
    if not told_a or not told_b:
        return "not_told"
    if told_a[0] != told_b[0]:
        return _order(told_a[0], told_b[0])
    normalizer = Normalizer()
    one = [sentences[told_a[0]]]
    try:
        start_a, start_b = (locate(one, p, normalizer)[1] for p in (a, b))
    except PhraseNotFound:
        return record_answer  # told in one sentence, in other words: nothing reverses it
    return record_answer if start_a == start_b else _order(start_a, start_b)


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
    for account in accounts:
        expected[account[0]] = account_answer(a, b, told, (a_sentence, b_sentence), account)
    return Question(a, b, a_sentence, b_sentence, expected)


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
