"""Awkward shapes of input: repeated material reaches the right copy, and the work stays
in proportion to the text (issue 10: no blow-ups)."""

from __future__ import annotations

import gc
import random

import numpy as np
import pytest
import scipy.sparse as sp

from webapp.collate import Document, compare
from webapp.collate.band import band_pairs, expected_places, landmarks
from webapp.collate.normalize import Normalizer
from webapp.collate.similarity import Scorer

POOL = [
    "The committee approved the minutes of the previous meeting without amendment.",
    "The treasurer reported that the accounts were in good order.",
    "Members discussed the repairs needed to the roof of the hall.",
    "The secretary read letters from the county council and the bishop.",
    "It was agreed to hold the summer fete on the first Saturday of July.",
    "The chairman thanked the members and closed the meeting at nine.",
]
EXTRA = "parish village church school market river bridge garden library station".split()


def _changed(sentence: str, rng: random.Random) -> str:
    words = sentence.split()
    words[rng.randrange(1, len(words) - 1)] = rng.choice(EXTRA)
    return " ".join(words)


def repeated_minutes(n: int, seed: int = 1) -> tuple[list[str], list[str], set[tuple[int, int]]]:
    """Minutes that cycle six formulae, one word changed in every copy on each side
    (independently), 8% of the account's lines dropped; copy k is copy k."""
    rng = random.Random(seed)
    record = [_changed(POOL[k % len(POOL)], rng) for k in range(n)]
    account: list[str] = []
    truth: set[tuple[int, int]] = set()
    for k in range(n):
        if rng.random() < 0.08:
            continue
        truth.add((k, len(account)))
        account.append(_changed(POOL[k % len(POOL)], rng))
    return record, account, truth


def _scorer(record: list[str], account: list[str]) -> Scorer:
    norm = Normalizer()
    source = [norm.words(s) for s in record]
    witness = [norm.words(s) for s in account]
    return Scorer(
        [norm.terms(w) for w in source], [norm.terms(w) for w in witness], source, witness
    )


def test_the_copy_in_place_of_a_repeated_sentence_is_a_candidate() -> None:
    # Every copy of a formula scores alike, so the global top partners are a chance
    # handful of the 20 copies; the copy in place must be among the candidates all the
    # same, or no decision by order can find it.
    record, account, truth = repeated_minutes(120)
    candidates = _scorer(record, account).candidates(13)
    assert len(truth & candidates) >= 0.9 * len(truth)


def test_landmarks_are_the_clear_pairs_in_order_and_places_follow_them() -> None:
    rows = np.array([0, 1, 2, 3, 3, 9, 20], dtype=np.int64)
    cols = np.array([0, 1, 2, 3, 7, 40, 21], dtype=np.int64)
    values = np.array([0.9, 0.8, 0.9, 0.5, 0.45, 0.9, 0.9])
    src, wit = landmarks(rows, cols, values, (30, 50))
    # (3, 3) has a rival as good (3, 7); (9, 40) and (20, 21) have no clear pair next to them.
    assert list(zip(src.tolist(), wit.tolist(), strict=True)) == [(0, 0), (1, 1), (2, 2)]
    places = expected_places((src, wit), 30, 50)
    assert places[:3].tolist() == [0.0, 1.0, 2.0]
    assert places[-1] == pytest.approx(2 + 47 * 28 / 48)  # on the line to the ends (30, 50)


def test_a_repeated_formula_links_to_the_copy_that_fits_its_neighbours() -> None:
    record, account, truth = repeated_minutes(120)
    result = compare(
        Document.from_text("minutes", "\n".join(record)),
        [Document.from_text("retold", "\n".join(account))],
    )
    links = {(link.source[0], link.witness[0]) for link in result.witnesses[0].links}
    assert len(links & truth) >= 0.9 * len(truth)


