"""A link that the joins grew on both sides is cut back into the passages it holds when
each half is a link on its own strength (Mark 11:28-29 against Luke 20:2-3: two verses
told in the same order are two links, not one link of four verses)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from webapp.collate.merges import DraftLink, split_crossed

RECORD = [
    "by what authority do you do these things who gave you this authority",
    "i will ask you one question answer me and i will tell you",
    "the baptism of john was it from heaven or from men answer me",
]
ACCOUNT = [
    "tell us by what authority you do these things who is giving you this authority",
    "he answered i also will ask you one question tell me",
    "was the baptism of john from heaven or from men",
]


Figures = list[tuple[float, float, float]]
Scorer = Callable[[Sequence[tuple[Sequence[int], Sequence[int]]]], Figures]


def scorer(record: list[str], account: list[str]) -> Scorer:
    """A stand-in for the engine's link scorer: Jaccard of the two sides' words, and each
    side's share of its words found on the other side."""

    def groups(items: Sequence[tuple[Sequence[int], Sequence[int]]]) -> Figures:
        out = []
        for src, wit in items:
            a = {w for k in src for w in record[k].split()}
            b = {w for k in wit for w in account[k].split()}
            both = len(a & b)
            out.append((both / len(a | b), both / len(a), both / len(b)))
        return out

    return groups


groups = scorer(RECORD, ACCOUNT)


def test_a_link_of_two_passages_in_order_is_cut_into_the_two() -> None:
    whole = DraftLink({0, 1}, {0, 1})
    assert groups([([0, 1], [0, 1])])[0][0] > 0.3  # the joins' whole is a fair link too
    out = split_crossed([whole], groups, 0.3)
    assert sorted((sorted(k.source), sorted(k.witness)) for k in out) == [
        ([0], [0]),
        ([1], [1]),
    ]


def test_the_cut_is_where_the_weaker_half_is_strongest() -> None:
    # Three record verses told in two account sentences: 0 | 1-2 would leave a weak
    # half, 0-1 | 2 pairs each account sentence with what it tells.
    merged = scorer(RECORD, [ACCOUNT[0] + " " + ACCOUNT[1], ACCOUNT[2]])
    out = split_crossed([DraftLink({0, 1, 2}, {0, 1})], merged, 0.3)
    assert sorted((sorted(k.source), sorted(k.witness)) for k in out) == [
        ([0, 1], [0]),
        ([2], [1]),
    ]


def test_a_passage_rewritten_as_a_whole_stays_one_link() -> None:
    # The account redistributes the content over its two sentences: each half alone is
    # weak (under the threshold), the whole is close, so only the whole link holds.
    record = ["the king rode north", "with his army of ten thousand men"]
    account = ["the king and his army", "rode north with ten thousand men"]
    whole = DraftLink({0, 1}, {0, 1})
    out = split_crossed([whole], scorer(record, account), 0.5)
    assert [(sorted(k.source), sorted(k.witness)) for k in out] == [([0, 1], [0, 1])]


def test_links_of_one_sentence_on_a_side_are_left_alone() -> None:
    links = [DraftLink({0, 1}, {0}), DraftLink({2}, {1, 2})]
    out = split_crossed(links, groups, 0.0)
    assert out == links
