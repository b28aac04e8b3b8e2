"""The ``memcon`` commands on people: create-user, set-password and token (the store
imported inside each command)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

# The engine, the store and the readers are imported by the commands that use them, so
# that ``memcon --help`` answers at once (scikit-learn, SQLAlchemy and Alembic are slow).
if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session

    from ..store import ApiToken, Database, User

from .common import CommandError


@contextmanager
def _session() -> Iterator[Session]:
    """A session on the app's database, closing every connection afterwards."""
    from ..app import create_app

    database: Database = create_app().extensions["memcon.db"]
    try:
        with database.session() as session:
            yield session
    finally:
        database.dispose()


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise CommandError("the two passwords differ")
    return first


def _create_user(args: argparse.Namespace) -> str:
    from ..store.users import UserError, create_user

    password = _read_password(args)
    try:
        with _session() as session:
            user = create_user(session, args.name, password, args.role)
            return f"created {user.role} {user.name!r}\n"
    except UserError as exc:
        raise CommandError(str(exc)) from None


def _set_password(args: argparse.Namespace) -> str:
    from ..store.users import UserError, set_password

    password = _read_password(args)
    try:
        with _session() as session:
            user = _user(session, args.name)
            set_password(session, user, password)
            return f"changed the password of {user.name!r}; their sessions have ended\n"
    except UserError as exc:
        raise CommandError(str(exc)) from None


def _user(session: Session, name: str) -> User:
    from ..store.users import find_user

    user = find_user(session, name)
    if user is None:
        raise CommandError(f"no user {name!r} (create one with memcon create-user)")
    return user


def _token(args: argparse.Namespace) -> str:
    """A new token (printed once), or the list of the user's tokens, or one revoked."""
    from ..store.users import UserError, list_tokens, new_token, revoke_token

    if (args.list or args.revoke) and args.expires_days is not None:
        raise CommandError("--expires-days is for a new token, not with --list or --revoke")
    try:
        with _session() as session:
            user = _user(session, args.name)
            if args.list:
                return _token_list(list_tokens(session, user))
            if args.revoke is not None:
                row = revoke_token(session, user, args.revoke)
                return f"revoked token {row.id} ({row.prefix or 'no prefix'}) of {user.name!r}\n"
            return new_token(session, user, args.expires_days) + "\n"
    except UserError as exc:
        raise CommandError(str(exc)) from None


def _token_list(rows: Sequence[ApiToken]) -> str:
    """One line per token: id, prefix, state, created, last used, expires (tab-separated)."""
    from ..store.users import token_state

    if not rows:
        return "no tokens\n"

    def when(moment: datetime | None) -> str:
        return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"

    lines = ["id\tprefix\tstate\tcreated\tlast used\texpires"]
    for row in rows:
        fields = (row.prefix or "-", token_state(row), when(row.created_at))
        lines.append(
            "\t".join((str(row.id), *fields, when(row.last_used_at), when(row.expires_at)))
        )
    return "\n".join(lines) + "\n"
