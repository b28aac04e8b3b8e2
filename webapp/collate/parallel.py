"""Share independent pieces of work with the machine's other cores when the input is large.

>>> parallel_map(len, ["a", "bb", "ccc"], min_items=1000)  # small: done here, in order
[1, 2, 3]

Pure-Python stages (pysbd's segmentation, word diffs) cannot use a second core through
threads, so a large input is cut into contiguous chunks: forked children take all but
the first, this process takes the first, and the results come back in order. The answer
is the same as ``[func(x) for x in items]``.

Forking is done only where it is safe and useful: on a platform with ``fork``, in a
process with a single thread (a fork copies no other thread, and their locks could be
held), outside a daemon process, with more than one usable core, and when the
environment variable ``MEMCON_WORKERS`` (the number of processes, default: the usable
cores) is not ``1``. Otherwise, or if a child fails, the work is done here.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: The environment variable that sets (or, with ``1``, turns off) the worker processes.
WORKERS_VARIABLE = "MEMCON_WORKERS"


def workers() -> int:
    """How many processes a large job may use here (1 means no forking)."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 1
    wanted = os.environ.get(WORKERS_VARIABLE, "").strip()
    count = int(wanted) if wanted.isdigit() and int(wanted) > 0 else usable
    if count < 2 or not _can_fork():
        return 1
    return count


def _can_fork() -> bool:
    """Whether forking this process now is safe: fork exists, one thread, not a daemon."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and not multiprocessing.current_process().daemon
    )


def parallel_map(func: Callable[[T], R], items: Sequence[T], *, min_items: int) -> list[R]:
    """``[func(x) for x in items]``, on several processes when there are ``min_items`` or more.

    ``func`` must be a module-level function (children find it by name).
    """
    count = workers() if len(items) >= min_items else 1
    if count < 2:
        return [func(x) for x in items]
    bounds = [round(k * len(items) / count) for k in range(count + 1)]
    chunks = [items[bounds[k] : bounds[k + 1]] for k in range(count)]
    context = multiprocessing.get_context("fork")
    children: list[tuple[Any, Connection, Sequence[T]]] = []
    for chunk in chunks[1:]:
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_run_chunk, args=(sender, func, chunk), daemon=True)
        child.start()
        sender.close()
        children.append((child, receiver, chunk))
    results = [func(x) for x in chunks[0]]
    for child, receiver, chunk in children:
        results.extend(_collect(child, receiver, func, chunk))
    return results


def _run_chunk(sender: Connection, func: Callable[[T], R], chunk: Sequence[T]) -> None:
    """In a child: apply ``func`` to a chunk and send back the results (or the error)."""
    try:
        sender.send(("ok", [func(x) for x in chunk]))
    except BaseException:  # report anything: the parent redoes the chunk itself
        sender.send(("error", traceback.format_exc()))
    finally:
        sender.close()


def _collect(
    child: Any, receiver: Connection, func: Callable[[T], R], chunk: Sequence[T]
) -> list[R]:
    """A child's results; if it failed or died, the chunk done again here."""
    try:
        status, payload = receiver.recv()
    except (EOFError, OSError):
        status, payload = "error", None
    finally:
        receiver.close()
        child.join()
    if status == "ok":
        results: list[R] = payload
        return results
    return [func(x) for x in chunk]
