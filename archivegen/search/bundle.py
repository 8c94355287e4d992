"""Pagefind bundles: where they go, how one is built and delivered, and the state file it carries.

Layout: a shard's bundle is the folder `pagefind/<shard>/` (`pagefind/` for an unsharded
index) with Pagefind's files and a state file (`archivegen-index.json`): the shard's
fingerprint, its page count and the hash and size of every bundle file, which the next
build reads to decide whether the bundle can be reused (`search.index`).

Build: the shard's pages are hard-linked (not read, not copied) from where the build has
them (staging or the live site) into a scratch folder on the sink's file system; the
Pagefind binary (`search.runner`) indexes them into a scratch bundle, whose files are moved
into the sink (again no copy) and recorded with their hashes in the state file. The scratch
folder is removed whatever happens; a failed Pagefind run raises SearchError with its message.

Nothing here writes into the site folder: files go through a `FileSink` (the build's staged
output), so they land together with the pages, or not at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeAlias

from archivegen.digest import digest
from archivegen.errors import SearchError
from archivegen.search.runner import pagefind_version, run_pagefind

INDEX_DIR = "pagefind"
STATE_NAME = "archivegen-index.json"
STATE_FILE = f"{INDEX_DIR}/{STATE_NAME}"  # of the unsharded bundle
STATE_VERSION = 2


class FileSink(Protocol):
    """Where index files go: the build's staged output (`StagedOutput`)."""

    def write(self, relative: str, data: bytes) -> bool: ...

    def write_file(self, relative: str, path: Path, digest: str) -> bool:
        """Take a finished file whose digest the caller knows (the sink may move it: it is
        not used again)."""
        ...

    def can_keep(self, relative: str, digest: str) -> bool: ...

    def keep(self, relative: str) -> bool: ...

    def scratch(self, label: str) -> Path:
        """A new folder to make files in, on the file system the sink moves them from."""
        ...


# A page to index: where it lies now (`StagedOutput.path_of`), or its bytes (tests, tools)
PageSource: TypeAlias = Callable[[str], Path] | bytes


@dataclass(frozen=True, slots=True)
class BundleSize:
    """What one delivered or reused bundle holds, for the step's report."""

    pages: int
    files: int
    bytes: int


@dataclass(frozen=True, slots=True)
class RecordedBundle:
    """A live bundle as its state file records it, built from the same pages as now."""

    pages: int
    # relative path → digest and → size, as read: a bad value fails to match, so a rebuild
    files: dict[str, str]
    sizes: dict[str, int] | None  # None when the state has no sizes: then read and check
    state_digest: str  # of the state file itself


class Shard:
    """The article pages of one bundle, and where the bundle goes."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.folder = f"{INDEX_DIR}/{name}" if name else INDEX_DIR
        self.state_file = f"{self.folder}/{STATE_NAME}"
        self.sources: dict[str, PageSource] = {}
        self.hashes: dict[str, str] = {}

    def add(self, relative: str, digest: str, source: PageSource) -> None:
        self.sources[relative] = source
        self.hashes[relative] = digest

    def fingerprint(self, language: str) -> str:
        """A hash of everything the bundle depends on: its pages, the language, Pagefind."""
        # sha256, not archivegen.digest: it is written into every state file, and another
        # hash would change those bytes (and rebuild every live shard once)
        fingerprint = hashlib.sha256()
        header = {"v": STATE_VERSION, "pagefind": pagefind_version(), "lang": language}
        fingerprint.update(json.dumps(header, sort_keys=True).encode())
        for relative in sorted(self.hashes):
            fingerprint.update(f"\n{relative}\t{self.hashes[relative]}".encode())
        return fingerprint.hexdigest()

    def link_pages(self, folder: Path) -> None:
        """Put the shard's pages into `folder/site`: hard links to where they lie now."""
        site = folder / "site"
        site.mkdir(parents=True)
        for relative, source in self.sources.items():
            target = site / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(source, bytes):
                target.write_bytes(source)
            else:
                _link_page(source(relative), target, relative)

    def run_pagefind(self, language: str, folder: Path) -> tuple[int, Path]:
        """Index a `folder` the pages were linked into; (the page count, its bundle folder)."""
        bundle = folder / "bundle"
        pages = run_pagefind(folder / "site", bundle, language)
        if not any(path.is_file() for path in bundle.rglob("*")):
            raise SearchError("Pagefind wrote no index files", field="search")
        return pages, bundle


