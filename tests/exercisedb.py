"""Store databases with the bundled dossiers and a few users, for the exercise, key and LTI
store tests (on each backend of :data:`dbtest.BACKENDS`), and the small reads they share."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from webapp.ingest.corpus import bundled_dossiers
from webapp.store import Database, User
from webapp.store import users as users_module
from webapp.store.bundled import load_bundled
from webapp.store.users import create_user

from .dbtest import open_database

#: Every user here has this password.
PASSWORD = "correct horse"


@contextmanager
def bundled_database(
    backend: str, tmp_path: Path, users: tuple[tuple[str, str], ...] = (("tess", "admin"),)
) -> Iterator[Database]:
    """A fresh database on ``backend`` with the bundled dossiers and ``users`` (name, role)."""
    with open_database(backend, tmp_path) as database:
        with database.session() as session, pytest.MonkeyPatch.context() as patch:
            load_bundled(session, bundled_dossiers())
            # The real (scrypt) hash of PASSWORD, made once per process: 0.1 CPU s a user.
            patch.setattr(users_module, "generate_password_hash", _hashed)
            for name, role in users:
                create_user(session, name, PASSWORD, role)
        yield database


@functools.cache
def _hashed(password: str) -> str:
    """The hash the app makes (werkzeug's default, scrypt), salted once for every user."""
    return generate_password_hash(password)


def user_named(db: Database, name: str) -> User:
    """The user ``name``, detached from its session (the library takes users as arguments)."""
    with db.session() as session:
        user = session.scalar(select(User).where(User.name == name))
        assert user is not None
        session.expunge(user)
        return user


def count_rows(db: Database, model: type) -> int:
    """How many rows the table of ``model`` holds."""
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)
