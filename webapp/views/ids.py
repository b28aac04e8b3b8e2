"""Database ids in URLs and query strings: whole numbers the id columns can hold.

The id columns are 32-bit integers on PostgreSQL (and 64-bit on SQLite); a larger number
would make the database driver fail (``OverflowError``, ``integer out of range``), a 500.
Such an id names no row, so a path with one is 404 (the ``int`` converter of every route
refuses it) and a query string with one is 400 naming the parameter.
"""

from __future__ import annotations

from flask import abort, request
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

from ..store.roles import MAX_ID


class IdConverter(IntegerConverter):
    """``<int:...>`` in routes: a number beyond :data:`MAX_ID` is 404 (it names no row).

    Raised from the converter rather than refused by ``max``: a refused match makes
    werkzeug try the other rules and answer 405 when one has the same path.
    """

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise NotFound(f"there is nothing with the number {value[:40]}")
        return number


def query_id(name: str) -> int | None:
    """The id in query parameter ``name`` (None if absent); 400 if it is not one."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_ID:
        abort(400, description=f"{name} must be a whole number from 0 to {MAX_ID}")
    return value
