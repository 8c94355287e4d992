"""The persistent build cache in `.archivegen/` beside site.yaml.

It remembers, from the last successful build:
- each article file's (size, mtime) and what loading it gave, so unchanged files are not parsed;
- each output file's page fingerprint, so unchanged pages are not rendered;
- a digest of every input's (path, size, mtime), so a build with nothing changed stops early.
A cache written by another archivegen or Python version, or one that cannot be read, is
ignored whole: the price is one full build, never a wrong site.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from archivegen import __version__
from archivegen.content.loader import LoadedArticle
from archivegen.output.atomic import open_atomic
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
        digest = hashlib.blake2b(body, digest_size=16).hexdigest()
        if digest.encode() != data[-TRAILER:]:  # a torn or corrupted file
            return None
        return pickle.loads(body)
    except Exception:  # any unreadable cache is simply not used
        return None


class _HashingWriter(io.RawIOBase):
    """A file wrapper that hashes what passes through it."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.hash = hashlib.blake2b(digest_size=16)

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
    """Writes a build's cache on a thread while the build goes on; it lands only on `land`.

    Pickling the cache of a large site takes a few tenths of a second, and the search
    index step spends that long waiting for Pagefind, another process: writing the cache
    meanwhile takes it off the build's path. Until `land`, the cache sits in a pending file
    beside the real one, so a build that fails later never leaves a cache that vouches for
    an output it did not write.
    """

    def __init__(self, root: Path, output: Path, cache: BuildCache) -> None:
        self.root, self.output = root, output
        target = cache_path(root, output)
        target.parent.mkdir(parents=True, exist_ok=True)
        self._pending = target.with_name(f".{target.name}.{os.getpid()}.pending")
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._write, args=(cache,), daemon=True)
        self._thread.start()

    def _write(self, cache: BuildCache) -> None:
        try:
            with open(self._pending, "wb") as handle:
                _dump_checked(handle, cache)
        except BaseException as exc:  # raised again by `land`, on the build's own thread
            self._error = exc

    def land(self, state: BuildState) -> None:
        """Put the cache in place, then the state that vouches for it."""
        self._thread.join()
        if self._error is not None:
            self.discard()
            raise self._error
        os.replace(self._pending, cache_path(self.root, self.output))
        _save_checked(state_path(self.root, self.output), state)

    def discard(self) -> None:
        """Forget the pending cache (the build failed)."""
        self._thread.join()
        self._pending.unlink(missing_ok=True)
