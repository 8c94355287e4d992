"""The pages for machines: Atom feeds, the sitemap and the Google News sitemap.

The site's feed and one per category, each of the newest `feed_size` entries; sitemaps of
the articles, one per month, and of the listings, under a sitemap index; and a news
sitemap of the articles of the two days up to the newest one. `render/feeds.py` turns
these pages into XML.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from archivegen.config import SiteConfig
from archivegen.content.model import Article
from archivegen.graph.model import (
    ArchiveIndexPage,
    ArticlePage,
    Entry,
    FeedPage,
    ListingPage,
    NewsSitemapPage,
    Page,
    SitemapPage,
    TermIndexPage,
)
from archivegen.graph.taxonomy import Grouping

SITEMAP_LIMIT = 50_000  # URLs per sitemap file, as the sitemap protocol allows
SITEMAP_FOLDER = "/sitemaps/"  # beside sitemap.xml, the index: lists.xml, 2024-12.xml…
NEWS_SITEMAP_URL = "/news-sitemap.xml"
NEWS_WINDOW = timedelta(days=2)  # Google News: articles of the last two days
NEWS_LIMIT = 1_000  # URLs per news sitemap, as Google News allows


def feed_pages(entries: Sequence[Entry], categories: Grouping, config: SiteConfig) -> list[Page]:
    """The site's Atom feed and one per category (whose pages are built)."""
    size = config.feed_size
    pages: list[Page] = [
        FeedPage(
            url="/feed.xml",
            title=config.title,
            alternate_url="/",
            entries=tuple(entries[:size]),
            updated=entries[0].date if entries else None,
        )
    ]
    for term in sorted(categories.terms.values(), key=lambda t: t.slug):
        if not term.url:
            continue
        members = categories.members[term.slug][:size]
        pages.append(
            FeedPage(
                url=term.url + "feed.xml",
                title=f"{config.title}: {term.name}",
                alternate_url=term.url,
                entries=tuple(entries[i] for i in members),
                updated=entries[members[0]].date if members else None,
            )
        )
    return pages


def sitemap_pages(
    pages: Sequence[Page], ordered: Sequence[Article], urls: Sequence[str]
) -> list[Page]:
    """sitemap.xml, an index of one sitemap per month of articles and one of the listings.

    An added article changes its month's sitemap and the listings' (their first pages'
    last change), never the sitemaps of other months. A listing's numbered pages are left
    out: they hold nothing its first page and the articles' sitemaps do not lead to.
    """
    lastmod = {url: a.lastmod for a, url in zip(ordered, urls, strict=True)}
    months: dict[str, list[tuple[str, datetime | None]]] = {}
    listings: list[tuple[str, datetime | None]] = []
    for page in pages:
        if isinstance(page, ArticlePage):
            if not page.original_url:  # a copy names its original as canonical: not listed
                date = page.article.date
                month = months.setdefault(f"{date.year:04d}-{date.month:02d}", [])
                month.append((page.url, lastmod[page.url]))
        elif isinstance(page, ListingPage):
            if page.pager.is_first and page.url == page.pager.first_url:
                listings.append((page.url, page.entries[0].date if page.entries else None))
        elif isinstance(page, TermIndexPage | ArchiveIndexPage):
            listings.append((page.url, None))
    parts = _parts(SITEMAP_FOLDER + "lists", listings)
    for name in sorted(months, reverse=True):
        parts += _parts(SITEMAP_FOLDER + name, months[name])
    index = tuple((part.url, _newest(part.locations)) for part in parts)
    return [SitemapPage(url="/sitemap.xml", locations=index, is_index=True), *parts]


def _parts(stem: str, locations: list[tuple[str, datetime | None]]) -> list[SitemapPage]:
    # one file, or numbered parts past the protocol's limit
    chunks = [locations[i : i + SITEMAP_LIMIT] for i in range(0, len(locations), SITEMAP_LIMIT)]
    return [
        SitemapPage(url=f"{stem}{'' if n == 1 else f'-{n}'}.xml", locations=tuple(chunk))
        for n, chunk in enumerate(chunks or [[]], start=1)
    ]


def _newest(locations: Sequence[tuple[str, datetime | None]]) -> datetime | None:
    dates = [date for _, date in locations if date is not None]
    return max(dates) if dates else None


def news_sitemap_page(entries: Sequence[Entry], config: SiteConfig) -> NewsSitemapPage | None:
    """The Google News sitemap: articles of the two days up to the newest article.

    Measured from the newest article, not the clock, so the graph stays a pure function of
    the content: equal content gives an equal sitemap, and a rebuild with nothing new leaves
    it unchanged. A live archive (the newest article is today's) gets exactly Google's "last
    two days"; a finished archive keeps its last two days listed, which crawlers ignore.
    """
    if not entries:
        return None
    since = entries[0].date - NEWS_WINDOW
    recent = []
    for entry in entries[:NEWS_LIMIT]:  # newest first
        if entry.date < since:
            break
        recent.append(entry)
    return NewsSitemapPage(
        url=NEWS_SITEMAP_URL,
        publication=config.title,
        language=news_language(config.language),
        entries=tuple(recent),
    )


def news_language(language: str) -> str:
    """The ISO 639 code Google News expects: `id`, `en`, and `zh-cn`/`zh-tw` for Chinese."""
    parts = language.replace("_", "-").lower().split("-")
    if parts[0] != "zh":
        return parts[0]
    # the script decides when it is given (zh-Hant-TW, zh-Hans-HK), else the region does
    if "hans" in parts:
        return "zh-cn"
    traditional = "hant" in parts or any(part in ("tw", "hk", "mo") for part in parts[1:])
    return "zh-tw" if traditional else "zh-cn"
