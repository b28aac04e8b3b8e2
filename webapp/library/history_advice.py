"""What reverting a change would do, said before anyone presses Revert.

A revert puts one row back as it was before the change. It can change nothing a reader
sees: the row is already in that state (someone put it back), the row is gone (a later
change withdrew it), or a later person's decision on the same sentences stands in its
place (people's links never share a sentence: the later one wins, see
:mod:`webapp.collate.curate`). Each case is told with the change that causes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..store.models import Change
from .history_words import Text, locate

#: The fields a reader sees, by the kind of row (the rest is bookkeeping).
VISIBLE = {
    "link": ("action", "label", "note"),
    "mark": ("significant", "note"),
    "dossier": ("notes",),
    "document": ("title", "kind", "author", "date", "provenance", "text", "splits", "joins"),
}

_Key = tuple[int, int, frozenset[int], frozenset[int]]


@dataclass(frozen=True, slots=True)
class Advice:
    """Whether the Revert button is offered, and what to say beside it."""

    can_revert: bool
    note: str = ""
    #: Reverting would store something but change nothing a reader sees.
    nothing_visible: bool = False


def same_visible(target: str, a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether two states of a row look the same to a reader."""
    return all((a.get(f) or None) == (b.get(f) or None) for f in VISIBLE.get(target, ()))


def _by_row(changes: Sequence[Change]) -> dict[tuple[str, int | None], list[Change]]:
    """Each row's own (not imported) changes, oldest first."""
    rows: dict[tuple[str, int | None], list[Change]] = {}
    for change in sorted(changes, key=lambda c: c.id):
        if not change.imported:
            rows.setdefault((change.target, change.target_id), []).append(change)
    return rows


def _key(state: Mapping[str, Any], texts: Mapping[int, Text]) -> _Key | None:
    record_id, account_id = int(state.get("record_id") or 0), int(state.get("account_id") or 0)
    source = locate(texts.get(record_id), state.get("source_spans") or [], state.get("source_text"))
    witness = locate(
        texts.get(account_id), state.get("witness_spans") or [], state.get("witness_text")
    )
    if not source or not witness:
        return None
    return record_id, account_id, frozenset(source), frozenset(witness)


def _overlap(a: _Key, b: _Key) -> bool:
    return a[:2] == b[:2] and not (a[2].isdisjoint(b[2]) and a[3].isdisjoint(b[3]))


def superseded(
    rows: Mapping[tuple[str, int | None], list[Change]], texts: Mapping[int, Text]
) -> dict[int, Change]:
    """Link decisions standing now that a later decision overrides: row id -> the change
    that made the winning decision (played in the order the curation applies them)."""
    standing = [
        (history[-1], key)
        for (target, _), history in rows.items()
        if target == "link" and history[-1].after is not None
        for key in [_key(history[-1].after, texts)]
        if key is not None
    ]
    human: dict[_Key, Change] = {}
    removals: dict[_Key, list[Change]] = {}
    beaten: dict[int, Change] = {}
    for last, key in sorted(standing, key=lambda pair: pair[0].id):
        assert last.after is not None
        if last.after.get("action") == "remove":
            earlier = human.pop(key, None)
            if earlier is not None:
                beaten[earlier.target_id or 0] = last
            removals.setdefault(key, []).append(last)
            continue
        for other in [o for o in human if _overlap(o, key)]:
            beaten[human.pop(other).target_id or 0] = last
        for earlier in removals.pop(key, []):
            beaten[earlier.target_id or 0] = last
        human[key] = last
    return beaten


def advise(changes: Sequence[Change], texts: Mapping[int, Text]) -> dict[int, Advice]:
    """The advice for every change of a dossier's history (all of it, any order)."""
    rows = _by_row(changes)
    beaten = superseded(rows, texts)
    advice = {}
    for change in changes:
        if change.imported:
            advice[change.id] = Advice(False, "Imported: a record of the dossier it came from.")
            continue
        history = rows[(change.target, change.target_id)]
        advice[change.id] = _advice(change, history, beaten.get(change.target_id or 0))
    return advice


def _cite(changes: Sequence[Change]) -> str:
    return ", ".join(f"#{c.id}" for c in changes)


def _advice(change: Change, history: list[Change], winner: Change | None) -> Advice:
    last = history[-1]
    now = last.after
    later = [c for c in history if c.id > change.id]
    if change.before is None and now is None:
        return Advice(False, f"Nothing to revert: {last.user_name} withdrew it later (#{last.id}).")
    if change.before is not None and now is not None:
        if same_visible(change.target, change.before, now):
            by = f" ({last.user_name} put it back in #{last.id})" if later else ""
            return Advice(
                False,
                f"Reverting would change nothing: it is already as it was before this change{by}.",
                nothing_visible=True,
            )
    if change.target == "link" and winner is not None and now is not None:
        return _shadowed(change, winner)
    if later:
        return Advice(
            True,
            f"Later changes to it ({_cite(later)}) are undone too: a revert puts back the "
            "state before this change.",
        )
    return Advice(True)


def _shadowed(change: Change, winner: Change) -> Advice:
    """A decision that a later person's decision on the same sentences overrides."""
    if change.before is None:
        return Advice(
            True,
            f"A later change by {winner.user_name} (#{winner.id}) decided this link again: "
            f"reverting this one would change nothing; revert #{winner.id} first.",
            nothing_visible=True,
        )
    return Advice(
        True,
        f"A later decision by {winner.user_name} (#{winner.id}) stands for these sentences: "
        "reverting this change makes this decision stand again in its place.",
    )
