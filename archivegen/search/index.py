"""The search index step of a build: collect the article pages, then reuse or rebuild.

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
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol

from archivegen.errors import SearchError
from archivegen.search.runner import pagefind_version, run_pagefind

INDEX_DIR = "pagefind"
STATE_FILE = f"{INDEX_DIR}/archivegen-index.json"
STATE_VERSION = 1


class FileSink(Protocol):
    """Where index files go: the build's staged output (`StagedOutput.write`)."""

    def write(self, relative: str, data: bytes) -> bool: ...


@dataclass(frozen=True, slots=True)
class SearchReport:
    """What the index step did, for the build summary and the benchmarks."""

    pages: int
    files: int
    bytes: int
    reused: bool
    seconds: float


def file_hash(data: bytes) -> str:
    """The hash recorded for a page or an index file."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class SearchIndexer:
    """Collects a build's article pages and writes their Pagefind index through a sink."""

    def __init__(self, output: Path, language: str, *, reuse: bool = True) -> None:
        """`output` is the live site folder, read only to find the last index to reuse."""
        self.output = output
        self.language = language
        self.reuse = reuse
        self._readers: dict[str, Callable[[str], bytes]] = {}
        self._hashes: dict[str, str] = {}

    def add(self, relative: str, html: bytes) -> None:
        """Add one article page, by its path in the output (`2022/10/04/slug/index.html`)."""
        self.add_file(relative, file_hash(html), lambda _: html)

    def add_file(self, relative: str, digest: str, read: Callable[[str], bytes]) -> None:
        """Add a page known by its content hash; `read(relative)` is called only to reindex.

        A build that already hashed its pages (the output manifest) decides reuse without
        reading a single page back, and holds no page in memory.
        """
        _check_relative(relative)
        if relative in self._readers:
            raise SearchError(f"{relative} was added to the search index twice")
        self._readers[relative] = read
        self._hashes[relative] = digest

    def fingerprint(self) -> str:
        """A hash of everything the index depends on."""
        digest = hashlib.sha256()
        header = {"v": STATE_VERSION, "pagefind": pagefind_version(), "lang": self.language}
        digest.update(json.dumps(header, sort_keys=True).encode())
        for relative in sorted(self._hashes):
            digest.update(f"\n{relative}\t{self._hashes[relative]}".encode())
        return digest.hexdigest()

    def write(self, sink: FileSink) -> SearchReport:
        """Reuse the last index if nothing it depends on changed, else run Pagefind."""
        started = time.perf_counter()
        fingerprint = self.fingerprint()
        previous = self._previous_index(fingerprint) if self.reuse else None
        if previous is not None:
            pages, files = previous
        else:
            pages, files = self._build_index()
        for relative, data in sorted(files.items()):
            sink.write(relative, data)
        sink.write(STATE_FILE, _state_bytes(fingerprint, pages, files))
        return SearchReport(
            pages=pages,
            files=len(files),
            bytes=sum(len(data) for data in files.values()),
            reused=previous is not None,
            seconds=time.perf_counter() - started,
        )

    def _build_index(self) -> tuple[int, dict[str, bytes]]:
        """Run Pagefind over a scratch copy of the article pages; read back its files."""
        with tempfile.TemporaryDirectory(prefix="archivegen-search-") as scratch:
            site, bundle = Path(scratch, "site"), Path(scratch, INDEX_DIR)
            site.mkdir()  # an empty archive still gets a (empty) bundle, so the page loads
            for relative, read in self._readers.items():
                target = site / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(read(relative))
            pages = run_pagefind(site, bundle, self.language)
            files = {
                f"{INDEX_DIR}/{path.relative_to(bundle).as_posix()}": path.read_bytes()
                for path in sorted(bundle.rglob("*"))
                if path.is_file()
            }
        if not files:
            raise SearchError("Pagefind wrote no index files", field="search")
        return pages, files

    def _previous_index(self, fingerprint: str) -> tuple[int, dict[str, bytes]] | None:
        """The live index's files, if they were built from the same fingerprint and are intact."""
        try:
            state = json.loads((self.output / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
            return None
        recorded = state.get("files")
        pages = state.get("pages")
        if state.get("fingerprint") != fingerprint or not isinstance(recorded, dict):
            return None
        if not isinstance(pages, int):
            return None
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


def _state_bytes(fingerprint: str, pages: int, files: dict[str, bytes]) -> bytes:
    state = {
        "version": STATE_VERSION,
        "generator": "archivegen",
        "fingerprint": fingerprint,
        "pages": pages,
        "files": {relative: file_hash(data) for relative, data in sorted(files.items())},
    }
    return json.dumps(state, sort_keys=True, indent=0).encode()


def _check_relative(relative: str) -> None:
    """A path inside the output: relative, no `..` (the state file is read back from disk)."""
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise SearchError(f"{relative!r} is not a path inside the output folder")
