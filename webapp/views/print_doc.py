"""What ``_print.html`` draws for one account: its pages, the head of page 1, the legend.

Turns a dossier's comparison into the inputs of :func:`print_layout.lay_out` and lays out
the head (title, record and account names, counts, legend, column titles) with the same
metrics, so that the first page's body starts where the head really ends.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..collate.model import DiffOp, Link, Telling
from ..library import DossierComparison
from ..library.infos import Account
from ..report import lexicon_line
from . import present
from .print_layout import (
    ACCOUNT_X,
    COLUMN,
    WIDTH,
    Page,
    Pairing,
    Sentence,
    lay_out,
    prefix,
    wrap,
)
from .print_metrics import text_width

TITLE, TEXT = 13.0, 8.5


@dataclass(frozen=True, slots=True)
class HeadLine:
    """A line of text in a page head: where, how big, how bold, what."""

    x: float
    y: float
    size: float
    bold: bool
    text: str
    anchor: str = "start"


@dataclass(frozen=True, slots=True)
class Sample:
    """A legend entry: a line or a box drawn in a state's stroke (print.css), and its words."""

    kind: str  # "line" or "box"
    state: str
    x: float
    y: float
    text: str


@dataclass(frozen=True, slots=True)
class PrintLink:
    """A link in the printed list after the alignment: its sentences, state, who decided
    it, and its word changes (record → account)."""

    pair: str
    state: str
    who: str
    diff: tuple[DiffOp, ...]


@dataclass(frozen=True, slots=True)
class PrintAlignment:
    """Everything the printed alignment of one account needs."""

    slug: str
    title: str
    citation: str
    head: tuple[HeadLine, ...]
    legend: tuple[Sample, ...]
    pages: tuple[Page, ...]
    #: One entry per link, and per telling of a passage told twice.
    links: tuple[PrintLink, ...] = ()
    link_count: int = 0

    def running_head(self, page: Page) -> tuple[HeadLine, ...]:
        """The head of every page: where it belongs and its number in the alignment."""
        number = f"p. {page.number} of {len(self.pages)}"
        lines = [HeadLine(WIDTH, 7.0, 7.0, False, number, "end")]
        if page.number > 1:
            lines.append(HeadLine(0, 7.0, 7.0, False, _fit(self.citation, 7.0, WIDTH - 60)))
            lines.extend(HeadLine(h.x, 23.0, h.size, h.bold, h.text) for h in self.head[-2:])
        return tuple(lines)


def sentences(comparison: DossierComparison, account: Account) -> tuple[list[Sentence], ...]:
    """The record's and the account's sentences with their labels and states."""
    result = account.result
    n = len(comparison.record.sentences)
    rec_states = present.record_states(result, n)
    acc_states = present.account_states(result)
    on_record, on_account = decisions(account)
    record = [
        Sentence(f"R{i + 1}", rec_states[i], s.text, on_record.get(i, ""))
        for i, s in enumerate(comparison.record.sentences)
    ]
    acc = [
        Sentence(f"A{j + 1}", acc_states[j], s.text, on_account.get(j, ""))
        for j, s in enumerate(result.sentences)
    ]
    return record, acc


def decisions(account: Account) -> tuple[dict[int, str], dict[int, str]]:
    """What people decided of the links, by record and by account sentence index:
    ``confirmed by ada``, ``added by ada: reordering`` (machine links say nothing)."""
    on_record: dict[int, str] = {}
    on_account: dict[int, str] = {}
    for k, link in enumerate(account.result.links):
        state = account.state(k)
        if state.status == "machine":
            continue
        words = f"{state.status} by {state.resp}" + (f": {state.label}" if state.label else "")
        for i in link.source:
            on_record[i] = words
        for j in link.witness:
            on_account[j] = words
    return on_record, on_account


def counts_text(comparison: DossierComparison, account: Account) -> str:
    """The counts in words, as the summary on screen gives them."""
    r = account.result
    n = len(comparison.record.sentences)
    possible = sum(1 for link in r.links if link.possible_move)
    odd = sum(1 for q in r.quotes if not q.verbatim)
    again = len({number for number, _, _ in present.retold(r)})
    parts = [
        f"{len(r.links)} links",
        f"{r.order.moved} moved (told in another order)",
        f"{again} told again out of order (told twice)" if again else "",
        f"{possible} possible move{'s' if possible != 1 else ''}" if possible else "",
        f"{len(r.omitted)} of {n} record sentences left out",
        f"{len(r.added)} sentences added by the account",
        f"{odd} quotation{'s' if odd != 1 else ''} not verbatim in the record",
    ]
    return " · ".join(p for p in parts if p)


def _lines(text: str, size: float, bold: bool, y: float, most: int, width: float) -> list[HeadLine]:
    """``text`` wrapped to ``width`` at ``size`` points, at most ``most`` lines from ``y``."""
    wrapped = wrap(text, width * 0.95, size=size * (1.08 if bold else 1.0))
    if len(wrapped) > most:
        wrapped = (*wrapped[: most - 1], wrapped[most - 1] + " …")
    return [HeadLine(0, y + k * size * 1.25, size, bold, line) for k, line in enumerate(wrapped)]


