"""Pause Python's cyclic garbage collector while the engine works on a text.

The engine makes millions of small lists and tuples (words, terms, pairs, diff
operations) and frees them by reference counting: they form no cycles worth collecting.
CPython's cyclic collector still walks all tracked objects whenever enough new ones have
been made, and the oldest generation grows with the text, so a long text is walked again
and again: on 20,000 sentences a side that was about 40% of the comparison's time. So
segmenting and comparing run with the collector paused (for the whole process: a pause
of seconds at most), and it is turned back on when the last such run ends.

>>> import gc
>>> with paused():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_running = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """Run the block with the cyclic collector off (as it was before, once every block
    running in any thread has ended)."""
    global _running, _was_enabled
    with _lock:
        if _running == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0 and _was_enabled:
                gc.enable()
