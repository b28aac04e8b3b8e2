"""What the owner of a dossier (or an admin) does with it: create, rename, share, members,
record, delete; each in one transaction, after one :func:`.access.load`.

A refused change raises a :class:`~webapp.store.dossiers.DossierError` (400) having stored
nothing; a person who may see the dossier but not manage it gets Forbidden (403).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from ..store import Database, User
from ..store.dossiers import DossierError, add_member, create_dossier, remove_member
from ..store.models import Dossier as StoredDossier
from .access import Need, load

#: One change of a stored dossier, made inside the caller's transaction.
Change = Callable[[Session, StoredDossier], object]


def create(database: Database, user: User, title: str, description: str = "") -> str:
    """Create a private dossier owned by ``user``; its slug."""
    with database.session() as session:
        dossier = create_dossier(session, session.merge(user), title, description)
        return dossier.slug


def change(database: Database, user: User, slug: str, change: Change) -> None:
    """Apply one change to a dossier this person manages, in one transaction."""
    with database.session() as session:
        change(session, load(session, slug, user, Need.OWN).row)


def members(database: Database, user: User, slug: str, name: str, *, add: bool) -> list[str]:
    """Give ``name`` access to the dossier, or take it away; the members' names after."""
    with database.session() as session:
        row = load(session, slug, user, Need.OWN, action="change its members").row
        (add_member if add else remove_member)(session, row, name)
        return sorted(m.user.name for m in row.members)


def delete(database: Database, user: User, slug: str, confirm: str | None = None) -> str:
    """Delete a dossier with its documents and curation; its title.

    ``confirm`` (a form's typed confirmation), when given, must be the dossier's id.
    """
    with database.session() as session:
        loaded = load(session, slug, user, Need.OWN, action="delete it")
        if confirm is not None and confirm != loaded.info.id:
            raise DossierError(
                f"type the dossier's name {loaded.info.id!r} to confirm the deletion"
            )
        session.delete(loaded.row)
        return loaded.info.title
