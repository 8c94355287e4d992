"""When a saved page says it was published (and updated): its metadata, else its text.

Metadata first: Open Graph, schema.org, Parse.ly and Dublin Core fields, then htmldate's
reading of the markup (via trafilatura, without its guesses from any number in the text).
Else the text: a labelled date ("Published 25. September 2018") anywhere in the page, or
the first date printed just under the headline, where newspapers put their dateline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, tzinfo

from archivegen.importers.date_evidence import (
    FoundDate,
    date_in_text,
    date_in_url,
    labelled_date,
    plausible,
    updated_in_text,
)
from archivegen.importers.dates import DateParseError, parse_datetime
from archivegen.importers.html_markdown import XmlElement as HtmlElement
from archivegen.importers.sources import parse_json

# where pages state their publication instant, most reliable first
_PUBLISHED_XPATHS = (
    '//meta[@property="article:published_time"]/@content',
    '//meta[@property="og:article:published_time"]/@content',
    '//meta[@itemprop="datePublished"]/@content',
    '//*[@itemprop="datePublished"]/@datetime',
    '//meta[@name="parsely-pub-date"]/@content',
    '//meta[@name="sailthru.date"]/@content',
    '//meta[@name="pubdate" or @name="publishdate" or @name="publish-date"]/@content',
    '//meta[@name="DC.date.issued" or @name="dcterms.created" or @name="date"]/@content',
    "//time[@pubdate]/@datetime",
)
_MODIFIED_XPATHS = (
    '//meta[@property="article:modified_time"]/@content',
    '//meta[@itemprop="dateModified"]/@content',
    '//*[@itemprop="dateModified"]/@datetime',
)
_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')
_JSONLD_MODIFIED = re.compile(r'"dateModified"\s*:\s*"([^"]+)"')
_VISIBLE = "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
_SAVED = re.compile(r"saved date:\s*(.+)")
_AFTER_TITLE = 700  # characters of text under a headline that may hold its dateline


@dataclass(frozen=True, slots=True)
class PageDates:
    """A page's publication and update dates, aware (a local time without offset takes the zone)."""

    published: datetime | None
    has_time: bool
    updated: datetime | None
    problem: str | None  # why no publication date was taken
    captured: datetime | None = None  # when the page was saved, if the page says
    relative: bool = False  # published was counted back from the capture time


def page_dates(
    tree: HtmlElement,
    declared: str | None,
    htmldate: str | None,
    title: str | None,
    url: str | None,
    zone: tzinfo,
    captured: datetime | None = None,
) -> PageDates:
    """The dates of a parsed page; `declared` comes from its metadata reader (JSON-LD...)."""
    text = visible_text(tree)
    updated = _aware(_first_iso(_modified_candidates(tree)), zone)
    if updated is None:
        later = updated_in_text(_window(text, title) or text, zone, captured)
        updated = later.moment if later else None
    stated = _iso(declared) or published_time(tree)
    published = _aware(stated, zone)
    if stated is not None and published is not None and plausible(published, captured):
        # a naive midnight is a day without a time ("2018-09-25")
        has_time = stated.tzinfo is not None or stated.time() != time(0)
        return PageDates(published, has_time, updated, None, captured)
    problem = "its metadata date is a placeholder" if published is not None else None
    in_text = labelled_date(text, zone, captured) or _under_headline(text, title, zone, captured)
    day = _markup_day(htmldate, url, zone)
    if day is not None and (in_text is None or in_text.moment.date() != day.date()):
        return PageDates(day, bool(htmldate and "T" in htmldate), updated, problem, captured)
    if in_text is not None:  # the same day as the markup's, or the only date: with its time
        return PageDates(
            in_text.moment, in_text.has_time, updated, problem, captured, in_text.relative
        )
    problem = problem or "none in the page's metadata or text"
    return PageDates(None, False, updated, problem, captured)


def saved_at(html: str) -> datetime | None:
    """When a page was saved, from SingleFile's comment (`saved date: Tue Dec 01 2026 ...`).

    Read from the page's source: the parsed tree has no comments.
    """
    m = _SAVED.search(html[:4000])
    found = date_in_text(m.group(1), UTC) if m else None
    return found.moment if found and found.has_time else None


def _markup_day(htmldate: str | None, url: str | None, zone: tzinfo) -> datetime | None:
    """htmldate's reading of the markup, unless it is only the URL's date (that says so)."""
    day = _date_only(htmldate, zone)
    if day is None or not plausible(day, None):
        return None
    in_url = date_in_url(url, zone)
    return None if in_url is not None and in_url.moment.date() == day.date() else day


def published_time(tree: HtmlElement) -> datetime | None:
    """The publication instant the page declares in its metadata, if any."""
    candidates = [str(v) for xp in _PUBLISHED_XPATHS for v in tree.xpath(xp)]
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        candidates.extend(_JSONLD_DATE.findall(str(script)))
    candidates.extend(_parsely_dates(tree))
    return _first_iso(candidates)


def visible_text(tree: HtmlElement) -> str:
    """The text a reader sees in the page's body, whitespace collapsed."""
    return " ".join(" ".join(str(t) for t in tree.xpath(_VISIBLE)).split())


def _under_headline(
    text: str, title: str | None, zone: tzinfo, captured: datetime | None
) -> FoundDate | None:
    window = _window(text, title)
    return date_in_text(window, zone, captured) if window else None


def _window(text: str, title: str | None) -> str | None:
    """The text right after the headline (None when the headline is not in the text)."""
    if not title:
        return None
    head = " ".join(title.split())[:60]
    at = text.find(head)
    if at < 0:
        return None
    start = at + len(head)
    return text[start : start + _AFTER_TITLE]


def _modified_candidates(tree: HtmlElement) -> list[str]:
    found = [str(v) for xp in _MODIFIED_XPATHS for v in tree.xpath(xp)]
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        found.extend(_JSONLD_MODIFIED.findall(str(script)))
    return found


def _first_iso(candidates: list[str]) -> datetime | None:
    for value in candidates:
        moment = _iso(value.strip())
        if moment is not None:
            return moment
    return None


def _iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)  # may be naive: the page gave no offset
    except ValueError:
        return None


def _aware(moment: datetime | None, zone: tzinfo) -> datetime | None:
    """A page's local time without offset is taken in the import's zone."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=zone)


def _parsely_dates(tree: HtmlElement) -> list[str]:
    found = []
    for raw in tree.xpath('//meta[@name="parsely-page"]/@content'):
        data, _ = parse_json(str(raw))  # None for what is not JSON (or nested too deep)
        if isinstance(data, dict) and isinstance(data.get("pub_date"), str):
            found.append(data["pub_date"])
    return found


def _date_only(value: str | None, zone: tzinfo) -> datetime | None:
    if not value:
        return None
    try:
        return parse_datetime(value, default_zone=zone)
    except DateParseError:
        return None
