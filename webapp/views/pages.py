"""HTML pages: the library, a dossier's overview, the compare view and one sentence's page."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    g,
    redirect,
    render_template,
    render_template_string,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response

from ..collate import OrderAnswer, PhraseNotFound
from ..library import Account, DossierComparison
from ..library.jobs import Pending
from . import current_library, present, shares, summary, visible_comparison, visible_dossier
from .jobs import panel
from .summary import summarize

bp = Blueprint("pages", __name__)


@bp.get("/")
def library() -> str:
    """Every dossier this person may see, with each account's coverage of the record."""
    entries = current_library().overview(g.user, shares())
    jobs = {e.dossier.id: e.job for e in entries if e.job is not None}
    return render_template(
        "library.html",
        entries=[(e.dossier, e.result) for e in entries],
        jobs=jobs,
        present=present,
    )


@bp.get("/dossiers/<dossier_id>")
def dossier(dossier_id: str) -> str:
    """A dossier's record, its accounts with their counts, and a coverage strip each."""
    info = visible_dossier(dossier_id)
    try:
        result = visible_comparison(dossier_id) if info.documents else None
    except Pending as pending:  # a large dossier: its progress instead of its counts
        job = panel(pending.job, pending.dossier)
        return render_template("dossier.html", dossier=info, result=None, present=present, **job)
    return render_template("dossier.html", dossier=info, result=result, present=present)


@bp.get("/shared/<token>")
def shared(token: str) -> Response:
    """Open a secret share link: remember it in the session and show the dossier."""
    for dossier in current_library().visible(g.user, [token]):
        if dossier.share_token == token:
            held = list(session.get("shares", []))
            if token not in held:
                session["shares"] = [*held, token][-50:]
            return redirect(url_for("pages.dossier", dossier_id=dossier.id))
    abort(404, description="this share link is not valid (any more)")


@bp.get("/dossiers/<dossier_id>/compare")
def compare_view(dossier_id: str) -> str:
    """The record beside one or several accounts, with connectors, lists and charts.

    ``?panel=<slug>&link=<n>`` shows that link's detail (for readers without scripts);
    ``?fragment=<slug>`` answers that account's panel alone, and with ``&link=<n>`` that
    link's detail alone (compare.js fetches it when a link is selected).
    """
    result = visible_comparison(dossier_id)
    wanted = request.args.getlist("account")
    known = {a.slug for a in result.accounts}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        abort(404, description=f"dossier {dossier_id!r} has no account {unknown[0]!r}")
    shown = [a for a in result.accounts if not wanted or a.slug in wanted]
    fragment = request.args.get("fragment")
    if fragment is not None:
        return _fragment(result, shown, fragment)
    a = request.args.get("a", "").strip()
    b = request.args.get("b", "").strip()
    answer: OrderAnswer | None = None
    order_error = ""
    if a and b:
        try:
            answer = result.order(a, b)
        except PhraseNotFound as exc:
            order_error = str(exc)
    elif a or b:
        order_error = "Type two phrases of the record to compare their order."
    return render_template(
        "compare.html",
        **_panel_context(result, shown),
        selected={acc.slug for acc in shown},
        phrase_a=a,
        phrase_b=b,
        answer=answer,
        order_error=order_error,
        shown_link=_shown_link(request.args.get("panel"), request.args.get("link")),
        zip=zip,
    )


def _panel_context(result: DossierComparison, shown: list[Account]) -> dict[str, object]:
    """What _panel.html needs besides the account: summaries, helpers, the editor flag."""
    texts = [s.text for s in result.record.sentences]
    return {
        "result": result,
        "shown": shown,
        "summaries": {a.slug: summarize(a.meta.title, a.result, texts) for a in shown},
        "present": present,
        "words": summary,
        "can_edit": result.dossier.can_edit(g.user),
        "reference": request.args.get("reference", ""),
    }


def _shown_link(panel: str | None, link: str | None) -> tuple[str, int] | None:
    """``(slug, n)`` for ``?panel=<slug>&link=<n>`` (n a positive number), else None."""
    if not panel or not link or not link.isdigit() or int(link) < 1:
        return None
    return panel, int(link)


def _fragment(result: DossierComparison, shown: list[Account], slug: str) -> str:
    """One account's panel alone, or with ``?link=<n>`` one link's detail alone."""
    account = result.account(slug)  # NotFound (404) for an account the dossier lacks
    context = _panel_context(result, shown)
    link = request.args.get("link")
    if link is None:
        return render_template("_panel.html", account=account, shown_link=None, **context)
    if not link.isdigit() or not 1 <= int(link) <= len(account.result.links):
        abort(404, description=f"account {slug!r} has no link {link!r}")
    return render_template_string(_LINK_FRAGMENT, account=account, k=int(link) - 1, **context)


_LINK_FRAGMENT = (
    '{% from "_link.html" import link_detail with context %}'
    "{{ link_detail(result.dossier, account, k, can_edit) }}"
)


@bp.get("/dossiers/<dossier_id>/compare/<account>/<side>/<int:number>")
def sentence(dossier_id: str, account: str, side: str, number: int) -> str:
    """One sentence (record or account, 1-based) in one account's comparison: its links,
    its mark and note, and for annotators the form to mark and note it."""
    result = visible_comparison(dossier_id)
    if side not in ("record", "account"):
        abort(404, description="the side is record or account")
    found = result.account(account)  # NotFound (404) for an account the dossier lacks
    document = result.record if side == "record" else found.document
    if not 1 <= number <= len(document.sentences):
        abort(404, description=f"there is no {side} sentence {number}")
    index = number - 1
    links = [
        (n, link, found.state(n))
        for n, link in enumerate(found.result.links)
        if index in (link.source if side == "record" else link.witness)
    ]
    return render_template(
        "sentence.html",
        result=result,
        account=found,
        side=side,
        index=index,
        text=document.sentences[index].text,
        links=links,
        mark=found.curation.marks.get((side, index)),
    )
