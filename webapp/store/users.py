"""Users, passwords, roles, API tokens and the slowing-down of repeated failed logins.

Passwords are hashed with Werkzeug (scrypt); API tokens are random and only their
SHA-256 (and first characters, to tell them apart) is stored, so a database leak reveals
neither. Tokens may expire and be revoked by their owner; log-out and a password change
end every session of the user (their ``session_version`` grows).
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import DateTime, case, literal, null, or_, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import Refused
from .models import ROLES, ApiToken, User

#: Shortest password accepted.
MIN_PASSWORD = 8
#: Failed logins allowed before each further attempt must wait.
FREE_ATTEMPTS = 3
#: Longest wait between attempts, in seconds.
MAX_DELAY = 300


class UserError(Refused):
    """A user could not be created or changed; the message says why."""


@dataclass(frozen=True, slots=True)
class LoginResult:
    """The outcome of a login attempt: the user, or how long to wait before trying again."""

    user: User | None
    #: Seconds to wait: this attempt came during a wait and was not checked (429).
    retry_after: int = 0
    #: Seconds of the wait this failed attempt started (its answer is still 401).
    wait: int = 0


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
    """Seconds a user must wait after ``failures`` failed logins in a row (doubling, capped).

    The first two cost nothing; the third and each further one start a wait of 2, 4, 8 ...
    seconds, at most :data:`MAX_DELAY`, during which no attempt is checked.
    """
    if failures < FREE_ATTEMPTS:
        return 0
    return int(min(MAX_DELAY, 2 ** (failures - FREE_ATTEMPTS + 1)))


#: Beyond this many failures the wait is :data:`MAX_DELAY` (2 ** 9 > 300).
_LAST_STEP = FREE_ATTEMPTS + 9


def _count_attempt(session: Session, user_id: int, now: datetime) -> int | None:
    """Count one attempt before checking its password, atomically; None while it must wait.

    One ``UPDATE ... SET failed_logins = failed_logins + 1`` whose ``WHERE`` holds the wait:
    of many attempts sent at once, each gets its own number from the database, and the one
    that starts a wait sets ``locked_until`` in the same statement, so no later attempt is
    checked before the wait is over. The attempt is counted as a failure until its password
    proves right. Committed at once: the password check holds no lock.
    """
    locked_until = case(
        (User.failed_logins < FREE_ATTEMPTS - 1, null()),
        *(
            (User.failed_logins == n - 1, literal(now + timedelta(seconds=delay_for(n)), _WHEN))
            for n in range(FREE_ATTEMPTS, _LAST_STEP)
        ),
        else_=literal(now + timedelta(seconds=MAX_DELAY), _WHEN),
    )
    counted = session.execute(
        update(User)
        .where(User.id == user_id, or_(User.locked_until.is_(None), User.locked_until <= now))
        .values(failed_logins=User.failed_logins + 1, last_failed_at=now, locked_until=locked_until)
        .returning(User.failed_logins)
        .execution_options(synchronize_session=False)
    ).scalar()
    session.commit()
    return None if counted is None else int(counted)


def check_login(
    session: Session, name: str, password: str, now: datetime | None = None
) -> LoginResult:
    """Check a name and password; count failures and make repeated ones wait.

    An attempt made while a wait runs is not checked (``retry_after`` > 0, shown as 429); a
    wrong password answers ``retry_after`` 0 (401) and, from the third in a row on, starts
    a wait: ``LoginResult.wait`` says how long.
    """
    now = now or datetime.now(UTC)
    user = find_user(session, name)
    if user is None:
        # Same work as for a real user, so timing does not reveal which names exist.
        check_password_hash(_DUMMY_HASH, password)
        return LoginResult(None)
    user_id, password_hash = user.id, user.password_hash
    counted = _count_attempt(session, user_id, now)
    if counted is None:
        session.refresh(user)
        return LoginResult(None, retry_after=_seconds_until(user.locked_until, now))
    if not check_password_hash(password_hash, password):
        return LoginResult(None, wait=delay_for(counted))
    session.execute(
        update(User)
        .where(User.id == user_id)
        .values(failed_logins=0, last_failed_at=None, locked_until=None)
        .execution_options(synchronize_session=False)
    )
    session.refresh(user)
    return LoginResult(user)


def _seconds_until(moment: datetime | None, now: datetime) -> int:
    if moment is None:
        return 1
    return max(1, math.ceil((_aware(moment) - now).total_seconds()))


_WHEN = DateTime(timezone=True)


def set_password(session: Session, user: User, password: str) -> None:
    """Change a password; every session of the user ends (they log in again)."""
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must have at least {MIN_PASSWORD} characters")
    user.password_hash = generate_password_hash(password)
    end_sessions(session, user.id)


def end_sessions(session: Session, user_id: int) -> None:
    """End every session of a user, in every browser: their cookies carry an older version."""
    session.execute(
        update(User)
        .where(User.id == user_id)
        .values(session_version=User.session_version + 1)
        .execution_options(synchronize_session=False)
    )


#: Characters of a token kept in clear, so its owner can tell their tokens apart.
PREFIX = 8


def _fresh_token() -> str:
    """A random URL-safe token that does not start with "-", so that it and its prefix can
    be given to a command option (``memcon token --revoke PREFIX``) as they are."""
    while (token := secrets.token_urlsafe(32)).startswith("-"):
        pass
    return token


def new_token(
    session: Session, user: User, expires_days: float | None = None, now: datetime | None = None
) -> str:
    """Create an API token for ``user`` and return it (shown once, stored hashed).

    ``expires_days``: the token is refused that many days from now (None: never).
    """
    if expires_days is not None and not 0 < expires_days <= 36500:
        raise UserError(f"a token expires after 1 to 36500 days (got {expires_days:g})")
    now = now or datetime.now(UTC)
    token = _fresh_token()
    session.add(
        ApiToken(
            user=user,
            token_hash=_digest(token),
            prefix=token[:PREFIX],
            created_at=now,
            expires_at=now + timedelta(days=expires_days) if expires_days else None,
        )
    )
    session.flush()
    return token


@dataclass(frozen=True, slots=True)
class TokenCheck:
    """The user a bearer token belongs to, or why it is refused."""

    user: User | None
    reason: str = ""


def check_token(session: Session, token: str, now: datetime | None = None) -> TokenCheck:
    """Whose token this is; a revoked or expired token is refused with the reason."""
    now = now or datetime.now(UTC)
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if row is None:
        return TokenCheck(None, "the API token is not valid")
    if row.revoked_at is not None:
        return TokenCheck(None, f"the API token was revoked on {_day(row.revoked_at)}")
    if row.expires_at is not None and _aware(row.expires_at) <= now:
        return TokenCheck(None, f"the API token expired on {_day(row.expires_at)}")
    row.last_used_at = now
    return TokenCheck(row.user)


def user_for_token(session: Session, token: str) -> User | None:
    """The user a bearer token belongs to, or None (unknown, revoked or expired)."""
    return check_token(session, token).user


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens, newest first (revoked and expired ones too, marked as such)."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_token(
    session: Session, user: User, which: str | int, now: datetime | None = None
) -> ApiToken:
    """Revoke one of the user's tokens: by id (an int names only an id), or by a string
    that is its id, the start of its prefix (4 characters or more) or the token itself."""
    mine = select(ApiToken).where(ApiToken.user_id == user.id)
    text = str(which).strip()
    found: list[ApiToken] = []
    if text.isdigit() and len(text) < 10:
        found = list(session.scalars(mine.where(ApiToken.id == int(text))))
    if not found and not isinstance(which, int) and len(text) >= 4:
        found = list(session.scalars(mine.where(ApiToken.token_hash == _digest(text))))
        found = found or [
            row for row in session.scalars(mine) if row.prefix and row.prefix.startswith(text)
        ]
    if not found:
        raise UserError(f"{user.name!r} has no token {text!r} (see memcon token NAME --list)")
    if len(found) > 1:
        raise UserError(f"{text!r} starts several tokens of {user.name!r}: give more of it")
    (row,) = found
    if row.revoked_at is None:
        row.revoked_at = now or datetime.now(UTC)
        session.flush()
    return row


def token_state(row: ApiToken, now: datetime | None = None) -> str:
    """``active``, ``revoked`` or ``expired``, as listed."""
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None and _aware(row.expires_at) <= (now or datetime.now(UTC)):
        return "expired"
    return "active"


def _aware(moment: datetime) -> datetime:
    """A stored moment as an aware UTC datetime (SQLite gives them back naive)."""
    return moment.replace(tzinfo=moment.tzinfo or UTC)


def _day(moment: datetime) -> str:
    return _aware(moment).strftime("%Y-%m-%d %H:%M UTC")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


_DUMMY_HASH = generate_password_hash("not a real password")
