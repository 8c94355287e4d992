"""The build, start to end: scan -> load -> select -> graph -> render -> index -> swap.

Reads like a table of contents; each step lives in its own layer. Nothing here prints:
progress goes to the `Progress` the caller hands in, the outcome comes back as a BuildReport.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from archivegen.config import SiteConfig
from archivegen.content.model import Article
from archivegen.errors import raise_all
from archivegen.graph.model import ArticlePage
from archivegen.graph.site import SiteGraph, build_site_graph
from archivegen.graph.urls import output_path
from archivegen.output.cache import BuildCache, BuildState, load_cache, load_state, save_cache
from archivegen.output.site import StagedOutput, check_output_dir, manifest_file_digest
from archivegen.pipeline.inputs import config_digest, scan_inputs
from archivegen.pipeline.load import load_changed
from archivegen.pipeline.render import plan_render, render_jobs
from archivegen.pipeline.workers import default_workers
from archivegen.render.fingerprint import Fingerprinter, render_salt, template_digests
from archivegen.render.renderer import Renderer
from archivegen.render.theme import static_files, template_dirs, theme_dirs
from archivegen.search import SearchIndexer, SearchReport


class Progress(Protocol):
    """Where a long step reports how far it got (the CLI shows a bar; tests pass nothing)."""

    def start(self, label: str, total: int) -> None: ...

    def advance(self, count: int = 1) -> None: ...


class _Silent:
    def start(self, label: str, total: int) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What the command line may change about one build."""

    drafts: bool = False
    future: bool = False
    clean: bool = False  # ignore the build cache and the last output's hashes
    workers: int | None = None  # None: one per core
    now: datetime | None = None  # the build's clock; injected so tests can fix it


@dataclass(frozen=True, slots=True)
class BuildReport:
    """The outcome of a build, for the summary."""

    articles: int
    pages: int
    written: int
    unchanged: int
    deleted: int
    seconds: float
    output: Path
    rendered: int = 0
    warnings: tuple[str, ...] = field(default=())
    skipped_drafts: int = 0
    skipped_future: int = 0
    search: SearchReport | None = None  # None when `search: false` or nothing changed
    up_to_date: bool = False  # True when no input changed and nothing was done
    timings: tuple[tuple[str, float], ...] = ()  # seconds per step, in order


def build_site(
    config: SiteConfig, options: BuildOptions = BuildOptions(), progress: Progress | None = None
) -> BuildReport:
    """Build the whole site into config.output_path, or raise and leave it untouched."""
    started = time.perf_counter()
    lap = Stopwatch()
    progress = progress or _Silent()
    now = options.now or datetime.now(UTC)
    workers = options.workers or default_workers()
    theme = theme_dirs(config)
    check_output_dir(config.output_path, config.root, [config.content_path, *theme])
    state = BuildState() if options.clean else load_state(config.root, config.output_path)
    inputs = scan_inputs(config, theme, f"{options.drafts}/{options.future}")
    live_manifest = manifest_file_digest(config.output_path)
    if is_up_to_date(state, inputs.digest, live_manifest, now):
        return _up_to_date_report(config, state, started)
    lap("scan")
    cache = BuildCache() if options.clean else load_cache(config.root, config.output_path)
    lap("cache")
    progress.start("Loading", len(inputs.articles))
    content, article_cache = load_changed(inputs.articles, config, cache, workers, progress.advance)
    raise_all(content.errors)
    lap("load")
    articles, drafts, future = select_articles(content.articles, options, now)
    graph = build_site_graph(articles, config)
    lap("graph")
    renderer = Renderer(graph.site, template_dirs(config, theme), theme)
    salt = render_salt(graph.site, config_digest(config, theme))
    with staged(config.output_path, options.clean) as out:
        # page fingerprints describe the output the state vouches for, and only that one
        previous = cache.pages if state.output_manifest_digest == live_manifest else {}
        plan = plan_render(
            graph.pages, previous, out, Fingerprinter(salt, template_digests(renderer.env))
        )
        lap("plan")
        progress.start("Rendering", len(plan.jobs))
        render_jobs(plan.jobs, renderer, out, config, workers, progress.advance)
        for relative, data in static_files(config, theme):
            out.write(relative, data)
        lap("render")
        searched = index_articles(graph, out, config, options, progress) if config.search else None
        lap("search")
        manifest_digest = out.manifest_digest()
        result = out.commit()
        lap("commit")
    new_state = BuildState(
        inputs_digest=inputs.digest,
        output_manifest_digest=manifest_digest,
        next_embargo=_next_embargo(content.articles, now, options),
        summary=(len(articles), len(graph.pages)),
    )
    save_cache(
        config.root, config.output_path, new_state, BuildCache(article_cache, plan.fingerprints)
    )
    lap("save cache")
    warnings = list(graph.warnings)
    if content.naive_dates:
        warnings.insert(0, _naive_warning(content.naive_dates, config.timezone))
    return BuildReport(
        articles=len(articles),
        pages=len(graph.pages),
        written=result.written,
        unchanged=result.unchanged,
        deleted=result.deleted,
        seconds=time.perf_counter() - started,
        output=config.output_path,
        rendered=len(plan.jobs),
        warnings=tuple(warnings),
        skipped_drafts=drafts,
        skipped_future=future,
        search=searched,
        timings=tuple(lap.laps),
    )


