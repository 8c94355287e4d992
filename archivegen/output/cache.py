"""The persistent build cache in `.archivegen/` beside site.yaml.

It remembers, from the last successful build:
- each article file's (size, mtime) and what loading it gave, so unchanged files are not parsed;
- each output file's page fingerprint, so unchanged pages are not rendered;
- a digest of every input's (path, size, mtime), so a build with nothing changed stops early.
A cache written by another archivegen or Python version, or one that cannot be read, is
ignored whole: the price is one full build, never a wrong site.

The cache is a base snapshot plus a delta: a build that changed a few articles writes only
what differs from the base (kilobytes, not the whole archive's 10-100 MB), and a new base
once the delta grows past a fifth of it. A delta names the base it was written against; a
delta that does not match its base makes the whole cache unreadable, never half-applied.
"""

from __future__ import annotations

import io
import os
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from archivegen import __version__
from archivegen.content.files import FileStamp
from archivegen.digest import digest, hasher
from archivegen.output.atomic import open_atomic

if TYPE_CHECKING:
    from archivegen.content.loader import LoadedArticle

CACHE_DIR = ".archivegen"
CACHE_FILE = "build-cache.pickle"
DELTA_FILE = "build-cache-delta.pickle"
STATE_FILE = "build-state.pickle"
FORMAT = f"archivegen {__version__} cache 5 / python {sys.version_info[:2]}"
DELTA_SHARE = 0.2  # a delta larger than this share of the entries: write a new base


@dataclass(frozen=True, slots=True)
class BuildState:
    """The small part of the cache that says whether anything changed at all."""

    inputs_digest: str = ""
    output_manifest_digest: str = ""
    next_embargo: float | None = None  # the earliest future article date left out (timestamp)
    summary: tuple[int, int] = (0, 0)  # (articles, pages), for an up-to-date build's report
    input_parts: tuple[str, ...] = ()  # a digest per group of inputs, to say which changed
    theme_files: tuple[bytes, ...] = ()  # the stamps of the theme's files, to name one
    render_salt: str = ""  # what every page's fingerprint depends on (the site info)
    graph_warnings: tuple[str, ...] = ()  # the layout's warnings (clashing addresses)


@dataclass(slots=True)
class BuildCache:
    """What the last good build knew about each article file and each page."""

    articles: dict[str, tuple[FileStamp, LoadedArticle]] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)  # output path -> page fingerprint


@dataclass(frozen=True, slots=True)
class CacheBase:
    """The base snapshot on disk, as written: what the next delta is computed against."""

    token: str
    articles: dict[str, tuple[FileStamp, LoadedArticle]]
    pages: dict[str, str]


def cache_folder(root: Path, output: Path) -> Path:
    """The cache of one output folder: two configs building elsewhere never share one."""
    return root / CACHE_DIR / digest(str(output.resolve()).encode())[:12]


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


def load_cache(root: Path, output: Path) -> tuple[BuildCache, CacheBase | None]:
    """The last build's cache and the base it came from; empty when there is none to trust."""
    folder = cache_folder(root, output)
    base = _load_checked(folder / CACHE_FILE)
    if not isinstance(base, dict) or not isinstance(base.get("token"), str):
        return BuildCache(), None
    snapshot = CacheBase(base["token"], base["articles"], base["pages"])
    articles, pages = dict(snapshot.articles), dict(snapshot.pages)
    if (folder / DELTA_FILE).exists():
        delta = _load_checked(folder / DELTA_FILE)
        if not isinstance(delta, dict) or delta.get("base") != snapshot.token:
            return BuildCache(), None  # torn, or written against another base
        articles.update(delta["articles"])
        pages.update(delta["pages"])
        for key in delta["articles_removed"]:
            articles.pop(key, None)
        for key in delta["pages_removed"]:
            pages.pop(key, None)
    return BuildCache(articles, pages), snapshot


# A cache file: the pickled FORMAT line, the pickled value, then the value's digest (hex,
# TRAILER bytes): written in one streaming pass, so no second copy of a large cache is
# held in memory, and checked before a single object is unpickled.
TRAILER = 32


def _load_checked(path: Path) -> object:
    try:
        data = path.read_bytes()
        stream = io.BytesIO(data)
        if pickle.load(stream) != FORMAT:
            return None
        body = memoryview(data)[stream.tell() : len(data) - TRAILER]
        if digest(body).encode() != data[-TRAILER:]:  # a torn or corrupted file
            return None
        return pickle.loads(body)
    except Exception:  # any unreadable cache is simply not used
        return None


