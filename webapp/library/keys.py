"""Answer keys of a dossier: freeze its curated alignment, list and read keys, flag links.

A key is a frozen snapshot (:class:`~webapp.collate.answerkey.FrozenKey`) stored as one
numbered version of the dossier's keys; nothing changes a stored version. Freezing reads
the curated comparison (people's decisions applied to the machine's links) as the reading
room shows it; flagging links "not scored" (or scored again) stores a new version copied
from the one flagged, so a submission scored against version 2 keeps its meaning.

Keys are the teacher's side: only the dossier's owner and its annotators (and admins) may
freeze, list or read them; anyone else who may see the dossier is refused (403), anyone
who may not see it gets 404 as for the dossier itself.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..collate.answerkey import FrozenAccount, FrozenDocument, FrozenKey, FrozenLink, FrozenQuote
from ..errors import Conflict, Forbidden, NotFound, Refused
from ..notes import check_note
from ..store import User
from ..store.models import AnswerKey
from .access import Need, load
from .comparisons import DossierComparison, Library
from .infos import DossierInfo

#: How a key version was made (the ``source`` column).
SOURCES = ("curation", "bundled", "flags")


@dataclass(frozen=True, slots=True)
class AccountSummary:
    """What a listing shows of one account's key: counts, not the key itself."""

    slug: str
    title: str
    links: int
    not_scored: int
    omitted: int
    quotes: int


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """One stored key version: who froze it, when, how, and a summary per account."""

    dossier: str
    version: int
    source: str
    based_on: int | None
    note: str
    frozen_by: str
    frozen_at: datetime
    accounts: tuple[AccountSummary, ...]


@dataclass(frozen=True, slots=True)
class StoredKey:
    """A key version with its snapshot."""

    info: KeyInfo
    key: FrozenKey


def may_use_keys(dossier: DossierInfo, user: User | None) -> bool:
    """Whether this person may freeze and read the dossier's keys: owner, annotators, admins."""
    return dossier.can_edit(user) or dossier.can_manage(user)


def _check(dossier: DossierInfo, user: User | None, action: str) -> None:
    if not may_use_keys(dossier, user):
        raise Forbidden(f"only the owner or an annotator of the dossier may {action}")


# --- Snapshots ----------------------------------------------------------------------------


def snapshot(comparison: DossierComparison) -> FrozenKey:
    """The curated comparison as a key: each link with its label, note and status, the
    omissions, the record's order of the linked sentences and the quotation statuses."""
    record = comparison.record_meta
    accounts = []
    for account in comparison.accounts:
        links = []
        for k, link in enumerate(account.result.links):
            state = account.state(k)
            links.append(
                FrozenLink(link.source, link.witness, state.label, state.note, True, state.status)
            )
        quotes = (
            FrozenQuote(q.witness, q.start, q.end, q.text, q.status) for q in account.result.quotes
        )
        accounts.append(
            FrozenAccount.build(
                account.slug,
                account.document,
                account.meta.id,
                account.meta.version,
                links,
                omitted=account.result.omitted,
                quotes=quotes,
            )
        )
    frozen_record = FrozenDocument.of(record.slug, comparison.record, record.id, record.version)
    return FrozenKey(frozen_record, tuple(accounts))


def _summary(key: FrozenKey) -> tuple[AccountSummary, ...]:
    return tuple(
        AccountSummary(
            a.slug,
            a.title,
            len(a.links),
            sum(not link.scored for link in a.links),
            len(a.omitted),
            len(a.quotes),
        )
        for a in key.accounts
    )


def _info(slug: str, row: AnswerKey, key: FrozenKey) -> KeyInfo:
    return KeyInfo(
        slug,
        row.version,
        row.source,
        row.based_on,
        row.note,
        row.frozen_by,
        row.frozen_at,
        _summary(key),
    )


