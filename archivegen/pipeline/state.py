"""What one build hands the next in the same process: the site as it was left.

A `SiteState` is a value: each build returns a new one and never changes the last, so a
build that fails midway leaves nothing half-updated to the next (which starts over from
the cache on disk). Its containers are shared with the state it came from where they did
not change, and are never written to once the state is made.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from archivegen.content.files import FileStamp
from archivegen.output.cache import BuildCache, BuildState
from archivegen.pipeline.inputs import BuildInputs

if TYPE_CHECKING:
    from archivegen.content.loader import LoadedArticle
    from archivegen.graph.patch import GraphIndex
    from archivegen.graph.site import SiteGraph
    from archivegen.render.renderer import Renderer


@dataclass(frozen=True, slots=True)
class SiteState:
    """The last build's site: its inputs, graph, renderer and the output it left."""

    inputs: BuildInputs
    articles: Mapping[str, tuple[FileStamp, LoadedArticle]]  # the parse cache, by file
    graph: SiteGraph | None  # None after a build that made only the changed pages (once)
    page_paths: tuple[str, ...]  # each page's output file, in graph order
    fingerprints: Mapping[str, str]  # output file -> the fingerprint of its page
    renderer: Renderer
    salt: str  # the render salt of the fingerprints
    templates: Mapping[str, str]  # template -> its digest, for the fingerprints
    static_paths: tuple[str, ...]  # the static files' output paths
    hashes: Mapping[str, str]  # the live output's manifest
    saved: BuildState  # what the cache on disk says of this output
    naive_dates: tuple[str, ...]  # article files whose dates took the site's zone
    index: GraphIndex | None = None  # where each article shows; made on the first edit
    search_pending: bool = False  # the pages are committed, the search index not yet
    on_disk: bool = False  # its cache is saved (or being saved)

    def cache(self) -> BuildCache:
        """The build cache that describes this state."""
        return BuildCache(dict(self.articles), dict(self.fingerprints))

    def disk_state(self) -> BuildState:
        """The state to save with the cache: one that never stops a build early while the
        search index lags the pages."""
        if self.search_pending:
            return dataclasses.replace(self.saved, inputs_digest="")
        return self.saved