class BundleBuilder:
    """Builds shards' bundles, `workers` at a time, and delivers each to the sink.

    The scratch folder, made at the first `start`, comes from the sink: one file system, so
    pages are hard-linked in and bundle files moved out. `finish` delivers the bundles in
    the order the shards were started, each as soon as it is built. `close`, even after an
    error, starts no other Pagefind run, waits for the running ones and removes it all.
    """

    def __init__(self, language: str, sink: FileSink, workers: int) -> None:
        self.language, self.sink, self.workers = language, sink, max(1, workers)
        self.started = 0
        self._pool: ThreadPoolExecutor | None = None
        self._scratch: Path | None = None
        self._running: list[tuple[Shard, str, Path, Future[tuple[int, Path]]]] = []

    def start(self, shard: Shard, fingerprint: str) -> None:
        """Link one shard's pages into the scratch folder; Pagefind runs when a worker is free."""
        if self._pool is None or self._scratch is None:
            self._scratch = self.sink.scratch("search")
            self._pool = ThreadPoolExecutor(max_workers=self.workers)
        folder = self._scratch / str(self.started)
        # linking is quick and runs here: in a worker thread, each of its many system calls
        # would wait for the GIL while this thread vouches for the other shards' files
        shard.link_pages(folder)
        future = self._pool.submit(shard.run_pagefind, self.language, folder)
        self._running.append((shard, fingerprint, folder, future))
        self.started += 1

    def finish(self) -> list[BundleSize]:
        """Wait for every started shard and deliver its bundle to the sink."""
        sizes = []
        for shard, fingerprint, folder, future in self._running:
            pages, bundle = future.result()
            sizes.append(_deliver(shard, fingerprint, pages, bundle, self.sink))
            shutil.rmtree(folder, ignore_errors=True)
        self._running.clear()
        return sizes

    def close(self) -> None:
        """Start no other Pagefind run, wait for the running ones, remove the scratch folder."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)


def _link_page(page: Path, target: Path, relative: str) -> None:
    """Put a page into the scratch site without copying it: a hard link, else a copy."""
    try:
        os.link(page, target)
    except OSError:
        try:
            shutil.copyfile(page, target)  # another file system, or no hard links there
        except OSError as exc:
            raise SearchError(
                f"{relative}: the page to index could not be read ({exc})", field="search"
            ) from None


def _deliver(
    shard: Shard, fingerprint: str, pages: int, bundle: Path, sink: FileSink
) -> BundleSize:
    """Hand a freshly built bundle and its state file to the sink.

    A staging sink gets each new file moved into its staging folder (no copy) and
    recorded; a file the live site already holds with the same bytes is only recorded.
    """
    files: dict[str, tuple[str, int]] = {}
    for path in sorted(bundle.rglob("*")):
        if not path.is_file():
            continue
        relative = f"{shard.folder}/{path.relative_to(bundle).as_posix()}"
        data = path.read_bytes()
        file_digest = digest(data)
        files[relative] = (file_digest, len(data))
        sink.write_file(relative, path, file_digest)
    return write_state(shard, fingerprint, pages, files, sink)


def write_state(
    shard: Shard, fingerprint: str, pages: int, files: dict[str, tuple[str, int]], sink: FileSink
) -> BundleSize:
    """Write the state file of a bundle whose `files` ((hash, size) by path) are written."""
    state = {
        "version": STATE_VERSION,
        "generator": "archivegen",
        "fingerprint": fingerprint,
        "pages": pages,
        "files": {relative: file_digest for relative, (file_digest, _) in sorted(files.items())},
        "sizes": {relative: size for relative, (_, size) in sorted(files.items())},
    }
    sink.write(shard.state_file, json.dumps(state, sort_keys=True, indent=0).encode())
    return BundleSize(pages, len(files), sum(size for _, size in files.values()))


def read_state(path: Path, fingerprint: str) -> RecordedBundle | None:
    """The bundle recorded by the state file at `path`, if it has this fingerprint."""
    try:
        raw = path.read_bytes()
        state = json.loads(raw)
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
        return None
    if state.get("fingerprint") != fingerprint or not isinstance(state.get("files"), dict):
        return None
    if not isinstance(state.get("pages"), int):
        return None
    sizes = state.get("sizes")
    return RecordedBundle(
        pages=state["pages"],
        files=state["files"],
        sizes=sizes if isinstance(sizes, dict) else None,
        state_digest=digest(raw),
    )
