"""The one hierarchy of the application's errors; each kind knows its HTTP status.

A leaf module (it imports nothing of the app), so every layer may raise these: the
store, the readers, the library and the views. ``webapp/views/errors.py`` turns them into
pages or JSON with :func:`status_of`; nothing else maps an error to a status.

>>> status_of(NotFound("no dossier 'x'"))
404
>>> status_of(Refused("too long", status=413))
413
"""

from __future__ import annotations


class MemconError(Exception):
    """Any refusal the application explains to a person; the message says why."""

    #: The HTTP status a page or the JSON API answers this with.
    status: int = 500


class NotFound(MemconError, LookupError):
    """An unknown dossier, document or row, or one this person may not see (never says which)."""

    status = 404


class Forbidden(MemconError, PermissionError):
    """This person may see the dossier but not do this with it."""

    status = 403


class Refused(MemconError, ValueError):
    """Input that cannot be taken: 400, or 413 (too large), 415 (wrong type), 422 (unreadable).

    Subclasses set their own ``status``; a single refusal may pass one.
    """

    status = 400

    def __init__(self, message: str = "", *, status: int | None = None) -> None:
        super().__init__(message)
        if status is not None:
            self.status = status


class Conflict(MemconError):
    """A change based on an old version, or raced by another: nothing was changed (409)."""

    status = 409


class StillComputing(MemconError):
    """The comparison is being computed in the background; ``job`` says how far (202)."""

    status = 202

    def __init__(self, message: str, job: object) -> None:
        super().__init__(message)
        self.job = job


def status_of(exc: BaseException) -> int:
    """The HTTP status of an error of the hierarchy (500 for anything else)."""
    return exc.status if isinstance(exc, MemconError) else 500
