"""Command-line sources (files, directories, globs) into raw files, each with its format."""

from __future__ import annotations

import glob
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from archivegen.errors import ImportError_
from archivegen.importers.model import ImportOutcome, Status

# one page is never this big; bigger single pages are refused before parsing (CSV and JSONL
# files are streamed row by row, so they have no such limit)
MAX_PAGE_BYTES = 20 * 1024 * 1024
_SNIFF_BYTES = 8192
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
}


class Format(Enum):
    """The input kinds `archivegen import` reads."""

    AUTO = "auto"
    TEXT = "text"
    HTML = "html"
    CSV = "csv"
    JSONL = "jsonl"


@dataclass(frozen=True, slots=True)
class RawFile:
    """One input file and the format it will be read as."""

    path: Path
    format: Format


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


def detect_format(path: Path, forced: Format = Format.AUTO) -> Format:
    """The format of one file: forced, else by suffix, else by sniffing its first bytes."""
    if forced is not Format.AUTO:
        return forced
    by_suffix = _SUFFIXES.get(path.suffix.lower())
    if by_suffix:
        return Format(by_suffix)
    head = read_head(path).lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head:
        return Format.HTML
    if head.startswith(b"{"):
        return Format.JSONL
    return Format.TEXT


def read_head(path: Path) -> bytes:
    """The first few kilobytes of a file, for sniffing."""
    with path.open("rb") as handle:
        return handle.read(_SNIFF_BYTES)


def read_page_text(path: Path) -> str:
    """The text of one page file, or an ImportError_ saying why it is not a readable page."""
    size = path.stat().st_size
    if size == 0:
        raise ImportError_("the file is empty", path=path)
    if size > MAX_PAGE_BYTES:
        limit = MAX_PAGE_BYTES // (1024 * 1024)
        raise ImportError_(
            f"{size / 1024 / 1024:.1f} MB is too big for one page (limit {limit} MB)", path=path
        )
    check_not_binary(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportError_("not UTF-8 text", path=path, line=line) from None
    if not text.strip():
        raise ImportError_("the file holds only whitespace", path=path)
    return text


def check_not_binary(path: Path) -> None:
    """Raise when a file looks binary (a NUL byte in its first kilobytes)."""
    if b"\x00" in read_head(path):
        raise ImportError_("a binary file, not text", path=path)


def first_json_record(path: Path) -> dict[str, object] | None:
    """The first JSON object of a JSONL file, to tell IndoSum from generic records."""
    with path.open(encoding="utf-8-sig") as handle:
        for line in handle:
            if line.strip():
                try:
                    value = json.loads(line)
                except json.JSONDecodeError:
                    return None
                return value if isinstance(value, dict) else None
    return None


def iter_raw_files(files: Sequence[Path], forced: Format) -> Iterator[RawFile]:
    """Pair each file with its format."""
    for path in files:
        yield RawFile(path, detect_format(path, forced))


def jsonl_records(path: Path) -> Iterator[tuple[str, object] | ImportOutcome]:
    """Each non-blank line of a JSONL file as (origin `path:line`, value), or a failure."""
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            origin = f"{path}:{number}"
            try:
                yield origin, json.loads(line)
            except json.JSONDecodeError as exc:
                yield ImportOutcome(origin, Status.FAILED, reason=f"not JSON: {exc.msg}")
