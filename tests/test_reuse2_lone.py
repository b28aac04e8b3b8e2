"""Lone second tellings (:mod:`webapp.collate.retell`, ``retell_alone``): an account sentence
that tells an already linked record sentence again, on its own, joins that sentence's link
when it stands out above the row's chance and its context tells no other passage; the same
sentence between links of another passage is an addition there, and stays unlinked."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from webapp.collate import Document, Settings, WitnessResult, compare
from webapp.collate.gaps import PairIndex
from webapp.collate.merges import DraftLink
from webapp.collate.retell import RetellSettings, second_tellings
from webapp.collate.similarity import PairScores

from .test_retell import NOISE, NULL, RECORD, SHAPE
from .test_retell import SETTINGS as RETELL_SETTINGS

SETTINGS = replace(RETELL_SETTINGS, alone=True)


def _retell(
    pairs: dict[tuple[int, int], float],
    settings: RetellSettings = SETTINGS,
    uses: dict[int, int] | None = None,
) -> dict[int, tuple[int, ...]]:
    """The account sentences of each record sentence's link after the search; ``uses``:
    free account sentences already linked as further uses (account -> record)."""
    links = [DraftLink({i}, {i}) for i in range(400)]
    for j, i in (uses or {}).items():
        links[i].witness.add(j)
    every = {**{(i, i): 1.0 for i in range(400)}, **NOISE, **pairs}
    every.update({(i, j): 0.9 for j, i in (uses or {}).items()})
    src = np.array([i for i, _ in every], dtype=np.int64)
    wit = np.array([j for _, j in every], dtype=np.int64)
    score = np.array(list(every.values()))
    index = PairIndex(PairScores(src, wit, score, score, score))
    found = second_tellings(links, index, NULL, SHAPE, settings)
    return {min(link.source): tuple(sorted(link.witness)) for link in found}


def test_a_lone_use_that_stands_out_in_free_context_is_a_second_telling() -> None:
    assert _retell({(200, 450): 0.45})[200] == (200, 450)


def test_with_the_setting_off_the_lone_use_stays_free() -> None:
    assert _retell({(200, 450): 0.45}, replace(SETTINGS, alone=False))[200] == (200,)


def test_a_lone_use_at_chance_level_is_refused() -> None:
    # 0.29 is under what chance reaches in a row of 400 record sentences (0.3).
    assert _retell({(200, 450): 0.29})[200] == (200,)


def test_a_lone_use_between_links_of_another_passage_is_refused() -> None:
    # Account 449 and 451 tell record 50 and 51 again: 450 sits inside that passage.
    found = _retell({(200, 450): 0.45}, uses={449: 50, 451: 51})
    assert found[200] == (200,)


def test_a_neighbour_that_continues_the_passage_in_order_is_no_obstacle() -> None:
    # Account 449 tells record 199 again, just before 200: the same passage, in order.
    assert _retell({(200, 450): 0.45}, uses={449: 199})[200] == (200, 450)


def test_a_neighbour_told_against_the_record_order_is_another_passage() -> None:
    # Account 451 (after 450) tells record 199 (before 200): not one passage told again.
    assert _retell({(200, 450): 0.45}, uses={451: 199})[200] == (200,)


def test_a_lone_use_that_is_one_copy_of_a_formula_is_refused() -> None:
    copies = {(50, 450): 0.44, (350, 450): 0.44}
    assert _retell({(200, 450): 0.45, **copies})[200] == (200,)


def test_a_lone_use_goes_to_its_best_partner_only() -> None:
    found = _retell({(200, 450): 0.45, (120, 450): 0.40})
    assert found[200] == (200, 450) and found[120] == (120,)


SAYING = "An old sailor swore he had seen a lantern left burning that night."
NEW = (
    "The harbour master kept a ledger of every ship that came and went.",
    "Some said the ledger was later lost in a flood.",
)


def _align(account: list[str], alone: bool = True) -> WitnessResult:
    settings = Settings()
    settings = replace(settings, align=replace(settings.align, retell_alone=alone))
    record = Document.from_lines("record", "\n".join(RECORD))
    told = Document.from_lines("account", "\n".join(account))
    return compare(record, [told], settings).witnesses[0]


def test_a_saying_told_again_among_new_matter_joins_its_link() -> None:
    # The sailor's claim (record 10, told in place at account 13) is told early too, between
    # two sentences the record does not have.
    account = [*RECORD[:4], NEW[0], SAYING, NEW[1], *RECORD[4:]]
    result = _align(account)
    (link,) = [k for k in result.links if 10 in k.source]
    assert link.witness == (5, 13)
    assert result.added == (4, 6)
    assert _align(account, alone=False).added == (4, 5, 6)


def test_the_same_saying_inside_a_passage_told_in_place_stays_added() -> None:
    # Between record 3 and 4 told in place, the saying is an addition to that passage.
    result = _align([*RECORD[:4], SAYING, *RECORD[4:]])
    (link,) = [k for k in result.links if 10 in k.source]
    assert link.witness == (11,)
    assert result.added == (4,)
