"""Command-line sources (files, directories, globs) into raw files, each with its format.

A raw file is a plain file, a gzip file (`dump.txt.gz`) or one member of a zip archive
(`export.zip!folder/a.csv`, the notation every message uses); all three are read the same
way, through `RawFile.open()`, a stream of the decompressed bytes. Members are never
extracted to disk, and zip bombs, unsafe member names, encrypted members and nested
archives are refused with a reason while the rest import.
"""

from __future__ import annotations

import codecs
import glob
import gzip
import io
import json
import lzma
import re
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import charset_normalizer

from archivegen.errors import ImportError_
from archivegen.importers.model import FileNote, ImportOutcome, Status

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

_MB = 1024 * 1024
# one page is never this big; bigger single pages are refused before parsing (CSV and JSONL
# files are streamed row by row, so they have no such limit, but one row or line has it)
MAX_PAGE_BYTES = 20 * _MB
MAX_ROW_CHARS = MAX_PAGE_BYTES
# zip bombs: past MAX_RATIO_FREE_BYTES of output, more than MAX_RATIO bytes out per compressed
# byte in is refused (text compresses 3-15:1), and so is an archive that decompresses to more
# than MAX_ARCHIVE_BYTES in all
MAX_RATIO = 100
MAX_RATIO_FREE_BYTES = 4 * _MB
MAX_ARCHIVE_BYTES = 2 * 1024 * _MB
_SNIFF_BYTES = 8192
# how much of a CSV or JSONL file its encoding is judged by (the rest is streamed)
_ENCODING_SAMPLE = _MB
# control bytes that text never holds (tab, newlines, form feed and escape aside): a file
# whose first kilobytes are more than _BINARY_SHARE of them is binary; one stray NUL in a
# title is text, with a character to drop (see clean.py)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\x1b")
_BINARY_SHARE = 0.05
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # a byte that did not decode (surrogateescape)
_DECODED = re.compile("[\x80-\ud7ff\ue000-\U0010ffff]")  # a non-ASCII character that did
# among the code pages charset-normalizer finds about as likely (a short sample fits many),
# Windows-1252: what spreadsheet programs and old scrapers of Latin-script sites write
_PREFERRED_LEGACY = "cp1252"
_NEAR_CHAOS = 0.02
_SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".csv": "csv",
    ".tsv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
}
# a feed's root element, and the namespace every WordPress export declares on it
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:rdf)[\s>]")
_WXR_NAMESPACE = re.compile(rb"xmlns:wp=[\"']https?://wordpress\.org/export/")
_ARCHIVES = frozenset({".gz", ".zip"})
_DRIVE = re.compile(r"^[A-Za-z]:")
_ZIP_METHODS = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)


class Format(Enum):
    """The input kinds `archivegen import` reads."""

    AUTO = "auto"
    TEXT = "text"
    HTML = "html"
    CSV = "csv"
    JSONL = "jsonl"
    WORDPRESS = "wordpress"  # a WordPress export (WXR)
    FEED = "feed"  # RSS 2.0, RSS 1.0 or Atom


@dataclass(frozen=True, slots=True)
class RawFile:
    """One input (a plain file, a gzip file or a zip member) and the format it will be read as."""

    path: Path  # the file on disk: for a zip member, the archive
    format: Format
    origin: str  # for messages: `dump.txt`, `dump.txt.gz`, `export.zip!folder/a.csv`
    name: str  # the inner name, whose suffix tells the format: `a.csv` of `a.csv.gz`
    opener: Callable[[], io.BufferedReader] = field(repr=False, compare=False)
    # when the file was last written (a zip member's own date, in UTC): --fallback-date mtime
    mtime: datetime | None = None

    @property
    def suffix(self) -> str:
        """The inner name's suffix, lower case (`.csv` for `export.zip!a.CSV.gz`)."""
        return PurePosixPath(self.name).suffix.lower()

    def open(self) -> io.BufferedReader:
        """A fresh binary stream of the (decompressed) bytes; errors in it name the origin."""
        return self.opener()


@dataclass(slots=True)
class _Budget:
    """The decompressed bytes one archive may still produce, over all its members."""

    left: int = field(default_factory=lambda: MAX_ARCHIVE_BYTES)


