"""Haystack rows of :mod:`benchmarks.bench_real`: a short record in a whole book (report only).

An archivist sets a 50-sentence memcon against a whole memoir, where the retelling is a
few paragraphs among hundreds of unrelated ones (and the reverse: a long record, a short
account). Almost every cell of such a pair is chance, which is where the engine's
calibration from the pair's own chance scores is tested. None of these rows is tuned on.

* **needle** (:data:`NEEDLES`): a short parallel passage of bibledit's OT table (the
  record of a :data:`benchmarks.real_small.SMALL_REWORKS` row) against the WHOLE book
  that holds its parallel (all of Isaiah, Jeremiah, the 150 Psalms);
* **reverse**: the whole book as the record, the short passage as the account.

The gold is the small row's sets, placed in the whole book. Figures: sets found and link
precision as the reworking rows (:func:`benchmarks.real_metrics.rework_scores`), and
**links outside**: links with a side outside every gold set's verses, counted (the
baseline's per threshold) and listed with their texts under ``--explain``; **outside, not
in the table**: those of them that no set of bibledit's whole table between the two texts
holds either (the table's other sets list some true parallels the small row leaves out). The Psalms
hold real doublets the restricted gold does not list (14 = 53, 40:13-17 = 70,
57:7-11 + 60:5-12 = 108), so an outside link is read before it is called false.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from webapp.collate import Settings

from .metrics import Predicted
from .real_bible import GoldSet, Verses, bibledit_table, gold_sets, label, verses
from .real_metrics import rework_scores
from .real_rows import Figure, Row, _baselines, _memcon_lines, _timed
from .real_small import OT, SMALL_REWORKS, small_texts

__all__ = [
    "HAYSTACKS",
    "NEEDLES",
    "haystack_pair",
    "haystack_row",
    "in_table",
    "outside_links",
    "placed_sets",
]

#: Needle rows: name -> (small reworking row of :mod:`.real_small`, the whole book).
NEEDLES: dict[str, tuple[str, str]] = {
    "2kings 18-20>isaiah (whole)": ("2kings 18-20>isaiah 36-39", "ISAIAH"),
    "2kings 24-25>jeremiah (whole)": ("2kings 24-25>jeremiah 52", "JEREMIAH"),
    "2samuel 22>psalms (whole)": ("2samuel 22>psalm 18", "PSALMS"),
    "1chronicles 16>psalms (whole)": ("1chronicles 16>psalms 96,105,106", "PSALMS"),
}
#: Every haystack row: name -> (small row, whole book, the whole book is the record?).
HAYSTACKS: dict[str, tuple[str, str, bool]] = {
    **{name: (small, book, False) for name, (small, book) in NEEDLES.items()},
    **{
        f"{book.lower()} (whole)>{small.split('>')[0]}": (small, book, True)
        for small, book in NEEDLES.values()
    },
}


@dataclass(frozen=True)
class Haystack:
    """One haystack pair: both texts, the small row's gold sets placed in them, and every
    set of the whole table between the two texts (parallels the small row's chapters
    leave out: Jeremiah 39-41 tells 2 Kings 25 a second time)."""

    record: Verses
    account: Verses
    sets: list[GoldSet]
    table: list[GoldSet]


def placed_sets(
    sets: Sequence[GoldSet], small: Verses, whole: Verses, on_record: bool
) -> list[GoldSet]:
    """The small pair's sets with the small account's (or record's) indices moved into
    ``whole`` by verse id."""
    at = whole.index()
    moved = [frozenset(at[small.ids[k]] for k in s.account if small.ids[k] in at) for s in sets]
    if on_record:
        return [GoldSet(m, s.account) for s, m in zip(sets, moved, strict=True)]
    return [GoldSet(s.record, m) for s, m in zip(sets, moved, strict=True)]


def haystack_pair(name: str) -> Haystack:
    """The texts and gold of one haystack row."""
    small_name, book, reverse = HAYSTACKS[name]
    record_passages, account_passages = SMALL_REWORKS[small_name]
    short, told = small_texts(record_passages), small_texts(account_passages)
    whole = verses((book,))
    sets = gold_sets(bibledit_table(OT), short, told)
    placed = placed_sets(sets, told, whole, False)
    if not reverse:
        return Haystack(short, whole, placed, gold_sets(bibledit_table(OT), short, whole))
    # The whole book is the record, the short passage the account: swap the sides.
    swapped = [GoldSet(s.account, s.record) for s in placed]
    return Haystack(whole, short, swapped, gold_sets(bibledit_table(OT), whole, short))


def in_table(link: tuple[int, int], sets: Sequence[GoldSet]) -> bool:
    """Whether a link falls inside one of ``sets`` (a parallel the table lists)."""
    return any(link[0] in s.record and link[1] in s.account for s in sets)


def outside_links(pred: Predicted, sets: Sequence[GoldSet]) -> list[tuple[int, int]]:
    """Links with a side outside every gold set's verses, in account order."""
    record_in = {i for s in sets for i in s.record}
    account_in = {j for s in sets for j in s.account}
    return sorted(
        ((i, j) for i, j in pred.links if i not in record_in or j not in account_in),
        key=lambda p: (p[1], p[0]),
    )


def _describe(pair: Haystack, links: Sequence[tuple[int, int]]) -> list[str]:
    """Each outside link as "record ref = account ref: texts" (for ``--explain``)."""
    out = []
    for i, j in links:
        rec, acc = pair.record, pair.account
        listed = " [listed elsewhere in the table]" if in_table((i, j), pair.table) else ""
        out.append(
            f"{label([rec.ids[i]])} = {label([acc.ids[j]])}{listed}: "
            f"{rec.texts[i][:70]!r} / {acc.texts[j][:70]!r}"
        )
    return out


def haystack_row(name: str, settings: Settings | None = None) -> Row:
    """One haystack pair: the engine and the baseline against the small row's sets."""
    pair = haystack_pair(name)
    rec, acc = pair.record.texts, pair.account.texts
    mine, secs = _timed(lambda: _memcon_lines(rec, acc, settings or Settings()))
    theirs, base_secs = _baselines(rec, acc)
    m = rework_scores(mine, pair.sets)
    b = [rework_scores(p, pair.sets) for p in theirs]
    out_m = outside_links(mine, pair.sets)
    out_b = [outside_links(p, pair.sets) for p in theirs]
    figures = (
        Figure("sets found", m.sets_found, tuple(s.sets_found for s in b)),
        Figure("link precision", m.link_precision, tuple(s.link_precision for s in b)),
        Figure(
            "links outside", float(len(out_m)), tuple(float(len(o)) for o in out_b), at_most=True
        ),
        Figure(
            "outside, not in the table",
            float(sum(not in_table(p, pair.table) for p in out_m)),
            tuple(float(sum(not in_table(p, pair.table) for p in o)) for o in out_b),
            at_most=True,
        ),
    )
    note = (
        f"{len(rec)} vs {len(acc)} verses, {m.n_sets} gold sets, {len(mine.links)} links "
        f"({len(out_m)} outside every set); report only"
    )
    extra = {
        "outside_links": _describe(pair, out_m),
        "unfound": [
            f"{label(pair.record.ids[i] for i in pair.sets[k].record)} = "
            f"{label(pair.account.ids[j] for j in pair.sets[k].account)}"
            for k in m.unfound
        ],
    }
    return Row(name, figures, secs, base_secs, note, extra=extra)