def _legend(y: float) -> tuple[list[Sample], float]:
    """The legend's two rows from ``y``: the three kinds of line, then the box borders."""
    rows = [
        [
            ("line", "kept", "kept in order"),
            ("line", "moved", "moved: told in another order"),
            ("line", "possible-move", "possible move: weak evidence, not a finding"),
        ],
        [
            ("box", "kept", "kept"),
            ("box", "moved", "moved"),
            ("box", "possible-move", "possible"),
            ("box", "omitted", "omitted from the record"),
            ("box", "added", "added by the account"),
        ],
    ]
    samples: list[Sample] = []
    for row in rows:
        x = 0.0
        for kind, state, words in row:
            samples.append(Sample(kind, state, x, y, words))
            x += 30 + text_width(words, 7.5) + 14
        y += 13.5
    return samples, y


#: Lines each summary sentence of page 1's head may take (an order answer's "both" reason
#: takes four at most on the page's width; longer ones end in an ellipsis).
SUMMARY_LINES = 5


def head_of(
    comparison: DossierComparison,
    account: Account,
    url: str,
    date: str,
    summary: tuple[str, ...] = (),
) -> tuple[list[HeadLine], list[Sample], float]:
    """Page 1's head, its legend, and the height where the columns start."""
    d, meta = comparison.dossier, account.meta
    head = _lines(d.title, TITLE, True, 12.0, 3, WIDTH - 60)
    y = head[-1].y + 13
    # Only what is known: an upload without author or date is "(memoir)", not "(, · memoir)".
    named = ", ".join(part for part in (meta.author, meta.date) if part)
    reconstructed = "reconstructed" if meta.reconstructed else ""
    who = " · ".join(part for part in (named, meta.kind, reconstructed) if part)
    for text, bold, size, most in (
        (f"Record: {comparison.record_meta.title}", False, TEXT + 0.5, 2),
        (f"Account: {meta.title} ({who})", False, TEXT + 0.5, 2),
        *((line, True, TEXT + 0.5, SUMMARY_LINES) for line in summary),
        (counts_text(comparison, account), not summary, TEXT + 0.5, 2),
        *(
            ((lexicon_line(account.result), False, TEXT + 0.5, 2),)
            if account.result.lexicon
            else ()
        ),
        (f"{url} · printed {date}", False, 7.5, 2),
    ):
        lines = _lines(text, size, bold, y, most, WIDTH)
        head.extend(lines)
        y = lines[-1].y + size * 1.3
    samples, y = _legend(y + 1)
    head.append(
        HeadLine(0, y + 3, 9.0, True, f"Record ({len(comparison.record.sentences)} sentences)")
    )
    head.append(HeadLine(ACCOUNT_X, y + 3, 9.0, True, _fit(meta.title, 9.0)))
    return head, samples, y + 9


def _fit(text: str, size: float, width: float = COLUMN) -> str:
    """``text`` cut (with an ellipsis) to fit ``width`` points in bold."""
    while len(text) > 1 and text_width(text, size, bold=True) > width:
        text = text[:-2] + "…"
    return text


def pairings(account: Account) -> list[Pairing]:
    """The links of the account with the state they print in; a passage told twice gives
    one pairing per telling, each in its own state (the one in place kept, the other moved)."""
    return [
        Pairing(tuple(link.source), tuple(told.witness), present.link_state(told))
        for link in account.result.links
        for told in link.tellings or (link,)
    ]


def print_alignment(
    comparison: DossierComparison,
    account: Account,
    url: str,
    date: str,
    summary: tuple[str, ...] = (),
) -> PrintAlignment:
    """The printed alignment of ``account`` against the record (``url`` of the page, the
    ``date`` it was made: print.js puts the day of printing in its place; ``summary``:
    sentences saying what the account does, printed above the counts)."""
    record, acc = sentences(comparison, account)
    head, legend, top = head_of(comparison, account, url, date, summary)
    pages = lay_out(record, acc, pairings(account), top)
    citation = f"{comparison.dossier.title} — Record and {account.meta.title}"
    return PrintAlignment(
        account.slug,
        account.meta.title,
        citation,
        tuple(head),
        tuple(legend),
        tuple(pages),
        printed_links(account),
        len(account.result.links),
    )


#: How the printed list names a link's state.
STATE_WORDS = {"kept": "in order", "moved": "moved", "possible-move": "possible move"}


def printed_links(account: Account) -> tuple[PrintLink, ...]:
    """Every link of the account with its word changes, for the list after the pages."""
    found = []
    for k, link in enumerate(account.result.links):
        state = account.state(k)
        who = "" if state.status == "machine" else f"{state.status} by {state.resp}"
        if who and state.label:
            who += f": {state.label}"
        # A passage told twice: one entry per telling, each in its own state and diff.
        tellings: tuple[Link | Telling, ...] = link.tellings or (link,)
        for n, told in enumerate(tellings, start=1):
            pair = " ".join(f"R{i + 1}" for i in link.source) + " → "
            pair += " ".join(f"A{j + 1}" for j in told.witness)
            if link.tellings:
                pair += f" (telling {n} of {len(link.tellings)})"
            found.append(PrintLink(pair, STATE_WORDS[present.link_state(told)], who, told.diff))
    return tuple(found)


def for_page(
    comparison: DossierComparison, account: Account, url: str, summary: tuple[str, ...] = ()
) -> PrintAlignment:
    """The printed alignment as the compare page includes it (dated today)."""
    today = datetime.date.today().isoformat()
    return print_alignment(comparison, account, public_url(url), today, summary)


def public_url(url: str) -> str:
    """The address to print: without a ``share=`` token (paper travels further than a link)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "share"]
    return urlunsplit(parts._replace(query=urlencode(query)))


__all__ = ["PrintAlignment", "for_page", "prefix", "print_alignment"]
