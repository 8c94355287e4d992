"""`archivegen import`: scraped pages (text dumps, saved HTML, CSV/JSONL) into Markdown articles.

One entry point, `import_sources`, reads every source, writes one .md file per article under
`into` (or, in a dry run, only says what it would write) and returns an ImportReport. One
bad file or row is reported with its reason while the rest import.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from urllib.parse import urlsplit

from archivegen.content.aliases import clean_alias
from archivegen.errors import ArchivegenError, ImportError_
from archivegen.importers.date_evidence import Fallback, in_range, settle_date
from archivegen.importers.dates import ZONES
from archivegen.importers.defaults import FieldDefaults, ImportSettings, fills_for
from archivegen.importers.duplicates import note_copies
from archivegen.importers.indosum import is_indosum_record, read_indosum
from archivegen.importers.local_images import WithImages, save_beside
from archivegen.importers.mirror import Mirror
from archivegen.importers.model import (
    FileNote,
    ImportedArticle,
    ImportOutcome,
    ImportReport,
    NotAnArticle,
    ReadItem,
    Status,
)
from archivegen.importers.rmol_amp import read_rmol_amp
from archivegen.importers.rmol_read import looks_like_rmol_read, read_rmol_read
from archivegen.importers.sources import (
    Format,
    RawFile,
    check_not_binary,
    expand_sources,
    first_json_record,
    iter_raw_files,
    read_page_text,
)
from archivegen.importers.tabular import ColumnMapping, load_mapping, read_csv, read_jsonl
from archivegen.importers.warc import crawl_bytes, is_crawl, read_crawl
from archivegen.importers.wordpress_selection import WordPressSelection
from archivegen.importers.writer import ArticleWriter
from archivegen.pipeline.workers import default_workers, map_chunks

__all__ = [
    "ColumnMapping",
    "Fallback",
    "FieldDefaults",
    "Format",
    "ImportOutcome",
    "ImportReport",
    "ImportSettings",
    "ImportedArticle",
    "Status",
    "WordPressSelection",
    "import_sources",
    "load_mapping",
]

Progress = Callable[[int, int], None]


def import_sources(
    sources: Sequence[str | Path],
    into: Path,
    *,
    fmt: Format | str = Format.AUTO,
    dry_run: bool = False,
    force: bool = False,
    mapping: ColumnMapping | None = None,
    settings: ImportSettings | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    crawl_progress: Progress | None = None,
    wordpress: WordPressSelection | None = None,
) -> ImportReport:
    """Import every article found in sources into `into`; never raises for a bad input file.

    Saved pages are extracted on `workers` processes (default: one per core); articles are
    dated, merged and written in this process, in the order of the inputs.
    """
    # one pass over the inputs, in order, from expansion to the written file: its length is
    # the keyword arguments it hands on, not logic to cut apart
    files, missing = expand_sources(sources)
    # `archivegen import . --into content/` must not read back the articles it writes
    files = [f for f in files if not f.resolve().is_relative_to(into.resolve())]
    crawls = [f for f in files if is_crawl(f)]  # streamed record by record, after the rest
    mirror = Mirror.of(sources, [f for f in files if not is_crawl(f)])
    files = mirror.inputs
    outcomes = [ImportOutcome(str(e.path), Status.FAILED, reason=e.message) for e in missing]
    notes: list[FileNote] = []
    mapping = mapping or ColumnMapping()
    settings = settings or ImportSettings(clock=datetime.now(UTC))
    writer = ArticleWriter(
        into, dry_run=dry_run, force=force, validate=settings.validator(), clock=settings.clock
    )
    zone = ZONES[mapping.timezone.lower()]
    # (the input file's number, a raw page or export in it): progress counts input files
    raws = [
        (done, raw)
        for done, path in enumerate(files, 1)
        for raw in iter_raw_files([path], Format(fmt))
        if mirror.keeps(raw)
    ]
    extracted = map_chunks(
        _extract_pages, mapping, [raw for _, raw in raws], workers or default_workers(), 4
    )
    for n, ((done, raw), items) in enumerate(zip(raws, extracted, strict=True), 1):
        for item in _read_guarded(raw, mapping, wordpress) if items is None else items:
            if isinstance(item, FileNote):
                notes.append(item)
                continue
            if isinstance(item, ImportedArticle):
                mtime = raw.mtime if isinstance(raw, RawFile) else None
                item = _land(mirror.localize(item, raw), mtime, settings, writer, zone, dry_run)
            outcomes.append(item)
        last_of_its_file = n == len(raws) or raws[n][0] != done
        if progress is not None and last_of_its_file:
            progress(done, len(files))
    total, read = sum(crawl_bytes(p) for p in crawls), 0
    for path in crawls:
        meter = None if crawl_progress is None else _meter(crawl_progress, read, total)
        for found in read_crawl(path, zone, workers or default_workers(), meter):
            if isinstance(found, FileNote):
                notes.append(found)
            elif isinstance(found, WithImages):
                outcomes.append(_land(found, None, settings, writer, zone, dry_run))
            else:
                outcomes.append(found)
        read += crawl_bytes(path)
    notes.extend(mirror.notes())
    report = ImportReport(tuple(outcomes), dry_run=dry_run, file_notes=tuple(notes))
    return note_copies(report, into)  # syndicated copies are written, with a note


def _meter(progress: Progress, before: int, total: int) -> Callable[[int], None]:
    """A crawl's bytes read, as (done, total) over every crawl of the import."""
    return lambda done: progress(before + done, total)


