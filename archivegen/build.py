"""The build, start to end: scan -> load -> select -> graph -> render -> index -> swap.

Reads like a table of contents; each step lives in its own layer. Nothing here prints:
progress goes to the `Progress` the caller hands in, the outcome comes back as a BuildReport.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import shutil
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from archivegen.config import SiteConfig
from archivegen.content.loader import FileStamp, LoadedArticle, load_article_file
from archivegen.content.model import Article
from archivegen.errors import raise_all
from archivegen.graph.model import ArticlePage
from archivegen.graph.patch import GraphIndex, index_graph, patch_graph
from archivegen.graph.site import SiteGraph, build_site_graph
from archivegen.graph.urls import output_path
from archivegen.output.atomic import write_atomic
from archivegen.output.cache import (
    BuildCache,
    BuildState,
    CacheBase,
    CacheWriter,
    cache_folder,
    load_cache,
    load_state,
)
from archivegen.output.manifest import manifest_file_digest
from archivegen.output.staging import StagedOutput, check_output_dir
from archivegen.pipeline.inputs import BuildInputs, code_digest, config_digest, scan_inputs
from archivegen.pipeline.load import load_changed
from archivegen.pipeline.render import RenderRun, render_jobs
from archivegen.pipeline.workers import default_workers
from archivegen.render.fingerprint import Fingerprinter, render_salt, template_digests
from archivegen.render.renderer import Renderer
from archivegen.render.theme import static_files, template_dirs, theme_dirs
from archivegen.search import INDEX_DIR, PendingIndex, SearchIndexer, SearchReport

# Up to this many listing pages to render, Pagefind indexes the article pages meanwhile
# (one article added: ~600 shifted listing pages, one shard); above, after (a cold build:
# render workers and Pagefind runs would only take turns on the same cores).
OVERLAP_LISTINGS = 1_000
REFERENCES_FILE = "template-references.json"


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
    return Builder(config, options).build(progress)


@dataclass(slots=True)
class _Warm:
    """What the last build of this process knew: the next one starts from it, not from disk."""

    inputs: BuildInputs
    articles: dict[str, tuple[FileStamp, LoadedArticle]]  # the parse cache, by file
    graph: SiteGraph
    relatives: list[str]  # each page's output file, in graph order
    fingerprints: dict[str, str]
    renderer: Renderer
    fingerprinter: tuple[str, dict[str, str]]  # (salt, template digests)
    static: list[str]  # the static files' output paths
    hashes: dict[str, str]  # the live manifest
    state: BuildState
    naive_dates: tuple[str, ...]
    index: GraphIndex | None = None  # where each article shows; made on the first edit


class Builder:
    """Builds one site, again and again: each build starts from what the last one learned.

    `archivegen build` makes one build and saves the cache to disk. The preview keeps its
    Builder: a rebuild reads nothing the process already knows (cache, graph, templates),
    and when the files that changed are articles whose place in the site did not move (a
    title, a caption, a body), the last graph is patched, not laid out again, so the cost
    follows the pages that show the edit, not the size of the archive. Both paths end in the
    same render, search index and staged commit.
    """

    def __init__(
        self,
        config: SiteConfig,
        options: BuildOptions = BuildOptions(),
        *,
        persist: bool = True,
        preview: bool = False,
    ) -> None:
        """`persist=False` leaves saving the cache to the caller (`save`), off the hot path.

        `preview=True` (a long-lived session, `archivegen serve`): the first build learns the
        site even when nothing changed, so the first edit is patched like the later ones;
        an edit's pages are committed first, with the last search index, and
        `index_search` brings the index up to date after, so a tab reloads without waiting
        for Pagefind. `archivegen build` commits pages and index at once.
        """
        self.config = config
        self.options = options
        self.persist = persist
        self.preview = preview
        self._search_pending = False
        self._warm: _Warm | None = None
        self._unsaved: tuple[BuildState, BuildCache] | None = None
        self._saver: CacheWriter | None = None  # a background save
        self._replaced = False  # the last full build replaced a warm state
        self._base: CacheBase | None = None  # the cache base on disk, for deltas

    def build(
        self, progress: Progress | None = None, changed: Collection[str] | None = None
    ) -> BuildReport:
        """Bring the output up to date; `changed`: the files known to have changed, if known.

        Raises, leaving the output untouched, when the content or a template is broken.
        """
        started = time.perf_counter()
        self._replaced = False
        with _collector_paused(lambda: self._replaced):
            if changed is not None and self._warm is not None:
                try:
                    report = self._edit(changed, started)
                except BaseException:
                    self._warm = None  # half-patched: the next build starts from the disk cache
                    self._replaced = True
                    raise
                if report is not None:
                    return report
            return self._full(progress or _Silent(), started)

    def save(self, background: bool = False) -> None:
        """Write the cache of the last build to disk, if it is not there yet.

        `background`: in a forked child (copy-on-write: a snapshot of this moment, no lock
        shared with the next build), so a preview's next rebuild need not wait for pickling
        100 MB; a save still running is waited for first, so saves land in order.
        """
        self.wait_saved()
        if self._unsaved is None:
            return
        state, cache = self._unsaved
        self._unsaved = None
        if self._search_pending:  # the index lags the pages: the next build must not stop early
            state = dataclasses.replace(state, inputs_digest="")
        root, output = self.config.root, self.config.output_path
        self._saver = CacheWriter(root, output, cache, self._base, background, state)
        self._base = self._saver.base

    def wait_saved(self) -> None:
        """Wait for a background save to finish."""
        if self._saver is not None:
            self._saver.wait()
            self._saver = None

    def _full(self, progress: Progress, started: float) -> BuildReport:
        config, options = self.config, self.options
        lap = Stopwatch()
        now = options.now or datetime.now(UTC)
        workers = options.workers or default_workers()
        theme = theme_dirs(config)
        check_output_dir(config.output_path, config.root, [config.content_path, *theme])
        warm, self._warm = self._warm, None  # forgotten until this build succeeds
        self._replaced = warm is not None  # its garbage is collected after the build
        if options.clean:
            state = BuildState()
        else:
            state = warm.state if warm else load_state(config.root, config.output_path)
        inputs = scan_inputs(config, theme, f"{options.drafts}/{options.future}")
        live_manifest = manifest_file_digest(config.output_path)
        warm_up = self.preview and warm is None  # see __init__
        if is_up_to_date(state, inputs.digest, live_manifest, now) and not warm_up:
            self._warm = warm
            return _up_to_date_report(config, state, started)
        lap("scan")
        if options.clean:
            cache = BuildCache()
        elif warm is not None:
            cache = BuildCache(warm.articles, warm.fingerprints)
        else:
            self.wait_saved()
            cache, self._base = load_cache(config.root, config.output_path)
        lap("cache")
        progress.start("Loading", len(inputs.articles))
        # a preview keeps its graph for the session: no bodies in it, whatever they save
        content, article_cache = load_changed(
            inputs.articles, config, cache, workers, progress.advance, not self.preview
        )
        raise_all(content.errors)
        lap("load")
        articles, drafts, future = select_articles(content.articles, options, now)
        graph = build_site_graph(articles, config)
        lap("graph")
        compiled = compiled_templates(config)
        renderer = Renderer(graph.site, template_dirs(config, theme), theme, compiled)
        salt = render_salt(graph.site, config_digest(config, theme))
        templates = template_digests_kept(renderer, compiled)
        with (
            staged(config.output_path, options.clean) as out,
            RenderRun(graph.pages, renderer, out, config, workers, progress.advance) as run,
        ):
            # page fingerprints describe the output the state vouches for, and only that one
            previous = cache.pages if state.output_manifest_digest == live_manifest else {}
            progress.start("Rendering", len(graph.pages))
            plan = run.plan(previous, Fingerprinter(salt, templates))
            lap("plan")
            # the cache is written by a child process meanwhile (landed after the commit);
            # forked now, before any thread (the render pool's, Pagefind's) is running
            writer = None
            if self.persist:
                self.wait_saved()
                cache = BuildCache(article_cache, plan.fingerprints)
                writer = CacheWriter(config.root, config.output_path, cache, self._base)
            pending = None
            try:
                run.start()
                pending = self._render_and_start_indexing(run, graph, out)
                static = []
                for relative, data in static_files(config, theme):
                    out.write(relative, data)
                    static.append(relative)
                lap("render")
                progress.start("Indexing", 1)
                searched = pending.finish() if pending is not None else None
                progress.advance()
                lap("search")
                manifest_digest = out.manifest_digest()
                result = out.commit()
                self._search_pending = False  # indexed with the pages
            except BaseException:
                if pending is not None:
                    pending.close()
                if writer is not None:
                    writer.discard()
                raise
            lap("commit")
        new_state = BuildState(
            inputs_digest=inputs.digest,
            output_manifest_digest=manifest_digest,
            next_embargo=_next_embargo(content.articles, now, options),
            summary=(len(articles), len(graph.pages)),
        )
        self._warm = _Warm(
            inputs, article_cache, graph, plan.relatives, plan.fingerprints, renderer,
            (salt, templates), static, out.hashes, new_state, content.naive_dates,
        )  # fmt: skip
        self._finish(new_state, lap, writer)
        return BuildReport(
            articles=len(articles),
            pages=len(graph.pages),
            written=result.written,
            unchanged=result.unchanged,
            deleted=result.deleted,
            seconds=time.perf_counter() - started,
            output=config.output_path,
            rendered=len(plan.jobs),
            warnings=_warnings(graph, content.naive_dates, config),
            skipped_drafts=drafts,
            skipped_future=future,
            search=searched,
            timings=tuple(lap.laps),
        )

    def _render_and_start_indexing(
        self, run: RenderRun, graph: SiteGraph, out: StagedOutput
    ) -> PendingIndex | None:
        """Render the planned jobs; start the search index (running when this returns, if any).

        Render workers and Pagefind both want every core, so overlapping them pays only
        when the listings to render are few (an added article): then Pagefind indexes the
        article pages, rendered first, while the listings render.
        """
        config, options = self.config, self.options
        pending = None
        try:
            if config.search and run.listing_jobs <= OVERLAP_LISTINGS:
                run.render_articles()
                pending = start_indexing(graph, out, config, options)
            run.finish()
        except BaseException:
            if pending is not None:
                pending.close()
            raise
        if config.search and pending is None:
            pending = start_indexing(graph, out, config, options)
        return pending

    def _edit(self, changed: Collection[str], started: float) -> BuildReport | None:
        """Rebuild after edits to known article files that leave every article in place.

        None when that does not apply (a new, deleted or moved article, any other file,
        an error to report, an output changed behind our back): the full build handles it.
        """
        warm, config, options = self._warm, self.config, self.options
        assert warm is not None
        now = options.now or datetime.now(UTC)
        lap = Stopwatch()
        stamps = _restamped_articles(warm, changed)
        if stamps is None:
            return None
        if warm.state.next_embargo is not None and now.timestamp() >= warm.state.next_embargo:
            return None
        if not stamps:
            return _up_to_date_report(config, warm.state, started)
        if manifest_file_digest(config.output_path) != warm.state.output_manifest_digest:
            return None
        reloaded = _reload_articles(warm, stamps, config)
        if reloaded is None:
            return None
        edits, loaded = reloaded
        lap("load")
        if warm.index is None:
            warm.index = index_graph(warm.graph)
        patched = patch_graph(warm.graph, warm.index, edits, config.permalinks.article)
        if patched is not None:
            warm.index = patched[1]
            patched = (patched[0], patched[2])
        if patched is None:
            return None
        graph, touched = patched
        fingerprints = dict(warm.fingerprints)
        for position in touched:  # an edited title moves its article to a new address
            fingerprints.pop(warm.relatives[position], None)
            warm.relatives[position] = output_path(graph.pages[position].url)
        lap("graph")
        with staged(config.output_path, clean=False, previous=warm.hashes) as out:
            fingerprinter = Fingerprinter(*warm.fingerprinter)
            jobs = []
            for position in touched:
                relative, page = warm.relatives[position], graph.pages[position]
                fingerprints[relative] = fingerprint = fingerprinter.page(page)
                if fingerprint != warm.fingerprints.get(relative):
                    jobs.append((relative, page))
            rendering = {relative for relative, _ in jobs}
            for relative in [*warm.relatives, *warm.static]:
                if relative not in rendering:
                    out.keep(relative)
            lap("plan")
            render_jobs(jobs, warm.renderer, out, config)
            lap("render")
            searched = None
            if config.search and self.preview:
                _keep_search_index(out, warm.hashes)  # as it was: `index_search` follows
                self._search_pending = True
            elif config.search:
                searched = index_articles(graph, out, config, options)
                lap("search")
            manifest_digest = out.manifest_digest()
            result = out.commit()
            lap("commit")
        warm.articles.update(loaded)
        warm.inputs = warm.inputs.restamped(stamps)
        warm.state = dataclasses.replace(
            warm.state, inputs_digest=warm.inputs.digest, output_manifest_digest=manifest_digest
        )
        warm.graph, warm.fingerprints, warm.hashes = graph, fingerprints, out.hashes
        self._finish(warm.state, lap)
        articles, pages = warm.state.summary
        return BuildReport(
            articles=articles,
            pages=pages,
            written=result.written,
            unchanged=result.unchanged,
            deleted=result.deleted,
            seconds=time.perf_counter() - started,
            output=config.output_path,
            rendered=len(jobs),
            warnings=_warnings(graph, warm.naive_dates, config),
            search=searched,
            timings=tuple(lap.laps),
        )

    @property
    def search_pending(self) -> bool:
        """True when the last build left the search index to `index_search`."""
        return self._search_pending

    def index_search(self) -> SearchReport | None:
        """Bring the search index up to date after a build that left it for later.

        The same staged output and indexer as a build, with every page carried over:
        only the shards whose pages changed are indexed again. None when nothing waits.
        """
        warm = self._warm
        if not self._search_pending or warm is None:
            return None
        self._search_pending = False
        with staged(self.config.output_path, clean=False, previous=warm.hashes) as out:
            for relative in warm.hashes:
                if not _in_search_index(relative):
                    out.keep(relative)
            searched = index_articles(warm.graph, out, self.config, self.options)
            manifest_digest = out.manifest_digest()
            out.commit()
        warm.hashes = out.hashes
        warm.state = dataclasses.replace(warm.state, output_manifest_digest=manifest_digest)
        self._unsaved = (warm.state, BuildCache(warm.articles, warm.fingerprints))
        return searched

    def _finish(self, state: BuildState, lap: Stopwatch, writer: CacheWriter | None = None) -> None:
        """Remember the cache to save; save it now unless the caller saves it later."""
        warm = self._warm
        assert warm is not None
        if writer is not None:  # written already, while the search index was made
            if writer.land(state):
                self._base = writer.base
            lap("save cache")
            return
        self._unsaved = (state, BuildCache(warm.articles, warm.fingerprints))
        if self.persist:
            self.save()
            lap("save cache")


def _restamped_articles(warm: _Warm, changed: Collection[str]) -> dict[str, FileStamp] | None:
    """The new stamps of the changed files, if all are article files the last build read."""
    stamps: dict[str, FileStamp] = {}
    for path in changed:
        cached = warm.articles.get(path)
        if cached is None:
            return None  # not an article file we know: new, or not an article at all
        try:
            stat = os.stat(path)
        except OSError:
            return None  # deleted
        if (stat.st_size, stat.st_mtime_ns) != cached[0]:
            stamps[path] = (stat.st_size, stat.st_mtime_ns)
    return stamps


def _reload_articles(
    warm: _Warm, stamps: dict[str, FileStamp], config: SiteConfig
) -> tuple[list[tuple[Article, Article]], dict[str, tuple[FileStamp, LoadedArticle]]] | None:
    """(old, new) articles and the new cache entries; None if a file has errors to report."""
    edits, loaded = [], {}
    for path, stamp in stamps.items():
        outcome = load_article_file(Path(path), config, with_body=False)
        old = warm.articles[path][1]
        if outcome.article is None or old.article is None:
            return None  # errors are reported by the full build
        if outcome.assumed_timezone != old.assumed_timezone:
            return None  # the build's warning about naive dates changes
        edits.append((old.article, outcome.article))
        loaded[path] = (stamp, outcome)
    return edits, loaded


@contextmanager
def _collector_paused(sweep: Callable[[], bool]) -> Iterator[None]:
    """Pause Python's cycle collector for one build.

    A build allocates hundreds of thousands of small acyclic records (articles, entries,
    pages), and each allocation burst triggers a collection that walks them all again:
    about a tenth of an incremental build's time at 10,000 articles. Reference counting
    frees them as usual; the collector runs again after the build (and in render workers,
    which collect their own garbage). What the build keeps (a preview's last graph) is
    frozen, so no later collection walks it all once more; when `sweep()` says the build
    replaced such a state (a preview's full rebuild), the frozen objects are collected
    once, so the cycles of the replaced state (its Jinja environment) do not accumulate.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if sweep():
            gc.unfreeze()
            gc.collect()
        gc.freeze()
        if was_enabled:
            gc.enable()


def template_digests_kept(renderer: Renderer, compiled: Path) -> dict[str, str]:
    """`template_digests`, parsing only the templates edited since the last build: what
    each names is kept with the compiled templates (`compiled`, a cache of the same code)."""
    memo = compiled / REFERENCES_FILE
    try:
        loaded = json.loads(memo.read_bytes())
    except (OSError, ValueError):
        loaded = {}
    known = {
        key: value
        for key, value in (loaded.items() if isinstance(loaded, dict) else ())
        if value is None or (isinstance(value, list) and all(isinstance(n, str) for n in value))
    }
    before = dict(known)
    digests = template_digests(renderer.env, known)
    if known != before:
        write_atomic(memo, json.dumps(known, sort_keys=True).encode())
    return digests


def compiled_templates(config: SiteConfig) -> Path:
    """Where compiled templates are kept: beside the cache, per archivegen code (which
    decides the Jinja options they were compiled with); other codes' folders are removed."""
    folder = cache_folder(config.root, config.output_path)
    current = folder / f"templates-{code_digest()[:12]}"
    for old in folder.glob("templates-*"):
        if old != current:
            shutil.rmtree(old, ignore_errors=True)
    return current


def _in_search_index(relative: str) -> bool:
    return relative.startswith(INDEX_DIR + "/")


def _keep_search_index(out: StagedOutput, live: dict[str, str]) -> None:
    """Carry the last search index over unchanged (it is brought up to date right after)."""
    for relative in live:
        if _in_search_index(relative):
            out.keep(relative)


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
    graph: SiteGraph, out: StagedOutput, config: SiteConfig, options: BuildOptions
) -> SearchReport:
    """Index the article pages into the staged output (the last index when none changed)."""
    return start_indexing(graph, out, config, options).finish()


def start_indexing(
    graph: SiteGraph, out: StagedOutput, config: SiteConfig, options: BuildOptions
) -> PendingIndex:
    """Carry unchanged shards over and start Pagefind on the others; `finish` waits.

    Needs every article page rendered or kept (their hashes decide which shards changed).
    """
    search = SearchIndexer(config.output_path, config.language, reuse=not options.clean)
    for page in graph.pages:
        if isinstance(page, ArticlePage):
            relative = output_path(page.url)
            # the manifest hash decides reuse; a page is only linked (never read) to reindex
            search.add_file(relative, out.hashes[relative], out.path_of, page.search_shard)
    return search.start(out, workers=options.workers or default_workers())


@contextmanager
def staged(
    output: Path, clean: bool, previous: dict[str, str] | None = None
) -> Iterator[StagedOutput]:
    """A staged output that is thrown away if anything inside the block fails."""
    out = StagedOutput(output, clean=clean, previous=previous)
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


def _warnings(graph: SiteGraph, naive_dates: Sequence[str], config: SiteConfig) -> tuple[str, ...]:
    """The build's warnings: dates that took the site's zone first, then the graph's."""
    if not naive_dates:
        return graph.warnings
    return (_naive_warning(naive_dates, config.timezone), *graph.warnings)


def _naive_warning(files: Sequence[str], timezone: str) -> str:
    first = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    return f"{len(files)} article date(s) have no UTC offset; took {timezone} for them ({first})"
