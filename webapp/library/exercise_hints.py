"""Hints for an align task: the machine's own links offered as suggestions.

They are taken once, when the teacher sets the exercise, from the dossier's machine
comparison (not the curation), and kept in the exercise's ``hint_pairs``, cut to its
ranges; only if the texts are still those the key was frozen from, so the machine's
sentence numbers are the key's. Shown on the task page they cost nothing; shown on
request each costs points (:mod:`.exercise_hint_costs`).
"""

from __future__ import annotations

from typing import Any

from ..collate.answerkey import FrozenAccount, FrozenKey
from ..errors import Refused, StillComputing
from ..store import User
from . import exercise_tasks as tasks
from .comparisons import Library

Machine = tuple[list[tuple[int, int]], tuple[Any, ...], tuple[Any, ...]]


def machine_pairs(library: Library, user: User, slug: str, kind: str, account: str) -> Machine:
    """The machine's (record, account) pairs of the account, for hints, with the sentences
    they number; Refused for another task than align or while the comparison computes."""
    if kind != "align":
        raise Refused("hints are suggested links: only an align and label task has them")
    try:
        comparison = library.comparison(slug, user)
    except StillComputing:
        raise Refused("the machine's comparison is still being computed; try again soon") from None
    machine = comparison.machine or comparison.comparison
    for shown, result in zip(comparison.accounts, machine.witnesses, strict=True):
        if shown.slug == account:
            pairs = [(i, j) for link in result.links for i in link.source for j in link.witness]
            return pairs, tuple(comparison.record.sentences), tuple(shown.document.sentences)
    return [], (), ()


def in_range(
    machine: Machine,
    key: FrozenKey,
    account: FrozenAccount,
    record: tasks.Span,
    where: tasks.Span,
) -> list[list[int]]:
    """The machine's pairs within the exercise's ranges; Refused if the texts are no longer
    those of the key (the machine's numbers would point at other sentences)."""
    pairs, record_sentences, account_sentences = machine
    if record_sentences != key.record.sentences or account_sentences != account.sentences:
        raise Refused(
            "the texts changed since this key was frozen, so the machine's links cannot be "
            "offered as hints: freeze a new key, or hide the hints"
        )
    return [[i, j] for i, j in pairs if record[0] <= i <= record[1] and where[0] <= j <= where[1]]


def hints_for(pairs: list[Any]) -> dict[int, tuple[int, ...]]:
    """Each account sentence's suggested record sentences."""
    found: dict[int, list[int]] = {}
    for i, j in pairs:
        found.setdefault(j, []).append(i)
    return {j: tuple(sorted(rs)) for j, rs in found.items()}
