"""Split a text into sentences with exact character offsets.

>>> [s.text for s in segment("Mr. Smith met Yeltsin. He left.")]
['Mr. Smith met Yeltsin.', 'He left.']

Invariants: ``text[s.start:s.end] == s.text`` for every sentence; sentences are in text
order, do not overlap, and carry no leading or trailing white space. The segmenter is
behind a small interface (:data:`SEGMENTERS`): pysbd by default (best on abbreviations,
initials, quotations and numbers), syntok when speed matters more, ``lines`` for
presegmented input (one sentence per line). Blocks of prose are segmented one by one,
so a long text is shared out among processes (:mod:`.parallel`) with the same result; a
block that recurs is segmented once, and a long block is handed to the segmenter a
bounded stretch at a time (:mod:`.stretches`), so time grows with the length of the text
whatever its shape (one run-on sentence, unclosed quotation marks, no blank lines).
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from functools import lru_cache

from .gcpause import paused
from .model import Sentence
from .parallel import parallel_map
from .quotemarks import (
    SENTENCE_END,
    overlong_brackets,
    quoted_spans,
    single_mark_role,
    unpaired_marks,
)
from .stretches import bounded_spans

Span = tuple[int, int]

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_TERMINAL = tuple(".!?:;…\"'”’)]")
_CLOSERS = "\"”’'»"
#: The closing marks of one or more quotations or asides, then a footnote number if any
#: (``eventuality.”23 After``, as pysbd reads ``ended.12 Yeltsin``), then space (after a
#: stop: ``_new_sentence``).
_QUOTE_CLOSERS = "\"'”’»›)]"
_QUOTE_END = re.compile(f"([{re.escape(_QUOTE_CLOSERS)}]+\\d{{0,3}})\\s+")
_OPENERS = "\"'“‘„‚«‹(["
_BRACKETS = frozenset(")]")
#: A stop glued to a capitalised word (group 1: the stop and any closing marks after it).
_GLUED = re.compile(r"[^\W_]{2}([.!?]+[”’)\]\"']*)(?=[“‘(\[]?[A-Z](?:[a-z]|\s|([A-Z])))")
#: A word before a glued stop is read back this far at most (longer: no word).
_LONGEST_WORD = 64
#: What a word before a glued stop may hold besides letters and digits (not a stop).
_IN_WORD = str.maketrans("", "", "-'’`\"”)]")


class SegmentationError(ValueError):
    """Raised for an unknown segmenter name."""


#: A text of at least this many blocks (paragraphs, headings) is segmented on several
#: processes when the machine has the cores for it (see :mod:`.parallel`).
PARALLEL_BLOCKS = 256


def segment(text: str, segmenter: str = "pysbd") -> tuple[Sentence, ...]:
    """Return the sentences of ``text`` found by the named segmenter."""
    if segmenter not in SEGMENTERS:
        names = ", ".join(sorted(SEGMENTERS))
        raise SegmentationError(f"unknown segmenter {segmenter!r} (choose {names})")
    if segmenter == "lines":
        spans = SEGMENTERS[segmenter](text)
    else:
        with paused():  # pysbd makes many small objects, none in cycles (see .gcpause)
            spans = _prose_spans(text, segmenter)
    return tuple(
        Sentence(index=i, start=start, end=end, text=text[start:end])
        for i, (start, end) in enumerate(spans)
    )


def _prose_spans(text: str, segmenter: str) -> list[Span]:
    """Spans of the sentences of every block of ``text``, each distinct block segmented once.

    Blocks are independent, so a long text is shared out among processes; a block that
    recurs (a formula, a repeated line) is segmented the first time only.
    """
    blocks = list(_blocks(text))
    flats = [_flattened(text[start:end]) for start, end in blocks]
    distinct = list(dict.fromkeys(flats))
    jobs = [(flat, segmenter) for flat in distinct]
    parts = parallel_map(_block_spans, jobs, min_items=PARALLEL_BLOCKS)
    found = dict(zip(distinct, parts, strict=True))
    return [
        (start + a, start + b)
        for (start, _), flat in zip(blocks, flats, strict=True)
        for a, b in found[flat]
    ]


def _flattened(block: str) -> str:
    """``block`` with its soft line breaks as spaces (same length, so offsets hold)."""
    return block.replace("\r\n", " \n").replace("\n", " ").replace("\r", " ")


def _block_spans(job: tuple[str, str]) -> list[Span]:
    """Run the named segmenter on one flattened block, a bounded stretch at a time, and
    mend what it misses: lost quotation marks, long asides, sentence ends after closing
    marks, stops glued to the next sentence (read with a space, offsets mapped back)."""
    flat, segmenter = job
    find = SEGMENTERS[segmenter]
    spaced, inserted = _unglued(flat)
    spans = list(_repair_quotes(spaced, _recut_unpaired(spaced, bounded_spans(find, spaced), find)))
    ends = _QuoteEnds(spaced)
    if ends.matches:
        spans = [cut for span in spans for cut in _split_quote_ends(spaced, span, ends)]
    spans = _labels_joined(spaced, spans)
    if not inserted:
        return spans
    return [(a - bisect_left(inserted, a), b - bisect_left(inserted, b)) for a, b in spans]


#: A sentence that is only a clause or paragraph number (``8.1.``, ``1.0.1.``, ``IV.``,
#: ``(c)``, ``A.`` before an answer): the label of the sentence after it, not a sentence.
_LABEL = re.compile(r"\(?(?:\d{1,3}(?:\.\d{1,3})*|[IVXLCDM]{1,6}|[A-Za-z])[.)]?")


def _labels_joined(block: str, spans: list[Span]) -> list[Span]:
    """``spans`` with each label sentence joined to the sentence after it in the block.

    Numbered clauses and paragraphs (treaties, licences, cables, minutes) give pysbd a
    stop after a number of two levels or more or a Roman one (``8.1.  This License ...``),
    and it ends a sentence there: a "sentence" of one number, which then matches the other
    text's numbers (``1.10.`` with ``10.1.``) and reads as moved. A number of one level
    (``12. The talks``) pysbd already keeps with its sentence.
    """
    out: list[Span] = []
    label_from: int | None = None  # where the labels waiting for their sentence begin
    for k, (start, end) in enumerate(spans):
        if k + 1 < len(spans) and _LABEL.fullmatch(block, start, end):
            label_from = start if label_from is None else label_from
            continue
        out.append((start if label_from is None else label_from, end))
        label_from = None
    return out


def _unglued(block: str) -> tuple[str, list[int]]:
    """``block`` with a space after each stop glued to a capitalised word
    (``ended.Yeltsin``), and where those spaces lie in it (to map offsets back).

    Text taken from PDFs and OCR'd scans often loses the space after a full stop, and no
    segmenter ends a sentence without one. The segmenter reads such a stop as if a space
    followed it, with all its rules (titles, abbreviations, quotations), when the word
    before it has two or more letters or digits and no other stop or sign than hyphens,
    apostrophes and closing marks (not ``e.g``, ``www.state.gov`` or ``3.5``), and the
    next word is a capitalised one (or "A", "I"; or an all-capital one after an
    all-capital word, as in a cable: ``ENDED.YELTSIN``). A straight double mark between them
    closes a quotation when an odd number of them comes before it, else it opens one. A
    straight single mark there closes one when the last single mark shaped as a quotation
    mark before it opened one (:class:`_SingleMarks`: apostrophes inside words are not
    counted, as an odd count of them says nothing), else it opens the next.
    """
    cuts: list[int] = []
    marks, counted = 0, 0  # straight double marks in block[:counted]
    singles = _SingleMarks(block)
    for match in _GLUED.finditer(block):
        last = cuts[-1] if cuts else 0
        floor = max(last, match.start() - _LONGEST_WORD)
        word_start = match.start()
        while word_start > floor and not block[word_start - 1].isspace():
            word_start -= 1
        if word_start == floor != last and not block[floor - 1].isspace():
            continue  # no white space within reach: a code or an address, not a word
        word = block[word_start : match.start(1)].lstrip(_OPENERS).translate(_IN_WORD)
        if not word.isalnum() or (match.group(2) and word != word.upper()):
            continue  # an all-capital next word only after an all-capital one (a cable)
        cut = match.end(1)
        if block[cut - 1] == '"':
            marks, counted = marks + block.count('"', counted, cut - 1), cut - 1
            if marks % 2 == 0:
                cut -= 1  # the mark opens the next sentence's quotation
        elif block[cut - 1] == "'" and not singles.glued_closes(cut - 1):
            cut -= 1
        cuts.append(cut)
    if not cuts:
        return block, []
    pieces = [block[i:j] for i, j in itertools.pairwise([0, *cuts, len(block)])]
    return " ".join(pieces), [cut + k for k, cut in enumerate(cuts)]


class _SingleMarks:
    """Whether a quotation in straight single marks is open at a place of a block.

    A straight single mark is an apostrophe as often as a quotation mark, so the marks are
    not counted: each is read by its shape (:func:`.quotemarks.single_mark_role`). One
    inside a word passes; one that opens or closes by its shape opens or closes. A mark
    that closes by its shape but could be a plural possessive (``the Russians' idea``:
    after an ``s``, before a lower-case word) keeps an open quotation open: a glued mark
    after it (``'the Russians' idea.'Then``) then closes the quotation, as the possessive
    reading says; read as closing, it would open the next sentence's. The block is read
    once, left to right, as glued stops are met.
    """

    def __init__(self, block: str) -> None:
        self.block = block
        self.read = 0  # marks in block[:read] are read
        self.open = False

    def glued_closes(self, at: int) -> bool:
        """Whether the glued mark at ``at`` closes a quotation (else it opens one)."""
        block, k = self.block, self.read
        while (k := block.find("'", k, at)) >= 0:
            role = single_mark_role(block, k)
            if role == "open" or (role == "close" and not _possessive(block, k)):
                self.open = role == "open"
            k += 1
        closes = self.open
        self.open, self.read = not closes, at + 1
        return closes


def _possessive(block: str, k: int) -> bool:
    """Whether the single mark at ``k`` may be a plural possessive: after an ``s``, then
    one space and a lower-case letter (``the Russians' idea``)."""
    return (
        block[k - 1 : k] in ("s", "S")
        and block[k + 1 : k + 2] == " "
        and block[k + 2 : k + 3].islower()
    )


def _recut_unpaired(block: str, spans: list[Span], find: Callable[[str], list[Span]]) -> list[Span]:
    """Segment again, with its unpaired quotation marks and overlong brackets read as
    spaces, each sentence that holds one of them and a possible sentence end.

    pysbd pairs every straight (or curly) mark with the next one however far it is and ends
    no sentence between them, so one mark an OCR'd scan lost joins the sentences up to the
    next mark, and a quoted speech of a dozen sentences is one sentence; it ends none inside
    brackets either, so a long bracketed aside is one sentence. The marks paired within
    :mod:`.quotemarks`' bounds (a paragraph, three sentences, 120 words) keep their
    quotation or aside whole, as before; the others pair nothing here either. Each
    character is segmented again at most once, so the cost stays linear in the block.
    """
    unpaired = sorted(unpaired_marks(block) + overlong_brackets(block))
    if not unpaired:
        return spans
    out: list[Span] = []
    for start, end in spans:
        first, last = bisect_left(unpaired, start), bisect_left(unpaired, end)
        if first == last or not _has_inner_end(block, start, end):
            out.append((start, end))
            continue
        view = list(block[start:end])
        for i in unpaired[first:last]:
            view[i - start] = " "
        found = bounded_spans(find, "".join(view))
        if len(found) <= 1:
            out.append((start, end))
            continue
        out.extend(_with_marks(block, [(start + a, start + b) for a, b in found], start, end))
    return out


def _has_inner_end(block: str, start: int, end: int) -> bool:
    """Whether a stop, then space and a capital, lies inside ``block[start:end]`` (a
    sentence end as the quotation bounds count them)."""
    return any(block[m.end()].isupper() for m in SENTENCE_END.finditer(block, start, end - 1))


def _with_marks(block: str, found: list[Span], start: int, end: int) -> Iterator[Span]:
    """``found`` (the sentences of ``block[start:end]``) stretched over the marks that were
    read as spaces: the first starts at ``start``, the last ends at ``end``, and what lies
    between two (marks, space) goes to the one it touches, the previous one if neither."""
    spans = [list(span) for span in found]
    spans[0][0], spans[-1][1] = start, end
    for before, after in itertools.pairwise(spans):
        gap = block[before[1] : after[0]]
        tail = len(gap)
        while tail > 0 and not gap[tail - 1].isspace():
            tail -= 1
        after[0] = before[1] + tail
        before[1] += len(gap[:tail].rstrip())
    return ((a, b) for a, b in spans)


def _repair_quotes(text: str, spans: list[Span]) -> Iterator[Span]:
    """Give a closing quotation mark that a segmenter split off back to its sentence."""
    trimmed = [t for a, b in spans for t in _trimmed(text, a, b)]
    out: list[Span] = []
    for start, end in trimmed:
        while out and start < end and text[start] in _CLOSERS:
            after = text[start + 1 : start + 2]
            if after and not after.isspace() and after not in _TERMINAL:
                break
            out[-1] = (out[-1][0], start + 1)
            start += 1
            while start < end and text[start].isspace():
                start += 1
        if start < end:
            out.append((start, end))
    return iter(out)


class _QuoteEnds:
    """Where a quotation's closing marks follow a stop and a capital follows them, found
    in one pass over the text (a text without closing marks: a plain search or six)."""

    def __init__(self, text: str) -> None:
        found = _QUOTE_END.finditer(text) if any(m in text for m in _QUOTE_CLOSERS) else ()
        self.matches = [m for m in found if _new_sentence(text, m)]
        self.starts = [m.start() for m in self.matches]

    def inside(self, start: int, end: int) -> list[re.Match[str]]:
        """The ends after ``start`` whose next sentence begins before ``end``."""
        first = bisect_right(self.starts, start)
        found = self.matches[first : bisect_left(self.starts, end)]
        return [m for m in found if m.end() < end]


def _split_quote_ends(text: str, span: Span, ends: _QuoteEnds) -> Iterator[Span]:
    """Cut a sentence where a quotation closes after its own full stop and a new sentence
    begins: ``...bread.'" Then``, ``...bread.’ Then``, ``...bread.»  Then``.

    pysbd ends a sentence after a quotation only for one straight or English double mark
    and one space; nested marks (single inside double, double inside single), a closing
    single curly quote or guillemet, or two spaces leave two sentences as one. A cut is
    made only where every quotation opened before it in the sentence is closed (marks
    paired as :func:`.quotemarks.quoted_spans` pairs them, so an unpaired mark in OCR'd
    text does not count) and the word before the stop is not a title ("Mr."). Stops
    inside a quotation are pysbd's to judge (one within the bounds stays one sentence).
    The same holds for an aside in brackets that ends with its own stop, ``...(at
    last.) Then``, which pysbd ends only at the start of a sentence; there the word before
    the stop may be no abbreviation at all (``(and others, etc.) The``, ``(see p.) It``).
    """
    start, end = span
    candidates = ends.inside(start, end)
    if not candidates:
        yield span
        return
    quoted = [(start + a, start + b) for a, b in quoted_spans(text[start:end])]
    for match in candidates:
        cut = match.end(1)
        stop = match.start() - 1
        if any(a < cut <= b for a, b in quoted) or _after_title(text, start, stop):
            continue
        if _BRACKETS & set(match.group(1)) and _after_abbreviation(text, start, stop):
            continue
        yield start, cut
        start = match.end()
    yield start, end


def _new_sentence(text: str, match: re.Match[str]) -> bool:
    """Whether closing marks follow a stop (. ! ? …) and the text after them (white
    space, opening marks) is a capital."""
    if match.start() == 0 or text[match.start() - 1] not in ".!?…":
        return False
    after = match.end()
    while after < len(text) and text[after] in _OPENERS:
        after += 1
    return after < len(text) and text[after].isupper()


def _word_before(text: str, start: int, stop: int) -> str:
    """The word ending at ``stop`` in the sentence from ``start``, lower case, without
    the opening marks before it."""
    words = text[start:stop].rsplit(maxsplit=1)
    return words[-1].lstrip(_OPENERS).lower() if words else ""


def _after_abbreviation(text: str, start: int, stop: int) -> bool:
    """Whether the word ending at ``stop`` is an abbreviation pysbd knows, of any kind."""
    word = _word_before(text, start, stop)
    return word in _abbreviations() or "." in word


def _after_title(text: str, start: int, stop: int) -> bool:
    """Whether the word ending at ``stop`` (in the sentence from ``start``) is a title
    pysbd knows ("Mr.", "Gen."): with its closing mark before a name it may not end the
    sentence. Other abbreviations ("No.", "Me.") end one before a closing mark, as in pysbd.
    """
    return text[stop] == "." and _word_before(text, start, stop) in _titles()


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    from pysbd.lang.english import English

    words = English.Abbreviation
    every = (*words.ABBREVIATIONS, *words.PREPOSITIVE_ABBREVIATIONS, *words.NUMBER_ABBREVIATIONS)
    return frozenset(a.strip().lower() for a in every)


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    from pysbd.lang.english import English

    return frozenset(a.strip().lower() for a in English.Abbreviation.PREPOSITIVE_ABBREVIATIONS)


def _trimmed(text: str, start: int, end: int) -> Iterator[Span]:
    """Yield ``(start, end)`` without surrounding white space, if anything is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end


def _blocks(text: str) -> Iterator[Span]:
    """Yield spans of text between hard breaks: blank lines, and headings or unwrapped lines.

    A block whose lines are hard-wrapped at a steady width (as in e-mail or OCR text) is
    kept whole; a short line in it without closing punctuation is a heading and stands
    alone. Outside wrapped blocks every line break ends a paragraph.
    """
    pos = 0
    for match in _BLANK_LINE.finditer(text):
        yield from _lines_of_block(text, pos, match.start())
        pos = match.end()
    yield from _lines_of_block(text, pos, len(text))


def _lines_of_block(text: str, start: int, end: int) -> Iterator[Span]:
    """Split one blank-line-delimited block at its hard line breaks."""
    lines: list[Span] = []
    pos = start
    for line in text[start:end].split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    lengths = [len(text[a:b].rstrip()) for a, b in lines]
    # A typical full line, not the longest: captions and tables make outliers.
    width = sorted(lengths)[int(0.8 * (len(lengths) - 1))]
    wrapped = len(lines) >= 3 and sum(n >= 0.7 * width for n in lengths) >= 0.6 * len(lines)
    if len(lines) == 2:
        first = text[lines[0][0] : lines[0][1]].rstrip()
        wrapped = len(first) >= 40 and not first.endswith(_TERMINAL)
        # A wrapped paragraph of two lines: the full line is the first (the second is
        # its rest), not the shorter one, which would make the first read as too long.
        width = lengths[0]
    texts = [text[a:b].rstrip() for a, b in lines]
    # Short lines without closing punctuation are headings or captions: they stand alone.
    heading = [
        n < 0.6 * width and not t.endswith(_TERMINAL) for n, t in zip(lengths, texts, strict=False)
    ]
    current = lines[0][0]
    for i, (_, line_end) in enumerate(lines[:-1]):
        long_line = lengths[i] > 1.15 * width
        if not wrapped or heading[i] or heading[i + 1] or long_line:
            yield current, line_end
            current = line_end + 1
    yield current, lines[-1][1]


def _line_spans(text: str) -> list[Span]:
    """Treat each non-blank line as one sentence (the ``--presegmented`` format)."""
    spans: list[Span] = []
    pos = 0
    for line in text.split("\n"):
        spans.extend(_trimmed(text, pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _locate(block: str, pieces: list[str]) -> tuple[list[Span], bool]:
    """Find each segment string in ``block`` in order; also say whether all were found.

    After a piece that is not in the block (the segmenter changed the text), the rest of
    the block is kept whole as one span.
    """
    spans: list[Span] = []
    cursor = 0
    for piece in pieces:
        needle = piece.strip()
        if not needle:
            continue
        found = block.find(needle, cursor)
        if found < 0:
            spans.append((cursor, len(block)))
            return spans, False
        spans.append((found, found + len(needle)))
        cursor = found + len(needle)
    return spans, True


@lru_cache(maxsize=1)
def _pysbd_segmenter() -> object:
    from .fast_pysbd import FastSegmenter

    return FastSegmenter()


def _pysbd_spans(block: str) -> list[Span]:
    """Segment with pysbd, which handles abbreviations, initials and numbers well.

    ``Segmenter.segment`` finds each sentence back in the text with a regular expression
    built from the sentence itself; that flushes Python's regex cache (512 patterns), so
    pysbd's own per-abbreviation patterns are recompiled on every call (about two thirds
    of its time). Its processor gives the same sentences, which :func:`_locate` finds
    with plain string search; only when one is not found verbatim does the block go
    through ``segment`` as before. The segmenter is pysbd's own with its abbreviation pass
    made linear (:mod:`.fast_pysbd`).
    """
    seg = _pysbd_segmenter()
    pieces: list[str] = seg.processor(block).process()  # type: ignore[attr-defined]
    spans, complete = _locate(block, pieces)
    if not complete:
        spans, _ = _locate(block, seg.segment(block))  # type: ignore[attr-defined]
    return spans


def _syntok_spans(block: str) -> list[Span]:
    """Segment with syntok, faster than pysbd (up to about twice) and a little less exact."""
    from syntok import segmenter as syntok

    spans: list[Span] = []
    for paragraph in syntok.analyze(block):
        for sentence in paragraph:
            if not sentence:
                continue
            last = sentence[-1]
            spans.extend(_trimmed(block, sentence[0].offset, last.offset + len(last.value)))
    return spans


#: Named segmenters; each maps a block of prose (or, for ``lines``, a whole text) to spans.
SEGMENTERS: dict[str, Callable[[str], list[Span]]] = {
    "pysbd": _pysbd_spans,
    "syntok": _syntok_spans,
    "lines": _line_spans,
}
