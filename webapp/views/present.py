"""Shape comparison results for the pages: sentence states, coverage, sequence charts.

Plain functions over engine results; the templates only lay out what these return.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..collate import Link, Telling, WitnessResult
from ..collate.tellings import retold_out_of_order
from ..library import Account, DossierComparison
from ..library.curation import LinkState

#: What an account did with a record sentence, and with one of its own sentences.
KEPT, MOVED, OMITTED, ADDED = "kept", "moved", "omitted", "added"
#: A link off the order-preserving chain on weak, uncorroborated evidence: maybe moved.
POSSIBLE_MOVE = "possible-move"


def link_state(link: Link | Telling) -> str:
    """kept, moved or possible-move: the state a link gives the sentences it joins."""
    if link.moved:
        return MOVED
    return POSSIBLE_MOVE if link.possible_move else KEPT


def retold(result: WitnessResult) -> list[tuple[int, Link, Telling]]:
    """The tellings told again out of order: (1-based link number, link, moved telling)."""
    return [
        (number, link, told)
        for number, link in enumerate(result.links, start=1)
        if retold_out_of_order(link)
        for told in link.tellings
        if told.moved
    ]


def retold_sources(result: WitnessResult) -> set[int]:
    """The record sentences told again out of order (each of :func:`retold`'s links)."""
    return {i for _, link, _ in retold(result) for i in link.source}


def record_states(result: WitnessResult, n_record: int) -> list[str]:
    """For each record sentence: kept, moved, possible-move or omitted in this account."""
    states = [OMITTED] * n_record
    for link in result.links:
        for i in link.source:
            states[i] = link_state(link)
    return states


def account_states(result: WitnessResult) -> list[str]:
    """For each account sentence: kept, moved, possible-move or added (a sentence of a
    passage told twice takes its own telling's state)."""
    states = [ADDED] * len(result.sentences)
    for link in result.links:
        for told in link.tellings or (link,):
            for j in told.witness:
                states[j] = link_state(told)
    return states


def link_numbers(result: WitnessResult) -> tuple[dict[int, int], dict[int, int]]:
    """Map record and account sentence indices to the 1-based number of their link."""
    by_source: dict[int, int] = {}
    by_witness: dict[int, int] = {}
    for number, link in enumerate(result.links, start=1):
        for i in link.source:
            by_source[i] = number
        for j in link.witness:
            by_witness[j] = number
    return by_source, by_witness


def coverage(result: WitnessResult, n_record: int) -> float:
    """Share of the record's sentences that the account has a counterpart for."""
    if n_record == 0:
        return 0.0
    return (n_record - len(result.omitted)) / n_record


@dataclass(frozen=True, slots=True)
class ChartLine:
    """One link in the sequence chart: from its record position to its account position."""

    number: int
    x1: float
    x2: float
    moved: bool
    label: str
    possible_move: bool = False


@dataclass(frozen=True, slots=True)
class SequenceChart:
    """A ladder diagram: record order on top, account order below, a line per link.

    ``lines`` are drawn one by one (a title and a link each); with many links the kept
    ones are one path, ``kept_path``, so a 1,000-sentence chart stays small. Ticks are one
    path per state (``record_dots`` / ``account_dots``); ``*_labels`` number the axes.
    """

    width: int
    height: int
    top: float
    bottom: float
    lines: tuple[ChartLine, ...]
    record_dots: tuple[tuple[str, str], ...]
    account_dots: tuple[tuple[str, str], ...]
    record_labels: tuple[tuple[float, str], ...]
    account_labels: tuple[tuple[float, str], ...]
    kept_path: str = ""


#: Above this many links, kept links are drawn as one path (no title or link each).
CHART_LINES_ONE_BY_ONE = 150


def axis_numbers(count: int, most: int = 10) -> list[int]:
    """0-based indices to number on an axis of ``count`` sentences: the first, the last
    and round steps (1, 2, 5, 10, 20, 50, ...) between, at most about ``most``."""
    if count <= 0:
        return []
    step = 1
    for factor in (2, 2.5, 2) * 8:
        if count / step <= most:
            break
        step = int(step * factor)
    picked = [i for i in range(step - 1, count - 1, step) if i > 0]
    # Keep the first and last numbers clear of their neighbours.
    inner = [i for i in picked if i > step / 2 and count - 1 - i > step / 2]
    return [0, *inner, count - 1] if count > 1 else [0]


def sequence_chart(result: WitnessResult, n_record: int, width: int = 640) -> SequenceChart:
    """Lay out the sequence chart of one account (coordinates in SVG user units)."""
    margin = 24.0
    span = width - 2 * margin
    top, bottom = 30.0, 112.0

    # Tenths of a unit for a short text; whole units for a long one (a smaller chart).
    digits = 1 if max(n_record, len(result.sentences)) <= CHART_LINES_ONE_BY_ONE else None

    def x(index: int, count: int) -> float:
        return round(margin + (span * (index + 0.5) / max(count, 1)), digits)

    n_account = len(result.sentences)
    many = len(result.links) > CHART_LINES_ONE_BY_ONE
    # A passage told twice: one line per telling, each with the telling's own flags.
    lines = tuple(
        ChartLine(
            number=k,
            x1=x(link.source[0], n_record),
            x2=x(told.witness[0], n_account),
            moved=told.moved,
            label=_link_label(link, told),
            possible_move=told.possible_move,
        )
        for k, link in enumerate(result.links, start=1)
        for told in link.tellings or (link,)
    )
    kept_path = ""
    if many:
        kept_path = " ".join(
            f"M{ln.x1} {top}L{ln.x2} {bottom}" for ln in lines if not (ln.moved or ln.possible_move)
        )
        lines = tuple(ln for ln in lines if ln.moved or ln.possible_move)
    omitted, added = set(result.omitted), set(result.added)
    record_states = ["omitted" if i in omitted else "linked" for i in range(n_record)]
    account_states = ["added" if j in added else "linked" for j in range(n_account)]
    return SequenceChart(
        width=width,
        height=144,
        top=top,
        bottom=bottom,
        lines=lines,
        record_dots=_dots(record_states, [x(i, n_record) for i in range(n_record)], top),
        account_dots=_dots(account_states, [x(j, n_account) for j in range(n_account)], bottom),
        record_labels=tuple((x(i, n_record), f"R{i + 1}") for i in axis_numbers(n_record)),
        account_labels=tuple((x(j, n_account), f"A{j + 1}") for j in axis_numbers(n_account)),
        kept_path=kept_path,
    )


def _dots(states: list[str], xs: list[float], y: float) -> tuple[tuple[str, str], ...]:
    """One SVG path per state: a zero-length segment per sentence, drawn as a round dot
    (relative moves after the first, so a long text's chart stays small)."""
    paths: dict[str, list[str]] = {}
    last: dict[str, float] = {}
    for state, exact in zip(states, xs, strict=True):
        at = round(exact, 1)  # steps between rounded places: no drift along the axis
        if state in last:
            step = round(at - last[state], 1)
            paths[state].append(f"m{step:g} 0h0")
        else:
            paths[state] = [f"M{at:g} {y:g}h0"]
        last[state] = at
    return tuple((state, "".join(parts)) for state, parts in paths.items())


def _link_label(link: Link, told: Link | Telling) -> str:
    src = ", ".join(f"R{i + 1}" for i in link.source)
    wit = ", ".join(f"A{j + 1}" for j in told.witness)
    flag = " (moved)" if told.moved else " (possible move)" if told.possible_move else ""
    return f"{src} → {wit}{flag}"


def record_runs(states: list[str], min_run: int = 3) -> list[tuple[bool, list[int]]]:
    """Group record sentence indices: runs of ``min_run`` or more omitted ones fold away.

    Returns ``(folded, indices)`` pairs in order; a folded run is shown collapsed so the
    sentences an account does use sit close together and their connectors stay short.
    """
    runs: list[tuple[bool, list[int]]] = []
    current: list[int] = []
    for index, state in enumerate(states + ["end"]):
        if state == OMITTED:
            current.append(index)
            continue
        if current:
            if len(current) >= min_run:
                runs.append((True, current))
            else:
                runs.extend((False, [i]) for i in current)
            current = []
        if state != "end":
            runs.append((False, [index]))
    return runs


@dataclass(frozen=True, slots=True)
class Tally:
    """What people decided in one account: counts by status, label and significance."""

    confirmed: int
    added: int
    removed: int
    labels: dict[str, int]
    significant_omissions: int
    significant_additions: int


def label_counts(result: DossierComparison) -> dict[str, Tally]:
    """People's decisions counted per account (for the dossier overview)."""
    tallies = {}
    for account in result.accounts:
        states = [account.state(k) for k in range(len(account.result.links))]
        marks = account.curation.marks
        omitted = set(account.result.omitted)
        added = set(account.result.added)
        tallies[account.slug] = Tally(
            confirmed=sum(s.status == "confirmed" for s in states),
            added=sum(s.status == "added" for s in states),
            removed=len(account.curation.rejected),
            labels=dict(Counter(s.label for s in states if s.label)),
            significant_omissions=sum(
                1
                for (side, i), m in marks.items()
                if side == "record" and i in omitted and m.significant
            ),
            significant_additions=sum(
                1
                for (side, j), m in marks.items()
                if side == "account" and j in added and m.significant
            ),
        )
    return tallies


def link_states(account: Account) -> dict[int, LinkState]:
    """Who stands behind each link (status machine, confirmed, added; resp), by 1-based
    link number."""
    return {k + 1: account.state(k) for k in range(len(account.result.links))}
