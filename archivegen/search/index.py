"""The search index step of a build: collect the article pages, then reuse or rebuild.

The index is sharded: each shard (a year of the archive, or a month of a very large year)
is its own Pagefind bundle under `pagefind/<shard>/`, reused or rebuilt on its own, and
merged in the browser (`mergeIndex`). A new or edited article rebuilds one shard, and
Pagefind's memory is bounded by the largest shard, not by the archive.

Reuse rule: the index is a pure function of (the article pages' bytes, the language, the
Pagefind version). That fingerprint is stored beside the index (`STATE_FILE`, with the hash
of every index file). When the next build computes the same fingerprint and the live index
files still hash as recorded, the old files are handed back to the staged output unchanged:
it sees identical bytes and rewrites nothing. Any doubt (no state, a missing or edited
file, --clean) means a rebuild, which is always correct, only slower.

Nothing here writes into the site folder: files go through a `FileSink` (the build's staged
output), so they land together with the pages, or not at all.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

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

    def can_keep(self, relative: str, digest: str) -> bool: ...

    def keep(self, relative: str) -> bool: ...


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


def file_hash(data: bytes) -> str:
    """The hash recorded for a page or an index file."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


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
        self.add_file(relative, file_hash(html), lambda _: html, shard)

    def add_file(
        self, relative: str, digest: str, read: Callable[[str], bytes], shard: str = ""
    ) -> None:
        """Add a page known by its content hash; `read(relative)` is called only to reindex.

        A build that already hashed its pages (the output manifest) decides reuse without
        reading a single page back, and holds no page in memory. `shard` names the bundle
        (`pagefind/<shard>/`); the default is one bundle at `pagefind/`.
        """
        _check_relative(relative)
        if shard and not _SHARD_NAME.match(shard):
            raise SearchError(f"{shard!r} is not a valid search shard name")
        if relative in self._seen:
            raise SearchError(f"{relative} was added to the search index twice")
        self._seen.add(relative)
        self._shards.setdefault(shard, _Shard(shard)).add(relative, digest, read)

    def fingerprint(self, shard: str = "") -> str:
        """A hash of everything one shard's bundle depends on."""
        found = self._shards.get(shard) or _Shard(shard)
        return found.fingerprint(self.language)

    def write(self, sink: FileSink, workers: int = 2) -> SearchReport:
        """Per shard: reuse the last bundle if nothing it depends on changed, else run Pagefind.

        Pagefind indexes a bundle on about one core, so shards are indexed `workers` at
        a time; memory stays bounded by that many of the largest shard.
        """
        started = time.perf_counter()
        shards = [self._shards[name] for name in sorted(self._shards)]
        fingerprints = [shard.fingerprint(self.language) for shard in shards]
        pages = files = size = 0
        carried = [self._carry_over(s, fp, sink) if self.reuse else None
                   for s, fp in zip(shards, fingerprints, strict=True)]  # fmt: skip
        for counts in carried:
            if counts is not None:
                pages, files, size = pages + counts[0], files + counts[1], size + counts[2]
        bundles = [
            None if kept is not None or not self.reuse else self._previous_index(shard, fp)
            for shard, fp, kept in zip(shards, fingerprints, carried, strict=True)
        ]
        stale = [i for i, b in enumerate(bundles) if b is None and carried[i] is None]
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            built = pool.map(lambda i: shards[i].build(self.language), stale)
            for position, fresh in zip(stale, built, strict=True):
                bundles[position] = fresh
        for shard, fingerprint, found in zip(shards, fingerprints, bundles, strict=True):
            if found is None:
                continue  # carried over untouched
            count, index_files = found
            for relative, data in sorted(index_files.items()):
                sink.write(relative, data)
            sink.write(shard.state_file, _state_bytes(fingerprint, count, index_files))
            pages, files = pages + count, files + len(index_files)
            size += _size(index_files)
        rebuilt = len(stale)
        return SearchReport(
            pages=pages,
            files=files,
            bytes=size,
            reused=rebuilt == 0,
            seconds=time.perf_counter() - started,
            shards=len(self._shards),
            rebuilt_shards=rebuilt,
        )

    def _carry_over(
        self, shard: _Shard, fingerprint: str, sink: FileSink
    ) -> tuple[int, int, int] | None:
        """Keep a live bundle as it is, unread, when the sink vouches for every file of it.

        The staged output knows each live file's hash from the last build's manifest, so
        an unchanged shard costs a small state file read, not its whole bundle (at 100,000
        articles the index is ~300 MB in ~100,000 files). Returns (pages, files, bytes).
        """
        found = self._read_state(shard, fingerprint)
        if found is None:
            return None
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
        return state, file_hash(raw)

    def _previous_index(
        self, shard: _Shard, fingerprint: str
    ) -> tuple[int, dict[str, bytes]] | None:
        """The live bundle's files, read back and checked, if built from the same fingerprint."""
        found = self._read_state(shard, fingerprint)
        if found is None:
            return None
        recorded, pages = found[0]["files"], found[0]["pages"]
        files: dict[str, bytes] = {}
        for relative, digest in recorded.items():
            try:
                _check_relative(relative)
                data = (self.output / relative).read_bytes()
            except (OSError, SearchError):
                return None
            if file_hash(data) != digest:
                return None  # edited or half-copied by hand: rebuild rather than trust it
            files[relative] = data
        return pages, files


