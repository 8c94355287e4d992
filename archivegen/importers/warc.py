"""Web archives (WARC, ARC and WACZ) into articles, through the HTML importer.

A crawl is streamed with warcio, record by record, twice: first to index where its images
are (URL -> byte offset, a few dozen bytes each), then to import its pages, a batch at a
time on all cores, so memory holds one batch of pages and the index, never the crawl.
Every HTML `response` or `resource` record with status 200 is a page: its WARC-Target-URI
is the article's `source` and its WARC-Date the `captured` time (the reference for relative
dates, and --fallback-date capture). Other records are counted in a note, by kind.

warcio, like every WARC reader, stops quietly at the first record it cannot read. A record
is taken only once warcio has read it to its end and found the next one where its length
says: a truncated or corrupt one is reported with its byte offset (the compressed offset of
a .warc.gz, as CDX indexes give it), and reading resumes at the next record start found.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path, PurePosixPath
from typing import IO, TypeVar
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeadersParserException

from archivegen.errors import ImportError_
from archivegen.importers.html_markdown import encode_url
from archivegen.importers.images import MAX_BYTES as MAX_IMAGE_BYTES
from archivegen.importers.local_images import WithImages, localize
from archivegen.importers.model import (
    FileNote,
    ImportedArticle,
    ImportOutcome,
    NotAnArticle,
    Status,
)
from archivegen.importers.sources import MAX_PAGE_BYTES
from archivegen.pipeline.workers import map_chunks

CRAWL_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz", ".wacz")
_HTML = frozenset({"text/html", "application/xhtml+xml"})
_ASSET_TYPES = ("text/css", "text/javascript", "application/javascript", "font/", "video/")
_READ_ERRORS = (
    ArchiveLoadFailed,
    StatusAndHeadersParserException,
    zlib.error,
    EOFError,
    ValueError,
    OSError,
)
_GZIP_START = b"\x1f\x8b\x08"
# not only after a newline: the cut record before it may end anywhere (a false start in a
# payload reads as no record, and the scan goes on)
_WARC_START = b"WARC/1."
_SCAN_BYTES = 1024 * 1024
# a batch of pages for the workers: enough to keep every core busy, little enough memory
_BATCH_PAGES = 64
_BATCH_BYTES = 32 * 1024 * 1024
_ZIP_LOCAL_HEADER = struct.Struct("<4s5H3L2H")

_T = TypeVar("_T")
# bytes read so far (of every crawl in this import), for a progress bar
Meter = Callable[[int], None]


def is_crawl(path: Path) -> bool:
    """True for a file the crawl importer reads (by its name: crawl.warc.gz, site.wacz)."""
    return path.name.lower().endswith(CRAWL_SUFFIXES)


def crawl_bytes(path: Path) -> int:
    """How many bytes importing a crawl reads (both passes), for a progress bar's total."""
    return 2 * path.stat().st_size


@dataclass(frozen=True, slots=True)
class _Stream:
    """One WARC or ARC file: on disk, or a member of a WACZ."""

    label: str  # for messages: `crawl.warc.gz`, `site.wacz!archive/data.warc.gz`
    path: Path
    start: int  # where its bytes begin in path (a WACZ member stored uncompressed)
    size: int
    member: str | None = None  # a WACZ member stored compressed, read through zipfile

    def open(self) -> IO[bytes]:
        if self.member is not None:
            with zipfile.ZipFile(self.path) as archive:  # the member keeps the file open
                return archive.open(self.member)
        handle = self.path.open("rb")
        if self.start == 0 and self.size == self.path.stat().st_size:
            return handle
        return io.BufferedReader(_Window(handle, self.start, self.size))


class _Window(io.RawIOBase):
    """A range of a file, read and sought as a file of its own (a WACZ member's bytes)."""

    def __init__(self, handle: io.BufferedReader, start: int, size: int) -> None:
        super().__init__()
        self._handle, self._start, self._size, self._pos = handle, start, size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, min(self._size, base + offset))
        return self._pos

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = min(len(buffer), self._size - self._pos)
        if count <= 0:
            return 0
        self._handle.seek(self._start + self._pos)
        got = self._handle.readinto(memoryview(buffer)[:count])
        self._pos += got
        return int(got)

    def close(self) -> None:
        self._handle.close()
        super().close()


