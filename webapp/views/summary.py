"""One account's comparison told in plain words: what it moved, kept, left out, added.

Built from the engine's result (the links' order flags, omissions, additions, quotation
checks), for any dossier: the compare view shows it above the columns, so that the
finding is on the first screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..collate import Link, Telling, WitnessResult
from ..collate.tellings import in_place_at

#: The engine's link kinds in the words a reader sees (the kind itself stays on hover).
KIND_WORDS = {
    "verbatim": "word for word",
    "close": "similar wording",
    "paraphrase": "paraphrased",
    "partial": "in part",
}

#: Moves named one by one in the summary sentence; more are counted.
MOVES_NAMED = 3

#: The states of sentences (present.py) in the words a reader hears.
STATE_WORDS = {
    "kept": "kept",
    "moved": "told in another order",
    "possible-move": "possible move",
    "omitted": "left out",
    "added": "added by the account",
}

#: How often a passage is told, in words (more are counted).
TIMES = {2: "twice", 3: "three times"}

#: A piece of a summary sentence: its text, and the id suffix it points at (or None).
Part = tuple[str, str | None]

_WORD = re.compile(r"\w+", re.UNICODE)
_EDGE = re.compile(r"^[\W_]+|[\W_]+$", re.UNICODE)
_QUOTES = str.maketrans("", "", '"“”«»„')


def kind_words(kind: str) -> str:
    """The plain words for a link kind (the kind itself when it is not a known one)."""
    return KIND_WORDS.get(kind, kind)


def link_title(link: Link) -> str:
    """A link in plain words: ``R19 → A2 · paraphrased · told in another order``; a link
    told twice names each telling: ``R12 → A5, A16 · told twice: A16 word for word in
    place; A5 told earlier``."""
    sources = " ".join(f"R{i + 1}" for i in link.source)
    if link.tellings:
        witnesses = ", ".join(label("A", t.witness) for t in link.tellings)
        return f"{sources} → {witnesses} · {tellings_words(link.tellings)}"
    witnesses = " ".join(f"A{j + 1}" for j in link.witness)
    flag = " · told in another order" if link.moved else ""
    if link.possible_move and not link.moved:
        flag = " · possible move"
    return f"{sources} → {witnesses} · {kind_words(link.kind)}{flag}"


def tellings_words(tellings: tuple[Telling, ...]) -> str:
    """``told twice: A16 word for word in place; A5 told earlier``: the tellings in place
    first, then the others, each with how it is told."""
    times = TIMES.get(len(tellings), f"{len(tellings)} times")
    placed = [t for t in tellings if not (t.moved or t.possible_move)]
    anchor = placed[0].witness[0] if placed else None
    parts = [f"{label('A', t.witness)} {kind_words(t.kind)} in place" for t in placed]
    for t in tellings:
        if t in placed:
            continue
        name = label("A", t.witness)
        when = "told in another order"
        if anchor is not None:
            when = "told earlier" if t.witness[0] < anchor else "told later"
        parts.append(f"{name} possible move ({when})" if t.possible_move else f"{name} {when}")
    return f"told {times}: " + "; ".join(parts)


def state_words(state: str) -> str:
    """The plain words for a sentence state."""
    return STATE_WORDS.get(state, state)


def label(prefix: str, indices: tuple[int, ...]) -> str:
    """``R19``, or ``R4–R6`` for consecutive sentences, ``R4+R7`` otherwise (1-based)."""
    numbers = [i + 1 for i in indices]
    if len(numbers) == 1:
        return f"{prefix}{numbers[0]}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{prefix}{numbers[0]}–{prefix}{numbers[-1]}"
    return "+".join(f"{prefix}{n}" for n in numbers)


def gist(text: str, shared: tuple[str, ...] = (), words: int = 7) -> str:
    """A short excerpt of ``text`` cut at word boundaries: the run of ``words`` words that
    holds most of the ``shared`` words (the link's evidence), else the first words."""
    tokens = text.translate(_QUOTES).split()
    if len(tokens) <= words:
        return _EDGE.sub("", " ".join(tokens))
    wanted = {w.casefold() for w in shared}

    marked = [
        k for k, t in enumerate(tokens) if any(w.casefold() in wanted for w in _WORD.findall(t))
    ]

    def fit(start: int) -> tuple[int, float]:
        inside = [k for k in marked if start <= k < start + words]
        if not inside:
            return (0, -start)
        centre = sum(inside) / len(inside)
        return (len(inside), -abs(centre - (start + (words - 1) / 2)))

    best = max(range(len(tokens) - words + 1), key=fit)
    excerpt = _EDGE.sub("", " ".join(tokens[best : best + words]))
    lead = "…" if best > 0 else ""
    tail = "…" if best + words < len(tokens) else ""
    return f"{lead}{excerpt}{tail}"


@dataclass(frozen=True, slots=True)
class MoveNote:
    """A moved link, placed against the kept link it is told before (or after)."""

    number: int  # the moved link's 1-based number
    moved: str  # its record sentences: "R19"
    moved_gist: str
    anchor_number: int | None  # the kept link it trades places with
    anchor: str  # "R17" ("" when no kept link is out of order with it)
    anchor_gist: str
    before: bool  # the account tells it before the anchor (the record, after)

    def parts(self) -> list[Part]:
        """``R19 (gist) before R17 (gist)``, the numbers pointing at the links."""
        told: list[Part] = [(self.moved, f"link-{self.number}"), (f" ({self.moved_gist})", None)]
        if self.anchor_number is None:
            return [*told, (" out of the record's order", None)]
        where = "before" if self.before else "after"
        return [
            *told,
            (f" {where} ", None),
            (self.anchor, f"link-{self.anchor_number}"),
            (f" ({self.anchor_gist})", None),
        ]

    def text(self) -> str:
        """The same in plain text."""
        return "".join(text for text, _ in self.parts())


@dataclass(frozen=True, slots=True)
class Summary:
    """What one account did with the record, counted and told in a sentence or two."""

    name: str
    n_record: int
    kept: int  # record sentences the account has a counterpart for
    omitted: int
    added: int
    moved: int
    possible_moves: int
    misquoted: int
    moves: tuple[MoveNote, ...]
    #: Passages told in place and told again out of the record's order (a moved telling).
    retold: int = 0

    @property
    def unnamed_moves(self) -> int:
        """Moves counted in the sentence but not named in it."""
        return max(0, self.moved - len(self.moves))

    def order_parts(self) -> list[Part]:
        """The moves in a sentence, as text parts (``target``: the id suffix of the link a
        number points at, or None): "X tells R19 (...) before R17 (...); the record has it
        after", or that the account keeps the record's order."""
        if not self.moves:
            if self.kept == 0:
                return [(f"{self.name} shares no sentence with the record.", None)]
            return [(f"{self.name} tells what it keeps in the record's order.", None)]
        parts: list[Part] = [(f"{self.name} tells ", None)]
        for k, move in enumerate(self.moves):
            if k:
                last = k == len(self.moves) - 1 and not self.unnamed_moves
                parts.append((" and " if last else ", ", None))
            parts.extend(move.parts())
        if self.unnamed_moves:
            parts.append((f" and {_count(self.unnamed_moves, 'more move')} (see the list)", None))
        if len(self.moves) == 1 and not self.unnamed_moves:
            m = self.moves[0]
            tail = f"; the record has it {'after' if m.before else 'before'}" if m.anchor else ""
            return [*parts, (f"{tail}.", None)]
        return [*parts, ("; the record has each the other way round.", None)]

    def order_sentence(self) -> str:
        """The same in plain text."""
        return "".join(text for text, _ in self.order_parts())

    def counts_sentence(self) -> str:
        """The counts in plain words: kept (and how many in another order), left out,
        added, possible moves to check, quotations not word for word."""
        order = f"{self.moved} told in another order" if self.moved else "all in the record's order"
        if not self.kept:
            order = "none"
        parts = [
            f"It keeps {self.kept} of the record's {self.n_record} sentences ({order}) "
            f"and leaves out {self.omitted}",
            f"it adds {self.added} of its own" if self.added else "it adds none of its own",
        ]
        if self.retold:
            parts.append(
                f"it tells {_count(self.retold, 'record sentence')} again out of the "
                "record's order (told twice)"
            )
        if self.possible_moves:
            parts.append(f"{_count(self.possible_moves, 'possible move')} to check (weak evidence)")
        if self.misquoted:
            verb = "is" if self.misquoted == 1 else "are"
            parts.append(
                f"{_count(self.misquoted, 'quotation')} {verb} not word for word in the record"
            )
        return "; ".join(parts) + "."


def summarize(name: str, result: WitnessResult, record: list[str]) -> Summary:
    """The plain-words summary of one account (``record``: the record's sentence texts)."""
    notes = [
        _move_note(result, record, k, link) for k, link in enumerate(result.links) if link.moved
    ]
    return Summary(
        name=name,
        n_record=len(record),
        kept=len(record) - len(result.omitted),
        omitted=len(result.omitted),
        added=len(result.added),
        moved=result.order.moved,
        possible_moves=sum(1 for link in result.links if link.possible_move),
        misquoted=sum(1 for q in result.quotes if not q.verbatim),
        moves=tuple(notes[:MOVES_NAMED]),
        retold=sum(
            1 for link in result.links if not link.moved and any(t.moved for t in link.tellings)
        ),
    )


def _move_note(result: WitnessResult, record: list[str], k: int, link: Link) -> MoveNote:
    anchor = _anchor(result.links, link)
    moved_gist = gist(record[link.source[0]], link.shared)
    if anchor is None:
        return MoveNote(k + 1, label("R", link.source), moved_gist, None, "", "", False)
    other = result.links[anchor]
    return MoveNote(
        number=k + 1,
        moved=label("R", link.source),
        moved_gist=moved_gist,
        anchor_number=anchor + 1,
        anchor=label("R", other.source),
        anchor_gist=gist(record[other.source[0]], other.shared),
        before=link.witness[0] < in_place_at(other),
    )


def _anchor(links: tuple[Link, ...], moved: Link) -> int | None:
    """The kept link nearest to ``moved`` in the account's order whose order it inverts
    (any other out-of-order link if no kept one is), or None."""

    def inverted(other: Link) -> bool:
        return (other.source[0] < moved.source[0]) != (in_place_at(other) < moved.witness[0])

    def kept(other: Link) -> bool:
        return not (other.moved or other.possible_move)

    def anything(other: Link) -> bool:
        return True

    for allowed in (kept, anything):
        found = [
            (abs(in_place_at(o) - moved.witness[0]), k)
            for k, o in enumerate(links)
            if o is not moved and allowed(o) and inverted(o)
        ]
        if found:
            return min(found)[1]
    return None


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
