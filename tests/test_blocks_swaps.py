"""Local swaps (:func:`webapp.collate.offchain.swapped_in_place`): a move that crosses its
neighbour's link is a swap only if the neighbour has no partner in place."""

from __future__ import annotations

from tests.test_blocks_interior import pair_index
from webapp.collate import Document, WitnessResult, compare
from webapp.collate.offchain import swapped_in_place

RECORD = [
    "The ministers met in Geneva on Monday morning to open the conference.",
    "Delegates from nine countries took their seats in the old assembly hall.",
    "The chairman went away again and read the same statement on the aims of the meeting.",
    "When he came back he found the delegates asleep, for their eyes were heavy with sleep.",
    "In the afternoon the working groups met separately.",
    "The conference closed at six with a short communique.",
]
#: Record 2 and 3 retold in order, then record 2 told once more, closer to its wording.
AGAIN = "Once more the chairman left and read his statement, using the same words."
ASLEEP = "Returning, he found the delegates asleep again, their eyes heavy with sleep."
THIRD = (
    "He left them again, went away and read the same statement on the aims of the meeting"
    " a third time."
)


def _align(account: list[str]) -> WitnessResult:
    return compare(
        Document.from_lines("record", "\n".join(RECORD)),
        [Document.from_lines("account", "\n".join(account))],
    ).witnesses[0]


def test_a_repeated_sentence_after_its_neighbour_is_no_swap() -> None:
    # The third telling (account 4) is the record's closest wording, so it wins the
    # matching, and the sleep (account 3) looked moved before it. Record 2 has a partner
    # in place (account 2): the order is kept, and the third telling is a further use.
    result = _align([RECORD[0], RECORD[1], AGAIN, ASLEEP, THIRD, RECORD[4], RECORD[5]])
    (sleep,) = [link for link in result.links if 3 in link.witness]
    assert sleep.source == (3,) and not sleep.moved and not sleep.possible_move
    (chairman,) = [link for link in result.links if 2 in link.source]
    assert chairman.witness == (2, 4)
    assert result.order.moved == 0


def test_a_real_swap_of_two_neighbours_is_still_a_move() -> None:
    # The account tells the sleep before the statement and has no other telling of it.
    result = _align([RECORD[0], RECORD[1], ASLEEP, AGAIN, RECORD[4], RECORD[5]])
    pairs = {(link.source, link.witness) for link in result.links}
    assert ((2,), (3,)) in pairs and ((3,), (2,)) in pairs
    assert result.order.moved + sum(link.possible_move for link in result.links) == 1


def test_the_anchor_moves_to_its_free_partner_in_place_when_it_scores_enough() -> None:
    anchors = [(0, 0), (1, 1), (2, 4), (4, 5)]
    move = [(3, 3)]  # crosses (2, 4); record 2 also matches account 2
    scores = {(0, 0): 1.0, (1, 1): 1.0, (2, 4): 0.7, (3, 3): 0.6, (4, 5): 1.0}
    assert swapped_in_place(move, anchors, pair_index({**scores, (2, 2): 0.35}), 0.3) == {
        (2, 4): (2, 2)
    }
    # Too weak to be a link on its own strength: the swap stands.
    assert swapped_in_place(move, anchors, pair_index({**scores, (2, 2): 0.2}), 0.3) == {}
    # In place but taken by another link, or beyond the previous anchor: no partner.
    assert (
        swapped_in_place(
            move,
            [*anchors[:1], (1, 2), *anchors[2:]],
            pair_index({**scores, (1, 2): 1.0, (2, 2): 0.35}),
            0.3,
        )
        == {}
    )
    assert swapped_in_place(move, anchors, pair_index({**scores, (2, 0): 0.9}), 0.3) == {}


def test_an_account_sentence_another_link_holds_is_no_partner_in_place() -> None:
    anchors = [(0, 0), (1, 1), (2, 4), (4, 5)]
    scores = {(0, 0): 1.0, (1, 1): 1.0, (2, 4): 0.7, (3, 3): 0.6, (4, 5): 1.0, (2, 2): 0.35}
    assert swapped_in_place([(3, 3)], anchors, pair_index(scores), 0.3, {2}) == {}
