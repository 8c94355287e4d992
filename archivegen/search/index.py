"""The search index step of a build: collect the article pages, then reuse or rebuild.

The index is sharded: each shard (a calendar range of the archive: a year, a quarter or a
month, see `graph.site.search_shards`) is its own Pagefind bundle under `pagefind/<shard>/`,
reused or rebuilt on its own, and merged in the browser (`mergeIndex`). A new or edited
article rebuilds one shard, and Pagefind's memory is bounded by the largest shard, not by
the archive.

Reuse rule: the index is a pure function of (the article pages' bytes, the language, the
Pagefind version). That fingerprint is stored beside the index (`STATE_FILE`, with the hash
of every index file). When the next build computes the same fingerprint and the live index
files still hash as recorded, the old files are handed back to the staged output unchanged:
it sees identical bytes and rewrites nothing. Any doubt (no state, a missing or edited
file, --clean) means a rebuild, which is always correct, only slower.

Rebuild: the shard's pages are hard-linked (not read, not copied) from where the build has
them (staging or the live site) into a scratch folder beside the staging folder; the
Pagefind binary indexes them into a scratch bundle, whose files are moved into the
staging folder (again no copy) and recorded with their hashes. The scratch folder is
removed whatever happens; a failed Pagefind run raises SearchError with its message.

Nothing here writes into the site folder: files go through a `FileSink` (the build's staged
output), so they land together with the pages, or not at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeAlias

from archivegen.digest import digest
from archivegen.errors import SearchError
from archivegen.search.runner import pagefind_version, run_pagefind

INDEX_DIR = "pagefind"
STATE_NAME = "archivegen-index.json"
STATE_FILE = f"{INDEX_DIR}/{STATE_NAME}"  # of the unsharded bundle
_SHARD_NAME = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]*$")
STATE_VERSION = 2


class FileSink(Protocol):
    """Where index files go: the build's staged output (`StagedOutput`)."""

    def write(self, relative: str, data: bytes) -> bool: ...

    def write_file(self, relative: str, path: Path) -> bool:
        """Take a finished file (the sink may move it: it is not used again)."""
        ...

    def can_keep(self, relative: str, digest: str) -> bool: ...

    def keep(self, relative: str) -> bool: ...

    def scratch(self, label: str) -> Path:
        """A new folder to make files in, on the file system the sink moves them from."""
        ...


# A page to index: where it lies now (`StagedOutput.path_of`), or its bytes (tests, tools)
PageSource: TypeAlias = Callable[[str], Path] | bytes


@dataclass(frozen=True, slots=True)
class SearchReport:
    """What the index step did, for the build summary and the benchmarks."""

    pages: int
    files: int
    bytes: int
    reused: bool  # every shard was reused
    seconds: float
    shards: int = 1
    rebuilt_shards: int = 0


