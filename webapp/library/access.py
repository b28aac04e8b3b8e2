"""Who may see or change a dossier: one check, as Flask's tutorial does with ``get_post``.

``load(session, slug, user, need)`` returns the stored row and its view, or raises
:class:`~webapp.errors.NotFound` (unknown, or not visible to this person: never says
which) or :class:`~webapp.errors.Forbidden` (visible, but not theirs to change this way).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from ..errors import Forbidden, NotFound
from ..store import Document as StoredDocument
from ..store import Dossier as StoredDossier
from ..store import Member, User
from .infos import DossierInfo, info

#: The row with what its view needs; texts are read only if a change asks for them.
_ROW = (
    selectinload(StoredDossier.documents).defer(StoredDocument.text),
    selectinload(StoredDossier.members).joinedload(Member.user),
    joinedload(StoredDossier.owner),
)


class Need(Enum):
    """What a person wants to do with a dossier."""

    READ = "read"  #: see it: public, a share link they hold, or theirs (or an admin)
    ANNOTATE = "annotate"  #: add and change documents and curation: annotators involved
    OWN = "own"  #: rename, delete, share, members, record: the owner or an admin


_REFUSALS = {
    Need.ANNOTATE: "only annotators among the owner and members may {action}",
    Need.OWN: "only the owner of the dossier or an admin may {action}",
}
_DEFAULT_ACTION = {Need.ANNOTATE: "change this dossier", Need.OWN: "do this"}


@dataclass(frozen=True, slots=True)
class Loaded:
    """A dossier this person may use as asked: the row (for changes) and its view."""

    row: StoredDossier
    info: DossierInfo


def allowed(dossier: DossierInfo, user: User | None, need: Need, shares: Collection[str]) -> bool:
    """Whether this person may do what ``need`` says with the dossier."""
    if need is Need.ANNOTATE:
        return dossier.can_edit(user)
    if need is Need.OWN:
        return dossier.can_manage(user)
    return dossier.can_read(user, shares)


def load(
    session: Session,
    slug: str,
    user: User | None,
    need: Need = Need.READ,
    shares: Collection[str] = (),
    action: str | None = None,
) -> Loaded:
    """The dossier with this slug if this person may do ``need`` with it.

    Raises NotFound if it does not exist or they may not even see it, Forbidden if they
    may see it but not do this (``action`` names what was refused, e.g. "delete it").
    """
    row = session.scalar(select(StoredDossier).where(StoredDossier.slug == slug).options(*_ROW))
    found = info(row) if row is not None else None
    check(found, slug, user, need, shares, action)
    assert row is not None and found is not None
    return Loaded(row, found)


def check(
    found: DossierInfo | None,
    slug: str,
    user: User | None,
    need: Need = Need.READ,
    shares: Collection[str] = (),
    action: str | None = None,
) -> DossierInfo:
    """The dossier (``found`` by ``slug``, None if there is none) if this person may do
    ``need`` with it: NotFound if they may not even see it, Forbidden if not do this."""
    if found is None or not found.can_read(user, shares):
        raise NotFound(f"no dossier {slug!r}")
    if not allowed(found, user, need, shares):
        raise Forbidden(_REFUSALS[need].format(action=action or _DEFAULT_ACTION[need]))
    return found