class Stopwatch:
    """Seconds spent in each step of a build, for the summary and the benchmarks."""

    def __init__(self) -> None:
        self.laps: list[tuple[str, float]] = []
        self._last = time.perf_counter()

    def __call__(self, step: str) -> None:
        now = time.perf_counter()
        self.laps.append((step, now - self._last))
        self._last = now


def is_up_to_date(state: BuildState, inputs_digest: str, live_manifest: str, now: datetime) -> bool:
    """True when no input changed, the output is as we left it and no embargo has lifted."""
    if not state.inputs_digest or state.inputs_digest != inputs_digest:
        return False
    if state.next_embargo is not None and now.timestamp() >= state.next_embargo:
        return False
    return live_manifest == state.output_manifest_digest


def select_articles(
    articles: Sequence[Article], options: BuildOptions, now: datetime
) -> tuple[list[Article], int, int]:
    """Leave out drafts and embargoed (future) articles unless asked; count what was left out."""
    chosen, drafts, future = [], 0, 0
    for article in articles:
        if article.draft and not options.drafts:
            drafts += 1
        elif article.date > now and not options.future:
            future += 1
        else:
            chosen.append(article)
    return chosen, drafts, future


def index_articles(
    graph: SiteGraph,
    out: StagedOutput,
    config: SiteConfig,
    options: BuildOptions,
    progress: Progress,
) -> SearchReport:
    """Index the article pages into the staged output (the last index when none changed)."""
    progress.start("Indexing", 1)
    search = SearchIndexer(config.output_path, config.language, reuse=not options.clean)
    for page in graph.pages:
        if isinstance(page, ArticlePage):
            relative = output_path(page.url)
            # the manifest hash decides reuse; a page is read back only to reindex
            search.add_file(relative, out.hashes[relative], out.read, page.search_shard)
    report = search.write(out, workers=options.workers or default_workers())
    progress.advance()
    return report


@contextmanager
def staged(output: Path, clean: bool) -> Iterator[StagedOutput]:
    """A staged output that is thrown away if anything inside the block fails."""
    out = StagedOutput(output, clean=clean)
    try:
        yield out
    except BaseException:
        out.abort()
        raise


def _next_embargo(
    articles: Sequence[Article], now: datetime, options: BuildOptions
) -> float | None:
    if options.future:
        return None
    upcoming = [a.date.timestamp() for a in articles if a.date > now and not a.draft]
    return min(upcoming, default=None)


def _up_to_date_report(config: SiteConfig, state: BuildState, started: float) -> BuildReport:
    articles, pages = state.summary
    return BuildReport(
        articles=articles,
        pages=pages,
        written=0,
        unchanged=pages,
        deleted=0,
        seconds=time.perf_counter() - started,
        output=config.output_path,
        up_to_date=True,
    )


def _naive_warning(files: Sequence[str], timezone: str) -> str:
    first = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    return f"{len(files)} article date(s) have no UTC offset; took {timezone} for them ({first})"
