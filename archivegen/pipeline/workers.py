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
    if workers <= 1 or len(ranges) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for start, end in ranges:
            yield from task(context, items[start:end])
            if on_chunk:
                on_chunk(end - start)
        return
    _SHARED = (task, context, items)
    try:
        context = multiprocessing.get_context("fork")
        # Frozen, the parent's objects are never walked by a worker's collector: a walk
        # would write to every object's header and copy the whole inherited heap page by
        # page. The build pauses the collector (build.py); each worker renders thousands
        # of pages and makes garbage of its own, so it collects again.
        gc.freeze()
        with context.Pool(min(workers, len(ranges)), initializer=gc.enable) as pool:
            for (start, end), results in zip(ranges, pool.imap(_run_range, ranges), strict=True):
                yield from results
                if on_chunk:
                    on_chunk(end - start)
    finally:
        _SHARED = None


def _run_range(bounds: tuple[int, int]) -> list[Any]:
    assert _SHARED is not None, "workers are forked from map_chunks"
    task, context, items = _SHARED
    return task(context, items[bounds[0] : bounds[1]])