class _Guarded(io.RawIOBase):
    """A decompressed stream that refuses a bomb and turns decoding errors into ImportError_."""

    def __init__(
        self,
        inner: io.BufferedIOBase,
        origin: str,
        packed: int | None = None,
        budget: _Budget | None = None,
        also: Sequence[io.BufferedIOBase] = (),
    ) -> None:
        super().__init__()
        self._inner, self._origin, self._packed = inner, origin, packed
        self._budget, self._also = budget, also
        self._produced = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        with _reasons(self._origin):
            count = self._inner.readinto(buffer)
        self._produced += count
        if self._packed is not None and self._bombed(self._packed):
            raise ImportError_(_bomb(self._produced, self._packed), path=self._origin)
        if self._budget is not None:
            self._budget.left -= count
            if self._budget.left < 0:
                raise ImportError_(_over_cap("decompresses to"), path=self._origin)
        return count

    def _bombed(self, packed: int) -> bool:
        return self._produced > max(MAX_RATIO_FREE_BYTES, MAX_RATIO * packed)

    def close(self) -> None:
        if not self.closed:
            for handle in (self._inner, *self._also):
                handle.close()
        super().close()


def _bomb(produced: int, packed: int) -> str:
    return (
        f"{produced / _MB:.0f} MB from {packed / _MB:.1f} MB compressed, over {MAX_RATIO}:1:"
        " refused as a zip bomb"
    )


def _over_cap(verb: str) -> str:
    return f"the archive {verb} more than {MAX_ARCHIVE_BYTES / _MB:.0f} MB: refused as a zip bomb"


@contextmanager
def _reasons(origin: str) -> Iterator[None]:
    """Corrupt or truncated compressed data as an ImportError_ naming the file, with why."""
    try:
        yield
    except EOFError as exc:
        raise ImportError_("truncated compressed data" + _why(exc), path=origin) from None
    except gzip.BadGzipFile as exc:
        raise ImportError_("not valid gzip data" + _why(exc), path=origin) from None
    except zipfile.BadZipFile as exc:
        raise ImportError_("corrupt zip member" + _why(exc), path=origin) from None
    except (zlib.error, lzma.LZMAError) as exc:
        raise ImportError_("corrupt compressed data" + _why(exc), path=origin) from None
    except NotImplementedError as exc:  # zipfile: an unsupported method, version or flag
        raise ImportError_("not supported" + _why(exc), path=origin) from None


def _why(exc: BaseException) -> str:
    return f" ({exc})" if str(exc) else ""


def _stream(
    inner: io.BufferedIOBase,
    origin: str,
    packed: int | None = None,
    budget: _Budget | None = None,
    also: Sequence[io.BufferedIOBase] = (),
) -> io.BufferedReader:
    return io.BufferedReader(_Guarded(inner, origin, packed, budget, also), 64 * 1024)


def plain_file(path: Path) -> RawFile:
    """A file on disk, read as is, or decompressed if its name ends in `.gz`."""
    mtime = _file_mtime(path)
    if path.suffix.lower() != ".gz":
        return RawFile(
            path,
            Format.AUTO,
            str(path),
            path.name,
            lambda: _stream(path.open("rb"), str(path)),
            mtime,
        )
    packed = path.stat().st_size  # the most compressed bytes the stream can consume

    def open_gzip() -> io.BufferedReader:
        return _stream(gzip.GzipFile(path, "rb"), str(path), packed)

    return RawFile(path, Format.AUTO, str(path), path.name[: -len(".gz")], open_gzip, mtime)


