"""The teacher's answer-key pages: the key versions of a dossier, one key, freeze and flag.

Only the owner, annotators of the dossier and admins see these pages (403 for other people
who may see the dossier, 404 for who may not, a log-in for a visitor); every form carries
a CSRF token. A key version page also shows how the machine's alignment scores against
the key, each figure with its plain-words sentence, as a results page will show a student's.
"""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..collate.answerkey import FrozenAccount, FrozenKey
from ..collate.scoring import Explained, answer_of, score
from ..errors import StillComputing
from ..library import keys
from ..library.comparisons import DossierComparison
from ..store import User
from . import current_library, shares, visible_dossier
from .manage import _teacher_required

bp = Blueprint("keys", __name__)


def _user() -> User:
    _teacher_required("its answer keys")
    user: User = g.user
    return user


@bp.get("/dossiers/<dossier_id>/keys")
def key_list(dossier_id: str) -> ResponseReturnValue:
    """The dossier's key versions and the form that freezes the next one."""
    user = _user()
    found = keys.list_keys(current_library(), user, dossier_id, shares())
    return render_template("keys.html", dossier=visible_dossier(dossier_id), keys=found)


@bp.post("/dossiers/<dossier_id>/keys")
def freeze(dossier_id: str) -> ResponseReturnValue:
    """Freeze the curated alignment as the next key version; show it."""
    user = _user()
    info = keys.freeze(current_library(), user, dossier_id, request.form.get("note", ""))
    flash(f"Answer key version {info.version} is frozen: later curation will not change it.")
    return redirect(url_for("keys.key_view", dossier_id=dossier_id, version=info.version))


def _machine_scores(
    comparison: DossierComparison | None, key: FrozenKey, account: FrozenAccount
) -> tuple[Explained, ...]:
    """The machine's alignment of the account scored against the key; none while it is
    being computed, or if the record or the account changed since the key was frozen."""
    if comparison is None or comparison.record_meta.slug != key.record.slug:
        return ()
    if comparison.record.sentences != key.record.sentences:
        return ()
    machine = comparison.machine or comparison.comparison
    for current, result in zip(comparison.accounts, machine.witnesses, strict=True):
        if current.slug == account.slug and current.document.sentences == account.sentences:
            return score(account.key(), answer_of(result)).explained()
    return ()


@bp.get("/dossiers/<dossier_id>/keys/<int:version>")
def key_view(dossier_id: str, version: int) -> ResponseReturnValue:
    """One key version: the teacher's note, each account's links, omissions, order and
    quotations, and the machine's scores against it."""
    user = _user()
    stored = keys.read_key(current_library(), user, dossier_id, version, shares())
    try:
        comparison: DossierComparison | None = current_library().comparison(
            dossier_id, user, shares()
        )
    except StillComputing:  # a large dossier: the key is shown, the machine's scores later
        comparison = None
    machine = {a.slug: _machine_scores(comparison, stored.key, a) for a in stored.key.accounts}
    return render_template(
        "key.html",
        dossier=visible_dossier(dossier_id),
        stored=stored,
        key=stored.key,
        machine=machine,
    )


@bp.post("/dossiers/<dossier_id>/keys/<int:version>/flags")
def flag(dossier_id: str, version: int) -> ResponseReturnValue:
    """Flag one link scored or not scored: a new key version copied from this one."""
    user = _user()
    number = request.form.get("link", "")
    if not number.isdigit():
        flash("Choose a link to flag.")
        return redirect(url_for("keys.key_view", dossier_id=dossier_id, version=version))
    scored = request.form.get("scored") == "yes"
    info = keys.flag_links(
        current_library(),
        user,
        dossier_id,
        version,
        request.form.get("account", ""),
        {int(number): scored},
    )
    what = "scored" if scored else "not scored"
    flash(f"Link {number} is {what} in the new key version {info.version}.")
    return redirect(url_for("keys.key_view", dossier_id=dossier_id, version=info.version))
