"""Load articles, parsing only the files that changed since the last build, on all cores.

The files parsed are rendered too, when their bodies fit BODY_BUDGET: the render step then
writes their pages without reading and parsing each file a second time (a cold build of
10,000 articles saves ~190 µs of CPU per article). Larger loads keep only the excerpts in
memory, and each body is rendered by the worker that writes its page. The build cache
never holds a body.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path

from archivegen.config import SiteConfig
from archivegen.content.files import FileStamp
from archivegen.content.loader import (
    ContentSet,
    LoadedArticle,
    collect,
    load_article_file,
)
from archivegen.output.cache import BuildCache
from archivegen.pipeline.workers import map_chunks

CHUNK = 200
BODY_BUDGET = 128_000_000  # bytes of Markdown whose rendered bodies a build may hold


def load_changed(
    files: Sequence[tuple[str, FileStamp]],
    config: SiteConfig,
    cache: BuildCache,
    workers: int,
    on_done: Callable[[int], None],
    keep_bodies: bool = True,
) -> tuple[ContentSet, dict[str, tuple[FileStamp, LoadedArticle]]]:
    """Every article: from the cache when its stamp is unchanged, else parsed anew.

    Returns the content (with the bodies of the files parsed now, if `keep_bodies` and
    their sizes add up to BODY_BUDGET bytes at most) and the cache entries for the next
    build (no bodies).
    """
    entries: dict[str, tuple[FileStamp, LoadedArticle]] = {}
    stale: list[tuple[str, FileStamp]] = []
    for path, stamp in files:
        cached = cache.articles.get(path)
        if cached is not None and cached[0] == stamp:
            entries[path] = cached
        else:
            stale.append((path, stamp))
    on_done(len(entries))
    paths = [Path(path) for path, _ in stale]
    with_bodies = keep_bodies and sum(size for _, (size, _) in stale) <= BODY_BUDGET
    task = _load_chunk_with_bodies if with_bodies else _load_chunk
    fresh: dict[str, LoadedArticle] = {}  # parsed now, with their bodies if kept
    for (path, stamp), outcome in zip(
        stale, map_chunks(task, config, paths, workers, CHUNK, on_done), strict=True
    ):
        fresh[path] = outcome
        entries[path] = (stamp, _without_body(outcome) if with_bodies else outcome)
    return collect(fresh.get(path) or entries[path][1] for path, _ in files), entries


def _load_chunk(config: SiteConfig, paths: Sequence[Path]) -> list[LoadedArticle]:
    return [load_article_file(path, config, with_body=False) for path in paths]


def _load_chunk_with_bodies(config: SiteConfig, paths: Sequence[Path]) -> list[LoadedArticle]:
    return [load_article_file(path, config, with_body=True) for path in paths]


def _without_body(outcome: LoadedArticle) -> LoadedArticle:
    article = outcome.article
    if article is None or not article.body_html:
        return outcome
    return dataclasses.replace(outcome, article=dataclasses.replace(article, body_html=""))
