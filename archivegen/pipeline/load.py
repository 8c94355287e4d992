"""Load articles, parsing only the files that changed since the last build, on all cores."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from archivegen.config import SiteConfig
from archivegen.content.loader import (
    ContentSet,
    FileStamp,
    LoadedArticle,
    collect,
    load_article_file,
)
from archivegen.output.cache import BuildCache
from archivegen.pipeline.workers import map_chunks

CHUNK = 200


def load_changed(
    files: Sequence[tuple[str, FileStamp]],
    config: SiteConfig,
    cache: BuildCache,
    workers: int,
    on_done: Callable[[int], None],
) -> tuple[ContentSet, dict[str, tuple[FileStamp, LoadedArticle]]]:
    """Every article: from the cache when its stamp is unchanged, else parsed anew.

    Returns the content and the cache entries for the next build.
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
    loaded = map_chunks(_load_chunk, config, paths, workers, CHUNK, on_done)
    for (path, stamp), outcome in zip(stale, loaded, strict=True):
        entries[path] = (stamp, outcome)
    ordered = [entries[path][1] for path, _ in files]
    return collect(ordered), entries


def _load_chunk(config: SiteConfig, paths: Sequence[Path]) -> list[LoadedArticle]:
    # bodies are rendered later, by the worker that writes each article's page
    return [load_article_file(path, config, with_body=False) for path in paths]
