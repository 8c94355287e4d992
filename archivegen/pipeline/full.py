"""The full build: load every article (parsing only the changed files), lay the site out,
render the pages whose fingerprints changed, index them, stage the static files, commit.

Render workers and Pagefind share the cores: see `_render_and_index` for when they overlap.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from archivegen.content.files import FileStamp
from archivegen.content.loader import ContentSet, LoadedArticle
from archivegen.content.model import Article
from archivegen.errors import raise_all
from archivegen.graph.changes import Changed, pages_showing
from archivegen.graph.layout import Layout, lay_out
from archivegen.graph.model import Page, SiteInfo
from archivegen.graph.site import SiteGraph, graph_of, make_site_info
from archivegen.output.atomic import write_atomic
from archivegen.output.cache import BuildCache, BuildState, CacheStore, CacheWriter, cache_folder
from archivegen.output.manifest import commit_interrupted
from archivegen.output.staging import StagedOutput
from archivegen.pipeline.changes import find_changes
from archivegen.pipeline.context import BuildContext, BuildMode, Progress
from archivegen.pipeline.decide import (
    COMMIT_INTERRUPTED,
    CONTENT_CHANGED,
    OUTPUT_CHANGED,
    Rebuild,
    RebuildKind,
    Scan,
)
from archivegen.pipeline.images import attach_images, stage_images
from archivegen.pipeline.inputs import PARTS, code_digest, config_digest, with_record_restamped
from archivegen.pipeline.load import load_changed
from archivegen.pipeline.moves import follow_moves
from archivegen.pipeline.render import RenderRun
from archivegen.pipeline.report import Outcome, Stopwatch, build_warnings
from archivegen.pipeline.search import search_targets, start_indexing
from archivegen.pipeline.selection import check_shrink, next_embargo, select_articles
from archivegen.pipeline.state import SiteState
from archivegen.render.fingerprint import Fingerprinter, render_salt, template_digests
from archivegen.render.renderer import Renderer
from archivegen.render.theme import static_files, template_dirs
from archivegen.search import SearchReport

# Up to this many listing pages to render, Pagefind indexes the article pages meanwhile
# (one article added: ~600 shifted listing pages, one shard); above, after (a cold build:
# render workers and Pagefind runs would only take turns on the same cores).
OVERLAP_LISTINGS = 1_000
REFERENCES_FILE = "template-references.json"

Parsed = dict[str, tuple[FileStamp, LoadedArticle]]


def full_build(
    context: BuildContext,
    rebuild: Rebuild,
    last: SiteState | None,
    store: CacheStore,
    progress: Progress,
    lap: Stopwatch,
) -> tuple[Outcome, SiteState]:
    """Build every page anew from the inputs the decision stamped; the new state. When only
    articles were added or edited in place, only the pages that show them are made."""
    # the steps of a full build in their order, one call (and one timed lap) each: read
    # together, they are the build; cut apart, the order would be spread over functions
    scan, config = rebuild.scan, context.config
    assert scan is not None, "a full build starts from a scan"
    cache = _starting_cache(context, last, store)
    lap("cache")
    content, parsed = _load(context, scan, cache, progress)
    lap("load")
    articles, skipped, moves, scan = _published(context, scan, content, cache, parsed, last, store)
    layout = lay_out(articles, config)
    site = make_site_info(config, layout.groupings["category"])
    renderer, salt, templates = _renderer(context, site)
    # page fingerprints describe the output the state vouches for, and only that one
    previous = cache.pages if scan.saved.output_manifest_digest == scan.live_manifest else {}
    found = _changes(context, scan, layout, cache, parsed, salt, moves, previous)
    graph, pages = _pages(layout, found)
    rebuild = _rebuild_taken(rebuild, found, layout)
    lap("graph")
    with (
        StagedOutput(config.output_path, clean=context.options.clean) as out,
        RenderRun(pages, renderer, out, config, context.workers, progress.advance) as run,
    ):
        progress.start("Rendering", len(pages))
        plan = run.plan(previous, Fingerprinter(salt, templates))
        fingerprints = plan.fingerprints
        if graph is None:  # the other pages are as the last build left them
            fingerprints = {**previous, **fingerprints}
            rendering = {job.path for job in plan.jobs}
            for relative in previous:
                if relative not in rendering:
                    out.keep(relative)
        lap("plan")
        with _cache_written(context, store, BuildCache(parsed, fingerprints)) as writer:
            targets = search_targets(layout)
            static, searched = _render_and_index(context, run, targets, out, progress, lap)
            media, images = stage_images(articles, config, out, context.workers)
            static = (*static, *media)  # a patch carries them over, as the static files
            lap("images")
            saved = _state_to_save(
                context, scan, out.manifest_digest(), content, len(articles), len(fingerprints)
            )
            saved = dataclasses.replace(
                saved, render_salt=salt, graph_warnings=graph.warnings if graph else ()
            )
            commit = out.commit()
            lap("commit")
            on_disk = writer is not None and store.land(writer, saved)
            if writer is not None:
                lap("save cache")
    state = SiteState(
        scan.inputs, parsed, graph, tuple(fingerprints), fingerprints, renderer, salt,
        templates, static, out.hashes, saved, content.naive_dates, on_disk=on_disk,
    )  # fmt: skip
    layout_warnings = graph.warnings if graph is not None else layout.warnings
    warnings = build_warnings(
        site, layout_warnings, layout.ordered, content.naive_dates, config.timezone
    )
    outcome = Outcome(*saved.summary, commit, len(plan.jobs), warnings, searched, skipped, images)
    return dataclasses.replace(outcome, moves=moves, rebuild=rebuild), state


def _changes(
    context: BuildContext,
    scan: Scan,
    layout: Layout,
    cache: BuildCache,
    parsed: Parsed,
    salt: str,
    moves: tuple[tuple[str, str], ...],
    previous: dict[str, str],
) -> Changed | str:
    """The articles whose pages alone this build makes, or why it makes them all."""
    saved = scan.saved
    if context.mode is not BuildMode.ONCE:
        return "a preview keeps the whole graph"  # to patch its next edit
    if not saved.inputs_digest or context.options.clean:
        return "no last build to start from"
    if commit_interrupted(context.config.output_path):
        return COMMIT_INTERRUPTED
    if not previous:  # the state describes another output than the live one
        return OUTPUT_CHANGED
    changed = [
        n for n, a, b in zip(PARTS, saved.input_parts, scan.inputs.parts, strict=False) if a != b
    ]
    if changed != ["content"]:
        return f"{', '.join(changed) or 'the inputs'} changed"
    if moves:
        return "an edit moved an article to a new address"
    if saved.render_salt != salt:
        return "what every page shows changed (the navigation)"
    if saved.graph_warnings:
        return "the last layout warned of clashing addresses"
    return find_changes(context, layout, cache.articles, parsed)


def _pages(layout: Layout, found: Changed | str) -> tuple[SiteGraph | None, Sequence[Page]]:
    """The whole graph and its pages, or no graph and the pages showing the changes."""
    if isinstance(found, Changed):
        return None, pages_showing(layout, found)
    graph = graph_of(layout)
    return graph, graph.pages


def _rebuild_taken(rebuild: Rebuild, found: Changed | str, layout: Layout) -> Rebuild:
    """The path this build took, and why: the decision's, made precise."""
    if isinstance(found, str):  # said when it tells more than "content changed"
        known = rebuild.reason != CONTENT_CHANGED
        return (
            rebuild if known else dataclasses.replace(rebuild, reason=f"{rebuild.reason}: {found}")
        )
    paths = [layout.ordered[i].source_path for i in sorted(found.added | found.edited)]
    shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
    words = f"{len(found.added)} added, {len(found.edited)} edited ({shown})"
    return dataclasses.replace(rebuild, kind=RebuildKind.CHANGES, reason=words)


