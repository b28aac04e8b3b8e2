"""Clean up the text of a scanned or OCR'd memorandum, and say what was changed.

>>> result = clean_scan("CONFIDENTIAL\\nThe enlarge-\\nment was raised.\\n- 2 -\\n"
...                     "CONFIDENTIAL\\nHe agreed.\\n- 3 -\\n")
>>> result.text
'The enlargement\\nwas raised.\\nHe agreed.\\n'
>>> result.changes  # doctest: +NORMALIZE_WHITESPACE
("dropped 2 repeated page headers or footers: 'CONFIDENTIAL'", 'dropped 2 page-number lines',
 'joined 1 word hyphenated across a line break')

The archivist previews the result before saving it, so every kind of change made is named
in ``changes``. What may change: running page headers and footers and lone page numbers at
the edges of pages, classification stamps and declassification markings on lines of their
own, words hyphenated across a line break (only when the part after the break starts with a
lower-case letter), white space (spaces at the ends of lines, runs of spaces and tabs, runs
of blank lines, form feeds). Nothing else: no other word of the body is changed and no line
is re-wrapped, except that the rest of a hyphenated word moves up to join its first part.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

#: How many non-blank lines at the top and at the bottom of a page may be headers or footers.
EDGE_LINES = 3
#: A line repeated at the edges of this many pages is a running header or footer ...
MIN_REPEATS = 3
#: ... and so is one repeated on at least this share of the pages (but never fewer than 2).
MIN_REPEAT_SHARE = 0.5
#: Classification stamps are short lines; longer all-capital lines are left alone.
MAX_STAMP_LENGTH = 80
#: Declassification markings ("Declassified/Released on ... under provisions of E.O. ...")
#: run longer; a longer line is body text whatever it starts with.
MAX_MARKING_LENGTH = 160
#: How many distinct dropped lines a change names, and how much of each.
_EXAMPLES = 3
_EXAMPLE_LENGTH = 50

_PAGE_NUMBER = re.compile(
    r"""^(?:
        [-–—]\s*\d{1,4}\s*[-–—]            # - 3 -
      | (?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?   # Page 3, Page 3 of 5, p. 3
      | [(\[]\d{1,4}[)\]]                  # (3) [3]
      | \d{1,3}                            # 3
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
#: Words that make up a classification marking; a marking line needs one of the first set.
_MARKING_CORE = frozenset(
    {
        "SECRET", "CONFIDENTIAL", "UNCLASSIFIED", "RESTRICTED", "CLASSIFIED", "DECLASSIFIED",
        "NODIS", "EXDIS", "LIMDIS", "NOFORN", "NOCONTRACT", "ORCON", "SENSITIVE", "XGDS",
        "GDS", "FOUO", "SANITIZED", "PHOTOCOPY", "CODEWORD", "UMBRA",
    }
)  # fmt: skip
_MARKING_OTHER = frozenset(
    {
        "TOP", "EYES", "ONLY", "LIMITED", "OFFICIAL", "USE", "FOR", "COPY", "CONTROLLED",
        "ADMINISTRATIVELY", "HANDLE", "VIA", "CHANNELS", "SPECIAL", "HANDLING", "NO",
        "FOREIGN", "DISSEM", "DISSEMINATION", "NF", "REL", "TO", "USA", "NOT", "RELEASABLE",
        "NATIONALS", "CATEGORY", "S", "C", "U", "TS", "LIBRARY", "PRESIDENTIAL", "AND",
        "DOWNGRADED", "AT", "YEAR", "INTERVALS", "AUTOMATICALLY", "REGRADED", "CLASSIFICATION",
    }
)  # fmt: skip
_MARKING_SPLIT = re.compile(r"[\s/\-–—(),:;.]+")
#: Declassification markings: lines that start like a NARA or library stamp.
_DECLASSIFICATION = re.compile(
    r"""^(?:
        DECLASSIFIED\b
      | Declassified\b.*\b(?:E\.?\s?O\.?|Authority|NND|NARA|Date|Sec\.?|per|under)\b
      | Authority\b[\s:]*(?:NND|NLN|NLF|NLC|NLJ|NLS|NLR|RAC|MR\b|E\.?\s?O\.?|EO\b|\d)
      | E\.\s?O\.\s?\d{5}\b
      | EO\s\d{5}\b
      | By\b.{0,40}\bNARA\b.{0,5}\bDate\b
      | NARA\b.{0,10}\bDate\b
      | [A-Z][A-Z.' ]*\bLIBRARY\s+PHOTOCOPY$
      | (?:CLASSIFIED|Classified)\s+(?:BY|by)\b
      | EXEMPT\s+FROM\s+GENERAL\s+DECLASSIFICATION\b
      | AUTOMATICALLY\s+DECLASSIFIED\b
    )""",
    re.VERBOSE,
)
#: A word broken at the end of a line ("-", soft hyphen or U+2010), its rest on the next line.
_HYPHENATED = re.compile(r"(?<=\w)[-\u00ad\u2010][ \t]*\n[ \t]*(\w\S*)(?:[ \t]+|\n)?")
_DIGITS = re.compile(r"\d+")
_INNER_SPACE = re.compile(r"[^\S\n]+")


@dataclass(frozen=True)
class Cleanup:
    """Cleaned text and the changes made to it, one sentence per kind, for a preview."""

    text: str
    changes: tuple[str, ...]


def clean_scan(text: str) -> Cleanup:
    """Drop page furniture and stamps, join hyphenated words and tidy white space."""
    changes: list[str] = []
    had_carriage_returns = "\r" in text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages, page_numbers = _split_pages(text)
    tidy = [[_tidy_line(line) for line in page] for page in pages]
    white_space_changed = had_carriage_returns or _untidy(pages, tidy)
    pages, headers, more_numbers = _drop_page_furniture(tidy)
    page_numbers += more_numbers
    lines = [line for page in pages for line in _strip_blank_edges(page)]
    lines, stamps = _drop_stamps(lines)
    if headers:
        changes.append(
            _dropped(headers, "repeated page header or footer", "repeated page headers or footers")
        )
    if page_numbers:
        lines_word = "line" if len(page_numbers) == 1 else "lines"
        changes.append(f"dropped {len(page_numbers)} page-number {lines_word}")
    if stamps:
        changes.append(
            _dropped(
                stamps,
                "classification stamp or declassification marking",
                "classification stamps or declassification markings",
            )
        )
    joined, hyphenated = _join_hyphenated("\n".join(_collapse_blank_runs(lines)))
    if hyphenated:
        word = "word" if hyphenated == 1 else "words"
        where = "a line break" if hyphenated == 1 else "line breaks"
        changes.append(f"joined {hyphenated} {word} hyphenated across {where}")
    if white_space_changed:
        changes.append("normalised white space")
    return Cleanup(text=joined + "\n" if joined else "", changes=tuple(changes))


def _split_pages(text: str) -> tuple[list[list[str]], list[str]]:
    """Split text into pages of lines at form feeds or, without them, at page-number lines.

    Returns the pages and the page-number lines that were the splits (they are dropped).
    """
    if "\f" in text:
        return [page.split("\n") for page in text.split("\f")], []
    pages: list[list[str]] = [[]]
    numbers: list[str] = []
    for line in text.split("\n"):
        if _is_page_number(line):
            numbers.append(line.strip())
            pages.append([])
        else:
            pages[-1].append(line)
    return pages, numbers


def _tidy_line(line: str) -> str:
    """Strip a line and make each run of spaces and tabs inside it one space."""
    return _INNER_SPACE.sub(" ", line).strip()


def _untidy(pages: Sequence[Sequence[str]], tidy: Sequence[Sequence[str]]) -> bool:
    """Tell whether tidying lines changed any, or a page had a run of blank lines."""
    if any(
        before != after
        for page, clean in zip(pages, tidy, strict=True)
        for before, after in zip(page, clean, strict=True)
    ):
        return True
    for page in tidy:
        body = _strip_blank_edges(page)
        if any(not a and not b for a, b in pairwise(body)):
            return True
    return False


def _drop_page_furniture(
    pages: list[list[str]],
) -> tuple[list[list[str]], list[str], list[str]]:
    """Drop running headers/footers and page numbers where they stand: at the page edges.

    A header or footer is a line found among the first or last :data:`EDGE_LINES` non-blank
    lines of enough pages (digits aside, so "Page 2" and "Page 3" are one line). Only lines
    at an edge are dropped: a run from the top or bottom of headers, footers, page numbers,
    stamps and blank lines; the first other line ends the run.
    Returns the pages, the dropped header/footer lines and the dropped page numbers.
    """
    running = _running_keys(pages)
    headers: list[str] = []
    numbers: list[str] = []
    kept_pages: list[list[str]] = []
    for page in pages:
        drop: set[int] = set()
        for order in (range(len(page)), range(len(page) - 1, -1, -1)):
            for index in order:
                line = page[index]
                if index in drop or not line:
                    continue
                if _is_page_number(line):
                    numbers.append(line)
                elif _key(line) in running:
                    headers.append(line)
                elif _is_stamp(line):  # left for _drop_stamps; furniture may lie beyond it
                    continue
                else:
                    break
                drop.add(index)
        kept_pages.append([line for index, line in enumerate(page) if index not in drop])
    return kept_pages, headers, numbers


def _running_keys(pages: Sequence[Sequence[str]]) -> set[str]:
    """Return the keys of lines repeated at the edges of enough pages to be page furniture."""
    filled = [page for page in pages if any(page)]
    if len(filled) < 2:
        return set()
    needed = max(2, min(MIN_REPEATS, math.ceil(MIN_REPEAT_SHARE * len(filled))))
    counts: Counter[str] = Counter()
    for page in filled:
        candidates = [line for line in page if line and not _is_page_number(line)]
        edges = candidates[:EDGE_LINES] + candidates[-EDGE_LINES:]
        counts.update({_key(line) for line in edges})
    return {key for key, count in counts.items() if count >= needed and key}


def _key(line: str) -> str:
    """Return what stays of a line when digits are set aside, for comparing page furniture."""
    return _DIGITS.sub("#", line).casefold()


def _is_page_number(line: str) -> bool:
    """Tell whether a line is only a page number: "3", "- 3 -", "Page 3", "Page 3 of 5"."""
    return bool(_PAGE_NUMBER.match(line.strip()))


def _is_stamp(line: str) -> bool:
    """Tell whether a line is a classification stamp or declassification marking."""
    line = line.strip()
    if not line or len(line) > MAX_MARKING_LENGTH:
        return False
    if _DECLASSIFICATION.match(line):
        return True
    if len(line) > MAX_STAMP_LENGTH or line != line.upper():
        return False
    words = [word for word in _MARKING_SPLIT.split(line) if word and not word.isdigit()]
    known = _MARKING_CORE | _MARKING_OTHER
    return bool(words) and all(w in known for w in words) and any(w in _MARKING_CORE for w in words)


def _drop_stamps(lines: list[str]) -> tuple[list[str], list[str]]:
    """Drop lines that are stamps; return the lines kept and the lines dropped."""
    kept = [line for line in lines if not _is_stamp(line)]
    return kept, [line for line in lines if _is_stamp(line)]


def _strip_blank_edges(lines: Sequence[str]) -> list[str]:
    """Return lines without the blank lines at their start and end."""
    start, end = 0, len(lines)
    while start < end and not lines[start]:
        start += 1
    while end > start and not lines[end - 1]:
        end -= 1
    return list(lines[start:end])


def _collapse_blank_runs(lines: Sequence[str]) -> list[str]:
    """Keep one blank line where there were several, and none at the start or end."""
    kept: list[str] = []
    for line in _strip_blank_edges(lines):
        if line or kept[-1]:
            kept.append(line)
    return kept


def _join_hyphenated(text: str) -> tuple[str, int]:
    """Join words hyphenated across a line break whose second part starts in lower case.

    The rest of the word moves up to the first part; the line it came from keeps the rest.
    """
    count = 0

    def join(match: re.Match[str]) -> str:
        nonlocal count
        if not match.group(1)[0].islower():  # "Soviet-\nAmerican" keeps its hyphen
            return match.group(0)
        count += 1
        return match.group(1) + "\n"

    joined = _HYPHENATED.sub(join, text)
    return joined.rstrip("\n"), count


def _dropped(lines: Sequence[str], singular: str, plural: str) -> str:
    """Say how many lines were dropped and quote the first few distinct ones."""
    distinct = list(dict.fromkeys(lines))
    quoted = [_quote(line) for line in distinct[:_EXAMPLES]]
    more = ", ..." if len(distinct) > _EXAMPLES else ""
    noun = singular if len(lines) == 1 else plural
    return f"dropped {len(lines)} {noun}: {', '.join(quoted)}{more}"


def _quote(line: str) -> str:
    """Quote a line for a message, shortened if long."""
    if len(line) > _EXAMPLE_LENGTH:
        line = line[: _EXAMPLE_LENGTH - 3] + "..."
    return f"'{line}'"
