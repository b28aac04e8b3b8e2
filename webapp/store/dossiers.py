"""Create and change dossiers and their documents (the caller has checked permission).

Each function works inside the caller's session: the caller's transaction commits all
of a change or none of it, so a failed upload leaves the database as it was.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..dossiers import KINDS
from .models import VISIBILITIES, Document, Dossier, Member, User

MAX_TITLE = 300


class DossierError(ValueError):
    """A change was refused; the message says why."""


class StaleEdit(DossierError):
    """An edit was based on an older version than the one stored; nothing was changed."""

    def __init__(self, what: str, expected: int, current: int) -> None:
        super().__init__(
            f"{what} was changed by someone else (you edited version {expected}, "
            f"the stored one is version {current}); nothing was saved"
        )
        self.current = current


class ConcurrentEdit(StaleEdit):
    """Two edits of the same version raced and the database let only the first through."""

    def __init__(self, what: str) -> None:
        DossierError.__init__(
            self, f"{what} was changed by someone else at the same moment; nothing was saved"
        )
        self.current = -1


def slugify(text: str, fallback: str = "dossier") -> str:
    """A URL-safe name from a title: ``"Zavidovo, 1993"`` -> ``"zavidovo-1993"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-")
    return slug or fallback


def _title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise DossierError("a title is required")
    if len(title) > MAX_TITLE:
        raise DossierError(f"a title has at most {MAX_TITLE} characters")
    return title


def create_dossier(session: Session, owner: User, title: str, description: str = "") -> Dossier:
    """Add a private dossier owned by ``owner`` with a unique slug."""
    title = _title(title)
    base = slugify(title)
    taken = set(session.scalars(select(Dossier.slug).where(Dossier.slug.like(f"{base}%"))))
    slug = base
    number = 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    dossier = Dossier(slug=slug, title=title, description=description.strip(), owner=owner)
    session.add(dossier)
    session.flush()
    return dossier


def rename(dossier: Dossier, title: str) -> None:
    """Change the title (the slug, and so every cited URL, stays)."""
    dossier.title = _title(title)


def set_visibility(dossier: Dossier, visibility: str) -> None:
    """Make a dossier private, shared by a secret link, or public.

    Each time it is shared by link again it gets a new link: a link revoked by making the
    dossier private or public never comes back. Choosing "link" for a dossier already
    shared by link keeps the link people have.
    """
    if visibility not in VISIBILITIES:
        raise DossierError(f"unknown visibility {visibility!r} (choose {', '.join(VISIBILITIES)})")
    if visibility != "link":
        dossier.share_token = None
    elif dossier.visibility != "link" or not dossier.share_token:
        dossier.share_token = secrets.token_urlsafe(24)
    dossier.visibility = visibility


def _user_named(session: Session, name: str) -> User:
    """The user called ``name`` (surrounding spaces ignored), or :class:`DossierError`."""
    user = session.scalar(select(User).where(User.name == name.strip()))
    if user is None:
        raise DossierError(f"no user {name.strip()!r}")
    return user


def add_member(session: Session, dossier: Dossier, name: str) -> User:
    """Give a user access to a private dossier."""
    user = _user_named(session, name)
    if user.id == dossier.owner_id or any(m.user_id == user.id for m in dossier.members):
        raise DossierError(f"{user.name!r} has access already")
    dossier.members.append(Member(user=user))
    return user


def remove_member(session: Session, dossier: Dossier, name: str) -> User:
    """Take a member's access to the dossier away (the owner cannot be removed)."""
    user = _user_named(session, name)
    if user.id == dossier.owner_id:
        raise DossierError(f"{user.name!r} owns the dossier and cannot be removed")
    member = next((m for m in dossier.members if m.user_id == user.id), None)
    if member is None:
        raise DossierError(f"{user.name!r} is not a member")
    dossier.members.remove(member)
    return user


def add_document(
    session: Session,
    dossier: Dossier,
    *,
    title: str,
    kind: str,
    text: str,
    author: str = "",
    date: str = "",
    provenance: str = "",
    filename: str = "",
) -> Document:
    """Add a text to a dossier; refuse an unknown kind, an empty text or too long fields."""
    author, date = author.strip(), date.strip()
    _check_document(kind, text, author=author, date=date, filename=filename)
    title = _title(title)
    taken = {d.slug for d in dossier.documents}
    base = slugify(filename.rsplit(".", 1)[0] if filename else title, "document")
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    document = Document(
        slug=slug,
        position=len(dossier.documents),
        title=title,
        author=author,
        date=date,
        kind=kind,
        provenance=provenance.strip(),
        filename=filename,
        text=text,
    )
    dossier.documents.append(document)
    session.flush()
    return document


def set_record(dossier: Dossier, document_slug: str) -> None:
    """Choose which document is the record (the reference of every comparison)."""
    chosen = next((d for d in dossier.documents if d.slug == document_slug), None)
    if chosen is None:
        raise DossierError(f"no document {document_slug!r} in this dossier")
    for document in dossier.documents:
        document.is_record = False
    # Clear first so the one-record index never sees two records at once.
    Session.object_session(dossier).flush()  # type: ignore[union-attr]
    chosen.is_record = True


#: Longest values of the short document fields (the columns' sizes).
FIELD_LIMITS = {"author": 300, "date": 40, "filename": 255}


def _check_document(kind: str, text: str, **fields: str) -> None:
    for name, value in fields.items():
        if len(value) > FIELD_LIMITS[name]:
            raise DossierError(f"the {name} has at most {FIELD_LIMITS[name]} characters")
    if kind not in KINDS:
        raise DossierError(f"unknown kind {kind!r} (choose {', '.join(KINDS)})")
    if not text.strip():
        raise DossierError("the document has no text")


def find_document(dossier: Dossier, slug: str) -> Document:
    """The dossier's document with this slug, or :class:`DossierError`."""
    found = next((d for d in dossier.documents if d.slug == slug), None)
    if found is None:
        raise DossierError(f"no document {slug!r} in this dossier")
    return found


#: Fields of a document that may be edited after upload.
EDITABLE = ("title", "kind", "text", "author", "date", "provenance")


def update_document(document: Document, expected_version: int, changes: dict[str, str]) -> bool:
    """Apply edits made on ``expected_version``; a stale version changes nothing.

    Returns whether anything changed (an unchanged save keeps the version, so cached
    comparisons stay valid). Unknown fields are refused rather than ignored.
    """
    if expected_version != document.version:
        raise StaleEdit(f"document {document.slug!r}", expected_version, document.version)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise DossierError(f"cannot change {', '.join(unknown)} (editable: {', '.join(EDITABLE)})")
    merged = {field: getattr(document, field) for field in EDITABLE} | changes
    merged["text"] = merged["text"].replace("\r\n", "\n").replace("\r", "\n")
    for field in ("author", "date", "provenance"):
        merged[field] = merged[field].strip()
    _check_document(merged["kind"], merged["text"], author=merged["author"], date=merged["date"])
    merged["title"] = _title(merged["title"])
    changed = False
    for field, value in merged.items():
        if getattr(document, field) != value:
            setattr(document, field, value)
            changed = True
    return changed


def delete_document(session: Session, dossier: Dossier, slug: str) -> None:
    """Remove a document; if it was the chosen record, the default rule picks the next."""
    document = find_document(dossier, slug)
    dossier.documents.remove(document)
    session.flush()
