"""The pages for machines: Atom feeds, the sitemap and the Google News sitemap.

The site's feed and one per category, each of the newest `feed_size` entries; a sitemap of
every HTML page (split under a sitemap index past the protocol's 50,000 URLs); and a news
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
    """sitemap.xml listing every HTML page (a sitemap index past 50,000 URLs)."""
    lastmod = {url: a.lastmod for a, url in zip(ordered, urls, strict=True)}
    locations: list[tuple[str, datetime | None]] = []
    for page in pages:
        if isinstance(page, ArticlePage):
            if not page.original_url:  # a copy names its original as canonical: not listed
                locations.append((page.url, lastmod[page.url]))
        elif isinstance(page, ListingPage):
            newest = page.entries[0].date if page.entries else None
            locations.append((page.url, newest))
        elif isinstance(page, TermIndexPage | ArchiveIndexPage):
            locations.append((page.url, None))
    if len(locations) <= SITEMAP_LIMIT:
        return [SitemapPage(url="/sitemap.xml", locations=tuple(locations))]
    chunks = [locations[i : i + SITEMAP_LIMIT] for i in range(0, len(locations), SITEMAP_LIMIT)]
    parts: list[Page] = [
        SitemapPage(url=f"/sitemap-{n}.xml", locations=tuple(chunk))
        for n, chunk in enumerate(chunks, start=1)
    ]
    index = tuple((p.url, None) for p in parts)
    return [SitemapPage(url="/sitemap.xml", locations=index, is_index=True), *parts]


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