class SearchIndexer:
    """Collects a build's article pages by shard and writes each shard's Pagefind bundle."""

    def __init__(self, output: Path, language: str, *, reuse: bool = True) -> None:
        """`output` is the live site folder, read only to find the last index to reuse."""
        self.output = output
        self.language = language
        self.reuse = reuse
        self._shards: dict[str, _Shard] = {}
        self._seen: set[str] = set()

    def add(self, relative: str, html: bytes, shard: str = "") -> None:
        """Add one article page, by its path in the output (`2022/10/04/slug/index.html`)."""
        self.add_file(relative, digest(html), html, shard)

    def add_file(self, relative: str, digest: str, source: PageSource, shard: str = "") -> None:
        """Add a page known by its content hash; `source` is used only to reindex.

        `source(relative)` says where the page lies now (`StagedOutput.path_of`: staging if
        it was re-rendered, else the live site); the page is hard-linked from there into
        Pagefind's scratch folder, never read. A build that already hashed its pages (the
        output manifest) decides reuse without touching a page. `shard` names the bundle
        (`pagefind/<shard>/`); the default is one bundle at `pagefind/`.
        """
        _check_relative(relative)
        if shard and not _SHARD_NAME.match(shard):
            raise SearchError(f"{shard!r} is not a valid search shard name")
        if relative in self._seen:
            raise SearchError(f"{relative} was added to the search index twice")
        self._seen.add(relative)
        self._shards.setdefault(shard, _Shard(shard)).add(relative, digest, source)

    def fingerprint(self, shard: str = "") -> str:
        """A hash of everything one shard's bundle depends on."""
        found = self._shards.get(shard) or _Shard(shard)
        return found.fingerprint(self.language)

    def write(self, sink: FileSink, workers: int = 2) -> SearchReport:
        """Per shard: reuse the last bundle if nothing it depends on changed, else run Pagefind.

        Stale shards are indexed `workers` at a time (threads, each driving one Pagefind
        process); memory stays bounded by that many of the largest shard. A shard whose
        state does not match (its pages changed) starts indexing at once, so Pagefind runs
        while the other shards' files are vouched for.
        """
        return self.start(sink, workers).finish()

    def start(self, sink: FileSink, workers: int = 2) -> PendingIndex:
        """`write`, in two halves: this one carries unchanged shards over and starts
        Pagefind on the others; `finish` waits for them. In between, the caller may go on
        (render the listing pages while Pagefind indexes the article pages)."""
        started = time.perf_counter()
        shards = [self._shards[name] for name in sorted(self._shards)]
        fingerprints = [shard.fingerprint(self.language) for shard in shards]
        states = [
            self._read_state(shard, fingerprint) if self.reuse else None
            for shard, fingerprint in zip(shards, fingerprints, strict=True)
        ]
        totals: list[tuple[int, int, int]] = []  # (pages, files, bytes) of each shard
        rebuild = _Rebuild(self.language, sink, workers)
        try:
            for shard, fingerprint, found in zip(shards, fingerprints, states, strict=True):
                if found is None:
                    rebuild.start(shard, fingerprint)
            for shard, fingerprint, found in zip(shards, fingerprints, states, strict=True):
                if found is None:
                    continue
                counts = self._carry_over(shard, found, sink)
                if counts is None:
                    counts = self._hand_back(shard, fingerprint, found, sink)
                if counts is None:
                    rebuild.start(shard, fingerprint)
                else:
                    totals.append(counts)
        except BaseException:
            rebuild.close()
            raise
        return PendingIndex(rebuild, totals, len(self._shards), started)

    def _carry_over(
        self, shard: _Shard, found: tuple[dict[str, Any], str], sink: FileSink
    ) -> tuple[int, int, int] | None:
        """Keep a live bundle as it is, unread, when the sink vouches for every file of it.

        The staged output knows each live file's hash from the last build's manifest, so
        an unchanged shard costs a small state file read, not its whole bundle (at 100,000
        articles the index is ~300 MB in ~100,000 files). Returns (pages, files, bytes).
        """
        state, state_digest = found
        recorded, sizes = state["files"], state.get("sizes")
        if not isinstance(sizes, dict):
            return None
        vouched = [*recorded.items(), (shard.state_file, state_digest)]
        if not all(sink.can_keep(relative, digest) for relative, digest in vouched):
            return None
        for relative, _ in vouched:
            sink.keep(relative)
        return state["pages"], len(recorded), sum(int(n) for n in sizes.values())

    def _read_state(self, shard: _Shard, fingerprint: str) -> tuple[dict[str, Any], str] | None:
        """The shard's reuse state and its file's digest, if it matches the fingerprint."""
        try:
            raw = (self.output / shard.state_file).read_bytes()
            state = json.loads(raw)
        except (OSError, ValueError):
            return None
        if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
            return None
        if state.get("fingerprint") != fingerprint or not isinstance(state.get("files"), dict):
            return None
        if not isinstance(state.get("pages"), int):
            return None
        return state, digest(raw)

    def _hand_back(
        self, shard: _Shard, fingerprint: str, found: tuple[dict[str, Any], str], sink: FileSink
    ) -> tuple[int, int, int] | None:
        """Write the live bundle again, read back and checked (its state matched).

        For a sink that cannot vouch for the live files (no manifest): every file is read
        and must still hash as recorded. Returns (pages, files, bytes), or None to rebuild.
        """
        recorded, pages = found[0]["files"], found[0]["pages"]
        files: dict[str, bytes] = {}
        for relative, recorded_digest in recorded.items():
            try:
                _check_relative(relative)
                data = (self.output / relative).read_bytes()
            except (OSError, SearchError):
                return None
            if digest(data) != recorded_digest:
                return None  # edited or half-copied by hand: rebuild rather than trust it
            files[relative] = data
        for relative, data in sorted(files.items()):
            sink.write(relative, data)
        summary = {relative: (digest(data), len(data)) for relative, data in files.items()}
        sink.write(shard.state_file, _state_bytes(fingerprint, pages, summary))
        return pages, len(files), sum(len(data) for data in files.values())


class PendingIndex:
    """Shards being indexed in the background; `finish` hands them to the sink."""

    def __init__(
        self, rebuild: _Rebuild, totals: list[tuple[int, int, int]], shards: int, started: float
    ) -> None:
        self._rebuild, self._totals, self._shards, self._started = rebuild, totals, shards, started

    def finish(self) -> SearchReport:
        """Wait for every shard being indexed and deliver its bundle; the step's report."""
        try:
            totals = self._totals + self._rebuild.finish()
        finally:
            self._rebuild.close()
        return SearchReport(
            pages=sum(counts[0] for counts in totals),
            files=sum(counts[1] for counts in totals),
            bytes=sum(counts[2] for counts in totals),
            reused=self._rebuild.started == 0,
            seconds=time.perf_counter() - self._started,
            shards=self._shards,
            rebuilt_shards=self._rebuild.started,
        )

    def close(self) -> None:
        """Give up (the build failed): start no other run, wait for those running, clean up."""
        self._rebuild.close()


