"""Who is asking: log-in with its slow-down, the session version of a cookie, API tokens.

Each function is one transaction on the store's users (:mod:`webapp.store.users`); the web
layer keeps only what is the web's: cookies, CSRF, redirects and pages.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..store import ApiToken, Database, User
from ..store.users import (
    LoginResult,
    TokenCheck,
    check_login,
    check_token,
    end_sessions,
    list_tokens,
    new_token,
    revoke_token,
    token_state,
)

__all__ = [
    "LoginResult",
    "TokenCheck",
    "log_in",
    "log_out",
    "make_token",
    "revoke",
    "session_user",
    "token_user",
    "tokens",
]


def token_user(database: Database, token: str) -> TokenCheck:
    """Whose bearer token this is (its last use noted), or why it is refused."""
    with database.session() as session:
        return check_token(session, token)


def session_user(database: Database, user_id: int, version: int) -> User | None:
    """The user a log-in cookie names, if the cookie's session version is still theirs
    (a log-out or a new password ends older sessions)."""
    with database.session() as session:
        user = session.get(User, user_id)
    if user is None or version != user.session_version:
        return None
    return user


def log_in(database: Database, name: str, password: str) -> LoginResult:
    """Check a name and password; repeated failures must wait (the result says how long)."""
    with database.session() as session:
        return check_login(session, name, password)


def log_out(database: Database, user: User) -> None:
    """End every session of this user, in every browser."""
    with database.session() as session:
        end_sessions(session, user.id)


def make_token(database: Database, user: User, expires_days: float | None = None) -> str:
    """A new API token of this user (shown once); ``UserError`` if the days are out of range."""
    with database.session() as session:
        stored = _user(session, user)
        return new_token(session, stored, expires_days)


def tokens(database: Database, user: User) -> list[tuple[ApiToken, str]]:
    """This user's tokens, newest first, each with its state (active, revoked, expired)."""
    with database.session() as session:
        return [(row, token_state(row)) for row in list_tokens(session, user)]


def revoke(database: Database, user: User, token_id: int) -> None:
    """Revoke one of this user's tokens; ``UserError`` if they have no such token."""
    with database.session() as session:
        revoke_token(session, user, token_id)


def _user(session: Session, user: User) -> User:
    stored = session.get(User, user.id)
    assert stored is not None
    return stored
