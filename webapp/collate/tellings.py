"""Tellings: the runs of one link's account sentences, each judged on its own order.

An account may tell one record passage twice (:mod:`.retell`): the link then holds both
tellings on its account side, e.g. record (12,) and account (5, 16). A *telling* is a
maximal run of account indices at most :data:`TELLING_GAP` apart. Each telling is its
own item on the order-preserving chain, so a telling in place is on the chain and an
early one is off it; the link is moved only when every telling is (told in place
somewhere: not a move).
The engine (:func:`.compare.compare`) and curation (:func:`.curate.curate`) both order
links through :func:`chain_items` and :func:`off_chain` and combine with :func:`combine`.

>>> runs((5, 6, 16, 18))
[(5, 6), (16, 18)]
>>> keys = [((0,), (0,)), ((1,), (1,)), ((1,), (4,)), ((2,), (2,)), ((3,), (3,))]
>>> off_chain(keys, [1.0] * 5)
[False, False, True, False, False]
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import DiffOp, Link, Telling
from .order import moved_links

_Key = tuple[tuple[int, ...], tuple[int, ...]]

#: Account sentences one telling may skip between two of its own: a merge may reach
#: across one unlinked sentence (:mod:`.merges`), so a record verse spread over an account's
#: 23:1 and 23:3 is told once, with 23:2 added (see benchmarks/RESULTS.md, "each telling
#: judged on its own", for 0 against 1).
TELLING_GAP = 1


def runs(indices: Sequence[int], gap: int = TELLING_GAP) -> list[tuple[int, ...]]:
    """The maximal runs of a sorted tuple's indices with at most ``gap`` indices missing
    between two neighbours, in order."""
    out: list[list[int]] = []
    for j in indices:
        if out and j <= out[-1][-1] + 1 + gap:
            out[-1].append(j)
        else:
            out.append([j])
    return [tuple(run) for run in out]


def chain_items(keys: Sequence[_Key]) -> tuple[list[_Key], list[int]]:
    """Each link's items on the chain (one per telling, its record side with the run) and
    the link each item belongs to."""
    items: list[_Key] = []
    owner: list[int] = []
    for k, (src, wit) in enumerate(keys):
        for run in runs(wit):
            items.append((src, run))
            owner.append(k)
    return items, owner


def link_items(links: Sequence[Link]) -> tuple[list[_Key], list[int], list[float]]:
    """:func:`chain_items` of finished links, with each item's score (a telling's own,
    or the link's when it has no tellings)."""
    items: list[_Key] = []
    owner: list[int] = []
    scores: list[float] = []
    for k, link in enumerate(links):
        if link.tellings:
            parts = [(t.witness, t.score) for t in link.tellings]
        else:
            parts = [(link.witness, link.score)]
        for wit, score in parts:
            items.append((link.source, wit))
            owner.append(k)
            scores.append(score)
    return items, owner, scores


def off_chain(items: Sequence[_Key], weights: Sequence[float]) -> list[bool]:
    """Whether each item lies off the heaviest order-preserving chain of items.

    Items are placed at (first record sentence, first account sentence). Tellings of one
    link share their record position and must never chain with each other: record
    positions are ranked by (record position, later account position first), so of two
    items at one record position the later telling comes first and neither can follow
    the other; items at distinct record positions keep their order (the result is then
    :func:`.order.moved_links`'s exactly).
    """
    order = sorted(range(len(items)), key=lambda k: (items[k][0][0], -items[k][1][0]))
    rank = {k: r for r, k in enumerate(order)}
    positions = [(rank[k], items[k][1][0]) for k in range(len(items))]
    return moved_links(positions, weights)


def combine(tellings: Sequence[Telling]) -> tuple[bool, bool]:
    """A link's ``(moved, possible_move)`` from its tellings': moved when every telling
    is; a possible move when every telling is off the chain and some only possibly."""
    moved = all(t.moved for t in tellings)
    possible = not moved and all(t.moved or t.possible_move for t in tellings)
    return moved, possible


def retold_out_of_order(link: Link) -> bool:
    """Whether ``link`` is told in place and once more out of the record's order: not
    moved itself, with a moved telling (what the pages call *told again out of order*)."""
    return not link.moved and any(t.moved for t in link.tellings)


def in_place_at(link: Link) -> int:
    """Where the account tells ``link`` in the record's order: the first sentence of its
    first telling in place (neither moved nor a possible move), else of the link itself.
    A passage told early and again in place stands on the chain by its second telling."""
    for told in link.tellings:
        if not told.moved and not told.possible_move:
            return told.witness[0]
    return link.witness[0]


def best(tellings: Sequence[Telling]) -> Telling:
    """The telling with the highest score (the first of equals): the link's score and kind."""
    return max(tellings, key=lambda t: t.score)


def as_link(
    key: _Key, tellings: Sequence[Telling], joined: tuple[DiffOp, ...], shared: tuple[str, ...]
) -> Link:
    """The link of ``key`` from its tellings: a lone telling is the link itself; several
    give a link moved when all are (:func:`combine`), scored and named by the best, with
    the ``joined`` diff of its whole account side."""
    src, wit = key
    if len(tellings) == 1:
        (one,) = tellings
        return Link(src, wit, one.score, one.kind, one.moved, one.diff, shared, one.possible_move)
    top = best(tellings)
    moved, possible = combine(tellings)
    return Link(src, wit, top.score, top.kind, moved, joined, shared, possible, tuple(tellings))