def _file_mtime(path: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError:
        return None


def zip_members(path: Path, forced: Format) -> Iterator[RawFile | ImportOutcome]:
    """Each file member of a zip archive with its format, or a failure saying why it is not read."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        reason = "not a readable zip archive" + _why(exc)
        yield ImportOutcome(str(path), Status.FAILED, reason=reason)
        return
    with archive:  # open while its members are read; each member stream shares its file
        infos = sorted((i for i in archive.infolist() if not _skipped(i)), key=_name)
        if not infos:
            yield ImportOutcome(str(path), Status.FAILED, reason="the archive holds no files")
        elif sum(i.file_size for i in infos) > MAX_ARCHIVE_BYTES:
            yield ImportOutcome(str(path), Status.FAILED, reason=_over_cap("declares"))
        else:
            budget = _Budget()
            for info in infos:
                origin = f"{path}!{info.filename}"
                problem = _member_problem(info)
                if problem:
                    yield ImportOutcome(origin, Status.FAILED, reason=problem)
                else:
                    yield with_format(_member(archive, path, info, budget), forced)


def _name(info: zipfile.ZipInfo) -> str:
    return info.filename


def _skipped(info: zipfile.ZipInfo) -> bool:
    """Directories and the hidden files archivers add (`__MACOSX/`, `.DS_Store`, `._x`)."""
    parts = [p for p in info.filename.split("/") if p]
    hidden = any(p.startswith(".") and p not in (".", "..") for p in parts)  # `..` is refused
    return info.is_dir() or not parts or parts[0] == "__MACOSX" or hidden


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    """Why a member is not read (by its name and header alone), or None."""
    name = info.orig_filename
    parts = name.split("/")
    if "\\" in name or "\x00" in name or name.startswith("/") or _DRIVE.match(name):
        return "unsafe member name (absolute path, drive letter or backslash): not read"
    if ".." in parts:
        return "unsafe member name (`..` leaves the archive): not read"
    if info.flag_bits & 0x1:
        return "encrypted: password-protected members are not read"
    if info.compress_type not in _ZIP_METHODS:
        return f"compression method {info.compress_type} is not supported"
    declared, packed = info.file_size, info.compress_size
    if declared > max(MAX_RATIO_FREE_BYTES, MAX_RATIO * packed):
        return f"declares {_bomb(declared, packed)}"
    return None


def _member(
    archive: zipfile.ZipFile, path: Path, info: zipfile.ZipInfo, budget: _Budget
) -> RawFile:
    origin = f"{path}!{info.filename}"
    gzipped = info.filename.lower().endswith(".gz")

    def open_member() -> io.BufferedReader:
        with _reasons(origin):
            member = _open_member(archive, path, info)
            inner = gzip.GzipFile(fileobj=member, mode="rb") if gzipped else member
        # the header's compressed size bounds what zipfile reads, so it bounds the ratio too
        return _stream(inner, origin, info.compress_size, budget, (member,))

    name = PurePosixPath(info.filename).name
    inner = name[: -len(".gz")] if gzipped else name
    return RawFile(path, Format.AUTO, origin, inner, open_member, _member_mtime(info))


def _member_mtime(info: zipfile.ZipInfo) -> datetime | None:
    # zip stores local wall time without a zone; UTC is as good a reading as any
    try:
        return datetime(*info.date_time, tzinfo=UTC)
    except ValueError:
        return None


def _open_member(archive: zipfile.ZipFile, path: Path, info: zipfile.ZipInfo) -> zipfile.ZipExtFile:
    if archive.fp is None:  # read after its archive was closed: open the archive again
        with zipfile.ZipFile(path) as again:  # the member keeps the file open until it closes
            return _open_member(again, path, info)
    return archive.open(info)  # type: ignore[return-value]  # typeshed says IO[bytes]


def with_format(raw: RawFile, forced: Format = Format.AUTO) -> RawFile | ImportOutcome:
    """The raw file with its format detected, or a failure if it cannot even be sniffed."""
    if raw.suffix in _ARCHIVES:
        reason = "an archive inside an archive is not read (one level only)"
        return ImportOutcome(raw.origin, Status.FAILED, reason=reason)
    try:
        return replace(raw, format=detect_format(raw, forced))
    except ImportError_ as exc:
        return ImportOutcome(raw.origin, Status.FAILED, reason=exc.message)
    except OSError as exc:
        reason = f"cannot read: {exc.strerror or exc}"
        return ImportOutcome(raw.origin, Status.FAILED, reason=reason)


def expand_sources(sources: Sequence[str | Path]) -> tuple[list[Path], list[ImportError_]]:
    """Files named, found in directories (recursively) or matched by globs, sorted, no repeats."""
    files: list[Path] = []
    errors: list[ImportError_] = []
    for source in sources:
        found = _expand_one(str(source))
        if not found:
            errors.append(ImportError_("no such file, directory or matching glob", path=source))
        files.extend(found)
    unique = sorted({p.resolve(): p for p in files}.values(), key=lambda p: str(p))
    return unique, errors


def _expand_one(source: str) -> list[Path]:
    path = Path(source)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p, path))
    if path.is_file():
        return [path]
    if glob.has_magic(source):
        matches = (Path(m) for m in glob.glob(source, recursive=True))
        return sorted(p for p in matches if p.is_file())
    return []


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def iter_raw_files(files: Sequence[Path], forced: Format) -> Iterator[RawFile | ImportOutcome]:
    """Each file (each member of a zip) with its format, or a failure saying why it is not read."""
    for path in files:
        if path.suffix.lower() == ".zip":
            yield from zip_members(path, forced)
        else:
            yield with_format(plain_file(path), forced)


def detect_format(raw: RawFile, forced: Format = Format.AUTO) -> Format:
    """The format of one file: forced, else by its inner suffix, else by sniffing its bytes."""
    if forced is not Format.AUTO:
        return forced
    by_suffix = _SUFFIXES.get(raw.suffix)
    if by_suffix:
        return Format(by_suffix)
    head = read_head(raw).lstrip().lower()
    if xml := _xml_format(head):
        return xml
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head:
        return Format.HTML
    if head.startswith(b"{"):
        return Format.JSONL
    return Format.TEXT


def _xml_format(head: bytes) -> Format | None:
    """WORDPRESS or FEED for an XML file whose root is a WordPress export or a feed, by the
    root element and namespaces its first kilobytes show (a `.xml` name says neither)."""
    if b"<html" in head or not _FEED_ROOT.search(head):
        return None
    return Format.WORDPRESS if _WXR_NAMESPACE.search(head) else Format.FEED


def read_head(raw: RawFile) -> bytes:
    """The first few kilobytes of a file (decompressed), for sniffing."""
    with raw.open() as stream:
        return stream.read(_SNIFF_BYTES)


def read_page_text(raw: RawFile) -> str:
    """The text of one page file, or an ImportError_ saying why it is not a readable page."""
    with raw.open() as stream:
        data = stream.read(MAX_PAGE_BYTES + 1)  # never trust a declared size: read to the limit
    if not data:
        raise ImportError_("the file is empty", path=raw.origin)
    if len(data) > MAX_PAGE_BYTES:
        limit = MAX_PAGE_BYTES // _MB
        raise ImportError_(f"too big for one page (over {limit} MB)", path=raw.origin)
    if looks_binary(data[:_SNIFF_BYTES]):
        raise ImportError_("a binary file, not text", path=raw.origin)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportError_("not UTF-8 text", path=raw.origin, line=line) from None
    if not text.strip():
        raise ImportError_("the file holds only whitespace", path=raw.origin)
    return text


def check_not_binary(raw: RawFile) -> None:
    """Raise when a file's (decompressed) bytes look binary (see looks_binary)."""
    if looks_binary(read_head(raw)):
        raise ImportError_("a binary file, not text", path=raw.origin)


def looks_binary(head: bytes) -> bool:
    """True for bytes with a NUL and many control bytes: an image or a database, not text
    (UTF-16 and UTF-32, which spreadsheet programs write as "Unicode text", start with a BOM)."""
    if b"\x00" not in head or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > _BINARY_SHARE * len(head)


def file_encoding(raw: RawFile) -> str:
    """The codec a CSV or JSONL file is read with.

    UTF-8, unless its first megabyte is not UTF-8 and holds no UTF-8 text at all: a legacy
    export, read in the code page charset-normalizer detects. A file with UTF-8 text and a
    few bad bytes is UTF-8 with bad rows, which are refused one by one (see bad_byte).
    """
    with raw.open() as stream:
        sample = stream.read(_ENCODING_SAMPLE)
    # incremental: a character cut at the sample's end is no bad byte
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    text = decoder.decode(sample, final=False)
    if not _ESCAPED_BYTE.search(text) or _DECODED.search(text):
        return "utf-8"
    matches = charset_normalizer.from_bytes(sample)
    best = matches.best()
    if best is None:  # nothing fits: read as UTF-8, every bad row refused with its line
        return "utf-8"
    near = (m for m in matches if m.chaos <= best.chaos + _NEAR_CHAOS)
    if any(_PREFERRED_LEGACY in m.could_be_from_charset for m in near):
        return _PREFERRED_LEGACY
    return str(best.encoding)


def encoding_note(raw: RawFile, encoding: str) -> FileNote | None:
    """What the report says of a file not read as UTF-8, or None."""
    if encoding == "utf-8":
        return None
    return FileNote(raw.origin, f"not UTF-8: read as {encoding} (detected)")


def bad_byte(text: str, encoding: str) -> str | None:
    """Why text read from a file may not be imported (a byte its encoding does not
    decode, kept as an escaped surrogate), or None."""
    m = _ESCAPED_BYTE.search(text)
    if m is None:
        return None
    byte = ord(m.group()) - 0xDC00
    label = "UTF-8" if encoding == "utf-8" else encoding
    return f"not {label} text (byte 0x{byte:02X} at character {m.start() + 1})"


def text_lines(raw: RawFile, encoding: str) -> Generator[str | None, None, None]:
    """The lines of a stream, read one at a time; None for a line over MAX_ROW_CHARS.

    A byte the encoding does not decode stays in its line as an escaped surrogate, for
    the caller to refuse that line or row alone (bad_byte).
    """
    codec = "utf-8-sig" if encoding == "utf-8" else encoding
    with (
        raw.open() as binary,
        io.TextIOWrapper(binary, codec, errors="surrogateescape", newline="") as text,
    ):
        while line := text.readline(MAX_ROW_CHARS + 1):
            if len(line) <= MAX_ROW_CHARS:
                yield line
                continue
            while line and not line.endswith(("\n", "\r")):  # skip the rest, unkept
                line = text.readline(MAX_ROW_CHARS + 1)
            yield None


class CsvLines:
    """The lines of a CSV stream for csv.reader, refusing a row that grows past MAX_ROW_CHARS."""

    def __init__(self, raw: RawFile) -> None:
        self.encoding = file_encoding(raw)
        self._lines = text_lines(raw, self.encoding)
        self._origin = raw.origin
        self._number = 0
        self._row_chars = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self._number += 1
        self._row_chars += MAX_ROW_CHARS + 1 if line is None else len(line)
        if line is None or self._row_chars > MAX_ROW_CHARS:
            limit = MAX_ROW_CHARS // _MB
            raise ImportError_(
                f"a row over {limit} MB is too long for one article (not read further)",
                path=self._origin,
                line=self._number,
            )
        return line

    def row_done(self) -> None:
        """Start counting the next row's characters."""
        self._row_chars = 0

    def close(self) -> None:
        """Close the stream, even when the rows were not all read."""
        self._lines.close()


def first_json_record(raw: RawFile) -> dict[str, object] | None:
    """The first JSON object of a JSONL file, to tell IndoSum from generic records."""
    with closing(text_lines(raw, file_encoding(raw))) as lines:
        for line in lines:
            if line is None:
                return None
            if line.strip():
                value, _ = parse_json(line)
                return value if isinstance(value, dict) else None
    return None


def jsonl_records(raw: RawFile) -> Iterator[tuple[str, object] | ImportOutcome | FileNote]:
    """Each non-blank line of a JSONL file as (origin `path:line`, value), or a failure."""
    encoding = file_encoding(raw)
    if note := encoding_note(raw, encoding):
        yield note
    with closing(text_lines(raw, encoding)) as lines:
        for number, line in enumerate(lines, 1):
            origin = f"{raw.origin}:{number}"
            if line is None:
                reason = f"a line over {MAX_ROW_CHARS // _MB} MB is too long for one record"
                yield ImportOutcome(origin, Status.FAILED, reason=reason)
            elif line.strip():
                value, problem = parse_json(line)
                problem = bad_byte(line, encoding) or problem
                if problem:
                    yield ImportOutcome(origin, Status.FAILED, reason=problem)
                else:
                    yield origin, value


def parse_json(text: str) -> tuple[object, str | None]:
    """A JSON value and None, or None and why it was not read; never an exception.

    A number longer than Python reads into an int (4,300 digits) is kept as its text;
    a value nested deeper than the reader's recursion allows is refused.
    """
    try:
        return json.loads(text, parse_int=_int_or_text), None
    except json.JSONDecodeError as exc:
        return None, f"not JSON: {exc.msg}"
    except RecursionError:
        return None, "not read: JSON nested too deep (over a thousand levels)"


def _int_or_text(digits: str) -> int | str:
    try:
        return int(digits)
    except ValueError:  # over sys.get_int_max_str_digits()
        return digits
