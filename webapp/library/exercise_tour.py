"""A guided tour: 3-10 stops, each a link of the key (a sentence pair) with the key's note
and the teacher's discussion question, stepped through on a projector. Not scored.

The tour's state is one number, ``at``, that the teacher's Next and Back move by half a
stop: at ``2k`` stop k's pair and question are shown, at ``2k + 1`` also its answer (the
key's label and note). Students following on their own devices see the same: a stop's
answer only once the teacher has revealed it.

With several accounts a stop may come from any of them: ``2:5 | question`` is the second
account's key link 5 (a plain ``5`` is the first account's).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..collate.answerkey import FrozenAccount, FrozenDocument
from ..collate.model import Sentence
from ..errors import Refused

MIN_STOPS, MAX_STOPS = 3, 10
MAX_QUESTION = 300


@dataclass(frozen=True, slots=True)
class Stop:
    """One stop: the key link's number (1-based, as on the key page), its sentences, the
    teacher's question, and the key's label and note (the answer)."""

    number: int
    link: int
    record: tuple[Sentence, ...]
    account: tuple[Sentence, ...]
    question: str
    label: str | None
    note: str
    #: The title of the account the stop's link is in.
    account_title: str = ""


def _stop(number: int, line: str, accounts: Sequence[FrozenAccount]) -> dict[str, Any]:
    """One line ``[<account number>:]<key link number> | <question>`` as stored."""
    where, _, question = line.partition("|")
    position, _, link = where.strip().lstrip("#").rpartition(":")
    position, link, question = position.strip() or "1", link.strip(), " ".join(question.split())
    if not position.isdigit() or not 1 <= int(position) <= len(accounts):
        raise Refused(
            f"stop {number}: {position!r} is not an account of the exercise (1-{len(accounts)})"
        )
    account = accounts[int(position) - 1]
    if not link.isdigit() or not 1 <= int(link) <= len(account.links):
        raise Refused(
            f"stop {number}: {link!r} is not a link of the key of {account.title} "
            f"(1-{len(account.links)})"
        )
    if len(question) > MAX_QUESTION:
        raise Refused(f"stop {number}: the question is longer than {MAX_QUESTION} characters")
    return {"account": account.slug, "link": int(link), "question": question}


def parse_stops(text: str, accounts: Sequence[FrozenAccount]) -> list[dict[str, Any]]:
    """The stops as the teacher writes them, one a line (see the module docstring);
    Refused for a bad line, an unknown link, or fewer than 3 or more than 10 stops."""
    lines = (t for t in text.splitlines() if t.strip())
    stops = [_stop(number, line, accounts) for number, line in enumerate(lines, start=1)]
    if not MIN_STOPS <= len(stops) <= MAX_STOPS:
        raise Refused(
            f"a guided tour has {MIN_STOPS} to {MAX_STOPS} stops, one a line "
            f"(link number | question); {len(stops)} given"
        )
    return stops


def stops_of(
    tour: Mapping[str, Any], record: FrozenDocument, accounts: Sequence[FrozenAccount]
) -> tuple[Stop, ...]:
    """The tour's stops with their sentences and answers (a stop naming no account is the
    first account's)."""
    by_slug = {a.slug: a for a in accounts}
    found = []
    for number, stop in enumerate(tour.get("stops", []), start=1):
        account = by_slug.get(stop.get("account", ""), accounts[0])
        link = account.links[stop["link"] - 1]
        found.append(
            Stop(
                number,
                stop["link"],
                tuple(record.sentences[i] for i in link.source),
                tuple(account.sentences[j] for j in link.witness),
                stop.get("question", ""),
                link.label,
                link.note,
                account.title,
            )
        )
    return tuple(found)


def step(at: int, stops: int, by: int) -> int:
    """``at`` moved by ``by`` half-stops, kept within the tour."""
    return max(0, min(2 * stops, at + by))


def shown(at: int, stops: tuple[Stop, ...]) -> list[tuple[Stop, bool]]:
    """The stops shown at ``at`` and whether each one's answer is revealed."""
    return [(stop, at >= 2 * k + 1) for k, stop in enumerate(stops) if 2 * k <= at]
