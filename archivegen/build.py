"""The build, start to end: decide, then build nothing, patch the edits, or build it all.

    choose_rebuild ─┬─ up to date ─────────────────────────────────────────┐
                    ├─ patch: edited articles ── graph patched ── render ──┼─ commit ─ state
                    └─ full: scan ── load ── graph ── render ── index ─────┘

Each step lives in its own layer (`pipeline/` runs them); this module chooses the path and
keeps what one build hands the next (a `SiteState`, replaced by each build, never changed).
Nothing here prints: progress goes to the `Progress` the caller hands in, the outcome comes
back as a `BuildReport`.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Collection
from typing import TYPE_CHECKING

from archivegen.config import SiteConfig
from archivegen.output.cache import CacheStore
from archivegen.output.lock import build_lock
from archivegen.pipeline.collector import collector_paused
from archivegen.pipeline.context import BuildContext, BuildMode, BuildOptions, Progress, Silent
from archivegen.pipeline.decide import Rebuild, RebuildKind, choose_rebuild
from archivegen.pipeline.report import (
    BuildReport,
    PreviewListener,
    Stopwatch,
    report,
    up_to_date_report,
)

if TYPE_CHECKING:
    from archivegen.pipeline.state import SiteState
    from archivegen.search import SearchReport

__all__ = ["BuildMode", "BuildOptions", "BuildReport", "Builder", "Progress", "Rebuild"]


def build_site(
    config: SiteConfig, options: BuildOptions = BuildOptions(), progress: Progress | None = None
) -> BuildReport:
    """Build the whole site into config.output_path, or raise and leave it untouched."""
    return Builder(config, options).build(progress)


class Builder:
    """Builds one site, again and again: each build starts from the state the last one left.

    `archivegen build` makes one build (mode ONCE). The preview keeps its Builder (mode
    PREVIEW): a rebuild reads nothing the process already knows (cache, graph, templates),
    and an edit that leaves every article in place patches the last graph.
    """

    def __init__(
        self,
        config: SiteConfig,
        options: BuildOptions = BuildOptions(),
        mode: BuildMode = BuildMode.ONCE,
    ) -> None:
        self.config, self.options, self.mode = config, options, mode
        self.state: SiteState | None = None  # what the last good build left
        self.cache = CacheStore(config.root, config.output_path)

    def build(
        self, progress: Progress | None = None, changed: Collection[str] | None = None
    ) -> BuildReport:
        """Bring the output up to date; `changed`: the files known to have changed, if known.

        Raises, leaving the output untouched, when the content or a template is broken.
        """
        with build_lock(self.config.root, self.config.output_path), collector_paused() as collector:
            collector.sweep = self.state is not None  # a failed build drops the last state
            report = self._build(progress, changed)
            collector.sweep = collector.sweep and report.rebuild.kind is RebuildKind.FULL
        return report

    def _build(self, progress: Progress | None, changed: Collection[str] | None) -> BuildReport:
        lap = Stopwatch()
        context = BuildContext.of(self.config, self.options, self.mode)
        last, self.state = self.state, None  # forgotten until this build succeeds
        rebuild = choose_rebuild(context, last, changed, self.cache)
        if rebuild.kind is RebuildKind.UP_TO_DATE:
            self.state = last
            return up_to_date_report(rebuild, self.config.output_path, lap)
        # the render stack is imported only by a build that renders: an up-to-date build
        # is mostly Python's start-up, and these imports would be most of the rest
        if rebuild.kind is RebuildKind.PATCH:
            from archivegen.pipeline.edit import build_edits

            assert last is not None
            lap("load, patch")  # the decision read the edits and patched the graph
            outcome, state = build_edits(context, rebuild, last, lap)
        else:
            from archivegen.pipeline.full import full_build

            lap("scan")
            progress = progress or Silent()
            outcome, state = full_build(context, rebuild, last, self.cache, progress, lap)
        if self.mode is BuildMode.ONCE and not state.on_disk:
            state = self._saved(state)
            lap("save cache")
        self.state = state
        return report(rebuild, outcome, self.config.output_path, lap)

    def preview(
        self, changed: Collection[str] | None, progress: Progress | None, listener: PreviewListener
    ) -> None:
        """One preview rebuild: commit the pages, let the tabs reload, catch the search index
        up, then save the cache in the background (a forked child: not on the tabs' way)."""
        started = time.perf_counter()
        try:  # the preview survives every bad edit; the tabs show why
            built = self.build(progress, changed)
            listener.built(built, search_follows=bool(self.state and self.state.search_pending))
            if listener.more_edits():
                return  # built next; the index catches up after that one
            started = time.perf_counter()
            searched = self.catch_up_search()
        except Exception as exc:
            listener.failed(exc, time.perf_counter() - started)
            return
        if searched is not None:
            listener.searched(searched)
        try:
            self.save(background=True)
        except OSError as exc:
            listener.warn(f"the build cache could not be saved: {exc}")

    def catch_up_search(self) -> SearchReport | None:
        """Bring the search index up to the pages a preview's patch committed without it."""
        if self.state is None or not self.state.search_pending:
            return None
        from archivegen.pipeline.search import catch_up_search

        context = BuildContext.of(self.config, self.options, self.mode)
        with build_lock(self.config.root, self.config.output_path):
            searched, self.state = catch_up_search(context, self.state)
        return searched

    def save(self, background: bool = False) -> None:
        """Write the cache of the last build to disk, if it is not there yet (a save still
        running is waited for first: `cache.wait()` alone waits for it)."""
        self.cache.wait()
        if self.state is not None and not self.state.on_disk:
            self.state = self._saved(self.state, background)

    def _saved(self, state: SiteState, background: bool = False) -> SiteState:
        self.cache.save(state.cache(), state.disk_state(), background)
        return dataclasses.replace(state, on_disk=True)
