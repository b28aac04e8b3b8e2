"""Translation pairs with known edits: one translation as the record, an edited other as account.

:func:`edit_pair` takes the same verses in two translations (e.g. KJV as the record, WEB
as the account) and edits the account with a seeded script, so the truth is known:

* **merges**: two adjacent verses become one line (both record verses link to it);
* **drops**: verses left out (the record verses are *omitted*);
* **moves**: blocks of one to three verses taken out and put back 8-40 lines away, far
  more than their length and never across another moved block, so that they are exactly
  the lines off the longest order-preserving chain of the true links (*moved*);
* **additions**: verses of another book inserted at random places (*added*).

The edits touch disjoint verses; the rates are those of :data:`RATES`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from .metrics import Predicted, f1

__all__ = ["RATES", "EditScores", "EditedPair", "edit_pair", "edit_scores"]

#: Share of account verses merged (in pairs), dropped, moved (in blocks) and added.
RATES = {"merge": 0.03, "drop": 0.08, "move": 0.04, "add": 0.06}


@dataclass
class _Unit:
    """One line of the edited account: its text and the record verses it renders."""

    text: str
    record: tuple[int, ...]
    moved: bool = False


@dataclass(frozen=True)
class EditedPair:
    """Record and edited account (one verse per line) and the truth of the edits."""

    record: tuple[str, ...]
    account: tuple[str, ...]
    links: frozenset[tuple[int, int]]
    omitted: frozenset[int]
    added: frozenset[int]
    moved: frozenset[int]
    counts: dict[str, int] = field(default_factory=dict)


def _merge(units: list[_Unit], rng: random.Random, count: int) -> int:
    """Merge ``count`` random pairs of adjacent single verses; return how many were merged."""
    done = 0
    for _ in range(count * 10):
        if done == count or len(units) < 2:
            break
        k = rng.randrange(len(units) - 1)
        a, b = units[k], units[k + 1]
        if len(a.record) == 1 and len(b.record) == 1:
            units[k : k + 2] = [_Unit(f"{a.text} {b.text}", a.record + b.record)]
            done += 1
    return done


def _move(units: list[_Unit], rng: random.Random, count: int) -> int:
    """Move blocks of 1-3 lines 8-40 places, away from other moved lines; lines moved."""
    moved = 0
    for _ in range(count * 20):
        if moved >= count:
            break
        size = rng.randint(1, 3)
        start = rng.randrange(len(units) - size)
        shift = rng.choice((-1, 1)) * rng.randint(max(8, 4 * size), 40)
        dest = start + shift
        if dest < 0 or dest + size > len(units) - size:
            continue
        low, high = min(start, dest) - 2, max(start, dest) + 2 * size + 2
        if any(u.moved for u in units[max(0, low) : high]):
            continue
        block = units[start : start + size]
        del units[start : start + size]
        for unit in block:
            unit.moved = True
        units[dest:dest] = block
        moved += size
    return moved


def edit_pair(
    record: Sequence[str],
    account: Sequence[str],
    filler: Sequence[str],
    seed: int = 0,
    rates: dict[str, float] | None = None,
) -> EditedPair:
    """Edit ``account`` (verse k renders ``record[k]``) with a seeded script; keep the truth."""
    if len(record) != len(account):
        raise ValueError("record and account must hold the same verses, one to one")
    rate = {**RATES, **(rates or {})}
    rng = random.Random(seed)
    n = len(account)
    units = [_Unit(text, (k,)) for k, text in enumerate(account)]
    merged = _merge(units, rng, round(n * rate["merge"]))
    for _ in range(round(n * rate["drop"])):
        k = rng.randrange(len(units))
        if len(units[k].record) == 1:
            del units[k]
    moved = _move(units, rng, round(n * rate["move"]))
    for _ in range(round(n * rate["add"])):
        units.insert(rng.randrange(len(units) + 1), _Unit(rng.choice(filler), ()))
    links = frozenset((i, j) for j, u in enumerate(units) for i in u.record)
    kept = {i for i, _ in links}
    return EditedPair(
        record=tuple(record),
        account=tuple(u.text for u in units),
        links=links,
        omitted=frozenset(set(range(n)) - kept),
        added=frozenset(j for j, u in enumerate(units) if not u.record),
        moved=frozenset(j for j, u in enumerate(units) if u.moved),
        counts={"merged": merged, "moved": moved, "dropped": n - len(kept)},
    )


@dataclass(frozen=True)
class EditScores:
    """Link precision/recall/F1 and omitted, added and moved F1 of one edited pair."""

    link_precision: float
    link_recall: float
    link_f1: float
    omitted_f1: float
    added_f1: float
    moved_f1: float


def edit_scores(pred: Predicted, pair: EditedPair) -> EditScores:
    """Score an alignment against the known edits."""
    precision, recall, link_f1 = f1(pred.links, pair.links)
    return EditScores(
        link_precision=precision,
        link_recall=recall,
        link_f1=link_f1,
        omitted_f1=f1(pred.omitted, pair.omitted)[2],
        added_f1=f1(pred.added, pair.added)[2],
        moved_f1=f1(pred.moved, pair.moved)[2],
    )
