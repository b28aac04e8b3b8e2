"""Presentation mode for a class: one link of an account at a time, in reading order.

Plain functions over an account's result (no Flask): which links are shown in which
order, where a link sits in each text, and why it counts as a move, in plain words.

>>> from webapp.collate import Link, OrderStats, Sentence, WitnessResult
>>> s = lambda i: Sentence(i, 0, 1, "x")
>>> w = WitnessResult("w", (s(0), s(1), s(2)),
...     (Link((0,), (0,), 1, "close"), Link((1,), (2,), 1, "close"),
...      Link((2,), (1,), 1, "close", moved=True)), (), (), OrderStats(0.3, 1, 2), ())
>>> [n for n, _ in steps(w, every=False)]
[3]
>>> why(w, 3)
'In the record R3 comes after R2, but the account tells it before: A2, before A3.'
"""

from __future__ import annotations

from collections.abc import Sequence

from ..collate import Link, WitnessResult
from ..collate.tellings import in_place_at, retold_out_of_order

#: How many other sentences a "why" line names before saying "and N more".
NAMED = 3


def steps(result: WitnessResult, every: bool) -> list[tuple[int, Link]]:
    """The links shown, with their 1-based numbers, in the record's reading order: the
    moved ones only (a passage told again out of order as its moved telling,
    :func:`shown`), or ``every`` link."""
    numbered = [(n, link) for n, link in enumerate(result.links, start=1)]
    numbered.sort(key=lambda pair: (pair[1].source[0], pair[1].witness[0]))
    if every:
        return numbered
    return [(n, shown(link)) for n, link in numbered if link.moved or retold_out_of_order(link)]


def shown(link: Link) -> Link:
    """The link a move is shown as: itself, or for a passage told in place and again out
    of order, its (first) moved telling as a moved link of the same record sentences."""
    if not retold_out_of_order(link):
        return link
    told = next(t for t in link.tellings if t.moved)
    return Link(link.source, told.witness, told.score, told.kind, True, told.diff, link.shared)


def span(prefix: str, indices: Sequence[int], total: int) -> str:
    """Where a link's sentences sit in their text: ``R19 of 40`` or ``R5–R6 of 40``."""
    first, last = indices[0] + 1, indices[-1] + 1
    where = f"{prefix}{first}" if first == last else f"{prefix}{first}–{prefix}{last}"
    return f"{where} of {total}"


def _names(prefix: str, indices: Sequence[int]) -> str:
    """``R2``, ``R2 and R5``, ``R2, R5 and R9``: the first few of ``indices`` (the nearest,
    given nearest first) in reading order, then "and N more"."""
    names = [f"{prefix}{i + 1}" for i in sorted(indices[:NAMED])]
    if len(indices) > NAMED:
        return ", ".join(names) + f" and {len(indices) - NAMED} more"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _crossings(result: WitnessResult, link: Link) -> tuple[list[Link], list[Link]]:
    """The links told in the record's order that this link crosses: those the record has
    before it but the account after it, and those the record has after it but the account
    before it (nearest first). A link told twice stands where it is told in place."""
    chain = [k for k in result.links if not k.moved and not k.possible_move and k is not link]
    at = link.witness[0]
    earlier = [k for k in chain if k.source[0] < link.source[0] and in_place_at(k) > at]
    later = [k for k in chain if k.source[0] > link.source[0] and in_place_at(k) < at]
    earlier.sort(key=lambda k: -k.source[0])
    later.sort(key=lambda k: k.source[0])
    return earlier, later


def crossed(result: WitnessResult, number: int) -> list[Link]:
    """The sentences told in order that "why" names for link ``number``, in record order
    (none for a link told in order)."""
    link = shown(result.links[number - 1])
    if not link.moved and not link.possible_move:
        return []
    earlier, later = _crossings(result, link)
    return sorted(earlier[:NAMED] + later[:NAMED], key=lambda k: k.source[0])


def why(result: WitnessResult, number: int) -> str:
    """Why link ``number`` (1-based) is a move, a possible move, or in order: in words (a
    passage told twice: which telling is in place, and why the other is a move)."""
    link = result.links[number - 1]
    if retold_out_of_order(link):
        placed = [t for t in link.tellings if not t.moved]
        told = shown(link)
        again = (
            f"Told twice: in the record's order at {_names('A', [t.witness[0] for t in placed])}"
            f", and once more at {_names('A', told.witness[:1])}, out of it. "
        )
        return again + _why_moved(result, told)
    if not link.moved and not link.possible_move:
        return "Told in the record's order: no sentence told in order crosses it."
    return _why_moved(result, link)


def _why_moved(result: WitnessResult, link: Link) -> str:
    """Why ``link``, off the order-preserving chain, is a move: the sentences it crosses."""
    earlier, later = _crossings(result, link)
    r = _names("R", link.source[:1])
    a = _names("A", link.witness[:1])
    parts = []
    if earlier:
        others = _names("R", [k.source[0] for k in earlier])
        mine = _names("A", [in_place_at(k) for k in earlier])
        parts.append(
            f"In the record {r} comes after {others}, but the account tells it before: "
            f"{a}, before {mine}."
        )
    if later:
        others = _names("R", [k.source[0] for k in later])
        mine = _names("A", [in_place_at(k) for k in later])
        parts.append(
            f"In the record {r} comes before {others}, but the account tells it after: "
            f"{a}, after {mine}."
        )
    if not parts:
        parts.append(
            f"{r} ({a}) lies outside the longest run of sentences the account tells "
            "in the record's order."
        )
    text = " ".join(parts)
    if link.possible_move:
        return "Possibly moved, on weak evidence (check it): " + text
    return text
