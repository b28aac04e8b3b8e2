"""A guided tour: 3-10 stops, each a link of the key (a sentence pair) with the key's note
and the teacher's discussion question, stepped through on a projector. Not scored.

The tour's state is one number, ``at``, that the teacher's Next and Back move by half a
stop: at ``2k`` stop k's pair and question are shown, at ``2k + 1`` also its answer (the
key's label and note). Students following on their own devices see the same: a stop's
answer only once the teacher has revealed it.
"""

from __future__ import annotations

from collections.abc import Mapping
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


def parse_stops(text: str, account: FrozenAccount) -> list[dict[str, Any]]:
    """The stops as the teacher writes them, one a line: ``<key link number> | <question>``;
    Refused for a bad line, an unknown link, or fewer than 3 or more than 10 stops."""
    stops = []
    for number, line in enumerate((t for t in text.splitlines() if t.strip()), start=1):
        link, _, question = line.partition("|")
        link, question = link.strip().lstrip("#"), " ".join(question.split())
        if not link.isdigit() or not 1 <= int(link) <= len(account.links):
            raise Refused(
                f"stop {number}: {link!r} is not a link of the key (1-{len(account.links)})"
            )
        if len(question) > MAX_QUESTION:
            raise Refused(f"stop {number}: the question is longer than {MAX_QUESTION} characters")
        stops.append({"link": int(link), "question": question})
    if not MIN_STOPS <= len(stops) <= MAX_STOPS:
        raise Refused(
            f"a guided tour has {MIN_STOPS} to {MAX_STOPS} stops, one a line "
            f"(link number | question); {len(stops)} given"
        )
    return stops


def stops_of(
    tour: Mapping[str, Any], record: FrozenDocument, account: FrozenAccount
) -> tuple[Stop, ...]:
    """The tour's stops with their sentences and answers."""
    found = []
    for number, stop in enumerate(tour.get("stops", []), start=1):
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
            )
        )
    return tuple(found)


def step(at: int, stops: int, by: int) -> int:
    """``at`` moved by ``by`` half-stops, kept within the tour."""
    return max(0, min(2 * stops, at + by))


def shown(at: int, stops: tuple[Stop, ...]) -> list[tuple[Stop, bool]]:
    """The stops shown at ``at`` and whether each one's answer is revealed."""
    return [(stop, at >= 2 * k + 1) for k, stop in enumerate(stops) if 2 * k <= at]
