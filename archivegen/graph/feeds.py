"""The pages for machines: Atom feeds, the sitemap and the Google News sitemap.

The site's feed and one per category, each of the newest `feed_size` entries; sitemaps of
the articles, one per month, and of the listings, under a sitemap index; and a news
sitemap of the articles of the two days up to the newest one. `render/feeds.py` turns
these pages into XML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from archivegen.config import SiteConfig
from archivegen.graph.listings import Listing, listing_plan
from archivegen.graph.model import Entry, FeedPage, NewsSitemapPage, Page, SitemapPage

if TYPE_CHECKING:
    from archivegen.graph.layout import Layout

SITEMAP_LIMIT = 50_000  # URLs per sitemap file, as the sitemap protocol allows
SITEMAP_FOLDER = "/sitemaps/"  # beside sitemap.xml, the index: lists.xml, 2024-12.xml…
NEWS_SITEMAP_URL = "/news-sitemap.xml"
NEWS_WINDOW = timedelta(days=2)  # Google News: articles of the last two days
NEWS_LIMIT = 1_000  # URLs per news sitemap, as Google News allows


def feed_pages(layout: Layout) -> list[Page]:
    """The site's Atom feed and one per category (whose pages are built)."""
    categories = layout.groupings["category"]
    pages: list[Page] = [site_feed(layout)]
    for term in sorted(categories.terms.values(), key=lambda t: t.slug):
        if term.url:
            pages.append(category_feed(layout, term.slug))
    return pages


def site_feed(layout: Layout) -> FeedPage:
    """The site's feed: its newest `feed_size` entries."""
    config = layout.config
    return _feed("/feed.xml", config.title, "/", range(len(layout.ordered)), layout)


def category_feed(layout: Layout, slug: str) -> FeedPage:
    """A category's feed, beside its listing."""
    term = layout.groupings["category"].terms[slug]
    members = layout.groupings["category"].members[slug]
    title = f"{layout.config.title}: {term.name}"
    return _feed(term.url + "feed.xml", title, term.url, members, layout)


def _feed(url: str, title: str, alternate: str, members: Sequence[int], layout: Layout) -> FeedPage:
    entries = tuple(layout.entries[i] for i in members[: layout.config.feed_size])
    updated = entries[0].date if entries else None
    return FeedPage(url=url, title=title, alternate_url=alternate, entries=entries, updated=updated)


def sitemap_pages(layout: Layout, built: Callable[[str], bool]) -> list[SitemapPage]:
    """sitemap.xml, an index of one sitemap per month of articles and one of the listings.

    An added article changes its month's sitemap and the listings' (their first pages'
    last change), never the sitemaps of other months. A listing's numbered pages are left
    out: they hold nothing its first page and the articles' sitemaps do not lead to.
    `built`: whether a page's URL was kept (a clash drops a page and warns).
    """
    months: dict[str, list[tuple[str, datetime | None]]] = {}
    for article, url, original in zip(layout.ordered, layout.urls, layout.originals, strict=True):
        if not original:  # a copy names its original as canonical: not listed
            date = article.date
            months.setdefault(f"{date.year:04d}-{date.month:02d}", []).append(
                (url, article.lastmod)
            )
    listings: list[tuple[str, datetime | None]] = []
    for planned in listing_plan(layout):
        location: tuple[str, datetime | None]
        if isinstance(planned, Listing):  # its first page's newest (an empty home: none)
            members = planned.members
            location = (planned.first_url, layout.date_of(members[0]) if members else None)
        else:
            location = (planned.url, None)
        if built(location[0]):
            listings.append(location)
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


def news_sitemap_page(entries: Iterable[Entry], config: SiteConfig) -> NewsSitemapPage | None:
    """The Google News sitemap: articles of the two days up to the newest article.

    Measured from the newest article, not the clock, so the graph stays a pure function of
    the content: equal content gives an equal sitemap, and a rebuild with nothing new leaves
    it unchanged. A live archive (the newest article is today's) gets exactly Google's "last
    two days"; a finished archive keeps its last two days listed, which crawlers ignore.
    """
    since: datetime | None = None
    recent: list[Entry] = []
    for entry in entries:  # newest first, read as far as the window goes
        since = since or entry.date - NEWS_WINDOW
        if entry.date < since or len(recent) == NEWS_LIMIT:
            break
        recent.append(entry)
    if since is None:
        return None
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