def _store(
    session: Session,
    dossier_id: int,
    key: FrozenKey,
    *,
    source: str,
    who: str,
    note: str,
    based_on: int | None = None,
) -> AnswerKey:
    """Add the next version of the dossier's keys; Conflict if another took that number."""
    latest = session.scalar(
        select(func.max(AnswerKey.version)).where(AnswerKey.dossier_id == dossier_id)
    )
    row = AnswerKey(
        dossier_id=dossier_id,
        version=(latest or 0) + 1,
        source=source,
        based_on=based_on,
        note=check_note(note),
        frozen_by=who,
        data=key.to_dict(),
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict("another key was frozen at the same moment; try again") from None
    return row


# --- Operations ---------------------------------------------------------------------------


def freeze(library: Library, user: User, slug: str, note: str = "") -> KeyInfo:
    """Freeze the dossier's curated alignment as its next key version.

    Raises NotFound / Forbidden, :class:`~webapp.errors.StillComputing` while a large
    comparison is being computed, and Refused for a dossier without an account.
    """
    comparison = library.comparison(slug, user)
    _check(comparison.dossier, user, "freeze an answer key")
    if not comparison.accounts:
        raise Refused("the dossier has no account to make a key of")
    key = snapshot(comparison)
    with library.database.session() as session:
        loaded = load(session, slug, user)
        _check(loaded.info, user, "freeze an answer key")
        row = _store(session, loaded.row.id, key, source="curation", who=user.name, note=note)
        return _info(slug, row, key)


def _rows(session: Session, dossier_id: int) -> list[AnswerKey]:
    return list(
        session.scalars(
            select(AnswerKey).where(AnswerKey.dossier_id == dossier_id).order_by(AnswerKey.version)
        )
    )


def list_keys(
    library: Library, user: User | None, slug: str, shares: Collection[str] = ()
) -> list[KeyInfo]:
    """Every key version of the dossier, oldest first."""
    with library.database.session() as session:
        loaded = load(session, slug, user, Need.READ, shares)
        _check(loaded.info, user, "see its answer keys")
        return [
            _info(slug, row, FrozenKey.from_dict(row.data)) for row in _rows(session, loaded.row.id)
        ]


def _row(session: Session, dossier_id: int, slug: str, version: int) -> AnswerKey:
    row = session.scalar(
        select(AnswerKey).where(AnswerKey.dossier_id == dossier_id, AnswerKey.version == version)
    )
    if row is None:
        raise NotFound(f"dossier {slug!r} has no answer key version {version}")
    return row


def read_key(
    library: Library, user: User | None, slug: str, version: int, shares: Collection[str] = ()
) -> StoredKey:
    """One key version with its snapshot."""
    with library.database.session() as session:
        loaded = load(session, slug, user, Need.READ, shares)
        _check(loaded.info, user, "see its answer keys")
        row = _row(session, loaded.row.id, slug, version)
        key = FrozenKey.from_dict(row.data)
        return StoredKey(_info(slug, row, key), key)


def flag_links(
    library: Library,
    user: User,
    slug: str,
    version: int,
    account: str,
    flags: Mapping[int, bool],
    note: str | None = None,
) -> KeyInfo:
    """Store a copy of key ``version`` with links of ``account`` (by 1-based number, as the
    pages show them) flagged scored (True) or "not scored" (False); the new version's info.

    Refused if an account or link number does not exist, or nothing would change.
    """
    with library.database.session() as session:
        loaded = load(session, slug, user)
        _check(loaded.info, user, "flag links of its answer keys")
        row = _row(session, loaded.row.id, slug, version)
        key = FrozenKey.from_dict(row.data)
        flagged = _flagged(key, account, flags, version)
        new = _store(
            session,
            loaded.row.id,
            flagged,
            source="flags",
            who=user.name,
            note=row.note if note is None else note,
            based_on=version,
        )
        return _info(slug, new, flagged)


def _flagged(key: FrozenKey, account: str, flags: Mapping[int, bool], version: int) -> FrozenKey:
    """The key with one account's links flagged; Refused for a bad number or no change."""
    target = key.account(account)
    if target is None:
        raise Refused(f"key version {version} has no account {account!r}")
    if not flags:
        raise Refused("say which links to flag")
    for number in flags:
        if not 1 <= number <= len(target.links):
            raise Refused(f"account {account!r} has no link {number} in key version {version}")
    by_index = {number - 1: bool(scored) for number, scored in flags.items()}
    changed = target.flagged(by_index)
    if changed == target:
        raise Refused("nothing to change: the links are already flagged so")
    accounts = tuple(changed if a.slug == account else a for a in key.accounts)
    return FrozenKey(key.record, accounts)