def _extract_pages(
    mapping: ColumnMapping, raws: Sequence[RawFile | ImportOutcome]
) -> list[list[ReadItem] | None]:
    """The articles of the saved HTML pages among raws, read on all cores; None for the rest.

    Extraction costs a tenth of a second or more a page; text dumps and exports are cheap
    and are streamed row by row in the importing process instead (an export may hold
    millions of rows), and so are zip members, whose archive's file offset forked workers
    would share.
    """
    return [
        list(_read_guarded(raw, mapping))
        if isinstance(raw, RawFile) and raw.format is Format.HTML and raw.origin == str(raw.path)
        else None
        for raw in raws
    ]


def _land(
    item: ImportedArticle | WithImages,
    mtime: datetime | None,
    settings: ImportSettings,
    writer: ArticleWriter,
    zone: tzinfo,
    dry_run: bool,
) -> ImportOutcome:
    """Date an article from the best evidence, fill what it lacks, and write it (with the
    pictures its input held, beside it)."""
    article, pictures = (item.article, item.files) if isinstance(item, WithImages) else (item, ())
    outcome = _land_article(article, mtime, settings, writer, zone)
    if pictures and not dry_run:
        try:
            save_beside(outcome, pictures)
        except OSError as exc:  # the article is written; a full disk costs its pictures
            note = f"images not saved: {exc.strerror or exc}"
            return dataclasses.replace(outcome, notes=(*outcome.notes, note))
    return outcome


def _land_article(
    article: ImportedArticle,
    mtime: datetime | None,
    settings: ImportSettings,
    writer: ArticleWriter,
    zone: tzinfo,
) -> ImportOutcome:
    article, notes = _without_placeholder_times(article)
    dated = settle_date(article, settings.fallback, mtime, zone)
    if isinstance(dated, str):
        return ImportOutcome(article.origin, Status.FAILED, reason=f"date: {dated}", missing="date")
    if settings.alias_source_paths:
        dated = with_source_alias(dated)
    try:
        outcome = writer.write(dated, fills_for(dated, settings.defaults))
    except OSError as exc:  # a read-only folder, a full disk, a file removed meanwhile
        reason = f"cannot write: {exc.strerror or exc} ({exc.filename or 'the article file'})"
        return ImportOutcome(article.origin, Status.FAILED, reason=reason)
    except ArchivegenError as exc:  # an earlier import's file that no longer parses
        return ImportOutcome(article.origin, Status.FAILED, reason=str(exc))
    return dataclasses.replace(outcome, notes=(*notes, *outcome.notes))