def _published(
    context: BuildContext,
    scan: Scan,
    content: ContentSet,
    cache: BuildCache,
    parsed: Parsed,
    last: SiteState | None,
    store: CacheStore,
) -> tuple[list[Article], tuple[int, int], tuple[tuple[str, str], ...], Scan]:
    """The articles this build publishes, each at its address with its old ones and its
    lead image measured: (articles, (drafts, future articles) left out, moves, the scan)."""
    config = context.config
    articles, drafts, future = select_articles(content.articles, context.options, context.now)
    if context.mode is BuildMode.ONCE and not context.options.allow_shrink:
        last_count = (scan.saved if scan.saved.inputs_digest else store.state()).summary[0]
        check_shrink(last_count, len(articles), context.config.max_shrink)
    before = store.load().articles if context.options.clean and last is None else cache.articles
    articles, moves = follow_moves(articles, before, parsed, config)  # did an edit move one?
    if moves:  # recorded in redirects.tsv, an input: stamped as this build leaves it
        scan = dataclasses.replace(scan, inputs=with_record_restamped(scan.inputs, config))
    return attach_images(articles, config), (drafts, future), moves, scan


def _starting_cache(context: BuildContext, last: SiteState | None, store: CacheStore) -> BuildCache:
    """What the build may reuse: nothing (--clean), the last state's, or the disk cache's."""
    if context.options.clean:
        return BuildCache()
    if last is not None:
        return BuildCache(dict(last.articles), dict(last.fingerprints))
    return store.load()


