"""CSV and JSONL exports of scrapers, one article per row, through a column mapping.

Columns are found by common names (title/judul, date/tanggal_publikasi, content/isi_berita,
...) unless a mapping names them: `--map title=judul` flags or a YAML/JSON mapping file.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass, fields, replace
from datetime import datetime, tzinfo
from pathlib import Path

import yaml

from archivegen.errors import ImportError_
from archivegen.importers.boilerplate import scraped_paragraphs
from archivegen.importers.date_evidence import FoundDate, date_in_text, split_updated
from archivegen.importers.dates import (
    WIB,
    ZONES,
    DateParseError,
    find_date_span,
    parse_datetime,
    states_time,
)
from archivegen.importers.markdown import paragraphs_to_markdown
from archivegen.importers.model import (
    DateSource,
    FileNote,
    ImportedArticle,
    ImportOutcome,
    ReadItem,
    Status,
)
from archivegen.importers.people import split_authors
from archivegen.importers.sources import CsvLines, RawFile, bad_byte, encoding_note, jsonl_records

# the names scrapers give their columns, most specific first
_GUESSES: dict[str, tuple[str, ...]] = {
    "title": ("title", "judul", "headline"),
    "date": ("date", "tanggal_publikasi", "tanggal", "published", "published_at", "waktu"),
    "time": ("time", "jam"),
    "body": ("content", "isi_berita", "isi", "body", "text", "article"),
    "author": ("author", "penulis", "authors", "byline", "reporter"),
    "category": ("category", "kategori", "rubrik"),
    "tags": ("tags", "tag", "keywords"),
    "source": ("url", "link", "source_url", "permalink"),
    "site_name": ("sumber", "source", "site", "site_name", "media"),
    "image_caption": ("image_caption", "caption"),
    "updated": ("updated", "modified", "diperbarui", "updated_at", "date_modified"),
    "captured": ("captured", "captured_at", "scraped_at", "crawled_at", "fetched_at",
                 "retrieved_at", "crawl_time", "waktu_scraping"),
}  # fmt: skip
_DETIK_DESK = re.compile(r"\s*-\s*detik\w*$", re.IGNORECASE)  # "Retno Ayuningrum -detikFinance"


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which column holds which article field (None: guess from the header)."""

    title: str | None = None
    date: str | None = None
    time: str | None = None
    body: str | None = None
    author: str | None = None
    category: str | None = None
    tags: str | None = None
    source: str | None = None
    site_name: str | None = None
    image_caption: str | None = None
    updated: str | None = None
    captured: str | None = None
    timezone: str = "WIB"  # for dates printed without a zone

    @classmethod
    def from_pairs(cls, pairs: Iterable[str]) -> ColumnMapping:
        """A mapping from `field=column` flags (`--map title=judul --map timezone=WITA`)."""
        values: dict[str, str] = {}
        for pair in pairs:
            name, sep, column = pair.partition("=")
            if not sep or not column.strip():
                raise ImportError_(f"{pair!r} is not field=column", field="map")
            values[name.strip()] = column.strip()
        return cls.from_dict(values, where="--map")

    @classmethod
    def from_dict(cls, values: Mapping[str, object], where: str) -> ColumnMapping:
        """A mapping from a dict of field -> column, refusing unknown fields."""
        known = {f.name for f in fields(cls)}
        for name, column in values.items():
            if name not in known:
                wanted = ", ".join(sorted(known))
                raise ImportError_(f"unknown field {name!r} (known: {wanted})", path=where)
            if not isinstance(column, str):
                raise ImportError_(f"{name}: the column must be a name", path=where, field=name)
        if str(values.get("timezone", "WIB")).lower() not in ZONES:
            raise ImportError_("timezone must be WIB, WITA or WIT", path=where, field="timezone")
        return cls(**{k: str(v) for k, v in values.items()})


