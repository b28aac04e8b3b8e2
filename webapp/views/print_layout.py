"""The printed alignment: the record and one account in two columns on fixed A4 pages.

Pure geometry, in points (the SVG of each page maps one user unit to 1pt). Sentences are
wrapped with Helvetica's metrics (``print_metrics``), stacked in their column, kept links
aligned side by side, and cut into pages so that no sentence box straddles a page; each
connector is drawn only between two boxes on the same page, and a link whose ends fall on
different pages becomes a labelled stub on each page. Nothing here depends on the browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .print_metrics import text_width

#: The SVG of one page (it sits inside the A4 page's margins, with room for the footer).
WIDTH, HEIGHT = 520.0, 736.0
#: The two columns and the gutter between them, where the connectors run.
COLUMN, GUTTER = 200.0, 120.0
RECORD_X, ACCOUNT_X = 0.0, COLUMN + GUTTER
#: Sentence text: size and line height; inner padding of a box; the space between boxes.
SIZE, LEADING, PAD, GAP = 8.5, 10.5, 3.5, 4.0
#: Omitted record sentences are context, not the finding: set smaller, so that the start
#: of the comparison reaches page 1 even when the account begins late in the record.
SMALL, SMALL_LEADING = 7.0, 8.4
#: Wrapping leaves this share of a line unused, in case the printer's font is wider.
SLACK = 0.9
#: The head of a page after the first: a line naming the alignment, and the column titles.
RUNNING_HEAD = 30.0
STUB, LABEL_SIZE = 16.0, 7.0
#: The radius of the dot at each end of a connector or stub, just inside the gutter.
DOT = 1.6


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence to print: its number label (R17, A3), state and text, and what people
    decided of its links ("confirmed by ada"), if anything."""

    label: str
    state: str
    text: str
    decided: str = ""


@dataclass(frozen=True, slots=True)
class Pairing:
    """A link to draw: record and account sentence indices (0-based) and its state."""

    source: tuple[int, ...]
    witness: tuple[int, ...]
    state: str


@dataclass(frozen=True, slots=True)
class Box:
    """A sentence (or, for a sentence longer than a page, a part of it) on a page."""

    label: str
    state: str
    lines: tuple[str, ...]
    x: float
    y: float
    height: float
    continued: bool = False
    prefix: str = ""
    size: float = SIZE

    @property
    def width(self) -> float:
        return COLUMN

    @property
    def leading(self) -> float:
        return leading(self.size)

    @property
    def small(self) -> bool:
        """Set smaller than the page's type (the SVG's default size)."""
        return self.size != SIZE

    def text_y(self, line: int) -> float:
        """The baseline of line ``line`` (0-based) inside the box."""
        return self.y + PAD + self.size * 0.8 + line * self.leading

    def anchor_y(self, offset: int = 0) -> float:
        """Where a connector meets the box: beside its first line (later ones lower down)."""
        return min(self.y + PAD + self.leading / 2 + offset * 9.0, self.y + self.height - 2.0)


@dataclass(frozen=True, slots=True)
class Connector:
    """A curve from a record box's right edge to an account box's left edge."""

    source: str
    witness: str
    state: str
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def dots(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """The centres of the two dots that pin the line's ends to the boxes' edges."""
        return (self.x1 + DOT, self.y1), (self.x2 - DOT, self.y2)

    @property
    def path(self) -> str:
        mid = (self.x1 + self.x2) / 2
        y1, y2 = f"{self.y1:.1f}", f"{self.y2:.1f}"
        return f"M {self.x1:.1f} {y1} C {mid:.1f} {y1}, {mid:.1f} {y2}, {self.x2:.1f} {y2}"


@dataclass(frozen=True, slots=True)
class Stub:
    """Half a link whose other end is on another page: a short line and where it goes."""

    state: str
    x1: float
    x2: float
    y: float
    text: str
    anchor: str  # "start" (record side, text to the right) or "end" (account side)

    @property
    def dot(self) -> float:
        """The x of the dot at the box's end."""
        return self.x1 + (DOT if self.anchor == "start" else -DOT)


@dataclass(slots=True)
class Page:
    """One printed page of the alignment: its boxes, connectors and stubs."""

    number: int
    top: float
    boxes: list[Box] = field(default_factory=list)
    connectors: list[Connector] = field(default_factory=list)
    stubs: list[Stub] = field(default_factory=list)


def wrap(text: str, width: float, first: float = 0.0, size: float = SIZE) -> tuple[str, ...]:
    """Break ``text`` into lines no wider than ``width`` points (the first line starts
    ``first`` points in, after the sentence's label); a word too long for a line is cut."""
    lines: list[str] = []
    line, room = "", width - first
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size) <= room:
            line = candidate
            continue
        if line:
            lines.append(line)
            room = width
        line = word
        while text_width(line, size) > room:
            cut = _fit(line, room, size)
            lines.append(line[:cut])
            line, room = line[cut:], width
    lines.append(line)
    return tuple(lines)


