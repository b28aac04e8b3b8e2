"""The words a link's two sides share, shown as its evidence (compare._shared_words)."""

from __future__ import annotations

import importlib

from webapp.collate import Document, compare
from webapp.collate.normalize import Normalizer

_compare = importlib.import_module("webapp.collate.compare")


def _words(text: str) -> list[list[str]]:
    return [Normalizer().words(text)]


def test_shared_words_are_content_words_by_stem_once_each_in_the_source_order() -> None:
    source = _words("The treaty talks were longer; talks, talks and the Treaty again.")
    witness = _words("Long treaty negotiations: the talking went on.")
    shared = _compare._shared_words((0,), (0,), source, witness)
    assert shared == ("treaty", "talks", "longer")  # "talking" ~ "talks", "long" ~ "longer"


def test_a_run_on_sentence_shows_each_shared_word_once() -> None:
    words = [f"word{k % 300}" for k in range(6000)]
    record = " ".join(words) + "."
    account = " ".join(w for w in words if w != "word7") + "."
    result = compare(Document.from_text("r", record), [Document.from_text("a", account)])
    (link,) = result.witnesses[0].links
    assert len(link.shared) == 299 and "word7" not in link.shared
    assert list(link.shared[:3]) == ["word0", "word1", "word2"]
