"""Share independent pieces of work with the machine's other cores when the input is large.

>>> parallel_map(len, ["a", "bb", "ccc"], min_items=1000)  # small: done here, in order
[1, 2, 3]

Pure-Python stages (pysbd's segmentation, word diffs) cannot use a second core through
threads, so a large input is cut into contiguous chunks: a pool of forked processes
(:class:`concurrent.futures.ProcessPoolExecutor`, ``fork`` context) takes all but the
first, one chunk each, this process takes the first, and the results come back in order.
The answer is the same as ``[func(x) for x in items]``.

Forking is done only where it is safe and useful: on a platform with ``fork``, in a
process with a single thread (a fork copies no other thread, and their locks could be
held), outside a daemon process or a worker of the pool, with more than one usable core,
and when the environment variable ``MEMCON_WORKERS`` (the number of processes, default:
the usable cores) is not ``1``. Otherwise, or if a worker fails, the work is done here.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

T = TypeVar("T")
R = TypeVar("R")

#: The environment variable that sets (or, with ``1``, turns off) the worker processes.
WORKERS_VARIABLE = "MEMCON_WORKERS"
#: How long a worker waits for the others to start before taking its chunk alone (s).
_START_TIMEOUT = 10.0

#: Set in the pool's workers: they share no work further (as daemon children did not).
_in_worker = False
#: Set in the pool's workers: every worker holds its chunk until all have started.
_started: Any = None


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
        and not _in_worker
    )


def parallel_map(func: Callable[[T], R], items: Sequence[T], *, min_items: int) -> list[R]:
    """``[func(x) for x in items]``, on several processes when there are ``min_items`` or more.

    ``func`` must be a module-level function (the workers are forked copies of this process).
    """
    count = workers() if len(items) >= min_items else 1
    if count < 2:
        return [func(x) for x in items]
    from concurrent.futures import ProcessPoolExecutor  # here: most inputs are small

    bounds = [round(k * len(items) / count) for k in range(count + 1)]
    chunks = [items[bounds[k] : bounds[k + 1]] for k in range(count)]
    context = multiprocessing.get_context("fork")
    started = context.Barrier(count - 1)
    with ProcessPoolExecutor(
        count - 1, mp_context=context, initializer=_start_worker, initargs=(started,)
    ) as pool:
        futures = [pool.submit(_run_chunk, func, chunk) for chunk in chunks[1:]]
        results = [func(x) for x in chunks[0]]
        for future, chunk in zip(futures, chunks[1:], strict=True):
            results.extend(_collect(future, func, chunk))
    return results


def _start_worker(started: Any) -> None:
    """In a worker: remember that it is one, and the barrier its chunk waits at."""
    global _in_worker, _started
    _in_worker, _started = True, started


def _run_chunk(func: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    """In a worker: wait until every worker has a chunk (one each), then apply ``func``."""
    try:
        _started.wait(_START_TIMEOUT)
    except threading.BrokenBarrierError:  # a worker did not start: go on alone
        pass
    return [func(x) for x in chunk]


def _collect(future: Future[list[R]], func: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    """A worker's results; if it failed or died, the chunk done again here."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except (Exception, BrokenProcessPool):  # report nothing: the answer is the same
        return [func(x) for x in chunk]