def test_the_cyclic_collector_is_paused_while_comparing_and_back_on_after() -> None:
    seen: list[bool] = []

    def progress(stage: str, fraction: float) -> None:
        seen.append(gc.isenabled())
        if stage == "aligning":
            raise RuntimeError("cancelled")  # a cancelled job ends the comparison

    record = Document.from_text("r", "The talks began. Yeltsin spoke. Then they ate.")
    account = Document.from_text("a", "They ate. Yeltsin spoke first.")
    assert gc.isenabled()
    with pytest.raises(RuntimeError, match="cancelled"):
        compare(record, [account], progress=progress)
    assert seen and not any(seen)
    assert gc.isenabled()
    compare(record, [account])
    assert gc.isenabled()


def test_band_pairs_take_the_nearest_copy_within_each_radius() -> None:
    # Record rows 0..99 alternate two sentences (copies at even and odd places); the one
    # account sentence is a copy of the even one, expected at place 50.
    even, odd = [1.0, 0.0], [0.0, 1.0]
    source = sp.csr_matrix(np.array([even if k % 2 == 0 else odd for k in range(100)]))
    witness = sp.csr_matrix(np.array([even]))
    found = band_pairs(source, witness, np.array([50.2]), np.array([0]), radii=(4, 16))
    # Equal copies: the nearest to the expected place wins, whatever the radius.
    assert found == {(50, 0)}
    # A better copy further off is taken within the larger radius only.
    source = sp.csr_matrix(np.array([even if k % 2 == 0 else odd for k in range(100)]) * 0.5)
    source[60, 0] = 1.0
    found = band_pairs(source, witness, np.array([50.2]), np.array([0]), radii=(4, 16))
    assert found == {(50, 0), (60, 0)}
    assert all(abs(i - 50) <= 16 for i, _ in found)


def test_a_long_sentence_with_a_few_changed_words_shows_just_those_words() -> None:
    # 6,000 words, past diff.LONG_TOKENS: the diff is cut at runs found once on each side
    # first; every changed word must still show by itself, and both texts rebuild.
    from webapp.collate.diff import LONG_TOKENS, word_diff

    rng = random.Random(3)
    vocabulary = sorted({w.strip(".").lower() for s in POOL for w in s.split()})
    words = [rng.choice(vocabulary) for _ in range(6000)]
    changed = list(words)
    places = [2 * k for k in sorted(rng.sample(range(1, 2999), 40))]  # none adjacent
    for at in places:
        changed[at] = "zzz" + changed[at]
    assert 2 * len(words) > LONG_TOKENS
    diff = word_diff(" ".join(words), " ".join(changed), Normalizer())
    assert "".join(op.text for op in diff if op.op != "insert") == " ".join(words)
    assert "".join(op.text for op in diff if op.op != "delete") == " ".join(changed)
    inserted = [op.text for op in diff if op.op == "insert"]
    deleted = [op.text for op in diff if op.op == "delete"]
    assert sorted(inserted) == sorted(changed[at] for at in places)
    assert sorted(deleted) == sorted(words[at] for at in places)


def test_tied_copies_of_a_partner_are_the_copies_around_the_sentence_s_place() -> None:
    # Account: text A at places 0, 2, 4, 6, 8 and text B at 1, 3, 5, 7, 9 (exact copies,
    # so every copy of one text ties). A record sentence that took two copies of a text
    # gets the two around its own share of the way through the record (4 sentences).
    from webapp.collate.similarity import _near_copies

    copy_of = np.array([0, 1, 0, 1, 0, 1, 0, 1, 0, 1], dtype=np.int64)
    rows = np.array([3, 3, 0, 0, 1], dtype=np.int64)
    cols = np.array([0, 2, 7, 9, 8], dtype=np.int64)  # chance copies, as the search left them
    out = _near_copies(rows, cols, copy_of, 4).tolist()
    assert sorted(out[:2]) == [6, 8]  # the last record sentence: the last copies of A
    assert sorted(out[2:4]) == [1, 3]  # the first: the first copies of B
    assert out[4] == 4  # row 1 of 4 -> place 3.75 of 10: the copy of A at 4