def _fit(word: str, room: float, size: float) -> int:
    """How many leading characters of ``word`` fit in ``room`` points (at least one)."""
    for cut in range(len(word), 0, -1):
        if text_width(word[:cut], size) <= room:
            return cut
    return 1


def prefix(sentence: Sentence) -> str:
    """What precedes the text on the first line: the label, the state if not kept, and a
    person's decision (``R19 moved (confirmed by ada)``)."""
    words = sentence.label if sentence.state == "kept" else f"{sentence.label} {sentence.state}"
    return f"{words} ({sentence.decided})" if sentence.decided else words


def size_of(sentence: Sentence) -> float:
    """The type size of a sentence: smaller for the record's omitted ones."""
    return SMALL if sentence.state == "omitted" else SIZE


def leading(size: float) -> float:
    return SMALL_LEADING if size == SMALL else LEADING


def sentence_lines(sentence: Sentence) -> tuple[str, ...]:
    """The sentence's text wrapped to its box (its first line after the label)."""
    inner, size = COLUMN * SLACK - 2 * PAD, size_of(sentence)
    first = text_width(prefix(sentence) + " ", size, bold=True)
    return wrap(sentence.text, inner, first, size) if sentence.text.strip() else ("",)


def box_height(lines: int, size: float = SIZE) -> float:
    return 2 * PAD + lines * leading(size)


#: The height of a whole page's body; a sentence taller than this is cut into parts.
BODY = HEIGHT - RUNNING_HEAD
#: The fewest lines that start a cut sentence at the foot of a page.
MIN_PART = 3


def _first_height(sentence: Sentence) -> float:
    """The height its first box needs: all of it, or for a cut sentence a few lines."""
    size = size_of(sentence)
    height = box_height(len(sentence_lines(sentence)), size)
    return height if height <= BODY else box_height(MIN_PART, size)


