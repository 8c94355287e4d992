"""The search index step of a build: collect the article pages by shard, then reuse or rebuild.

The index is sharded: each shard (a calendar range of the archive: a year, a quarter or a
month, see `graph.shards.search_shards`) is its own Pagefind bundle under `pagefind/<shard>/`,
reused or rebuilt on its own, and merged in the browser (`mergeIndex`). A new or edited
article rebuilds one shard, and Pagefind's memory is bounded by the largest shard, not by
the archive. Building and delivering a bundle is `search.bundle`'s job.

Reuse rule: a bundle is a pure function of (the shard's pages' bytes, the language, the
Pagefind version). That fingerprint is stored beside the bundle (its state file, with the
hash of every bundle file). When the next build computes the same fingerprint and the live
bundle files still hash as recorded, the old files are handed back to the staged output
unchanged: it sees identical bytes and rewrites nothing. Any doubt (no state, a missing or
edited file, --clean) means a rebuild, which is always correct, only slower.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from archivegen.digest import digest
from archivegen.errors import SearchError
from archivegen.search.bundle import (
    BundleBuilder,
    BundleSize,
    FileSink,
    PageSource,
    RecordedBundle,
    Shard,
    read_state,
    write_state,
)

_SHARD_NAME = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]*$")


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
        self._shards: dict[str, Shard] = {}
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
        self._shards.setdefault(shard, Shard(shard)).add(relative, digest, source)

    def fingerprint(self, shard: str = "") -> str:
        """A hash of everything one shard's bundle depends on."""
        found = self._shards.get(shard) or Shard(shard)
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
        recorded = [
            read_state(self.output / shard.state_file, fingerprint) if self.reuse else None
            for shard, fingerprint in zip(shards, fingerprints, strict=True)
        ]
        reused: list[BundleSize] = []
        builder = BundleBuilder(self.language, sink, workers)
        try:
            for shard, fingerprint, live in zip(shards, fingerprints, recorded, strict=True):
                if live is None:  # no matching state: Pagefind starts while the rest is vouched for
                    builder.start(shard, fingerprint)
            for shard, fingerprint, live in zip(shards, fingerprints, recorded, strict=True):
                if live is None:
                    continue
                size = self._reuse(shard, fingerprint, live, sink)
                if size is None:  # its files could be neither vouched for nor checked
                    builder.start(shard, fingerprint)
                else:
                    reused.append(size)
        except BaseException:
            builder.close()
            raise
        return PendingIndex(builder, reused, len(self._shards), started)

    def _reuse(
        self, shard: Shard, fingerprint: str, live: RecordedBundle, sink: FileSink
    ) -> BundleSize | None:
        """Give the sink the live bundle of a shard whose state matched; None to rebuild."""
        size = _carry_over(shard, live, sink)
        return size if size is not None else self._hand_back(shard, fingerprint, live, sink)

    def _hand_back(
        self, shard: Shard, fingerprint: str, live: RecordedBundle, sink: FileSink
    ) -> BundleSize | None:
        """Write the live bundle again, read back and checked; None to rebuild.

        For a sink that cannot vouch for the live files (no manifest): every file is read
        and must still hash as recorded.
        """
        files: dict[str, bytes] = {}
        for relative, recorded_digest in live.files.items():
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
        return write_state(shard, fingerprint, live.pages, summary, sink)


def _carry_over(shard: Shard, live: RecordedBundle, sink: FileSink) -> BundleSize | None:
    """Keep a live bundle as it is, unread, when the sink vouches for every file of it.

    The staged output knows each live file's hash from the last build's manifest, so
    an unchanged shard costs a small state file read, not its whole bundle (at 100,000
    articles the index is ~300 MB in ~100,000 files).
    """
    if live.sizes is None:
        return None
    vouched = [*live.files.items(), (shard.state_file, live.state_digest)]
    if not all(sink.can_keep(relative, file_digest) for relative, file_digest in vouched):
        return None
    for relative, _ in vouched:
        sink.keep(relative)
    return BundleSize(live.pages, len(live.files), sum(int(n) for n in live.sizes.values()))


class PendingIndex:
    """Shards being indexed in the background; `finish` hands them to the sink."""

    def __init__(
        self, builder: BundleBuilder, reused: list[BundleSize], shards: int, started: float
    ) -> None:
        self._builder, self._reused, self._shards, self._started = builder, reused, shards, started

    def finish(self) -> SearchReport:
        """Wait for every shard being indexed and deliver its bundle; the step's report."""
        try:
            sizes = self._reused + self._builder.finish()
        finally:
            self._builder.close()
        return SearchReport(
            pages=sum(size.pages for size in sizes),
            files=sum(size.files for size in sizes),
            bytes=sum(size.bytes for size in sizes),
            reused=self._builder.started == 0,
            seconds=time.perf_counter() - self._started,
            shards=self._shards,
            rebuilt_shards=self._builder.started,
        )

    def close(self) -> None:
        """Give up (the build failed): start no other run, wait for those running, clean up."""
        self._builder.close()


def _check_relative(relative: str) -> None:
    """A path inside the output: relative, no `..` (the state file is read back from disk).

    Plain string checks, as PurePosixPath would judge: this runs for every article.
    """
    parts = relative.split("/")
    if relative.startswith("/") or ".." in parts or all(part in ("", ".") for part in parts):
        raise SearchError(f"{relative!r} is not a path inside the output folder")
