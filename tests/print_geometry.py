"""Read a printed alignment back from its PDF: sentence boxes, connectors, stubs, legend.

Only what the PDF shows is used: the bold sentence numbers (R17, A3) and the words after
them, the border and line geometry (pdfplumber / pdfminer, in drawing order), the small
labels of the stubs. Chromium writes a dashed stroke as one filled piece per dash, so a
connector is the run of pieces drawn one after the other in the gutter, each starting
where the last one ended (give or take a dash's gap).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from pdfminer.layout import LTCurve
from pdfplumber.page import Page

LABEL = re.compile(r"^[RA]\d+$")
#: How far (points) a connector's end may lie from its box; the largest gap between dashes.
NEAR, JUMP = 3.0, 5.0


@dataclass(frozen=True)
class Box:
    """A sentence's box on the page, from its number and its words (top-down points)."""

    label: str
    x0: float
    x1: float
    top: float
    bottom: float

    def holds(self, x: float, y: float, near: float = NEAR) -> bool:
        return self.x0 - near <= x <= self.x1 + near and self.top - near <= y <= self.bottom + near


@dataclass(frozen=True)
class Piece:
    """One drawn path: its bounding box and its points (top-down)."""

    x0: float
    x1: float
    top: float
    bottom: float
    points: tuple[tuple[float, float], ...]


@dataclass
class Chain:
    """Pieces drawn one after another: one connector or stub; its two extreme points."""

    pieces: list[Piece] = field(default_factory=list)

    @property
    def points(self) -> list[tuple[float, float]]:
        return [p for piece in self.pieces for p in piece.points]

    @property
    def left(self) -> tuple[float, float]:
        return min(self.points)

    @property
    def right(self) -> tuple[float, float]:
        return max(self.points)


@dataclass
class AlignmentPage:
    """What one printed page of an alignment shows."""

    number: int
    of: int
    record: dict[str, Box]
    account: dict[str, Box]
    connectors: list[Chain]
    stubs: list[tuple[Chain, str]]
    record_edge: float
    account_edge: float


def pieces(page: Page) -> list[Piece]:
    """Every path on the page in drawing order (top-down coordinates)."""
    height = float(page.height)
    found = []
    for obj in page.layout:
        if isinstance(obj, LTCurve):
            points = tuple((float(x), height - float(y)) for x, y in obj.pts)
            found.append(Piece(obj.x0, obj.x1, height - obj.y1, height - obj.y0, points))
    return found


def boxes(words: list[dict[str, object]], side: str) -> dict[str, Box]:
    """Each sentence box of a column: from its bold number down to its last word (below
    the column titles: a summary in the head may name sentences in bold too)."""
    start = columns_top(words)
    labels = [
        w
        for w in words
        if LABEL.match(str(w["text"]))
        and str(w["text"])[0] == side
        and "Bold" in str(w["fontname"])
        and float(w["top"]) > start  # type: ignore[arg-type]
    ]
    labels.sort(key=lambda w: float(w["top"]))  # type: ignore[arg-type]
    if not labels:
        return {}
    x0 = min(float(w["x0"]) for w in labels) - 4  # type: ignore[arg-type]
    found = {}
    for k, label in enumerate(labels):
        top = float(label["top"])  # type: ignore[arg-type]
        end = float(labels[k + 1]["top"]) if k + 1 < len(labels) else 1e9  # type: ignore[arg-type]
        own = [
            w
            for w in words
            if top - 1 <= float(w["top"]) < end - 1 and x0 <= float(w["x0"]) < x0 + 205  # type: ignore[arg-type]
        ]
        bottom = float(label["bottom"])  # type: ignore[arg-type]
        for w in sorted(own, key=lambda w: float(w["top"])):  # type: ignore[arg-type]
            if float(w["top"]) - bottom > 6:  # type: ignore[arg-type]
                break  # past the box: the lines of a sentence are 10.5pt apart
            bottom = max(bottom, float(w["bottom"]))  # type: ignore[arg-type]
        found[str(label["text"])] = Box(str(label["text"]), x0, x0 + 200, top - 4.5, bottom + 4.5)
    return found