def _load(
    context: BuildContext, scan: Scan, cache: BuildCache, progress: Progress
) -> tuple[ContentSet, Parsed]:
    """Every article, parsed if its file changed; raises with every error found."""
    progress.start("Loading", len(scan.inputs.articles))
    # a preview keeps its graph for the session: no bodies in it, whatever they save
    keep_bodies = context.mode is BuildMode.ONCE
    config, workers = context.config, context.workers
    content, parsed = load_changed(
        scan.inputs.articles, config, cache, workers, progress.advance, keep_bodies
    )
    raise_all(content.errors)
    return content, parsed


def _renderer(context: BuildContext, site: SiteInfo) -> tuple[Renderer, str, dict[str, str]]:
    """The renderer, and what page fingerprints are salted with: (renderer, salt, templates)."""
    config, theme = context.config, context.theme
    compiled = compiled_templates(context)
    renderer = Renderer(site, template_dirs(config, theme), theme, compiled)
    salt = render_salt(site, config_digest(config, theme))
    return renderer, salt, template_digests_kept(renderer, compiled)


@contextmanager
def _cache_written(
    context: BuildContext, store: CacheStore, cache: BuildCache
) -> Iterator[CacheWriter | None]:
    """`archivegen build` writes the cache in a child process while it renders (landed by
    the caller after the commit; thrown away if the build fails). Forked before any thread
    (the render pool's, Pagefind's) is running. A preview saves later, in the background."""
    if context.mode is not BuildMode.ONCE:
        yield None
        return
    writer = store.writer(cache)
    try:
        yield writer
    except BaseException:
        writer.discard()
        raise


def _render_and_index(
    context: BuildContext,
    run: RenderRun,
    targets: Sequence[tuple[str, str]],
    out: StagedOutput,
    progress: Progress,
    lap: Stopwatch,
) -> tuple[tuple[str, ...], SearchReport | None]:
    """Render the planned pages, stage the static files, index: (static files, index report).

    Render workers and Pagefind both want every core, so overlapping them pays only when
    the listings to render are few (an added article): then Pagefind indexes the article
    pages, rendered first, while the listings render.
    """
    search = context.config.search
    run.start()
    pending = None
    try:
        if search and run.listing_jobs <= OVERLAP_LISTINGS:
            run.render_articles()
            pending = start_indexing(targets, out, context)
        run.finish()
        if search and pending is None:
            pending = start_indexing(targets, out, context)
        static = _stage_static(context, out)
        lap("render")
        progress.start("Indexing", 1)
        searched = pending.finish() if pending is not None else None
        progress.advance()
        lap("search")
    finally:
        if pending is not None:
            pending.close()
    return static, searched


def _stage_static(context: BuildContext, out: StagedOutput) -> tuple[str, ...]:
    """Stage the theme's and the site's static files; their output paths."""
    static = []
    for relative, data in static_files(context.config, context.theme):
        out.write(relative, data)
        static.append(relative)
    return tuple(static)


def _state_to_save(
    context: BuildContext,
    scan: Scan,
    manifest_digest: str,
    content: ContentSet,
    published: int,
    pages: int,
) -> BuildState:
    """What the cache on disk will say of the output this build commits."""
    return BuildState(
        inputs_digest=scan.inputs.digest,
        output_manifest_digest=manifest_digest,
        next_embargo=next_embargo(content.articles, context.now, context.options),
        summary=(published, pages),
        input_parts=scan.inputs.parts,
        theme_files=scan.inputs.theme,
    )


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


def compiled_templates(context: BuildContext) -> Path:
    """Where compiled templates are kept: beside the cache, per archivegen code (which
    decides the Jinja options they were compiled with); other codes' folders are removed."""
    folder = cache_folder(context.config.root, context.config.output_path)
    current = folder / f"templates-{code_digest()[:12]}"
    for old in folder.glob("templates-*"):
        if old != current:
            shutil.rmtree(old, ignore_errors=True)
    return current
