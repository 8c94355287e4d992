"""The cycle collector during a build: paused, and swept once when a state was replaced."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


class Collector:
    """Whether the collector must sweep once the build is over (see `collector_paused`)."""

    sweep = False


@contextmanager
def collector_paused() -> Iterator[Collector]:
    """Pause Python's cycle collector for one build.

    A build allocates hundreds of thousands of small acyclic records (articles, entries,
    pages), and each allocation burst triggers a collection that walks them all again:
    about a tenth of an incremental build's time at 10,000 articles. Reference counting
    frees them as usual; the collector runs again after the build (and in render workers,
    which collect their own garbage). What the build keeps (a preview's last graph) is
    frozen, so no later collection walks it all once more; when the build replaced such a
    state (a preview's full rebuild, or a failure: `sweep`), the frozen objects are
    collected once, so the cycles of the replaced state (its Jinja environment) do not
    accumulate.
    """
    collector = Collector()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield collector
    finally:
        if collector.sweep:
            gc.unfreeze()
            gc.collect()
        gc.freeze()
        if was_enabled:
            gc.enable()
