"""Second tellings (:mod:`webapp.collate.retell`): an account that tells one record passage
twice has both tellings linked, as further uses of the record sentences; a run of uses is
evidence, a lone weak use is not, and a run of uses none of which stands out against the
text pair's chance scores is a shared subject, not a retelling."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from webapp.collate import Document, Settings, WitnessResult, compare
from webapp.collate.gaps import NullScores, PairIndex
from webapp.collate.merges import DraftLink
from webapp.collate.retell import RetellSettings, second_tellings
from webapp.collate.similarity import PairScores
from webapp.views.summary import link_title

RECORD = [
    "The fishermen pulled their boats onto the shingle before the storm.",
    "A messenger rode in from the capital with sealed letters.",
    "The mayor read the letters aloud in the market square.",
    "Grain prices had doubled since the harvest failed in the north.",
    "Merchants refused to sell bread on credit any longer.",
    "The bishop preached a sermon on patience and charity.",
    "That night a fire broke out in the tannery by the river.",
    "Neighbours formed a chain of buckets from the quay.",
    "By morning three warehouses had burned to the ground.",
    "The council met to decide who would pay for the damage.",
    "An old sailor claimed he had seen a lantern left burning.",
    "The tanner was arrested and taken to the castle gaol.",
    "His wife begged the magistrate to hear her husband's side.",
    "Witnesses swore the tanner had been drinking at the inn all evening.",
    "The magistrate released him for lack of proof.",
    "Spring brought ships from Flanders loaded with rye.",
    "The price of bread fell and the merchants opened their stalls.",
    "A new tannery was built outside the town walls.",
    "The bishop blessed the new walls on Midsummer Day.",
    "Children sang in the streets until the bells rang for vespers.",
]
#: The arrest (record 11-14) told again in the account's own words.
RETOLD = [
    "They seized the tanner and led him up to the castle gaol.",
    "His wife pleaded with the magistrate to hear what her husband had to say.",
    "People swore that the tanner sat drinking at the inn the whole evening.",
    "For want of proof the magistrate let him go.",
]


def _align(account: list[str], settings: Settings | None = None) -> WitnessResult:
    record = Document.from_lines("record", "\n".join(RECORD))
    told = Document.from_lines("account", "\n".join(account))
    return compare(record, [told], settings).witnesses[0]


def _link_of_record(result: WitnessResult, sentence: int) -> tuple[int, ...]:
    (witness,) = [link.witness for link in result.links if sentence in link.source]
    return witness


def test_a_passage_told_twice_is_linked_twice() -> None:
    # The account tells the arrest early (sentences 4-7) and again in place (15-18).
    account = [*RECORD[:4], *RETOLD, *RECORD[4:]]
    result = _align(account)
    for k in range(11, 15):
        assert _link_of_record(result, k) == (k - 7, k + 4)
    assert result.added == () and result.omitted == ()
    # One link per record sentence, as before: the second telling is a further use.
    assert sorted(i for link in result.links for i in link.source) == list(range(20))
    exported = [link for link in result.to_dict()["links"] if link["source"] == [12]]
    assert exported[0]["witness"] == [5, 16]


def test_without_the_run_rule_the_second_telling_is_left_as_added() -> None:
    # The same texts with runs of further uses switched off: the early telling is
    # "added", which is what the rule exists to correct (so the test above can fail).
    account = [*RECORD[:4], *RETOLD, *RECORD[4:]]
    settings = Settings()
    runs_off = replace(settings.align, retell_length=len(account) + 1, retell_alone=False)
    off = replace(settings, align=runs_off)
    assert _align(account, off).added == (4, 5, 6, 7)


def test_a_lone_weak_second_use_is_not_linked() -> None:
    lone = "The bishop's sermon that day was about charity."
    result = _align([*RECORD[:2], lone, *RECORD[2:]])
    assert result.added == (2,)
    assert _link_of_record(result, 5) == (6,)


SETTINGS = RetellSettings(
    alpha=0.05,
    min_length=2,
    max_step=3,
    floor=0.1,
    tie_margin=0.02,
    distinct_ratio=1.6,
    row_alpha=0.05,
)
#: Chance scores: most unrelated pairs under 0.15, one in a thousand reaches 0.3.
NULL = NullScores(np.r_[np.linspace(0.0, 0.15, 19_000), np.linspace(0.15, 0.3, 980), [0.3] * 20])
#: 400 record sentences linked in order to account 0-399; account 400-499 are free.
SHAPE = (400, 500)
#: Chance pairs between the record and the free account sentences, none in a run.
NOISE = {(7 * k % 400, 400 + 13 * k % 100): 0.12 for k in range(1, 300)}


def _links() -> list[DraftLink]:
    return [DraftLink({i}, {i}) for i in range(400)]


def _retell(
    pairs: dict[tuple[int, int], float], settings: RetellSettings = SETTINGS
) -> dict[int, tuple[int, ...]]:
    first_uses = {(i, i): 1.0 for i in range(400)}
    every = {**first_uses, **NOISE, **pairs}
    src = np.array([i for i, _ in every], dtype=np.int64)
    wit = np.array([j for _, j in every], dtype=np.int64)
    score = np.array(list(every.values()))
    index = PairIndex(PairScores(src, wit, score, score, score))
    links = second_tellings(_links(), index, NULL, SHAPE, settings)
    return {min(link.source): tuple(sorted(link.witness)) for link in links}


def test_a_run_of_uses_joins_the_links_of_its_record_sentences() -> None:
    found = _retell({(200, 450): 0.36, (201, 451): 0.33, (202, 453): 0.35})
    assert found[200] == (200, 450) and found[201] == (201, 451) and found[202] == (202, 453)
    assert sum(len(w) for w in found.values()) == 403


def test_a_lone_use_is_no_run_even_when_it_stands_out() -> None:
    # (With lone uses on, it is one: tests/test_reuse2_lone.py.)
    found = _retell({(200, 450): 0.45}, replace(SETTINGS, alone=False))
    assert found[200] == (200,)


def test_a_run_of_uses_none_of_which_stands_out_is_a_shared_subject() -> None:
    # Long enough to pass the union bound on chance runs, but every member is a score
    # that chance reaches in a row of 400 record sentences.
    run = {(100 + k, 420 + k): 0.29 for k in range(6)}
    assert all(len(w) == 1 for w in _retell(run).values())
    stronger = {**run, (103, 423): 0.4}
    assert _retell(stronger)[103] == (103, 423)


def test_a_member_that_is_not_its_sentences_best_partner_is_left_out() -> None:
    run = {(200, 450): 0.36, (201, 451): 0.33, (202, 452): 0.35, (300, 451): 0.5}
    found = _retell(run)
    assert found[200] == (200, 450) and found[202] == (202, 452)
    assert found[201] == (201,) and found[300] == (300,)


def test_an_account_sentence_with_copies_above_chance_reuses_nothing() -> None:
    # Account 451 scores as well with two far record sentences: a formula copy.
    run = {(200, 450): 0.36, (201, 451): 0.33, (202, 452): 0.35}
    copies = {(50, 451): 0.32, (350, 451): 0.32}
    found = _retell({**run, **copies})
    assert found[201] == (201,)
    assert found[200] == (200, 450) and found[202] == (202, 452)


def test_the_plain_words_of_a_link_told_twice_name_both_tellings() -> None:
    result = _align([*RECORD[:4], *RETOLD, *RECORD[4:]])
    (link,) = [k for k in result.links if k.source == (12,)]
    # R13 is told at A6 (early, out of the record's order) and again, word for word and
    # in place, at A17: each telling is named with how it is told.
    assert link_title(link) == (
        "R13 → A6, A17 · told twice: A17 word for word in place; A6 told earlier"
    )
    assert not link.moved  # told in place somewhere: the passage is not a moved one
