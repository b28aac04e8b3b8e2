"""One lock per key, dropped when no one holds or waits on it (the comparison cache's locks).

Requests for the same key wait for each other; requests for different keys never do. A
key's lock lives only while someone holds it or waits for it, so the table does not grow
with every comparison ever computed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class KeyLocks:
    """A lock per key, reference-counted under a small guard lock."""

    def __init__(self) -> None:
        #: Guards ``_held``; held only to count, never while the caller works.
        self._guard = threading.Lock()
        #: Each key in use: its lock and how many threads hold or wait for it.
        self._held: dict[str, tuple[threading.Lock, int]] = {}

    @contextmanager
    def hold(self, key: str) -> Iterator[None]:
        """Hold the key's lock for the ``with`` block (waiting for others holding it)."""
        with self._guard:
            lock, users = self._held.get(key, (None, 0))
            lock = lock or threading.Lock()
            self._held[key] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                users = self._held[key][1] - 1
                if users:
                    self._held[key] = (lock, users)
                else:
                    del self._held[key]

    def __len__(self) -> int:
        """How many keys have a lock now (held or waited for)."""
        with self._guard:
            return len(self._held)
