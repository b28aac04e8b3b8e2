"""Shape comparison results for the pages: sentence states, coverage, sequence charts.

Plain functions over engine results; the templates only lay out what these return.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..collate import Link, WitnessResult
from ..library import DossierComparison

#: What an account did with a record sentence, and with one of its own sentences.
KEPT, MOVED, OMITTED, ADDED = "kept", "moved", "omitted", "added"
#: A link off the order-preserving chain on weak, uncorroborated evidence: maybe moved.
POSSIBLE_MOVE = "possible-move"


def link_state(link: Link) -> str:
    """kept, moved or possible-move: the state a link gives the sentences it joins."""
    if link.moved:
        return MOVED
    return POSSIBLE_MOVE if link.possible_move else KEPT


def record_states(result: WitnessResult, n_record: int) -> list[str]:
    """For each record sentence: kept, moved, possible-move or omitted in this account."""
    states = [OMITTED] * n_record
    for link in result.links:
        for i in link.source:
            states[i] = link_state(link)
    return states


def account_states(result: WitnessResult) -> list[str]:
    """For each account sentence: kept, moved, possible-move or added."""
    states = [ADDED] * len(result.sentences)
    for link in result.links:
        for j in link.witness:
            states[j] = link_state(link)
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
    """A ladder diagram: record order on top, account order below, a line per link."""

    width: int
    height: int
    top: float
    bottom: float
    lines: tuple[ChartLine, ...]
    record_ticks: tuple[tuple[float, str], ...]
    account_ticks: tuple[tuple[float, str], ...]


def sequence_chart(result: WitnessResult, n_record: int, width: int = 640) -> SequenceChart:
    """Lay out the sequence chart of one account (coordinates in SVG user units)."""
    margin = 24.0
    span = width - 2 * margin

    def x(index: int, count: int) -> float:
        return margin + (span * (index + 0.5) / max(count, 1))

    n_account = len(result.sentences)
    lines = tuple(
        ChartLine(
            number=k,
            x1=round(x(link.source[0], n_record), 2),
            x2=round(x(link.witness[0], n_account), 2),
            moved=link.moved,
            label=_link_label(link),
            possible_move=link.possible_move,
        )
        for k, link in enumerate(result.links, start=1)
    )
    record_ticks = tuple(
        (round(x(i, n_record), 2), "omitted" if i in set(result.omitted) else "linked")
        for i in range(n_record)
    )
    added = set(result.added)
    account_ticks = tuple(
        (round(x(j, n_account), 2), "added" if j in added else "linked") for j in range(n_account)
    )
    return SequenceChart(width, 170, 30.0, 140.0, lines, record_ticks, account_ticks)


def _link_label(link: Link) -> str:
    src = ", ".join(f"R{i + 1}" for i in link.source)
    wit = ", ".join(f"A{j + 1}" for j in link.witness)
    flag = " (moved)" if link.moved else " (possible move)" if link.possible_move else ""
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
