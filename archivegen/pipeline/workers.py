"""Run a build step over many items on all cores: forked worker processes, chunked work.

The items and the step's context are handed to the workers by `fork` (copy-on-write), not
pickled: a worker receives only index ranges and returns small results. One job per chunk
keeps the per-page overhead of the pool negligible.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# (task, context, items) for the forked workers; set only while a pool runs
_SHARED: tuple[Callable[[Any, Sequence[Any]], list[Any]], Any, Sequence[Any]] | None = None


def default_workers() -> int:
    """One worker per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def can_fork() -> bool:
    """Whether workers can be forked here (not on Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


def map_chunks(
    task: Callable[[Any, Sequence[T]], list[R]],
    context: Any,
    items: Sequence[T],
    workers: int,
    chunk_size: int,
    on_chunk: Callable[[int], None] | None = None,
) -> Iterator[R]:
    """Yield task(context, chunk) results for every chunk of items, in order.

    Runs in this process when one worker is asked for or the work is a single chunk,
    so small sites and tests never pay for a pool.
    """
    global _SHARED
    ranges = [
        (start, min(start + chunk_size, len(items))) for start in range(0, len(items), chunk_size)
    ]
    if workers <= 1 or len(ranges) <= 1 or not can_fork():
        for start, end in ranges:
            yield from task(context, items[start:end])
            if on_chunk:
                on_chunk(end - start)
        return
    _SHARED = (task, context, items)
    try:
        with _fork_pool(min(workers, len(ranges))) as pool:
            for (start, end), results in zip(ranges, pool.imap(_run_range, ranges), strict=True):
                yield from results
                if on_chunk:
                    on_chunk(end - start)
    finally:
        _SHARED = None


def _fork_pool(workers: int) -> Any:
    """A pool of `workers` processes forked now, sharing this process's objects.

    Frozen, the parent's objects are never walked by a worker's collector: a walk would
    write to every object's header and copy the whole inherited heap page by page. The
    build pauses the collector (build.py); each worker renders thousands of pages and
    makes garbage of its own, so it collects again.
    """
    gc.freeze()
    return multiprocessing.get_context("fork").Pool(workers, initializer=gc.enable)


class WorkerPool:
    """Forked workers fed chunks of item indices, chosen by the caller; results in order.

    For a step that picks its items (the pages a build must render, out of all its pages):
    `submit` hands over a chunk, forking the workers on first use (a step with nothing to
    hand over never pays for them); `results` waits for the chunks in the order submitted,
    all of them or those of one tag. The task, context and items are shared by fork, as in
    `map_chunks`, so a chunk travels as a list of ints and comes back as its results.
    """

    def __init__(
        self,
        task: Callable[[Any, Sequence[T]], list[R]],
        context: Any,
        items: Sequence[T],
        workers: int,
    ) -> None:
        self._shared = (task, context, items)
        self.workers = workers
        self._pool: Any = None
        self._pending: list[tuple[object, int, Any]] = []  # (tag, chunk length, async result)

    def submit(self, indices: list[int], tag: object = None) -> None:
        """Hand a chunk to the workers; `tag` lets `results` wait for some chunks only."""
        global _SHARED
        if self._pool is None:
            _SHARED = self._shared  # read by the workers forked now
            try:
                self._pool = _fork_pool(self.workers)
            finally:
                _SHARED = None
        result = self._pool.apply_async(_run_indices, (indices,))
        self._pending.append((tag, len(indices), result))

    def results(self, tag: object = None) -> Iterator[tuple[int, list[Any]]]:
        """(chunk length, its results) for every chunk submitted (with `tag`, if given) and
        not yet collected, waiting for each in the order submitted."""
        for entry in [p for p in self._pending if tag is None or p[0] == tag]:
            value = entry[2].get()
            self._pending.remove(entry)  # collected: a failure leaves the others pending
            yield entry[1], value

    def close(self) -> None:
        """Stop the workers (at once if a chunk is still running: the step failed)."""
        if self._pool is not None:
            if self._pending:
                self._pool.terminate()
            else:
                self._pool.close()
            self._pool.join()
            self._pool = None


def _run_range(bounds: tuple[int, int]) -> list[Any]:
    assert _SHARED is not None, "workers are forked from map_chunks"
    task, context, items = _SHARED
    return task(context, items[bounds[0] : bounds[1]])


def _run_indices(indices: list[int]) -> list[Any]:
    assert _SHARED is not None, "workers are forked by WorkerPool"
    task, context, items = _SHARED
    return task(context, [items[i] for i in indices])
