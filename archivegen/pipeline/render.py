"""Render the pages that changed, on all cores, straight into the staged output.

A page whose fingerprint matches the last build's, and whose file is still in place, is
carried over without rendering. The others become `RenderJob`s, rendered by forked workers
that stage each file through the build's `StagingArea` and send back only a `Staged`
(path, hash, staged?), never the HTML itself. A job and the worker context (renderer,
staging area, config) are all a worker needs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

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
class RenderJob:
    """One page to render, and all it needs besides the renderer: its output file and, for
    an article whose body the build did not keep, the file to render the body from."""

    path: str  # the output file
    page: Page
    body_from: Path | None = None


@dataclass(frozen=True, slots=True)
class RenderPlan:
    """Which pages must be rendered, and every page's fingerprint for the next build."""

    jobs: list[RenderJob]  # article pages first
    fingerprints: dict[str, str]
    carried: int
    paths: list[str]  # every page's output file, in the pages' order


@dataclass(frozen=True, slots=True)
class _WorkerContext:
    """What every render worker holds: the renderer, the staging area, the config."""

    renderer: Renderer
    area: StagingArea
    config: SiteConfig


class RenderRun:
    """Plan a build's pages, then render those that changed: on forked workers, and here.

    Every page is fingerprinted here; the workers are forked once that is done, with the
    jobs as chunks of indices (article pages first). Forked earlier, they could render
    while the plan goes on (~0.1 s sooner for an added article at 10,000), but this
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
        self._jobs: list[RenderJob] = []
        self._pool: WorkerPool | None = None
        self._here: list[int] = []  # the jobs this process renders
        self.article_jobs = 0  # the first jobs, article pages (known after `plan`)

    @property
    def listing_jobs(self) -> int:
        """Pages other than articles to render (known after `plan`)."""
        return len(self._jobs) - self.article_jobs

    def plan(self, previous: dict[str, str], fingerprinter: Fingerprinter) -> RenderPlan:
        """Fingerprint every page, keep the unchanged ones, list the others (`start`)."""
        pages, out, config = self.pages, self.out, self._context.config
        paths = [output_path(page.url) for page in pages]
        fingerprints: dict[str, str] = {}
        articles: list[RenderJob] = []
        others: list[RenderJob] = []
        for path, page in zip(paths, pages, strict=True):
            fingerprint = fingerprints[path] = fingerprinter.page(page)
            if previous.get(path) == fingerprint and out.keep(path):
                continue
            (articles if isinstance(page, ArticlePage) else others).append(job(path, page, config))
        self._jobs, self.article_jobs = articles + others, len(articles)
        carried = len(pages) - len(self._jobs)
        self.on_done(carried)
        return RenderPlan(self._jobs, fingerprints, carried, paths)

    def start(self) -> None:
        """Fork the workers, if there is enough to render, and hand them the jobs.

        After `plan` and after any other fork of this process: the pool brings threads, and
        forking a process that runs threads is best avoided (the build's cache writer)."""
        everything = list(range(len(self._jobs)))
        articles, others = everything[: self.article_jobs], everything[self.article_jobs :]
        here = articles if len(articles) <= IN_PARENT else []
        forked = others if here else everything
        if self._workers <= 1 or len(forked) < 2 * MIN_CHUNK:
            self._here = everything  # too little to fork for
            return
        self._here = here
        self._pool = WorkerPool(_render_chunk, self._context, self._jobs, self._workers)
        size = chunk_size(len(forked), self._workers)
        for begin in range(0, len(forked), size):
            chunk = forked[begin : begin + size]
            self._pool.submit(chunk, tag=chunk[0] < self.article_jobs)

    def render_articles(self) -> None:
        """Render the article pages that changed and record them (the workers may go on)."""
        self._render_here()
        self._collect(articles_only=True)

    def finish(self) -> None:
        """Render and record every changed page; the workers exit (their memory is freed
        before the search index runs)."""
        self._render_here()
        self._collect(articles_only=False)
        self.close()

    def close(self) -> None:
        """Stop the workers (at once if some are still rendering: the build failed)."""
        if self._pool is not None:
            self._pool.close()

    def __enter__(self) -> RenderRun:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _render_here(self) -> None:
        if self._here:
            jobs, self._here = [self._jobs[i] for i in self._here], []
            _record(self.out, _render_chunk(self._context, jobs))
            self.on_done(len(jobs))

    def _collect(self, articles_only: bool) -> None:
        if self._pool is None:
            return
        for count, results in self._pool.results(tag=True if articles_only else None):
            _record(self.out, results)
            self.on_done(count)


def job(path: str, page: Page, config: SiteConfig) -> RenderJob:
    """The job of one page: an article without its body renders it from its file (the
    build keeps bodies only of the files it parsed, within the loader's budget)."""
    if isinstance(page, ArticlePage) and not page.article.body_html:
        return RenderJob(path, page, config.root / page.article.source_path)
    return RenderJob(path, page)


def render_jobs(
    jobs: Sequence[RenderJob], renderer: Renderer, out: StagedOutput, config: SiteConfig
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


def with_body(page: ArticlePage, source: Path, config: SiteConfig) -> ArticlePage:
    """The page with its article's body rendered, read again from its file, `source`.

    The build keeps articles without their bodies (100,000 bodies would not fit the memory
    budget); the file's hash proves it is still the text the rest of the site was built from.
    """
    article = page.article
    try:
        body_html, text_hash = render_body(source, config)
    except OSError as exc:
        raise ContentError(f"cannot be read: {exc.strerror}", path=article.source_path) from None
    if text_hash != article.content_hash:
        raise ContentError(
            "changed while the site was being built; build again", path=article.source_path
        )
    return dataclasses.replace(page, article=dataclasses.replace(article, body_html=body_html))


def _render_chunk(context: _WorkerContext, jobs: Sequence[RenderJob]) -> list[Staged]:
    results = []
    for one in jobs:
        page = one.page
        if one.body_from is not None:
            assert isinstance(page, ArticlePage)
            page = with_body(page, one.body_from, context.config)
        results.append(context.area.stage(one.path, context.renderer.render(page)))
    return results
