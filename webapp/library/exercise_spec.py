"""What a teacher chooses for a new exercise, and the checks on it before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..collate.vocabulary import LABELS
from ..errors import Refused
from . import exercise_tasks as tasks
from .exercise_codes import aware, now

REVEALS = {"submit": "after submitting", "close": "after the exercise is closed"}
HINTS = {
    "hidden": "hidden (machine suggestions are never shown)",
    "shown": "shown: the machine's links as suggestions (align and label; they cost nothing)",
    "cost": "shown on request, each costs points (set below; align and label)",
}
DEFAULT_RETENTION_DAYS = 30


@dataclass(frozen=True, slots=True)
class Spec:
    """What a teacher chooses for a new exercise; ranges are 1-based inclusive, as shown."""

    kind: str
    #: One account (as before several could be chosen); ``accounts`` wins when given.
    account: str = ""
    record_range: tuple[int | None, int | None] = (None, None)
    account_range: tuple[int | None, int | None] = (None, None)
    labels: tuple[str, ...] | None = None
    reveal: str = "submit"
    hints: str = "hidden"
    deadline: datetime | None = None
    retention_days: int = DEFAULT_RETENTION_DAYS
    title: str = ""
    key_version: int | None = None
    #: A guided tour's stops, one a line: ``[<account number>:]<key link number> | <question>``.
    stops: str = ""
    #: The accounts the exercise asks about, in the order the pages show them.
    accounts: tuple[str, ...] = ()
    #: Phrase-order questions (predict the order), one a line: ``phrase A | phrase B``.
    phrases: str = ""
    #: With hints that cost: the points one hint costs (see exercise_hint_costs.py).
    hint_points: int | None = None

    @property
    def chosen(self) -> tuple[str, ...]:
        """The accounts chosen: ``accounts``, or the one ``account``."""
        return self.accounts or ((self.account,) if self.account else ())


def validate(spec: Spec) -> None:
    """Refuse a spec with an unknown choice, a retention out of bounds or a past deadline."""
    if spec.kind not in tasks.KINDS:
        raise Refused(f"unknown exercise type {spec.kind!r}")
    if spec.reveal not in REVEALS:
        raise Refused(f"unknown reveal policy {spec.reveal!r}")
    if spec.hints not in HINTS:
        raise Refused(f"unknown hints policy {spec.hints!r}")
    if not spec.chosen:
        raise Refused("choose one or more accounts for the exercise")
    if len(set(spec.chosen)) != len(spec.chosen):
        raise Refused("each account may be chosen once")
    if spec.labels is not None and not set(spec.labels) <= set(LABELS):
        raise Refused("choose the labels that count from the project's labels")
    if not 1 <= spec.retention_days <= 3650:
        raise Refused("keep submissions between 1 and 3650 days after closing")
    if spec.deadline is not None and aware(spec.deadline) <= now():  # type: ignore[operator]
        raise Refused("the deadline is already past")


def zero_based(pair: tuple[int | None, int | None]) -> tuple[int | None, int | None]:
    """A 1-based inclusive range as typed, in the store's 0-based form."""
    return tuple(None if n is None else n - 1 for n in pair)  # type: ignore[return-value]


def default_title(kind: str, accounts: tuple[str, ...]) -> str:
    """The title of an exercise the teacher did not name (its accounts' titles)."""
    return f"{tasks.KINDS[kind].capitalize()}: {' and '.join(accounts)}"[:200]
