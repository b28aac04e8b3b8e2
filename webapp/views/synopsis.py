"""Two reading-room pages of a dossier: the synopsis (the record and every account in
parallel columns) and the presentation mode (one link at a time, for a class).

Both read the comparison as the compare page does (:func:`visible_comparison`: share
tokens, permissions and the ``reference`` parameter); a dossier still being compared in
the background shows the progress panel instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..collate import Link
from ..collate.tellings import in_place_at, retold_out_of_order
from ..library import Account, DossierComparison
from ..library.jobs import Pending
from . import visible_comparison, visible_dossier
from .jobs import panel
from .synopsis_present import crossed, span, steps, why
from .synopsis_rows import heat_levels, retold_links, synopsis

bp = Blueprint("synopsis", __name__)

#: Heat levels in words, for the legend (0: no account diverges, 4: all of them).
HEAT_WORDS = ("none", "a few", "some", "most", "all")


def _carried() -> dict[str, Any]:
    """The query parameters every link of these pages carries on: reference and share."""
    return {k: request.args[k] for k in ("reference", "share") if request.args.get(k)}


@bp.get("/dossiers/<dossier_id>/synopsis")
def synopsis_view(dossier_id: str) -> ResponseReturnValue:
    """The record (or the chosen reference) and every account side by side, row by row."""
    info = visible_dossier(dossier_id)
    try:
        result = visible_comparison(dossier_id)
    except Pending as pending:  # a large dossier: its progress instead of its synopsis
        job = panel(pending.job, pending.dossier)
        page = render_template("synopsis.html", dossier=info, carried=_carried(), **job)
        return page, 202 if pending.job.active else 200
    rows = synopsis(result)
    return render_template(
        "synopsis.html",
        dossier=result.dossier,
        result=result,
        rows=rows,
        heat=heat_levels(rows, len(result.accounts)),
        heat_words=HEAT_WORDS,
        retold_links=retold_links,
        carried=_carried(),
        share=request.args.get("share", ""),
        record_slug=info.record,
        job=None,
    )


def _account(result: DossierComparison) -> Account:
    """The account asked for, else the first that moves a sentence, else the first."""
    wanted = request.args.get("account", "").strip()
    if wanted:
        return result.account(wanted)  # NotFound (404) names the account
    if not result.accounts:
        abort(404, description=f"dossier {result.dossier.id!r} has no accounts to present")
    return next((a for a in result.accounts if a.result.order.moved), result.accounts[0])


def _link_number(account: Account) -> int | None:
    """The ``link`` asked for (1-based, as on the compare page), or None; 404 if unknown."""
    raw = request.args.get("link", "").strip()
    if not raw:
        return None
    count = len(account.result.links)
    if not raw.isdigit() or not 1 <= int(raw) <= count:
        abort(404, description=f"account {account.slug!r} has no link {raw!r} (it has {count})")
    return int(raw)


@dataclass(frozen=True, slots=True)
class Deck:
    """The links presented, in reading order, and which of them is shown (``at``)."""

    account: Account
    every: bool
    shown: list[tuple[int, Link]]
    at: int

    @property
    def number(self) -> int | None:
        """The 1-based number of the link shown (None: the account has none to show)."""
        return self.shown[self.at][0] if self.shown else None


def _deck(account: Account) -> Deck:
    """The deck the request asks for: ``all=1`` for every link, else the moved ones; a
    ``link`` in order is only among every link, so asking for one shows every link."""
    number = _link_number(account)
    every = request.args.get("all") == "1"
    if number is not None and not (link := account.result.links[number - 1]).moved:
        every = every or not retold_out_of_order(link)
    shown = steps(account.result, every)
    at = [n for n, _ in shown].index(number) if number is not None else 0
    return Deck(account, every, shown, at)


def _urls(dossier_id: str, deck: Deck) -> dict[str, str]:
    """First, previous, next and last steps, the toggle, and the compare view at the link."""
    base: dict[str, Any] = {**_carried(), "account": deck.account.slug}
    steps_base = {**base, **({"all": "1"} if deck.every else {})}

    def step(index: int) -> str:
        if not 0 <= index < len(deck.shown):
            return ""
        number = deck.shown[index][0]
        return url_for(".presentation", dossier_id=dossier_id, **steps_base, link=number)

    number = deck.number
    here = deck.shown[deck.at][1] if number is not None else None
    keep = here is not None and (not deck.every or here.moved or retold_out_of_order(here))
    toggled: dict[str, Any] = {
        **base,
        **({} if deck.every else {"all": "1"}),
        **({"link": number} if keep else {}),
    }
    anchor = f"{deck.account.slug}-link-{number}" if number else deck.account.slug
    return {
        "first": step(0),
        "previous": step(deck.at - 1),
        "next": step(deck.at + 1),
        "last": step(len(deck.shown) - 1),
        "toggle": url_for(".presentation", dossier_id=dossier_id, **toggled),
        "back": url_for("pages.compare_view", dossier_id=dossier_id, **base, _anchor=anchor),
    }


@bp.get("/dossiers/<dossier_id>/present")
def presentation(dossier_id: str) -> ResponseReturnValue:
    """One link of one account at a time, large, with its word diff and why it moved."""
    result = visible_comparison(dossier_id)  # a large dossier: the progress page (Pending)
    deck = _deck(_account(result))
    link = deck.shown[deck.at][1] if deck.shown else None
    n_account = len(deck.account.result.sentences)
    return render_template(
        "presentation.html",
        result=result,
        deck=deck,
        link=link,
        urls=_urls(dossier_id, deck),
        why=why(deck.account.result, deck.number) if deck.number else "",
        crossed=crossed(deck.account.result, deck.number) if deck.number else [],
        in_place_at=in_place_at,
        record_at=span("R", link.source, len(result.record.sentences)) if link else "",
        account_at=span("A", link.witness, n_account) if link else "",
        carried=_carried(),
    )