class _Shard:
    """The article pages of one bundle."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.folder = f"{INDEX_DIR}/{name}" if name else INDEX_DIR
        self.state_file = f"{self.folder}/{STATE_NAME}"
        self.readers: dict[str, Callable[[str], bytes]] = {}
        self.hashes: dict[str, str] = {}

    def add(self, relative: str, digest: str, read: Callable[[str], bytes]) -> None:
        self.readers[relative] = read
        self.hashes[relative] = digest

    def fingerprint(self, language: str) -> str:
        digest = hashlib.sha256()
        header = {"v": STATE_VERSION, "pagefind": pagefind_version(), "lang": language}
        digest.update(json.dumps(header, sort_keys=True).encode())
        for relative in sorted(self.hashes):
            digest.update(f"\n{relative}\t{self.hashes[relative]}".encode())
        return digest.hexdigest()

    def build(self, language: str) -> tuple[int, dict[str, bytes]]:
        """Run Pagefind over a scratch copy of the shard's pages; read back its files."""
        with tempfile.TemporaryDirectory(prefix="archivegen-search-") as scratch:
            site, bundle = Path(scratch, "site"), Path(scratch, INDEX_DIR)
            site.mkdir()
            for relative, read in self.readers.items():
                target = site / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(read(relative))
            pages = run_pagefind(site, bundle, language)
            files = {
                f"{self.folder}/{path.relative_to(bundle).as_posix()}": path.read_bytes()
                for path in sorted(bundle.rglob("*"))
                if path.is_file()
            }
        if not files:
            raise SearchError("Pagefind wrote no index files", field="search")
        return pages, files


def _size(files: dict[str, bytes]) -> int:
    return sum(len(data) for data in files.values())


def _state_bytes(fingerprint: str, pages: int, files: dict[str, bytes]) -> bytes:
    state = {
        "version": STATE_VERSION,
        "generator": "archivegen",
        "fingerprint": fingerprint,
        "pages": pages,
        "files": {relative: file_hash(data) for relative, data in sorted(files.items())},
        "sizes": {relative: len(data) for relative, data in sorted(files.items())},
    }
    return json.dumps(state, sort_keys=True, indent=0).encode()


def _check_relative(relative: str) -> None:
    """A path inside the output: relative, no `..` (the state file is read back from disk)."""
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise SearchError(f"{relative!r} is not a path inside the output folder")