def _without_placeholder_times(
    article: ImportedArticle,
) -> tuple[ImportedArticle, tuple[str, ...]]:
    """The article without an updated or captured time outside the years an archive holds
    (9999-12-31, year 1), which the build could not show; a note for each one dropped."""
    notes: list[str] = []
    updated = _in_range_or_none("updated", article.updated, notes)
    captured = _in_range_or_none("captured", article.captured, notes)
    return dataclasses.replace(article, updated=updated, captured=captured), tuple(notes)


def _in_range_or_none(name: str, moment: datetime | None, notes: list[str]) -> datetime | None:
    if moment is None or in_range(moment):
        return moment
    notes.append(f"{name}: dropped {moment.isoformat()}, a placeholder date")
    return None


def _read_guarded(
    raw: RawFile | ImportOutcome,
    mapping: ColumnMapping,
    wordpress: WordPressSelection | None = None,
) -> Iterator[ReadItem]:
    """The articles of one file; an error in it becomes a failure naming it, never a crash."""
    if isinstance(raw, ImportOutcome):  # not even listed or sniffed (a corrupt zip, a bomb)
        yield raw
        return
    try:
        yield from read_file(raw, mapping, wordpress)
    except NotAnArticle as exc:
        yield ImportOutcome(exc.path or raw.origin, Status.REFUSED, reason=exc.message)
    except ImportError_ as exc:
        origin = exc.path or raw.origin
        where = f"{origin}:{exc.line}" if exc.line else origin
        reason = f"{exc.field}: {exc.message}" if exc.field else exc.message
        yield ImportOutcome(where, Status.FAILED, reason=reason)
    except OSError as exc:
        reason = f"cannot read: {exc.strerror or exc}"
        yield ImportOutcome(raw.origin, Status.FAILED, reason=reason)


def read_file(
    raw: RawFile, mapping: ColumnMapping, wordpress: WordPressSelection | None = None
) -> Iterator[ReadItem]:
    """The articles (or per-row failures) of one raw file, read as its format."""
    zone = ZONES[mapping.timezone.lower()]
    if raw.format is Format.WORDPRESS:
        from archivegen.importers.wordpress import read_wordpress  # lxml loads for exports alone

        yield from read_wordpress(raw, zone, wordpress or WordPressSelection())
    elif raw.format is Format.FEED:
        from archivegen.importers.feeds import read_feed  # feedparser loads for feeds alone

        yield from read_feed(raw, zone)
    elif raw.format is Format.TEXT:
        text = read_page_text(raw)
        reader = read_rmol_read if looks_like_rmol_read(text) else read_rmol_amp
        yield reader(text, raw.origin)
    elif raw.format is Format.JSONL:
        record = first_json_record(raw)
        if record is not None and is_indosum_record(record):
            yield from read_indosum(raw)
        else:
            yield from read_jsonl(raw, mapping)
    elif raw.format is Format.CSV:
        check_not_binary(raw)
        yield from read_csv(raw, mapping)
    else:
        # trafilatura (and lxml's HTML cleaner) load only for pages that need them
        from archivegen.importers.html import read_html

        text = read_page_text(raw)
        try:
            yield read_html(text, raw.origin, ZONES[mapping.timezone.lower()])
        except ImportError_ as exc:
            exc.path = exc.path or raw.origin
            raise


def with_source_alias(article: ImportedArticle) -> ImportedArticle:
    """The article with its source URL's path and query as an alias (`/read/…/judul`,
    `/berita.php?id=5`), percent-encoded as the build does; none for a source without a
    path, or one the build would refuse (then the article is imported as it is)."""
    if not article.source or any(key == "aliases" for key, _ in article.extra):
        return article
    parts = urlsplit(article.source)
    if parts.path in ("", "/"):
        return article
    try:
        alias = clean_alias(parts.path + (f"?{parts.query}" if parts.query else ""))
    except ValueError:
        return article
    return dataclasses.replace(article, extra=(*article.extra, ("aliases", alias)))
