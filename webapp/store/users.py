"""Users, passwords, roles, API tokens and the slowing-down of repeated failed logins.

Passwords are hashed with Werkzeug (scrypt); API tokens are random and only their
SHA-256 is stored, so a database leak reveals neither.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from .models import ROLES, ApiToken, User

#: Shortest password accepted.
MIN_PASSWORD = 8
#: Failed logins allowed before each further attempt must wait.
FREE_ATTEMPTS = 3
#: Longest wait between attempts, in seconds.
MAX_DELAY = 300


class UserError(ValueError):
    """A user could not be created or changed; the message says why."""


@dataclass(frozen=True, slots=True)
class LoginResult:
    """The outcome of a login attempt: the user, or how long to wait before trying again."""

    user: User | None
    retry_after: int = 0


def create_user(session: Session, name: str, password: str, role: str = "reader") -> User:
    """Add a user; refuse a taken name, an unknown role or a short password."""
    name = name.strip()
    if not name or len(name) > 80:
        raise UserError("a user name has 1 to 80 characters")
    if role not in ROLES:
        raise UserError(f"unknown role {role!r} (choose {', '.join(ROLES)})")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must have at least {MIN_PASSWORD} characters")
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise UserError(f"the user {name!r} exists already")
    user = User(name=name, password_hash=generate_password_hash(password), role=role)
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, name: str) -> User | None:
    """The user with this name, if any."""
    return session.scalar(select(User).where(User.name == name))


def delay_for(failures: int) -> int:
    """Seconds a user must wait after ``failures`` failed logins (doubling, capped)."""
    if failures < FREE_ATTEMPTS:
        return 0
    return int(min(MAX_DELAY, 2 ** (failures - FREE_ATTEMPTS + 1)))


def check_login(
    session: Session, name: str, password: str, now: datetime | None = None
) -> LoginResult:
    """Check a name and password; count failures and make repeated ones wait."""
    now = now or datetime.now(UTC)
    user = find_user(session, name)
    if user is None:
        # Same work as for a real user, so timing does not reveal which names exist.
        check_password_hash(_DUMMY_HASH, password)
        return LoginResult(None)
    if user.last_failed_at is not None:
        last = user.last_failed_at.replace(tzinfo=user.last_failed_at.tzinfo or UTC)
        wait = last + timedelta(seconds=delay_for(user.failed_logins)) - now
        if wait.total_seconds() > 0:
            return LoginResult(None, retry_after=int(wait.total_seconds()) + 1)
    if not check_password_hash(user.password_hash, password):
        user.failed_logins += 1
        user.last_failed_at = now
        return LoginResult(None, retry_after=delay_for(user.failed_logins))
    user.failed_logins = 0
    user.last_failed_at = None
    return LoginResult(user)


def new_token(session: Session, user: User) -> str:
    """Create an API token for ``user`` and return it (shown once, stored hashed)."""
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(user=user, token_hash=_digest(token)))
    session.flush()
    return token


def user_for_token(session: Session, token: str) -> User | None:
    """The user a bearer token belongs to, or None."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if row is None:
        return None
    row.last_used_at = datetime.now(UTC)
    return row.user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


_DUMMY_HASH = generate_password_hash("not a real password")
