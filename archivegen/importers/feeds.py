"""RSS and Atom feeds into articles, through feedparser.

feedparser reads every feed dialect in use (RSS 0.9x to 2.0, RSS 1.0, Atom 0.3 and 1.0,
their namespaces: content:encoded, dc:creator, Media RSS), survives the ill-formed ones
and sanitizes their HTML; the entries' HTML then goes through the same safe Markdown path
as a WordPress post (html_fragment.py). A feed holds the full text when it carries it
(`content:encoded`, Atom `<content>`), else only a summary: that is imported, with a note.

Dates are read from the feed's own text, so their offset is kept (feedparser's parsed
times are UTC). A feed that declares entities is refused unread, as an export is.
"""

from __future__ import annotations

import email.utils
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from typing import Any

import feedparser

from archivegen.errors import ImportError_
from archivegen.importers.html_fragment import fragment_text, fragment_to_markdown
from archivegen.importers.markdown import paragraphs_to_markdown
from archivegen.importers.model import FileNote, ImportedArticle, ImportOutcome, ReadItem, Status
from archivegen.importers.sources import RawFile

MAX_FEED_BYTES = 200 * 1024 * 1024  # feedparser reads a feed whole; a year of full texts fits
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z]")
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


def read_feed(raw: RawFile, zone: tzinfo) -> Iterator[ReadItem]:
    """The entries of a feed as articles, then a note if some had only a summary."""
    parsed = feedparser.parse(io.BytesIO(_feed_bytes(raw)), sanitize_html=True)
    why = _problem(parsed.get("bozo_exception")) if parsed.get("bozo") else None
    if why and not parsed.entries:
        raise ImportError_(f"not a readable feed ({why})", path=raw.origin)
    if why:
        yield FileNote(raw.origin, f"not well-formed ({why}): read by feedparser's lenient parser")
    summaries = 0
    for number, entry in enumerate(parsed.entries, 1):
        content = _full_content(entry)
        article = _entry(entry, f"{raw.origin} (entry {number})", content, zone)
        summaries += content is None and isinstance(article, ImportedArticle)
        yield article
    if summaries:
        yield FileNote(
            raw.origin,
            f"{summaries} of {len(parsed.entries)} entries carry only a summary: the summary "
            "was imported, not the full text",
        )


def _problem(exc: object) -> str:
    """What feedparser found wrong (not its line: feedparser rewrites the feed's first
    lines before parsing, so the XML parser's line numbers are not the file's)."""
    message = getattr(exc, "getMessage", None)
    return str(message()) if callable(message) else str(exc)


def _feed_bytes(raw: RawFile) -> bytes:
    with raw.open() as stream:
        data = stream.read(MAX_FEED_BYTES + 1)
    if len(data) > MAX_FEED_BYTES:
        raise ImportError_(
            f"over {MAX_FEED_BYTES // 2**20} MB: too big for one feed", path=raw.origin
        )
    first = _FIRST_ELEMENT.search(data)
    if _ENTITY_DECLARATION.search(data[: first.start() if first else len(data)]):
        raise ImportError_(
            "the feed declares entities (they could expand to gigabytes or read local "
            "files): refused, nothing read",
            path=raw.origin,
        )
    return data


def _entry(
    entry: dict[str, Any], origin: str, content: Mapping[str, Any] | None, zone: tzinfo
) -> ImportedArticle | ImportOutcome:
    title = _text_of(entry.get("title_detail") or {"value": entry.get("title", "")})
    if not title:
        return ImportOutcome(origin, Status.FAILED, reason="title: the entry has none")
    link = entry.get("link") or None
    shown = content or entry.get("summary_detail")
    body = _markdown(shown, link) if shown else ""
    if not body:
        return ImportOutcome(origin, Status.FAILED, reason="body: the entry has no text")
    published = _date(entry, "published", zone)
    updated = _date(entry, "updated", zone)
    terms = _terms(entry.get("tags") or [])
    image = _image(entry)
    return ImportedArticle(
        title=title,
        date=published or updated,
        body=body,
        origin=origin,
        authors=_authors(entry),
        category=terms[0] if terms else None,
        tags=tuple(terms[1:]),
        source=link,
        extra=(("image", image),) if image else (),
        updated=updated if published and updated and updated > published else None,
    )


def _full_content(entry: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The entry's full text (content:encoded, Atom content): its HTML one first."""
    contents: Sequence[Mapping[str, Any]] = entry.get("content") or []
    with_text = [c for c in contents if str(c.get("value", "")).strip()]
    html = [c for c in with_text if c.get("type") in _HTML_TYPES]
    return next(iter(html or with_text), None)


def _markdown(detail: Mapping[str, Any], base: str | None) -> str:
    value = str(detail.get("value", ""))
    if detail.get("type") in _HTML_TYPES:
        return fragment_to_markdown(value, base)
    return paragraphs_to_markdown(value.split("\n\n"))


def _text_of(detail: Mapping[str, Any]) -> str:
    value = str(detail.get("value", ""))
    if detail.get("type") in _HTML_TYPES:
        return fragment_text(value)
    return " ".join(value.split())


def _date(entry: dict[str, Any], name: str, zone: tzinfo) -> datetime | None:
    """A date as the feed writes it, its offset kept (RFC 822 in RSS, RFC 3339 in Atom);
    feedparser's UTC reading of forms neither parser knows; zone for one without offset."""
    # read as a plain dict: feedparser answers a missing `updated` with `published`, warning
    text = str(dict.get(entry, name) or "").strip()
    if not text:
        return None
    moment = _rfc822(text) or _rfc3339(text)
    if moment is None:
        parsed = dict.get(entry, f"{name}_parsed")  # a time.struct_time, in UTC
        return datetime(*parsed[:6]).replace(tzinfo=UTC) if parsed else None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _rfc822(text: str) -> datetime | None:
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _rfc3339(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _authors(entry: Mapping[str, Any]) -> tuple[str, ...]:
    """The entry's authors by name (dc:creator, Atom <author>); their email addresses never."""
    names = [str(a.get("name", "")) for a in entry.get("authors") or [] if a.get("name")]
    if not names and entry.get("author") and "@" not in str(entry["author"]):
        names = [str(entry["author"])]
    return tuple(dict.fromkeys(" ".join(n.split()) for n in names if n.strip()))


def _terms(tags: Sequence[Mapping[str, Any]]) -> list[str]:
    terms = (" ".join(str(t.get("label") or t.get("term") or "").split()) for t in tags)
    return list(dict.fromkeys(t for t in terms if t))


def _image(entry: Mapping[str, Any]) -> str | None:
    """The entry's picture: an image enclosure, else Media RSS content or thumbnail."""
    for link in entry.get("enclosures") or []:
        if str(link.get("type", "")).startswith("image/") and link.get("href"):
            return str(link["href"])
    for media in entry.get("media_content") or []:
        kind = str(media.get("medium") or media.get("type") or "")
        if kind.startswith("image") and media.get("url"):
            return str(media["url"])
    thumbnails = [t for t in entry.get("media_thumbnail") or [] if t.get("url")]
    return str(thumbnails[0]["url"]) if thumbnails else None