class _Column:
    """One column's cursor over the pages: where the next box goes."""

    def __init__(self, x: float, tops: list[float]) -> None:
        self.x = x
        self.tops = tops
        self.page = 0
        self.y = tops[0]
        self.first: dict[str, tuple[int, Box]] = {}

    def fits(self, height: float) -> bool:
        return self.y + height <= HEIGHT

    def next_page(self) -> None:
        self.page += 1
        while len(self.tops) <= self.page:
            self.tops.append(RUNNING_HEAD)
        self.y = self.tops[self.page]

    def place(self, sentence: Sentence, pages: list[Page]) -> None:
        """Put the sentence's box at the cursor, on the next page if it does not fit; one
        taller than a page fills what is left of this one and goes on over the next."""
        lines, size = sentence_lines(sentence), size_of(sentence)
        whole = box_height(len(lines), size)
        if whole <= BODY and not self.fits(whole):
            self.next_page()
        part = 0
        while lines:
            room = int((HEIGHT - self.y - 2 * PAD) // leading(size))
            if room < min(MIN_PART, len(lines)) and self.y > self.tops[self.page]:
                self.next_page()
                continue
            here, lines = lines[: max(room, 1)], lines[max(room, 1) :]
            height = box_height(len(here), size)
            box = Box(sentence.label, sentence.state, here, self.x, self.y, height, part > 0)
            box = _with_prefix(box, sentence, size)
            _page(pages, self.page, self.tops).boxes.append(box)
            self.first.setdefault(sentence.label, (self.page, box))
            self.y += height + GAP
            part += 1

    def position(self) -> tuple[int, float]:
        return self.page, self.y

    def move_to(self, where: tuple[int, float]) -> None:
        while self.page < where[0]:
            self.next_page()
        self.y = max(self.y, where[1])


def _with_prefix(box: Box, sentence: Sentence, size: float) -> Box:
    label = prefix(sentence) if not box.continued else f"{sentence.label} (continued)"
    b = box
    return Box(b.label, b.state, b.lines, b.x, b.y, b.height, b.continued, label, size)


def _page(pages: list[Page], index: int, tops: list[float]) -> Page:
    while len(pages) <= index:
        pages.append(Page(number=len(pages) + 1, top=tops[len(pages)]))
    return pages[index]


def _anchors(pairings: list[Pairing]) -> list[tuple[int, int]]:
    """The kept links as (record, account) index pairs increasing on both sides."""
    anchors: list[tuple[int, int]] = []
    for p in sorted((p for p in pairings if p.state == "kept"), key=lambda p: min(p.source)):
        pair = (min(p.source), min(p.witness))
        if not anchors or (pair[0] > anchors[-1][0] and pair[1] > anchors[-1][1]):
            anchors.append(pair)
    return anchors


def lay_out(
    record: list[Sentence], account: list[Sentence], pairings: list[Pairing], head: float
) -> list[Page]:
    """Place both columns on pages (the first page's body starts ``head`` points down)
    with kept links side by side, then draw every link on the pages it touches."""
    pages: list[Page] = []
    rec, acc = _Column(RECORD_X, [head]), _Column(ACCOUNT_X, [head])
    rec.tops = acc.tops  # one list of page tops for both columns
    _page(pages, 0, rec.tops)
    done_r = done_a = 0
    for i, j in _anchors(pairings):
        for sentence in record[done_r:i]:
            rec.place(sentence, pages)
        for sentence in account[done_a:j]:
            acc.place(sentence, pages)
        _align(rec, acc, _first_height(record[i]), _first_height(account[j]))
        rec.place(record[i], pages)
        acc.place(account[j], pages)
        done_r, done_a = i + 1, j + 1
    for sentence in record[done_r:]:
        rec.place(sentence, pages)
    for sentence in account[done_a:]:
        acc.place(sentence, pages)
    _draw_links(pages, pairings, rec, acc, record, account)
    return pages


def _align(rec: _Column, acc: _Column, h_rec: float, h_acc: float) -> None:
    """Bring both cursors to the same page and height, where both boxes fit."""
    where = max(rec.position(), acc.position())
    rec.move_to(where)
    acc.move_to(where)
    if not (rec.fits(h_rec) and acc.fits(h_acc)):
        rec.next_page()
        acc.next_page()


def _draw_links(
    pages: list[Page],
    pairings: list[Pairing],
    rec: _Column,
    acc: _Column,
    record: list[Sentence],
    account: list[Sentence],
) -> None:
    """A curve for each pair of linked sentences on one page, a stub at each end otherwise."""
    offsets: dict[str, int] = {}
    for p in pairings:
        for i in p.source:
            for j in p.witness:
                r_label, a_label = record[i].label, account[j].label
                r_page, r_box = rec.first[r_label]
                a_page, a_box = acc.first[a_label]
                r_off, a_off = offsets.get(r_label, 0), offsets.get(a_label, 0)
                offsets[r_label], offsets[a_label] = r_off + 1, a_off + 1
                y1, y2 = r_box.anchor_y(r_off), a_box.anchor_y(a_off)
                x1, x2 = r_box.x + COLUMN, a_box.x
                if r_page == a_page:
                    line = Connector(r_label, a_label, p.state, x1, y1, x2, y2)
                    pages[r_page].connectors.append(line)
                    continue
                to_a = f"→ {a_label} (p. {a_page + 1})"
                to_r = f"← {r_label} (p. {r_page + 1})"
                pages[r_page].stubs.append(Stub(p.state, x1, x1 + STUB, y1, to_a, "start"))
                pages[a_page].stubs.append(Stub(p.state, x2, x2 - STUB, y2, to_r, "end"))
