"""The search step of a build: hand the article pages to the indexer, into the staged output."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from archivegen.graph.layout import Layout
from archivegen.graph.model import ArticlePage
from archivegen.graph.site import SiteGraph
from archivegen.graph.urls import output_path
from archivegen.output.staging import StagedOutput
from archivegen.pipeline.context import BuildContext
from archivegen.pipeline.state import SiteState
from archivegen.search import INDEX_DIR, PendingIndex, SearchIndexer, SearchReport


def search_targets(layout: Layout) -> list[tuple[str, str]]:
    """(output file, shard) of every article page the index holds (copies: the original)."""
    return [
        (output_path(url), shard)
        for url, shard, original in zip(layout.urls, layout.shards, layout.originals, strict=True)
        if not original
    ]


def graph_targets(graph: SiteGraph) -> list[tuple[str, str]]:
    """`search_targets` of a graph's article pages."""
    return [
        (output_path(page.url), page.search_shard)
        for page in graph.pages
        if isinstance(page, ArticlePage) and not page.original_url
    ]


def start_indexing(
    targets: Iterable[tuple[str, str]], out: StagedOutput, context: BuildContext
) -> PendingIndex:
    """Carry unchanged shards over and start Pagefind on the others; `finish` waits.

    Needs every article page rendered or kept (their hashes decide which shards changed).
    """
    config = context.config
    search = SearchIndexer(config.output_path, config.language, reuse=not context.options.clean)
    for relative, shard in targets:
        # the manifest hash decides reuse; a page is only linked (never read) to reindex
        search.add_file(relative, out.hashes[relative], out.path_of, shard)
    return search.start(out, workers=context.workers)


def index_articles(graph: SiteGraph, out: StagedOutput, context: BuildContext) -> SearchReport:
    """Index a graph's article pages into the staged output (the last index when none
    changed)."""
    return start_indexing(graph_targets(graph), out, context).finish()


def keep_search_index(out: StagedOutput, live: Mapping[str, str]) -> None:
    """Carry the last search index over unchanged (a preview brings it up to date next)."""
    for relative in live:
        if in_search_index(relative):
            out.keep(relative)


def catch_up_search(context: BuildContext, state: SiteState) -> tuple[SearchReport, SiteState]:
    """Bring the search index up to the pages a patch committed without it.

    The same staged output and indexer as a build, with every page carried over: only the
    shards whose pages changed are indexed again.
    """
    output = context.config.output_path
    with StagedOutput(output, previous=dict(state.hashes)) as out:
        for relative in state.hashes:
            if not in_search_index(relative):
                out.keep(relative)
        assert state.graph is not None, "a preview's state holds its graph"
        searched = index_articles(state.graph, out, context)
        manifest_digest = out.manifest_digest()
        out.commit()
    saved = dataclasses.replace(state.saved, output_manifest_digest=manifest_digest)
    caught_up = dataclasses.replace(
        state, hashes=out.hashes, saved=saved, search_pending=False, on_disk=False
    )
    return searched, caught_up


def in_search_index(relative: str) -> bool:
    """True for the files of the search index."""
    return relative.startswith(INDEX_DIR + "/")
