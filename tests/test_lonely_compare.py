"""The late step for lone moves (:mod:`webapp.collate.lonely`) end to end, on a small text.

The account tells the record's seventh sentence first, reworded; its words also recall
the bridge near the mill (the record's fourth sentence), which scores better with it but
is linked in place to its own, closer telling: spoken for.
"""

from __future__ import annotations

from dataclasses import replace

from webapp.collate import Document, Settings, compare
from webapp.collate.align import AlignSettings
from webapp.collate.model import Link

RECORD = """The council met at dawn in the old hall of the town.
The mayor read aloud the letter from the northern farmers.
Rain had flooded the lower fields for a whole week.
The bridge near the mill was closed to carts and horses.
Merchants complained that the market tax was far too high.
The council voted to repair the bridge before the winter came.
A stranger spoke of the silver lantern of Hollow Ford.
The meeting ended after the evening bell had rung.
"""
REST = """The council gathered at dawn in the old hall of the town.
The mayor read out the letter from the northern farmers.
Rain had flooded the low fields for a whole week.
The bridge by the mill was closed to carts and horses.
Merchants said that the market tax was far too high.
The council voted to mend the bridge before the winter came.
The meeting ended after the evening bell had rung.
"""
#: Told first: shares the rare phrase "silver lantern" with the record's seventh sentence.
MOVED = (
    "First a traveller told them about the silver lantern, near the bridge by the mill "
    "closed to carts.\n"
)
#: Told first: shares only the topic (a stranger, a light), no phrase.
TOPIC = "First a stranger told them about a lamp, near the bridge by the mill closed to carts.\n"


def _links_of_moved(first: str, ratio: float) -> list[Link]:
    """The links of the record's seventh sentence or the account's first."""
    settings = Settings(align=replace(AlignSettings(), spoken_move_ratio=ratio))
    result = compare(
        Document.from_lines("record", RECORD),
        [Document.from_lines("account", first + REST)],
        settings,
    )
    return [link for link in result.witnesses[0].links if 6 in link.source or 0 in link.witness]


def test_a_lone_move_on_a_rare_phrase_whose_rival_is_spoken_for_is_a_move() -> None:
    links = _links_of_moved(MOVED, AlignSettings().spoken_move_ratio)
    assert [(link.source, link.witness) for link in links] == [((6,), (0,))]
    # The shared phrase corroborates it: a finding, not only a possible move.
    assert links[0].moved and not links[0].possible_move


def test_without_the_step_the_lone_move_is_unlinked() -> None:
    assert _links_of_moved(MOVED, 0.0) == []


def test_a_topic_only_pair_stays_unlinked() -> None:
    assert _links_of_moved(TOPIC, AlignSettings().spoken_move_ratio) == []
