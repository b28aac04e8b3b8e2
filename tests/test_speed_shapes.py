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
    from webapp.collate.topk import near_copies

    copy_of = np.array([0, 1, 0, 1, 0, 1, 0, 1, 0, 1], dtype=np.int64)
    rows = np.array([3, 3, 0, 0, 1], dtype=np.int64)
    cols = np.array([0, 2, 7, 9, 8], dtype=np.int64)  # chance copies, as the search left them
    out = near_copies(rows, cols, copy_of, 4).tolist()
    assert sorted(out[:2]) == [6, 8]  # the last record sentence: the last copies of A
    assert sorted(out[2:4]) == [1, 3]  # the first: the first copies of B
    assert out[4] == 4  # row 1 of 4 -> place 3.75 of 10: the copy of A at 4


# ---------------------------------------------------------------------------------------
# One 20,000-word sentence (issue 10): the text side reads it in proportion to its
# distinct words and its changes, not with a Python step per word or a quadratic splice.
# ---------------------------------------------------------------------------------------


def _long_sentence(n_words: int, seed: int = 5) -> tuple[str, str, list[str]]:
    """A run-on sentence of the minutes' vocabulary with numbers in it, and a copy with
    2% of its words changed; the vocabulary."""
    rng = random.Random(seed)
    vocabulary = sorted({w.strip(".").lower() for s in POOL for w in s.split()})
    vocabulary += ["1994", "twenty", "two", "21st", "don't"]
    words = [rng.choice(vocabulary) for _ in range(n_words)]
    changed = [rng.choice(EXTRA) if rng.random() < 0.02 else w for w in words]
    return " ".join(words).capitalize() + ".", " ".join(changed).capitalize() + ".", vocabulary


def test_a_long_sentence_is_normalised_one_distinct_token_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import webapp.collate.number_words as number_words

    text, _, vocabulary = _long_sentence(20_000)
    forms: list[str] = []
    runs: list[int] = []
    word_forms, read_numbers = Normalizer._word_forms, number_words._read_numbers
    monkeypatch.setattr(
        Normalizer, "_word_forms", lambda self, t: forms.append(t) or word_forms(self, t)
    )
    monkeypatch.setattr(
        number_words,
        "_read_numbers",
        lambda words: runs.append(len(words)) or read_numbers(words),
    )
    words = Normalizer().words(text)
    assert len(forms) == len(set(forms)) <= len(vocabulary) + 1  # + the capitalised first
    # Only runs of number words and ordinals are read ("twenty two" -> "22", "21st" -> "21");
    # "1994" and every other word pass through without a step of their own.
    assert runs and sum(runs) < 0.25 * len(words)
    assert "twenty" not in words and "21st" not in words and "1994" in words
    assert "22" in words or "20" in words


def test_a_long_sentence_s_word_diff_searches_only_between_anchors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from diff_match_patch import diff_match_patch

    from webapp.collate import diff

    source, witness, _ = _long_sentence(20_000)
    searched: list[int] = []
    merged: list[list[tuple[int, str]]] = []
    main, cleanup = diff_match_patch.diff_main, diff_match_patch.diff_cleanupMerge

    def counting_main(self: diff_match_patch, a: str, b: str, *rest: object) -> object:
        searched.append(len(a) + len(b))
        return main(self, a, b, *rest)

    def watching_cleanup(self: diff_match_patch, diffs: list[tuple[int, str]]) -> None:
        merged.append(list(diffs))
        cleanup(self, diffs)

    monkeypatch.setattr(diff_match_patch, "diff_main", counting_main)
    monkeypatch.setattr(diff_match_patch, "diff_cleanupMerge", watching_cleanup)
    ops = diff.word_diff(source, witness, Normalizer())
    tokens = len(diff._TOKEN.findall(source)) + len(diff._TOKEN.findall(witness))
    # diff-match-patch sees the stretches around the changed words, not the sentence.
    assert sum(searched) < 0.25 * tokens
    # The pieces reach the final clean-up with no two equalities side by side (its
    # splices in a list of thousands of pieces cost the square of their number).
    final = merged[-1]
    assert all(not (a[0] == b[0] == 0) for a, b in zip(final, final[1:], strict=False))
    assert "".join(op.text for op in ops if op.op != "insert") == source
    assert "".join(op.text for op in ops if op.op != "delete") == witness


def test_anchors_are_checked_symbol_by_symbol_when_hashes_collide(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With base 1 a run's hash is the sum of its symbols: different runs collide often,
    # across the two texts too. A colliding pair must never become an anchor.
    from webapp.collate import anchors, diff

    source, witness, _ = _long_sentence(3_000, seed=8)
    expected = diff.word_diff(source, witness, Normalizer())
    monkeypatch.setattr(anchors, "_HASH_BASE", np.uint64(1))
    # "abcdefgh" and "hgfedcba" have the same sum and occur once on each side.
    a, b = "abcdefgh" + "z" * 50 + "abcdefgh"[::2], "hgfedcba" + "y" * 50 + "abcdefgh"[::2]
    found_a, found_b = anchors._unique_pairs(
        anchors._codes(a), anchors._codes(b), anchors.ANCHOR_TOKENS
    )
    assert found_a.tolist() == found_b.tolist() == []
    found_a, found_b = anchors._unique_pairs(
        anchors._codes(a), anchors._codes(a), anchors.ANCHOR_TOKENS
    )
    assert found_a.tolist() == found_b.tolist() == [0]
    found = diff.word_diff(source, witness, Normalizer())
    assert "".join(op.text for op in found if op.op != "insert") == source
    assert "".join(op.text for op in found if op.op != "delete") == witness
    changed = sorted(op.text for op in found if op.op != "equal")
    assert changed == sorted(op.text for op in expected if op.op != "equal")


def test_the_anchored_diff_is_the_plain_diff_where_both_can_run() -> None:
    # 3,000 words (past diff.LONG_TOKENS) with a few changes: diff-match-patch alone
    # finishes well within its time limit, and the anchored diff must agree with it.
    from diff_match_patch import diff_match_patch

    from webapp.collate import anchors, diff

    source, witness, _ = _long_sentence(1_500, seed=9)
    norm = Normalizer()
    src, wit = diff._TOKEN.findall(source), diff._TOKEN.findall(witness)
    symbols = diff._symbols(dict.fromkeys(src + wit), norm)
    a, b = "".join(symbols[t] for t in src), "".join(symbols[t] for t in wit)
    assert min(len(a), len(b)) >= diff.LONG_TOKENS
    engine = diff_match_patch()
    engine.Diff_Timeout = 0
    plain = engine.diff_main(a, b, False)
    engine.diff_cleanupSemantic(plain)
    anchored = anchors.anchored(a, b, engine)
    engine.diff_cleanupSemantic(anchored)
    assert anchored == plain
