"""Render the pages that changed, on all cores, straight into the staged output.

A page whose fingerprint matches the last build's, and whose file is still in place, is
carried over without rendering. The others are rendered by forked workers that write into
the staging folder and send back only (path, hash, staged?) — never the HTML itself.
`RenderRun` plans, then renders on forked workers and, for a few article pages, here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from archivegen.config import SiteConfig
from archivegen.content.loader import render_body
from archivegen.errors import ContentError
from archivegen.graph.model import ArticlePage, Page
from archivegen.graph.urls import output_path
from archivegen.output.staging import Staged, StagedOutput, StagingArea
from archivegen.pipeline.workers import WorkerPool, can_fork
from archivegen.render.fingerprint import Fingerprinter
from archivegen.render.renderer import Renderer

CHUNK = 100  # pages per task at most; fewer when there are few, so every core gets work
MIN_CHUNK = 25
IN_PARENT = 25  # changed article pages rendered by the planning process itself, at most


@dataclass(frozen=True, slots=True)
class RenderPlan:
    """Which pages must be rendered, and every page's fingerprint for the next build."""

    jobs: list[tuple[str, Page]]  # (output path, page)
    fingerprints: dict[str, str]
    carried: int
    relatives: list[str]  # every page's output path, in the pages' order


@dataclass(frozen=True, slots=True)
class _WorkerContext:
    renderer: Renderer
    area: StagingArea
    config: SiteConfig


class RenderRun:
    """Plan a build's pages, then render those that changed: on forked workers, and here.

    Every page is fingerprinted here; the workers are forked once that is done, with the
    changed pages as chunks of indices (article pages first). Forked earlier, they could
    render while the plan goes on (~0.1 s sooner for an added article at 10,000), but this
    process's reference counting would then write to every inherited page of the graph
    and copy it (+600 MB at 100,000 articles, measured); and workers that fingerprint
    would each copy all of it (slower still). Changed article pages, when few (an added
    or edited article), are rendered by this process while the workers render the
    listings, so the search index can start on them at once (`render_articles`). A run
    with little to render never forks: this process renders it all.
    """

    def __init__(
        self,
        pages: Sequence[Page],
        renderer: Renderer,
        out: StagedOutput,
        config: SiteConfig,
        workers: int,
        on_done: Callable[[int], None],
    ) -> None:
        self.pages, self.out, self.on_done = pages, out, on_done
        self._context = _WorkerContext(renderer, out.area, config)
        self._workers = workers if can_fork() else 1
        self._pool = WorkerPool(_render_pages, self._context, pages, self._workers)
        self._jobs: tuple[list[int], list[int]] = ([], [])  # (article pages, others) to render
        self._here: list[int] = []  # jobs this process renders
        self.listing_jobs = 0  # pages other than articles to render (known after `plan`)

    def plan(self, previous: dict[str, str], fingerprinter: Fingerprinter) -> RenderPlan:
        """Fingerprint every page, keep the unchanged ones, list the others (`start`)."""
        pages, out = self.pages, self.out
        relatives = [output_path(page.url) for page in pages]
        fingerprints: dict[str, str] = {}
        articles: list[int] = []
        others: list[int] = []
        carried = 0
        for index, page in enumerate(pages):
            relative = relatives[index]
            fingerprint = fingerprints[relative] = fingerprinter.page(page)
            if previous.get(relative) == fingerprint and out.keep(relative):
                carried += 1
            else:
                (articles if isinstance(page, ArticlePage) else others).append(index)
        self.listing_jobs = len(others)
        self._jobs = (articles, others)
        self.on_done(carried)
        return RenderPlan(
            jobs=[(relatives[i], pages[i]) for i in articles + others],
            fingerprints=fingerprints,
            carried=carried,
            relatives=relatives,
        )

    def start(self) -> None:
        """Fork the workers, if there is enough to render, and hand them the jobs.

        After `plan` and after any other fork of this process: the pool brings threads, and
        forking a process that runs threads is best avoided (the build's cache writer)."""
        articles, others = self._jobs
        here = articles if len(articles) <= IN_PARENT else []
        forked = others if here else articles + others
        if self._workers <= 1 or len(forked) < 2 * MIN_CHUNK:
            self._here = articles + others  # too little to fork for
            return
        self._here = here
        size = chunk_size(len(forked), self._workers)
        for start in range(0, len(forked), size):
            chunk = forked[start : start + size]
            self._pool.submit(chunk, tag=isinstance(self.pages[chunk[0]], ArticlePage))

    def render_articles(self) -> None:
        """Render the article pages that changed and record them (the workers may go on)."""
        self._render_here()
        self._collect(articles_only=True)

    def finish(self) -> None:
        """Render and record every changed page; the workers exit (their memory is freed
        before the search index runs)."""
        self._render_here()
        self._collect(articles_only=False)
        self._pool.close()

    def close(self) -> None:
        """Stop the workers (at once if some are still rendering: the build failed)."""
        self._pool.close()

    def __enter__(self) -> RenderRun:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _render_here(self) -> None:
        if self._here:
            pages, self._here = [self.pages[i] for i in self._here], []
            _record(self.out, _render_pages(self._context, pages))
            self.on_done(len(pages))

    def _collect(self, articles_only: bool) -> None:
        for count, results in self._pool.results(tag=True if articles_only else None):
            _record(self.out, results)
            self.on_done(count)


def _render_pages(context: _WorkerContext, pages: Sequence[Page]) -> list[Staged]:
    return _render_chunk(context, [(output_path(page.url), page) for page in pages])


def render_jobs(
    jobs: Sequence[tuple[str, Page]], renderer: Renderer, out: StagedOutput, config: SiteConfig
) -> None:
    """Render a few jobs in this process (a preview's edit) and record them in the output."""
    _record(out, _render_chunk(_WorkerContext(renderer, out.area, config), jobs))


def _record(out: StagedOutput, results: list[Staged]) -> None:
    for staged in results:
        out.record(staged)


def chunk_size(jobs: int, workers: int) -> int:
    """Tasks of CHUNK pages, or smaller (eight per worker, so none idles at the end), but
    not below MIN_CHUNK: a handful of pages renders faster here than a pool starts."""
    return max(MIN_CHUNK, min(CHUNK, jobs // (8 * max(1, workers))))


def with_body(page: ArticlePage, config: SiteConfig) -> ArticlePage:
    """The page with its article's body rendered, read again from the article's file.

    The build keeps articles without their bodies (100,000 bodies would not fit the memory
    budget); the file's hash proves it is still the text the rest of the site was built from.
    """
    article = page.article
    try:
        body_html, text_hash = render_body(config.root / article.source_path, config)
    except OSError as exc:
        raise ContentError(f"cannot be read: {exc.strerror}", path=article.source_path) from None
    if text_hash != article.content_hash:
        raise ContentError(
            "changed while the site was being built; build again", path=article.source_path
        )
    return dataclasses.replace(page, article=dataclasses.replace(article, body_html=body_html))


def _render_chunk(context: _WorkerContext, jobs: Sequence[tuple[str, Page]]) -> list[Staged]:
    results = []
    for relative, page in jobs:
        if isinstance(page, ArticlePage) and not page.article.body_html:
            page = with_body(page, context.config)
        results.append(context.area.stage(relative, context.renderer.render(page)))
    return results