class _HashingWriter(io.RawIOBase):
    """A file wrapper that hashes what passes through it."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.hash = hasher()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self.hash.update(data)
        return self.handle.write(data)


def _save_checked(path: Path, value: object) -> None:
    with open_atomic(path) as handle:
        _dump_checked(handle, value)


def _dump_checked(handle: BinaryIO, value: object) -> None:
    pickle.dump(FORMAT, handle, protocol=5)
    hashing = _HashingWriter(handle)
    pickle.dump(value, hashing, protocol=5)
    handle.write(hashing.hash.hexdigest().encode())


class CacheWriter:
    """Writes a build's cache, in a forked child when asked, while the build goes on.

    Until `land`, it sits in pending files beside the real ones, so a build that fails
    later never leaves a cache that vouches for an output it did not write. `background`:
    a child process, not a thread (a thread would hold the interpreter lock the build's many
    small system calls wait for); with `state` given, the child lands the cache itself and
    the caller only waits for it (`wait`) before the next save, so saves land in order.
    """

    def __init__(
        self,
        root: Path,
        output: Path,
        cache: BuildCache,
        base: CacheBase | None,
        background: bool = True,
        state: BuildState | None = None,
    ) -> None:
        self.folder = cache_folder(root, output)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.base, self._payload, self._is_delta = _plan_write(cache, base)
        name = DELTA_FILE if self._is_delta else CACHE_FILE
        self._target = self.folder / name
        self._pending = self.folder / f".{name}.{os.getpid()}.pending"
        self._child: int | None = None
        self._written = False
        if not background or not hasattr(os, "fork"):
            self._written = self._write()
            if state is not None:
                self.land(state)
            return
        self._child = os.fork()
        if self._child == 0:  # the child: write, then leave at once (no atexit, no threads)
            ok = self._write()
            if ok and state is not None:
                try:
                    self._land(state)
                except Exception:
                    ok = False
            os._exit(0 if ok else 1)

    def _write(self) -> bool:
        try:
            with open(self._pending, "wb") as handle:
                _dump_checked(handle, self._payload)
            return True
        except Exception:
            return False

    def wait(self) -> bool:
        """Wait for the child (if any); True when the cache was written."""
        if self._child is not None:
            _, status = os.waitpid(self._child, 0)
            self._child, self._written = None, status == 0
        return self._written

    def land(self, state: BuildState) -> bool:
        """Put the cache in place, then the state that vouches for it; False if unwritten.

        A cache that could not be written is not an error of the build: the last state
        stays, which the next build does not trust for this output, so it renders again.
        """
        if not self.wait():
            self.discard()
            return False
        self._land(state)
        return True

    def _land(self, state: BuildState) -> None:
        if not self._is_delta:  # a new base: the old delta belongs to the old base
            (self.folder / DELTA_FILE).unlink(missing_ok=True)
        os.replace(self._pending, self._target)
        _save_checked(self.folder / STATE_FILE, state)

    def discard(self) -> None:
        """Forget the pending cache (the build failed)."""
        self.wait()
        self._pending.unlink(missing_ok=True)


def _plan_write(
    cache: BuildCache, base: CacheBase | None
) -> tuple[CacheBase, dict[str, object], bool]:
    """(the base after this write, what to write, whether it is a delta)."""
    if base is not None:
        # entries loaded unchanged are the very objects of the base; fingerprints are text
        articles = {k: v for k, v in cache.articles.items() if base.articles.get(k) is not v}
        pages = {k: v for k, v in cache.pages.items() if base.pages.get(k) != v}
        gone_articles = [k for k in base.articles if k not in cache.articles]
        gone_pages = [k for k in base.pages if k not in cache.pages]
        size = len(articles) + len(pages) + len(gone_articles) + len(gone_pages)
        if size <= DELTA_SHARE * (len(base.articles) + len(base.pages)):
            delta: dict[str, object] = {
                "base": base.token,
                "articles": articles,
                "pages": pages,
                "articles_removed": gone_articles,
                "pages_removed": gone_pages,
            }
            return base, delta, True
    token = os.urandom(8).hex()
    fresh = CacheBase(token, dict(cache.articles), dict(cache.pages))
    return fresh, {"token": token, "articles": fresh.articles, "pages": fresh.pages}, False


class CacheStore:
    """The build cache of one output on disk: read it, write it, one save at a time.

    Owns the base snapshot the next delta is computed against and the save running in the
    background, if any: every read or write waits for that save first, so saves land in
    the order they were made and a read never sees half of one.
    """

    def __init__(self, root: Path, output: Path) -> None:
        self.root, self.output = root, output
        self._base: CacheBase | None = None
        self._saver: CacheWriter | None = None

    def state(self) -> BuildState:
        """The last build's state (small: read alone when nothing changed)."""
        self.wait()
        return load_state(self.root, self.output)

    def load(self) -> BuildCache:
        """The last build's cache, empty when there is none to trust."""
        self.wait()
        cache, self._base = load_cache(self.root, self.output)
        return cache

    def writer(self, cache: BuildCache) -> CacheWriter:
        """Start writing a build's cache in a forked child; `land` it after the commit."""
        self.wait()
        return CacheWriter(self.root, self.output, cache, self._base)

    def land(self, writer: CacheWriter, state: BuildState) -> bool:
        """Put a written cache in place, with the state that vouches for it; False when the
        child could not write it (the last state stays: the next build renders again)."""
        landed = writer.land(state)
        if landed:
            self._base = writer.base
        return landed

    def save(self, cache: BuildCache, state: BuildState, background: bool = False) -> None:
        """Write a cache and its state; `background`: in a forked child (see CacheWriter)."""
        self.wait()
        self._saver = CacheWriter(self.root, self.output, cache, self._base, background, state)
        self._base = self._saver.base

    def wait(self) -> None:
        """Wait for a background save to finish."""
        if self._saver is not None:
            self._saver.wait()
            self._saver = None