class _Rebuild:
    """Shards being indexed, `workers` at a time, in a scratch folder removed at the end.

    The scratch folder sits beside the sink's staging folder (one file system: pages are
    hard-linked in, bundle files moved out). `finish` hands each bundle to the sink in the
    order the shards were started, as soon as it is built. Leaving the block, even on an
    error, starts no other Pagefind run, waits for the running ones, and removes it all.
    """

    def __init__(self, language: str, sink: FileSink, workers: int) -> None:
        self.language, self.sink, self.workers = language, sink, max(1, workers)
        self.started = 0
        self._pool: ThreadPoolExecutor | None = None
        self._scratch: Path | None = None
        self._running: list[tuple[_Shard, str, Path, Future[tuple[int, Path]]]] = []

    def __enter__(self) -> _Rebuild:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Start no other Pagefind run, wait for the running ones, remove the scratch folder."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)

    def start(self, shard: _Shard, fingerprint: str) -> None:
        """Link one shard's pages into the scratch folder; Pagefind runs when a worker is free."""
        if self._pool is None or self._scratch is None:
            self._scratch = self.sink.scratch("search")
            self._pool = ThreadPoolExecutor(max_workers=self.workers)
        folder = self._scratch / str(self.started)
        # linking is quick and runs here: in a worker thread, each of its many system calls
        # would wait for the GIL while this thread vouches for the other shards' files
        shard.prepare(folder)
        future = self._pool.submit(shard.index, self.language, folder)
        self._running.append((shard, fingerprint, folder, future))
        self.started += 1

    def finish(self) -> list[tuple[int, int, int]]:
        """Wait for every started shard; hand its bundle to the sink. (pages, files, bytes)"""
        totals = []
        for shard, fingerprint, folder, future in self._running:
            pages, bundle = future.result()
            totals.append(_deliver(shard, fingerprint, pages, bundle, self.sink))
            shutil.rmtree(folder, ignore_errors=True)
        self._running.clear()
        return totals


class _Shard:
    """The article pages of one bundle."""

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
        fingerprint = hashlib.sha256()
        header = {"v": STATE_VERSION, "pagefind": pagefind_version(), "lang": language}
        fingerprint.update(json.dumps(header, sort_keys=True).encode())
        for relative in sorted(self.hashes):
            fingerprint.update(f"\n{relative}\t{self.hashes[relative]}".encode())
        return fingerprint.hexdigest()

    def prepare(self, folder: Path) -> None:
        """Put the shard's pages into `folder/site`: hard links to where they lie now."""
        site = folder / "site"
        site.mkdir(parents=True)
        for relative, source in self.sources.items():
            target = site / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(source, bytes):
                target.write_bytes(source)
            else:
                _link(source(relative), target, relative)

    def index(self, language: str, folder: Path) -> tuple[int, Path]:
        """Run Pagefind on a prepared `folder`; return (the page count, its bundle folder)."""
        bundle = folder / "bundle"
        pages = run_pagefind(folder / "site", bundle, language)
        if not any(path.is_file() for path in bundle.rglob("*")):
            raise SearchError("Pagefind wrote no index files", field="search")
        return pages, bundle


def _link(page: Path, target: Path, relative: str) -> None:
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
    shard: _Shard, fingerprint: str, pages: int, bundle: Path, sink: FileSink
) -> tuple[int, int, int]:
    """Hand a freshly built bundle and its state file to the sink; (pages, files, bytes).

    A staging sink gets each new file moved into its staging folder (no copy) and
    recorded; a file the live site already holds with the same bytes is only recorded.
    """
    summary: dict[str, tuple[str, int]] = {}
    for path in sorted(bundle.rglob("*")):
        if not path.is_file():
            continue
        relative = f"{shard.folder}/{path.relative_to(bundle).as_posix()}"
        data = path.read_bytes()
        summary[relative] = (digest(data), len(data))
        sink.write_file(relative, path)
    sink.write(shard.state_file, _state_bytes(fingerprint, pages, summary))
    return pages, len(summary), sum(size for _, size in summary.values())


def _state_bytes(fingerprint: str, pages: int, files: dict[str, tuple[str, int]]) -> bytes:
    """The reuse state of a bundle: its fingerprint and each file's (hash, size)."""
    state = {
        "version": STATE_VERSION,
        "generator": "archivegen",
        "fingerprint": fingerprint,
        "pages": pages,
        "files": {relative: file_digest for relative, (file_digest, _) in sorted(files.items())},
        "sizes": {relative: size for relative, (_, size) in sorted(files.items())},
    }
    return json.dumps(state, sort_keys=True, indent=0).encode()


def _check_relative(relative: str) -> None:
    """A path inside the output: relative, no `..` (the state file is read back from disk).

    Plain string checks, as PurePosixPath would judge: this runs for every article.
    """
    parts = relative.split("/")
    if relative.startswith("/") or ".." in parts or all(part in ("", ".") for part in parts):
        raise SearchError(f"{relative!r} is not a path inside the output folder")
