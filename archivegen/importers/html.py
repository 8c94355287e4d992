"""Saved HTML pages through trafilatura: main text as Markdown, plus the page's metadata."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, tzinfo

import trafilatura
from trafilatura.settings import Document
from trafilatura.utils import load_html

from archivegen.errors import ImportError_
from archivegen.importers.dates import WIB, DateParseError, parse_datetime
from archivegen.importers.html_markdown import XmlElement as HtmlElement
from archivegen.importers.html_markdown import body_to_markdown, safe_url
from archivegen.importers.html_meta import page_meta
from archivegen.importers.listing import listing_reason
from archivegen.importers.model import ImportedArticle, NotAnArticle
from archivegen.importers.people import split_authors

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
_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')


@dataclass(frozen=True, slots=True)
class HtmlExtract:
    """What a saved page yields: metadata, the Markdown body, and a listing verdict."""

    title: str | None
    byline: str | None  # as the page prints it
    authors: tuple[str, ...]
    published: datetime | None
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    site_name: str | None
    url: str | None
    image: str | None
    body: str
    not_article: str | None  # why the page is a home or listing page


def extract_html(text: str, default_zone: tzinfo = WIB) -> HtmlExtract:
    """Run trafilatura on a page and turn its main text into Markdown."""
    tree = _parse(text)
    doc = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_formatting=True,
        include_links=True,
        include_images=True,
        include_tables=True,
        include_comments=False,
        # dates from markup only: htmldate's extensive search guesses from any number in the text
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if not isinstance(doc, Document) or doc.body is None:
        return _empty(tree)
    url = safe_url(doc.url) if doc.url else _canonical(tree)
    meta = page_meta(tree)
    title = meta.title or (" ".join(doc.title.split()) if doc.title else None)
    byline = meta.byline or doc.author
    return HtmlExtract(
        title=title,
        byline=byline,
        authors=split_authors(byline.replace(";", ",")) if byline else (),
        published=_iso(meta.published)
        or published_time(tree)
        or _date_only(doc.date, default_zone),
        categories=tuple(doc.categories or ()),
        tags=tuple(doc.tags or ()),
        site_name=meta.site_name or doc.sitename or None,
        url=url,
        image=safe_url(doc.image) if doc.image else None,
        body=body_to_markdown(doc.body, base_url=url, skip_title=title or ""),
        # plain text (no links or formatting) shows a listing's teasers and timestamps best
        not_article=listing_reason(tree, lambda: trafilatura.extract(text) or ""),
    )


def read_html(text: str, origin: str, default_zone: tzinfo = WIB) -> ImportedArticle:
    """One saved page into an article; listing pages are refused, a missing date is an error."""
    page = extract_html(text, default_zone)
    if page.not_article:
        raise NotAnArticle(
            f"not an article: a home or listing page ({page.not_article})", path=origin
        )
    if not page.body.strip():
        raise ImportError_("no article text found on the page", path=origin)
    if not page.title:
        raise ImportError_("no title found on the page", path=origin, field="title")
    if page.published is None:
        raise ImportError_("no publication date found on the page", path=origin, field="date")
    extra = [(k, v) for k, v in (("site_name", page.site_name), ("image", page.image)) if v]
    published = page.published
    if published.tzinfo is None:  # the page gave a local time without offset
        published = published.replace(tzinfo=default_zone)
    return ImportedArticle(
        title=page.title,
        date=published,
        body=page.body,
        origin=origin,
        authors=page.authors,
        category=page.categories[0] if page.categories else None,
        tags=page.tags,
        source=page.url,
        extra=tuple(extra),
    )


def published_time(tree: HtmlElement) -> datetime | None:
    """The publication instant the page declares in its metadata, if any."""
    candidates = [str(v) for xp in _PUBLISHED_XPATHS for v in tree.xpath(xp)]
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        candidates.extend(_JSONLD_DATE.findall(str(script)))
    candidates.extend(_parsely_dates(tree))
    for value in candidates:
        moment = _iso(value.strip())
        if moment is not None:
            return moment
    return None


def _iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment  # may be naive: the page gave no offset, and the benchmark compares as given


def _parsely_dates(tree: HtmlElement) -> list[str]:
    found = []
    for raw in tree.xpath('//meta[@name="parsely-page"]/@content'):
        try:
            data = json.loads(str(raw))
        except json.JSONDecodeError:
            continue
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


def _parse(text: str) -> HtmlElement:
    tree = load_html(text)
    if tree is None:
        raise ImportError_("not readable HTML")
    return tree


def _canonical(tree: HtmlElement) -> str | None:
    for href in tree.xpath('//link[@rel="canonical"]/@href'):
        url = safe_url(str(href))
        if url and url.startswith("http"):
            return url
    return None


def _empty(tree: HtmlElement) -> HtmlExtract:
    meta = page_meta(tree)
    return HtmlExtract(
        title=meta.title,
        byline=meta.byline,
        authors=(),
        published=_iso(meta.published),
        categories=(),
        tags=(),
        site_name=meta.site_name,
        url=_canonical(tree),
        image=None,
        body="",
        not_article=listing_reason(tree, lambda: ""),
    )
