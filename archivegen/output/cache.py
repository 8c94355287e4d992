"""The persistent build cache in `.archivegen/` beside site.yaml.

It remembers, from the last successful build:
- each article file's (size, mtime) and what loading it gave, so unchanged files are not parsed;
- each output file's page fingerprint, so unchanged pages are not rendered;
- a digest of every input's (path, size, mtime), so a build with nothing changed stops early.
A cache written by another archivegen or Python version, or one that cannot be read, is
ignored whole: the price is one full build, never a wrong site.
"""

from __future__ import annotations

import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path

from archivegen import __version__
from archivegen.content.loader import LoadedArticle
from archivegen.output.atomic import write_atomic
from archivegen.output.site import content_hash

CACHE_DIR = ".archivegen"
CACHE_FILE = "build-cache.pickle"
FORMAT = f"archivegen {__version__} cache 1 / python {sys.version_info[:2]}"

FileStamp = tuple[int, int]  # (size, mtime_ns)


@dataclass(slots=True)
class BuildCache:
    """What the last good build knew; `inputs_digest` empty means nothing is trusted."""

    inputs_digest: str = ""
    output_manifest_digest: str = ""
    next_embargo: float | None = None  # the earliest future article date left out (timestamp)
    articles: dict[str, tuple[FileStamp, LoadedArticle]] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)  # output path -> page fingerprint
    summary: tuple[int, int] = (0, 0)  # (articles, pages), for an up-to-date build's report


def cache_path(root: Path) -> Path:
    """Where a site's build cache lives."""
    return root / CACHE_DIR / CACHE_FILE


def load_cache(root: Path) -> BuildCache:
    """The last build's cache, or an empty one when there is none to trust."""
    try:
        with cache_path(root).open("rb") as handle:
            if pickle.load(handle) != FORMAT:
                return BuildCache()
            expected = pickle.load(handle)
            body = handle.read()
        if content_hash(body) != expected:  # a torn or corrupted file
            return BuildCache()
        cache = pickle.loads(body)
    except Exception:
        return BuildCache()
    return cache if isinstance(cache, BuildCache) else BuildCache()


def save_cache(root: Path, cache: BuildCache) -> None:
    """Write the cache atomically (a crash mid-write leaves the old one)."""
    body = pickle.dumps(cache, protocol=5)
    header = pickle.dumps(FORMAT, protocol=5) + pickle.dumps(content_hash(body), protocol=5)
    write_atomic(cache_path(root), header + body)


def forget_cache(root: Path) -> None:
    """Remove the cache (a failed build must not leave one that claims otherwise)."""
    cache_path(root).unlink(missing_ok=True)