def load_mapping(path: Path) -> ColumnMapping:
    """Read a mapping file (YAML or JSON: `title: judul`, `date: tanggal_publikasi`, ...)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ImportError_(f"cannot read the mapping: {exc}", path=path) from None
    except UnicodeDecodeError:
        raise ImportError_("cannot read the mapping: not UTF-8 text", path=path) from None
    except ValueError:  # a number past Python's 4,300 digits
        raise ImportError_(
            "cannot read the mapping: a number too long to read", path=path
        ) from None
    if not isinstance(data, dict):
        raise ImportError_("a mapping file holds `field: column` lines", path=path)
    return ColumnMapping.from_dict(data, where=str(path))


def resolve_mapping(mapping: ColumnMapping, header: Iterable[str], origin: str) -> ColumnMapping:
    """Fill the fields the mapping leaves open from the header; title, date, body are required."""
    columns = {h.strip().lower(): h for h in header}
    filled: dict[str, str | None] = {}
    used = {str(v).strip().lower() for v in (getattr(mapping, n) for n in _GUESSES) if v}
    for name, guesses in _GUESSES.items():
        given = getattr(mapping, name)
        if given is not None and given.strip().lower() not in columns:
            raise ImportError_(
                f"no column {given!r} in the header", path=origin, line=1, field=name
            )
        pick = given or next((g for g in guesses if g in columns and g not in used), None)
        if pick:
            used.add(pick.strip().lower())
        filled[name] = columns[pick.strip().lower()] if pick else None
    resolved = replace(mapping, **filled)  # type: ignore[arg-type]  # filled has no timezone
    for required in ("title", "body"):  # a row without a date may still be dated by its URL
        if getattr(resolved, required) is None:
            raise ImportError_(
                f"no {required} column found; name it with --map {required}=COLUMN",
                path=origin,
                line=1,
            )
    return resolved


def read_csv(raw: RawFile, mapping: ColumnMapping) -> Iterator[ReadItem]:
    """Each row of a CSV (or TSV) file as an article, or a failure naming its line."""
    csv.field_size_limit(sys.maxsize)  # article bodies are longer than csv's 128 kB default
    with closing(CsvLines(raw)) as lines:  # CsvLines bounds each row instead
        if note := encoding_note(raw, lines.encoding):
            yield note
        dialect = csv.excel_tab if raw.suffix == ".tsv" else csv.excel
        reader = csv.DictReader(lines, dialect=dialect)
        try:
            resolved = resolve_mapping(mapping, reader.fieldnames or [], raw.origin)
            start = 2
            for row in reader:
                lines.row_done()
                origin = f"{raw.origin}:{start}"
                yield _undecoded(row, lines.encoding, origin) or row_article(row, resolved, origin)
                start = reader.line_num + 1
        except csv.Error as exc:
            raise ImportError_(f"not CSV: {exc}", path=raw.origin, line=reader.line_num) from None


def _undecoded(
    row: Mapping[str | None, object], encoding: str, origin: str
) -> ImportOutcome | None:
    """A failure naming the first cell of a row holding a byte the file's encoding does
    not decode, or None: only that row is refused."""
    for column, value in row.items():
        for cell in value if isinstance(value, list) else [value]:  # a list: cells past the header
            problem = bad_byte(cell, encoding) if isinstance(cell, str) else None
            if problem:
                return ImportOutcome(origin, Status.FAILED, reason=f"{column or 'cell'}: {problem}")
    return None


def read_jsonl(raw: RawFile, mapping: ColumnMapping) -> Iterator[ReadItem]:
    """Each object of a JSONL file as an article, or a failure naming its line."""
    resolved: ColumnMapping | None = None
    for item in jsonl_records(raw):
        if isinstance(item, ImportOutcome | FileNote):
            yield item
            continue
        origin, record = item
        if not isinstance(record, dict):
            yield ImportOutcome(origin, Status.FAILED, reason="not a JSON object")
            continue
        resolved = resolved or resolve_mapping(mapping, record.keys(), raw.origin)
        yield row_article({str(k): _flat(v) for k, v in record.items()}, resolved, origin)


def _flat(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def row_article(
    row: Mapping[str, str | None], mapping: ColumnMapping, origin: str
) -> ImportedArticle | ImportOutcome:
    """One row into an article; a missing title or body makes a failure with its reason."""

    def cell(name: str) -> str:
        column = getattr(mapping, name)
        return (row.get(column) or "").strip() if column else ""

    title = " ".join(cell("title").split())
    if not title:
        return ImportOutcome(origin, Status.FAILED, reason="title: empty")
    paragraphs = scraped_paragraphs(cell("body"))
    if not paragraphs:
        return ImportOutcome(origin, Status.FAILED, reason="body: empty")
    site = cell("site_name")
    article = ImportedArticle(
        title=title,
        date=None,
        body=paragraphs_to_markdown(paragraphs),
        origin=origin,
        authors=split_authors(_DETIK_DESK.sub("", cell("author"))),
        category=_category(cell("category"), site),
        tags=tuple(t.strip() for t in cell("tags").split(",") if t.strip()),
        image_caption=cell("image_caption") or None,
        source=cell("source") or None,
        extra=(("site_name", site),) if site else (),
    )
    return _dated(article, cell, mapping)


def _dated(
    article: ImportedArticle, cell: Callable[[str], str], mapping: ColumnMapping
) -> ImportedArticle:
    """The row's dates: published (or why not), updated ("Diperbarui ..."), captured."""
    zone = ZONES.get(mapping.timezone.lower(), WIB)
    captured = _moment(cell("captured"), "", zone)
    published_text, updated_text = split_updated(cell("date"))
    found, problem = _published(published_text, cell("time"), zone, captured)
    if mapping.date is None:
        problem = "no date column (name it with --map date=COLUMN)"
    if problem and updated_text:
        problem = f"the date column gives only an update time ({cell('date')!r})"
    updated = _moment(cell("updated") or updated_text, cell("time") if updated_text else "", zone)
    return replace(
        article,
        date=found.moment if found else None,
        updated=updated,
        captured=captured,
        date_source=DateSource.RELATIVE if found and found.relative else None,
        date_has_time=found.has_time if found else True,
        date_problem=problem,
    )


def _published(
    text: str, time_text: str, zone: tzinfo, captured: datetime | None
) -> tuple[FoundDate | None, str | None]:
    """A row's publication date, or None and why (date_evidence then looks elsewhere)."""
    if not text.strip():
        return None, "the date column is empty"
    try:
        moment = parse_datetime(text, time_text=time_text, default_zone=zone)
    except DateParseError as exc:
        if find_date_span(text) is not None:  # a date, broken (+99:00, 30 Feb): not read around
            return None, str(exc)
        found = date_in_text(text, zone, captured)  # "2 jam yang lalu", English month names
        return (found, None) if found else (None, str(exc))
    # a date column without a time ("06 Jun 2025") is a day, not midnight
    return FoundDate(moment, has_time=states_time(text, time_text)), None


def _moment(text: str, time_text: str, zone: tzinfo) -> datetime | None:
    if not text.strip():
        return None
    try:
        return parse_datetime(text, time_text=time_text, default_zone=zone)
    except DateParseError:
        return None


def _category(category: str, site: str) -> str | None:
    # some scrapers fill the category with the site's name ("Kompas.com"): that is no category
    if not category or (site and category.lower().split(".")[0] in site.lower()):
        return None
    return category
