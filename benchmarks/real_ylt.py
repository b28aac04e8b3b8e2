"""Held-out rows in Young's Literal Translation (YLT, 1862): archaic, literal, in the word
order of the Hebrew and Greek ("And it cometh to pass, in the third year of Hoshea ...
reigned hath Hezekiah"). Report only: nobody tuned on it (issue 10).

Three kinds of row, each with the naive baseline in the same process:

* **translation with edits** (:data:`YLT_TRANSLATIONS`): YLT as the record, the WEB of the
  same book edited by the seeded script of :mod:`benchmarks.real_edits` as the account
  (Judges and Hebrews: books no other row uses);
* the same books **at a memcon's size** (:data:`YLT_CHUNKED`): cut into 2-chapter pairs,
  each edited and aligned on its own, pooled, as :mod:`benchmarks.real_chunks` does;
* **a retelling across translations** (:data:`YLT_REWORKS`): Samuel-Kings (or Mark) in
  YLT as the record, Chronicles (or Matthew) in the WEB as the account, against bibledit's
  parallel passages, as the reworking rows of :mod:`benchmarks.real_rows`; and at a
  memcon's size (:data:`YLT_SMALL_REWORKS`): the short reworkings of
  :mod:`benchmarks.real_small` (2 Kings 18-20 -> Isaiah 36-39 ...) with a YLT record.

``pythonbible-ylt`` 0.0.2 keeps its verse offsets (unlike the BBE package, see
:mod:`benchmarks.real_semantic`): :func:`neighbour_wins` counts the verses whose WEB
neighbour shares more words than the WEB verse of the same number, a handful a book.

    python -m benchmarks.real_ylt [--misses "NAME[;NAME]"] [--seed 0] [--markdown]

prints why each row misses (:func:`miss_classes`; see :mod:`.real_translation_misses`
and :mod:`.real_lonely`).
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial

from webapp.collate import Settings
from webapp.collate.normalize import Normalizer

from . import real_lonely, real_translation_misses
from .metrics import predicted
from .real_bible import Verses, bibledit_table, gold_sets, verses
from .real_chunks import Chunked, pooled_row
from .real_edits import EditedPair, edit_pair
from .real_metrics import rework_scores
from .real_rows import (
    CHRONICLES,
    SAMUEL_KINGS,
    Row,
    edited_row,
    rework_verses,
)
from .real_small import OT, SMALL_REWORKS, small_texts

__all__ = [
    "YLT",
    "YLT_CHUNKED",
    "YLT_REWORKS",
    "YLT_SMALL_REWORKS",
    "YLT_TRANSLATIONS",
    "miss_classes",
    "neighbour_wins",
    "ylt_chunked_row",
    "ylt_pair",
    "ylt_rework_row",
    "ylt_small_rework_row",
    "ylt_translation_row",
]

#: The ``pythonbible.Version`` name of Young's Literal Translation.
YLT = "YOUNGS"

#: Translation rows: name -> (book, book the WEB additions come from). The additions'
#: books share no parallel passage with the book (Nehemiah / Judges, James / Hebrews).
YLT_TRANSLATIONS: dict[str, tuple[str, str]] = {
    "ylt>web judges": ("JUDGES", "NEHEMIAH"),
    "ylt>web hebrews": ("HEBREWS", "JAMES"),
}
#: The same books cut into 2-chapter pairs (a memcon's size).
YLT_CHUNKED: dict[str, Chunked] = {
    f"{name} in 2-chapter pairs": Chunked(YLT, book, filler, 2)
    for name, (book, filler) in YLT_TRANSLATIONS.items()
}
#: Retellings across translations: name -> (record books in YLT, account books in the
#: WEB, bibledit table).
YLT_REWORKS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "samuel-kings (ylt)>chronicles (web)": (SAMUEL_KINGS, CHRONICLES, "parallel-passages-ot.xml"),
    "mark (ylt)>matthew (web)": (("MARK",), ("MATTHEW",), "parallel-passages-nt.xml"),
}

#: The short reworkings of :mod:`benchmarks.real_small`, the record read in YLT.
YLT_SMALL_REWORKS = {
    f"{record} (ylt)>{account} (web)": spec
    for name, spec in SMALL_REWORKS.items()
    for record, account in [name.split(">", 1)]
}


def ylt_pair(name: str, seed: int = 0) -> EditedPair:
    """The edited pair of translation row ``name`` (as :func:`ylt_translation_row` runs)."""
    book, filler = YLT_TRANSLATIONS[name]
    record, web = verses((book,), YLT), verses((book,), "WORLD_ENGLISH")
    shared = sorted(set(record.ids) & set(web.ids))
    at_r, at_w = record.index(), web.index()
    return edit_pair(
        [record.texts[at_r[v]] for v in shared],
        [web.texts[at_w[v]] for v in shared],
        verses((filler,), "WORLD_ENGLISH").texts,
        seed=seed,
    )


def ylt_translation_row(name: str, seed: int = 0, settings: Settings | None = None) -> Row:
    """YLT as the record, the WEB of the same book edited by the seeded script as account."""
    book, filler = YLT_TRANSLATIONS[name]
    return edited_row(name, (YLT, book, filler), seed, settings, "report only (held out)")


def ylt_chunked_row(name: str, seed: int = 0, settings: Settings | None = None) -> Row:
    """A YLT->WEB book cut into 2-chapter pairs, each edited and aligned alone, pooled."""
    return pooled_row(name, YLT_CHUNKED[name], seed, settings, None, "report only (held out)")


def rework_texts(name: str) -> tuple[Verses, Verses, str]:
    """The record (YLT), the account (WEB) and the bibledit table of a retelling row (a
    big one or a short one)."""
    if name in YLT_SMALL_REWORKS:
        record, account = YLT_SMALL_REWORKS[name]
        return small_texts(record, YLT), small_texts(account), OT
    record_books, account_books, table = YLT_REWORKS[name]
    return verses(record_books, YLT), verses(account_books, "WORLD_ENGLISH"), table


def ylt_rework_row(name: str, settings: Settings | None = None) -> Row:
    """A later account (WEB) retelling a source read in another translation (YLT)."""
    record, account, table = rework_texts(name)
    return rework_verses(name, record, account, table, False, settings)


def ylt_small_rework_row(name: str, settings: Settings | None = None) -> Row:
    """A short reworking (:mod:`benchmarks.real_small`) with its record read in YLT."""
    record, account, table = rework_texts(name)
    return rework_verses(name, record, account, table, False, settings)


def rows_of_group(seed: int, settings: Settings) -> list[tuple[str, partial[list[Row]]]]:
    """The group's rows as (name, thunk) for :mod:`benchmarks.bench_real`."""
    out: list[tuple[str, partial[list[Row]]]] = []
    out += [(n, partial(_listed, ylt_translation_row, n, seed, settings)) for n in YLT_TRANSLATIONS]
    out += [(n, partial(_listed, ylt_chunked_row, n, seed, settings)) for n in YLT_CHUNKED]
    out += [(n, partial(_listed_rework, n, settings)) for n in YLT_REWORKS]
    out += [(n, partial(_listed_small, n, settings)) for n in YLT_SMALL_REWORKS]
    return out


