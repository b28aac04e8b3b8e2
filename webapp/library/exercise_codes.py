"""Exercise codes and receipt codes: how they are drawn, typed and kept.

Codes are drawn with :mod:`secrets` from an alphabet without look-alikes (no 0/O, 1/I/L),
unique among open exercises (the store's ``open_code`` column is unique; a clash is drawn
again). Of a receipt code only a salted SHA-256 hash is kept, and its first block in clear.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

#: Letters and digits a pupil cannot misread or mistype (no 0/O, 1/I/L, no U/V).
ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
CODE_LENGTH = 6
RECEIPT_LENGTH = 16
#: How many characters of a receipt code the store keeps in clear, for the teacher's CSV.
RECEIPT_HINT = 4
MAX_PSEUDONYM = 40


def now() -> datetime:
    """The current moment, in UTC."""
    return datetime.now(UTC)


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def new_code(length: int = CODE_LENGTH) -> str:
    """A random code from :data:`ALPHABET`."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normal_code(text: str) -> str:
    """A code as typed (any case, spaces or dashes) in its stored form."""
    return "".join(c for c in text.upper() if c.isalnum())


def receipt_hash(salt: str, receipt: str) -> str:
    """The stored form of a receipt code (the code has ~78 random bits: SHA-256 suffices)."""
    return hashlib.sha256(f"{salt}:{normal_code(receipt)}".encode()).hexdigest()
