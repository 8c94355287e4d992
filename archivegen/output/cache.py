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
STATE_FILE = "build-state.pickle"
FORMAT = f"archivegen {__version__} cache 1 / python {sys.version_info[:2]}"

FileStamp = tuple[int, int]  # (size, mtime_ns)


@dataclass(frozen=True, slots=True)
class BuildState:
    """The small part of the cache that says whether anything changed at all."""

    inputs_digest: str = ""
    output_manifest_digest: str = ""
    next_embargo: float | None = None  # the earliest future article date left out (timestamp)
    summary: tuple[int, int] = (0, 0)  # (articles, pages), for an up-to-date build's report


@dataclass(slots=True)
class BuildCache:
    """What the last good build knew about each article file and each page."""

    articles: dict[str, tuple[FileStamp, LoadedArticle]] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)  # output path -> page fingerprint


def cache_folder(root: Path, output: Path) -> Path:
    """The cache of one output folder: two configs building elsewhere never share one."""
    return root / CACHE_DIR / content_hash(str(output.resolve()).encode())[:12]


def cache_path(root: Path, output: Path) -> Path:
    """Where a site's build cache lives."""
    return cache_folder(root, output) / CACHE_FILE


def state_path(root: Path, output: Path) -> Path:
    """Where the small up-to-date record lives (read first, and alone when nothing changed)."""
    return cache_folder(root, output) / STATE_FILE


def load_state(root: Path, output: Path) -> BuildState:
    """The last build's state, or an empty one when there is none to trust."""
    found = _load_checked(state_path(root, output))
    return found if isinstance(found, BuildState) else BuildState()


def load_cache(root: Path, output: Path) -> BuildCache:
    """The last build's cache, or an empty one when there is none to trust."""
    found = _load_checked(cache_path(root, output))
    return found if isinstance(found, BuildCache) else BuildCache()


def save_cache(root: Path, output: Path, state: BuildState, cache: BuildCache) -> None:
    """Write cache then state, each atomically: a state never vouches for a missing cache."""
    _save_checked(cache_path(root, output), cache)
    _save_checked(state_path(root, output), state)


def _load_checked(path: Path) -> object:
    try:
        with path.open("rb") as handle:
            if pickle.load(handle) != FORMAT:
                return None
            expected = pickle.load(handle)
            body = handle.read()
        if content_hash(body) != expected:  # a torn or corrupted file
            return None
        return pickle.loads(body)
    except Exception:  # any unreadable cache is simply not used
        return None


def _save_checked(path: Path, value: object) -> None:
    body = pickle.dumps(value, protocol=5)
    header = pickle.dumps(FORMAT, protocol=5) + pickle.dumps(content_hash(body), protocol=5)
    write_atomic(path, header + body)
