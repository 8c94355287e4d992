"""Render the pages that changed, on all cores, straight into the staged output.

A page whose fingerprint matches the last build's, and whose file is still in place, is
carried over without rendering. The others are rendered by forked workers that write into
the staging folder and send back only (path, hash, staged?) — never the HTML itself.
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
from archivegen.output.site import StagedOutput, content_hash
from archivegen.pipeline.workers import map_chunks
from archivegen.render.fingerprint import Fingerprinter
from archivegen.render.renderer import Renderer

CHUNK = 100  # pages per task at most; fewer when there are few, so every core gets work
MIN_CHUNK = 25
FINGERPRINT_CHUNK = 2000  # pages per task: hashing one costs ~25 µs


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
    staging: Path
    out: StagedOutput
    config: SiteConfig


def plan_render(
    pages: Sequence[Page],
    previous: dict[str, str],
    out: StagedOutput,
    fingerprinter: Fingerprinter,
    workers: int = 1,
) -> RenderPlan:
    """Keep every page whose inputs did not change; list the rest as jobs."""
    jobs: list[tuple[str, Page]] = []
    fingerprints: dict[str, str] = {}
    relatives = [output_path(page.url) for page in pages]
    # on all cores: a page's fingerprint is a pure function of its value
    computed = map_chunks(_fingerprint_chunk, fingerprinter, pages, workers, FINGERPRINT_CHUNK)
    carried = 0
    for relative, page, fingerprint in zip(relatives, pages, computed, strict=True):
        fingerprints[relative] = fingerprint
        if previous.get(relative) == fingerprint and out.keep(relative):
            carried += 1
        else:
            jobs.append((relative, page))
    return RenderPlan(jobs=jobs, fingerprints=fingerprints, carried=carried, relatives=relatives)


def _fingerprint_chunk(fingerprinter: Fingerprinter, pages: Sequence[Page]) -> list[str]:
    return [fingerprinter.page(page) for page in pages]


def render_jobs(
    jobs: Sequence[tuple[str, Page]],
    renderer: Renderer,
    out: StagedOutput,
    config: SiteConfig,
    workers: int,
    on_done: Callable[[int], None],
) -> None:
    """Render the jobs (in parallel when there are many) and record them in the output."""
    context = _WorkerContext(renderer, out.staging, out, config)
    for relative, digest, staged in map_chunks(
        _render_chunk, context, jobs, workers, chunk_size(len(jobs), workers), on_done
    ):
        out.record(relative, digest, staged)


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


def _render_chunk(
    context: _WorkerContext, jobs: Sequence[tuple[str, Page]]
) -> list[tuple[str, str, bool]]:
    results = []
    for relative, page in jobs:
        if isinstance(page, ArticlePage) and not page.article.body_html:
            page = with_body(page, context.config)
        data = context.renderer.render(page)
        digest = content_hash(data)
        staged = not context.out.is_current(relative, digest)
        if staged:
            target = context.staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        results.append((relative, digest, staged))
    return results