def columns_top(words: list[dict[str, object]]) -> float:
    """Where the column titles are ("Record (23 sentences)" in bold): the columns start below."""
    tops = [
        float(w["top"])  # type: ignore[arg-type]
        for w, after in zip(words, words[1:], strict=False)
        if w["text"] == "Record" and str(after["text"]).startswith("(")
        and "Bold" in str(w["fontname"])
    ]  # fmt: skip
    return max(tops, default=0.0)


def edge(drawn: Iterable[Piece], low: float, high: float) -> float | None:
    """The x of the column border between ``low`` and ``high``: where most thin upright
    pieces (dashes of the borders) and the sides of whole box outlines stand."""
    xs: Counter[float] = Counter()
    for p in drawn:
        wide, tall = p.x1 - p.x0, p.bottom - p.top
        if wide < 2.6 and tall >= 1.2 and tall > wide:
            xs[round((p.x0 + p.x1) / 2 * 2) / 2] += 1
        elif wide > 100 and tall > 8:
            xs[round(p.x0 * 2) / 2] += 1
            xs[round(p.x1 * 2) / 2] += 1
    inside = [(n, x) for x, n in xs.items() if low < x < high]
    return max(inside)[1] if inside else None


def chains(drawn: list[Piece], left: float, right: float) -> list[Chain]:
    """The gutter's pieces grouped into runs: a run starts at a column's edge and goes on
    while each next piece begins near where the run has got to (a dash's gap away)."""
    runs: list[Chain] = []
    origin = last = (0.0, 0.0)
    for p in drawn:
        if not left + 1.2 < (p.x0 + p.x1) / 2 < right - 1.2:
            continue
        if not runs or min(_dist(q, last) for q in p.points) > JUMP:
            runs.append(Chain())
            origin = min(p.points, key=lambda q: min(abs(q[0] - left), abs(q[0] - right)))
        runs[-1].pieces.append(p)
        last = max(p.points, key=lambda q: _dist(q, origin))
    return runs


def _dist(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5)


def read_page(page: Page) -> AlignmentPage | None:
    """The alignment page's geometry, or None for a page that is not one."""
    words = page.extract_words(extra_attrs=["fontname", "size"])
    number = next(
        (m for t in _lines(page)[:1] if (m := re.search(r"\bp\. (\d+) of (\d+)$", t))), None
    )
    record, account = boxes(words, "R"), boxes(words, "A")
    if number is None or not record:
        return None
    drawn = pieces(page)
    top = min(b.top for b in [*record.values(), *account.values()])
    body = [p for p in drawn if p.top >= top - 2]
    rec_x = next(iter(record.values())).x0
    acc_x = next(iter(account.values())).x0 if account else rec_x + 320
    middle = (rec_x + 200 + acc_x) / 2  # of the gutter: the columns are 200pt wide
    r_edge = edge(body, rec_x + 100, middle) or rec_x + 200
    # A page may hold no account sentence: then the gutter ends where the columns say.
    a_edge = edge(body, middle, acc_x + 2) or acc_x
    connectors, stubs = [], []
    for chain in chains(body, r_edge, a_edge):
        (lx, _), (rx, _) = chain.left, chain.right
        if abs(lx - r_edge) < NEAR and abs(rx - a_edge) < NEAR:
            connectors.append(chain)
        else:
            stubs.append((chain, _stub_label(page, chain, r_edge, a_edge)))
    return AlignmentPage(
        int(number.group(1)),
        int(number.group(2)),
        record,
        account,
        connectors,
        stubs,
        r_edge,
        a_edge,
    )


def _lines(page: Page) -> list[str]:
    return [str(line["text"]).strip() for line in page.extract_text_lines()]


def _stub_label(page: Page, chain: Chain, r_edge: float, a_edge: float) -> str:
    """The words printed at a stub's free end (``→ A17 (p. 3)``)."""
    if abs(chain.left[0] - r_edge) < NEAR:
        x, y = chain.right
        area = (x, y - 6, min(x + 90, float(page.width)), y + 6)
    else:
        x, y = chain.left
        area = (max(x - 90, 0), y - 6, x, y + 6)
    return str(page.crop(area).extract_text()).strip()
