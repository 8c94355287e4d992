"""The patch path: articles edited in place (a title, a caption, a body) are swapped into
the last graph, and only the pages that show them are rendered again.

The cost follows the pages that show the edit, not the size of the archive: no scan, no
layout, no fingerprint of the other pages (their files are carried over by the manifest).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from archivegen.config import SiteConfig
from archivegen.graph.model import ArticlePage
from archivegen.graph.patch import GraphIndex
from archivegen.graph.site import SiteGraph
from archivegen.graph.urls import output_path
from archivegen.output.staging import StagedOutput
from archivegen.pipeline.context import BuildContext, BuildMode
from archivegen.pipeline.decide import ArticleEdits, Rebuild
from archivegen.pipeline.render import RenderJob, job, render_jobs
from archivegen.pipeline.report import Outcome, Stopwatch, build_warnings
from archivegen.pipeline.search import index_articles, keep_search_index
from archivegen.pipeline.state import SiteState
from archivegen.render.fingerprint import Fingerprinter
from archivegen.search import SearchReport


@dataclass(frozen=True, slots=True)
class _Patch:
    """The last graph with the edits swapped in, and what moved in it."""

    graph: SiteGraph
    index: GraphIndex
    touched: list[int]  # positions of the pages that show an edited article
    page_paths: tuple[str, ...]  # each page's output file (an edited title moves one)


def build_edits(
    context: BuildContext, rebuild: Rebuild, last: SiteState, lap: Stopwatch
) -> tuple[Outcome, SiteState]:
    """Patch the last graph with the edited articles, render what shows them, commit."""
    edits, config = rebuild.edits, context.config
    assert edits is not None, "a patch is decided with its edits"
    patch = _patch(last, edits)
    with StagedOutput(config.output_path, previous=dict(last.hashes)) as out:
        fingerprints, jobs = _fingerprints(patch, last, config)
        _carry_over(out, patch, last.static_paths, jobs)
        lap("plan")
        render_jobs(jobs, last.renderer, out, config)
        lap("render")
        searched = _index_or_defer(context, patch, out, last, lap)
        manifest_digest = out.manifest_digest()
        commit = out.commit()
        lap("commit")
    inputs = last.inputs.restamped(dict(edits.stamps))
    saved = dataclasses.replace(
        last.saved,
        inputs_digest=inputs.digest,
        output_manifest_digest=manifest_digest,
        input_parts=inputs.parts,
    )
    state = dataclasses.replace(
        last,
        inputs=inputs,
        articles={**last.articles, **edits.loaded},
        graph=patch.graph,
        index=patch.index,
        page_paths=patch.page_paths,
        fingerprints=fingerprints,
        hashes=out.hashes,
        saved=saved,
        search_pending=config.search and searched is None,
        on_disk=False,
    )
    graph = patch.graph
    articles = (page.article for page in graph.pages if isinstance(page, ArticlePage))
    warnings = build_warnings(
        graph.site, graph.warnings, articles, last.naive_dates, config.timezone
    )
    return Outcome(*saved.summary, commit, len(jobs), warnings, searched), state


def _patch(last: SiteState, edits: ArticleEdits) -> _Patch:
    paths = list(last.page_paths)
    for position in edits.touched:  # an edited title moves its article to a new address
        paths[position] = output_path(edits.graph.pages[position].url)
    return _Patch(edits.graph, edits.index, edits.touched, tuple(paths))


def _fingerprints(
    patch: _Patch, last: SiteState, config: SiteConfig
) -> tuple[dict[str, str], list[RenderJob]]:
    """Every page's fingerprint after the patch, and the touched pages whose changed."""
    fingerprinter = Fingerprinter(last.salt, dict(last.templates))
    fingerprints = dict(last.fingerprints)
    for position in patch.touched:
        fingerprints.pop(last.page_paths[position], None)
    jobs = []
    for position in patch.touched:
        relative, page = patch.page_paths[position], patch.graph.pages[position]
        fingerprints[relative] = fingerprint = fingerprinter.page(page)
        if fingerprint != last.fingerprints.get(relative):
            jobs.append(job(relative, page, config))
    return fingerprints, jobs


def _carry_over(
    out: StagedOutput, patch: _Patch, static_paths: Sequence[str], jobs: Sequence[RenderJob]
) -> None:
    """Every file but the pages to render is carried over from the live output."""
    rendering = {one.path for one in jobs}
    for relative in [*patch.page_paths, *static_paths]:
        if relative not in rendering:
            out.keep(relative)


def _index_or_defer(
    context: BuildContext, patch: _Patch, out: StagedOutput, last: SiteState, lap: Stopwatch
) -> SearchReport | None:
    """Index the edited pages now, or (a preview) carry the last index over for now."""
    if not context.config.search:
        return None
    if context.mode is BuildMode.PREVIEW:
        keep_search_index(out, last.hashes)  # `catch_up_search` follows, after the reload
        return None
    searched = index_articles(patch.graph, out, context)
    lap("search")
    return searched