def _listed(make: Callable[..., Row], name: str, seed: int, settings: Settings) -> list[Row]:
    """One seeded row, as a list."""
    return [make(name, seed=seed, settings=settings)]


def _listed_rework(name: str, settings: Settings) -> list[Row]:
    """One retelling row, as a list."""
    return [ylt_rework_row(name, settings)]


def _listed_small(name: str, settings: Settings) -> list[Row]:
    """One short retelling row, as a list."""
    return [ylt_small_rework_row(name, settings)]


# ---------------------------------------------------------------------------------------
# Checks and error analysis
# ---------------------------------------------------------------------------------------


def neighbour_wins(book: str) -> list[int]:
    """Verse ids of ``book`` whose YLT verse shares more content stems (Jaccard) with a
    neighbouring WEB verse than with the WEB verse of the same number: a drifting verse
    offset would make this most verses, a right one a handful."""
    norm = Normalizer()
    ylt, web = verses((book,), YLT), verses((book,), "WORLD_ENGLISH")
    at_w = web.index()
    stems = [set(norm.terms(norm.words(t))) for t in web.texts]
    out = []
    for k, v in enumerate(ylt.ids):
        own = set(norm.terms(norm.words(ylt.texts[k])))
        j = at_w.get(v)
        if j is None or j == 0 or j + 1 == len(stems):
            continue

        def jac(other: set[str], own: set[str] = own) -> float:
            return len(own & other) / max(1, len(own | other))

        if jac(stems[j]) < max(jac(stems[j - 1]), jac(stems[j + 1])):
            out.append(v)
    return out


def translation_misses(name: str, seed: int = 0) -> list[tuple[str, ...]]:
    """Every missed link, missed move and false link of a YLT translation row, with why."""
    return real_translation_misses.pair_rows(name, ylt_pair(name, seed))


def rework_misses(name: str) -> list[real_lonely.Trace]:
    """Traces of the unfound and not-moved gold sets of a YLT retelling row."""
    record, account, table = rework_texts(name)
    sets = gold_sets(bibledit_table(table), record, account)
    result, got = real_lonely._run_captured(record.texts, account.texts)
    run = real_lonely.RowRun(
        record, account, sets, result, got, rework_scores(predicted(result), sets)
    )
    return real_lonely.trace_run(run)


def miss_classes(rows: Sequence[tuple[str, ...]]) -> Counter[str]:
    """Misses of a translation row counted by (what was missed, why)."""
    return Counter(f"{r[1]} / {r[6]}" for r in rows)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the misses of the asked rows, by class and one by one."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    # Row names are separated by ";" (a short reworking's name holds commas).
    parser.add_argument("--misses", default=";".join([*YLT_TRANSLATIONS, *YLT_REWORKS]))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    for name in (n.strip() for n in args.misses.split(";")):
        if name in YLT_REWORKS or name in YLT_SMALL_REWORKS:
            print(real_lonely.render(name, rework_misses(name)), "\n")
            continue
        found = translation_misses(name, args.seed)
        print(f"#### {name}: {len(found)} misses")
        for what, count in miss_classes(found).most_common():
            print(f"- {what}: {count}")
        print(real_translation_misses.render(found, args.markdown), "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