@dataclass(frozen=True, slots=True)
class _Record:
    """A record read whole: a page (kind None, with its payload) or one skipped, by kind."""

    offset: int
    end: int  # where the next record starts
    kind: str | None
    url: str
    captured: datetime | None
    payload: bytes = b""
    charset: str | None = None


@dataclass(frozen=True, slots=True)
class _Corrupt:
    offset: int
    reason: str


def _streams(path: Path) -> list[_Stream]:
    """The WARC and ARC files of a crawl: itself, or the `archive/` members of a WACZ."""
    if not path.name.lower().endswith(".wacz"):
        return [_Stream(str(path), path, 0, path.stat().st_size)]
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [i for i in archive.infolist() if _is_wacz_warc(i.filename)]
            streams = [_wacz_member(archive, path, i) for i in sorted(infos, key=_filename)]
    except (zipfile.BadZipFile, OSError, struct.error) as exc:
        raise ImportError_(f"not a readable WACZ (zip) file ({exc})", path=str(path)) from None
    if not streams:
        raise ImportError_("the WACZ holds no WARC files under archive/", path=str(path))
    return streams


def _is_wacz_warc(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return len(parts) == 2 and parts[0] == "archive" and is_crawl(Path(parts[1]))


def _filename(info: zipfile.ZipInfo) -> str:
    return info.filename


def _wacz_member(archive: zipfile.ZipFile, path: Path, info: zipfile.ZipInfo) -> _Stream:
    label = f"{path}!{info.filename}"
    if info.compress_type != zipfile.ZIP_STORED:
        return _Stream(label, path, 0, info.file_size, member=info.filename)
    # WACZ stores its WARCs uncompressed: their bytes lie as they are in the zip file, to
    # be read (and sought, for images) in place; the local header says where they begin
    assert archive.fp is not None
    archive.fp.seek(info.header_offset)
    header = _ZIP_LOCAL_HEADER.unpack(archive.fp.read(_ZIP_LOCAL_HEADER.size))
    start = info.header_offset + _ZIP_LOCAL_HEADER.size + header[-2] + header[-1]
    return _Stream(label, path, start, info.file_size)


def _records(stream: _Stream, handle: IO[bytes]) -> Iterator[_Record | _Corrupt]:
    """Every record of a WARC or ARC stream read whole, and each unreadable one's offset."""
    start: int | None = 0
    signature = _signature(handle)
    candidate = False  # start is a guessed record start after a corrupt one
    while start is not None and start < stream.size:
        handle.seek(start)
        iterator = ArchiveIterator(handle, arc2warc=True)
        end, problem, taken = start, None, False
        try:
            while (record := _quietly(next, iterator, None)) is not None:
                read = _read_whole(record, iterator)
                if isinstance(read, _Corrupt):
                    problem = read
                    break
                end, taken = read.end, True
                yield read
        except _READ_ERRORS as exc:
            problem = _Corrupt(end, _why(exc))
        if problem is None and end < stream.size:
            problem = _Corrupt(end, "not a WARC record")
        if problem is None:
            return
        if taken or not candidate:  # a guess that reads nothing is no news: scan on
            yield problem
        start, candidate = _next_start(handle, signature, problem.offset + 1), True


def _quietly(call: Callable[..., _T], *args: object) -> _T:
    """warcio writes its warnings to stderr, over the progress bar: they become reports."""
    with contextlib.redirect_stderr(io.StringIO()):
        return call(*args)


def _read_whole(record: ArcWarcRecord, iterator: ArchiveIterator) -> _Record | _Corrupt:
    """A record with its payload if it is a page, once it is known to be whole."""
    offset = iterator.offset  # the current record's start until it is read to its end
    kind = _kind(record)
    payload = record.content_stream().read(MAX_PAGE_BYTES + 1) if kind is None else b""
    errors = iterator.err_count
    _quietly(iterator.read_to_end)
    if record.raw_stream.limit > 0:
        return _Corrupt(offset, "truncated: the file ends inside it")
    if iterator.err_count > errors:
        return _Corrupt(offset, "its Content-Length does not end where the next record starts")
    url = _target(record)
    charset = _charset(record)
    return _Record(offset, iterator.offset, kind, url, _date(record), payload, charset)


def _kind(record: ArcWarcRecord) -> str | None:
    """None for an HTML page with status 200; else what the record is, as the report counts."""
    if record.rec_type not in ("response", "resource"):
        return "warcinfo" if record.rec_type == "arc_header" else str(record.rec_type)
    if urlsplit(_target(record)).path == "/robots.txt":
        return "robots.txt"
    status = record.http_headers.get_statuscode() if record.http_headers else "200"
    if status.startswith("3"):
        return "redirect"
    if status != "200":
        return f"HTTP {status}"
    mime = _content_type(record).split(";")[0].strip().lower()
    if mime in _HTML:
        return None
    if mime.startswith("image/"):
        return "image"
    return "asset" if mime.startswith(_ASSET_TYPES) else "not HTML"


def _content_type(record: ArcWarcRecord) -> str:
    headers = record.http_headers or record.rec_headers
    return headers.get_header("Content-Type") or ""


def _charset(record: ArcWarcRecord) -> str | None:
    for part in _content_type(record).split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def _target(record: ArcWarcRecord) -> str:
    # some crawlers wrote WARC 1.1's URI in angle brackets, as the standard's example shows
    return (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")


def _date(record: ArcWarcRecord) -> datetime | None:
    try:
        return datetime.fromisoformat(record.rec_headers.get_header("WARC-Date") or "")
    except ValueError:
        return None


def _why(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if "non-chunked gzip" in text:
        return (
            "the file is one gzip stream, not a gzip member per record: "
            "`warcio recompress` it, then import the copy"
        )
    return f"unreadable ({text or type(exc).__name__})"


def _signature(handle: IO[bytes]) -> bytes:
    handle.seek(0)
    return _GZIP_START if handle.read(2) == _GZIP_START[:2] else _WARC_START


def _next_start(handle: IO[bytes], signature: bytes, pos: int) -> int | None:
    """Where the next record seems to start from pos on: a gzip member, or `WARC/1.`."""
    handle.seek(pos)
    tail = b""
    while chunk := handle.read(_SCAN_BYTES):
        window = tail + chunk
        at = window.find(signature)
        if at >= 0:
            return pos - len(tail) + at
        tail = window[-(len(signature) - 1) :]
        pos += len(chunk)
    return None


class _Images:
    """The crawl's images by URL: found in a first pass, read from their offset on demand."""

    def __init__(self, handles: Sequence[IO[bytes]]) -> None:
        self._handles = handles  # their own: the second pass goes on reading the others
        self._where: dict[str, tuple[int, int]] = {}

    def add(self, number: int, record: _Record) -> None:
        self._where[_key(record.url)] = (number, record.offset)

    def __len__(self) -> int:
        return len(self._where)

    def read(self, url: str) -> bytes | None:
        """The picture's bytes, if the crawl holds an image at that URL (else None)."""
        where = self._where.get(_key(url))
        if where is None:
            return None
        number, offset = where
        handle = self._handles[number]
        handle.seek(offset)
        try:
            record = next(iter(ArchiveIterator(handle, arc2warc=True)))
            data: bytes = record.content_stream().read(MAX_IMAGE_BYTES + 1)
        except (*_READ_ERRORS, StopIteration):
            return None
        return data if len(data) <= MAX_IMAGE_BYTES else None


def _key(url: str) -> str:
    return encode_url(url.split("#")[0])


@dataclass(frozen=True, slots=True)
class _Capture:
    """A page to extract on a worker."""

    origin: str
    url: str
    captured: datetime | None
    payload: bytes
    charset: str | None


def read_crawl(
    path: Path, zone: tzinfo, workers: int, meter: Meter | None = None
) -> Iterator[WithImages | ImportOutcome | FileNote]:
    """The articles of a crawl (each with the crawl's copies of its pictures), a failure
    for each page or record that could not be read, and a note counting what was skipped."""
    try:
        streams = _streams(path)
    except ImportError_ as exc:
        yield ImportOutcome(str(path), Status.FAILED, reason=exc.message)
        return
    size = path.stat().st_size
    with contextlib.ExitStack() as stack:
        handles = [stack.enter_context(s.open()) for s in streams]
        images = _Images([stack.enter_context(s.open()) for s in streams])
        for number, stream in enumerate(streams):  # the first pass: where the images are
            for item in _records(stream, handles[number]):
                if isinstance(item, _Record) and item.kind == "image":
                    images.add(number, item)
                _advance(meter, stream.start, item)
        skipped: Counter[str] = Counter()
        for number, stream in enumerate(streams):
            yield from _import_stream(
                stream, handles[number], zone, workers, images, skipped, _later(meter, size)
            )
    if skipped:
        yield FileNote(str(path), _skipped_note(skipped))


def _advance(meter: Meter | None, base: int, item: _Record | _Corrupt) -> None:
    """Show how far into the crawl file a pass has read (a stored WACZ member starts at base)."""
    if meter is not None:
        meter(base + (item.end if isinstance(item, _Record) else item.offset))


def _later(meter: Meter | None, size: int) -> Meter | None:
    """The second pass's meter: it goes on from the first's end."""
    return None if meter is None else lambda done: meter(size + done)


def _import_stream(
    stream: _Stream,
    handle: IO[bytes],
    zone: tzinfo,
    workers: int,
    images: _Images,
    skipped: Counter[str],
    meter: Meter | None,
) -> Iterator[WithImages | ImportOutcome]:
    batch: list[_Capture] = []
    for item in _records(stream, handle):
        _advance(meter, stream.start, item)
        if isinstance(item, _Corrupt):
            reason = f"corrupt or truncated record at byte offset {item.offset}: {item.reason}"
            yield ImportOutcome(f"{stream.label}@{item.offset}", Status.FAILED, reason=reason)
        elif item.kind is not None:
            skipped[item.kind] += 1
        else:
            origin = f"{stream.label}@{item.offset} ({item.url})"
            batch.append(_Capture(origin, item.url, item.captured, item.payload, item.charset))
            if len(batch) >= _BATCH_PAGES or sum(len(c.payload) for c in batch) > _BATCH_BYTES:
                yield from _pages(batch, zone, workers, images)
                batch = []
    yield from _pages(batch, zone, workers, images)


def _pages(
    batch: Sequence[_Capture], zone: tzinfo, workers: int, images: _Images
) -> Iterator[WithImages | ImportOutcome]:
    for read in map_chunks(_extract, zone, batch, workers, 4):
        yield read if isinstance(read, ImportOutcome) else localize(read, images.read)


def _extract(zone: tzinfo, captures: Sequence[_Capture]) -> list[ImportedArticle | ImportOutcome]:
    """Each page through the HTML importer (on a worker), or why it is not an article."""
    # trafilatura (and lxml's HTML cleaner) load only for crawls that hold pages
    from archivegen.importers.html import read_html

    found: list[ImportedArticle | ImportOutcome] = []
    for capture in captures:
        try:
            text = _page_text(capture)
            found.append(
                read_html(
                    text, capture.origin, zone, captured=capture.captured, address=capture.url
                )
            )
        except NotAnArticle as exc:
            found.append(ImportOutcome(capture.origin, Status.REFUSED, reason=exc.message))
        except ImportError_ as exc:
            reason = f"{exc.field}: {exc.message}" if exc.field else exc.message
            found.append(ImportOutcome(capture.origin, Status.FAILED, reason=reason))
    return found


def _page_text(capture: _Capture) -> str:
    """A page's text: in the charset its response declares, else UTF-8, else Windows-1252."""
    if len(capture.payload) > MAX_PAGE_BYTES:
        raise ImportError_(f"too big for one page (over {MAX_PAGE_BYTES // 2**20} MB)")
    if not capture.payload.strip():
        raise ImportError_("the page is empty")
    for codec in (_known_codec(capture.charset), "utf-8-sig"):
        if codec is None:
            continue
        try:
            return capture.payload.decode(codec)
        except UnicodeDecodeError:
            continue
    return capture.payload.decode("cp1252", errors="replace")


def _known_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _skipped_note(skipped: Counter[str]) -> str:
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(skipped.items(), key=_most))
    return f"{sum(skipped.values())} records skipped, not pages: {kinds}"


def _most(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]
