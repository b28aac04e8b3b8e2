"""The printed alignment in the compare page, or, for a long comparison, on its own page.

A short comparison's alignment is in the compare page itself (hidden on screen), so that
printing the page prints it. A long one would make every compare page heavy (the texts
again, as SVG) and slow to lay out, so the compare page holds a placeholder instead and
``print.js`` fetches ``/dossiers/<id>/print?fragment=<account>`` just before printing;
``/dossiers/<id>/print`` is also a page of its own, printable as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, Flask, abort, current_app, render_template, request, url_for

from ..collate import OrderAnswer, PhraseNotFound
from ..library import DossierComparison
from ..library.infos import Account
from . import visible_comparison
from .print_doc import PrintAlignment, for_page

bp = Blueprint("print", __name__)

#: Sentences (record and account together) up to which a panel holds its printed alignment.
DEFAULT_INLINE_SENTENCES = 400


def inline(
    comparison: DossierComparison, account: Account, summary: Sequence[str] = ()
) -> PrintAlignment | None:
    """The printed alignment to put in the compare page (with the page's summary of the
    account in plain words, if it has one), or None when it is too long."""
    limit = int(current_app.config.get("PRINT_INLINE_SENTENCES", DEFAULT_INLINE_SENTENCES))
    if len(comparison.record.sentences) + len(account.result.sentences) > limit:
        return None
    return for_page(comparison, account, request.url, tuple(summary))


def asked_order(comparison: DossierComparison) -> OrderAnswer | None:
    """The phrase-order question of this request (``?a=&b=``) answered, or None when none
    was asked or a phrase is not in the record (the compare page shows that error)."""
    a, b = request.args.get("a", "").strip(), request.args.get("b", "").strip()
    if not (a and b):
        return None
    try:
        return comparison.order(a, b)
    except PhraseNotFound:
        return None


def order_lines(
    answer: OrderAnswer | None, comparison: DossierComparison, account: Account
) -> list[str]:
    """The phrase-order answer for ``account`` as lines of its printed head (the question
    with the record's places, then the verdict and why): on paper the answer stands above
    the alignment it is about, not alone on a page of its own."""
    if answer is None:
        return []
    slugs = [acc.slug for acc in comparison.accounts]
    verdict = answer.accounts[slugs.index(account.slug)]
    a, b = answer.a, answer.b
    return [
        f"Does “{a.phrase}” come before “{b.phrase}”? In the record, “{a.phrase}” is in "
        f"R{a.sentence + 1} and “{b.phrase}” in R{b.sentence + 1}.",
        f"{verdict.verdict.upper()}. {verdict.explanation}",
    ]


def compare_url(dossier_id: str, accounts: list[str]) -> str:
    """The compare page these accounts are printed from (cited in the printed head)."""
    reference = request.args.get("reference") or None
    return url_for(
        "pages.compare_view",
        dossier_id=dossier_id,
        account=accounts or None,
        reference=reference,
        a=request.args.get("a") or None,
        b=request.args.get("b") or None,
        _external=True,
    )


def fragment_url(dossier_id: str, slug: str) -> str:
    """Where print.js fetches one account's printed alignment."""
    wanted = request.args.getlist("account")
    return url_for(
        "print.print_page",
        dossier_id=dossier_id,
        fragment=slug,
        account=wanted or None,
        reference=request.args.get("reference") or None,
        a=request.args.get("a") or None,
        b=request.args.get("b") or None,
    )


@bp.get("/dossiers/<dossier_id>/print")
def print_page(dossier_id: str) -> str:
    """The printed alignment of the accounts asked for (all by default); with
    ``?fragment=<account>`` only that account's, as the compare page inserts it."""
    result = visible_comparison(dossier_id)
    wanted = request.args.getlist("account")
    fragment = request.args.get("fragment", "")
    known = {a.slug for a in result.accounts}
    for slug in [*wanted, *([fragment] if fragment else [])]:
        if slug not in known:
            abort(404, description=f"dossier {dossier_id!r} has no account {slug!r}")
    url = compare_url(dossier_id, wanted)
    answer = asked_order(result)
    if fragment:
        account = result.account(fragment)
        pa = for_page(result, account, url, tuple(order_lines(answer, result, account)))
        return render_template("_print_doc.html", result=result, pa=pa)
    shown = [a for a in result.accounts if not wanted or a.slug in wanted]
    docs = [for_page(result, a, url, tuple(order_lines(answer, result, a))) for a in shown]
    return render_template("print.html", result=result, docs=docs, compare=url)


def init_app(app: Flask) -> None:
    """Serve the print page; give templates/_print.html its two helpers."""
    app.register_blueprint(bp)
    app.jinja_env.globals["print_inline"] = inline
    app.jinja_env.globals["print_fragment_url"] = fragment_url
    app.jinja_env.globals["print_order_lines"] = order_lines
