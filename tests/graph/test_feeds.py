"""The pages for machines, as values: the Atom feeds (sizes, `updated`, one per category), the
sitemap index of the listings' sitemap and each month's, their split past the limit, and the
Google News sitemap's window and limit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sitekit import WIB, SiteFactory, entries_before, pages_of, site_graph, write_article

from archivegen.config import SiteConfig
from archivegen.graph import feeds
from archivegen.graph.feeds import NEWS_SITEMAP_URL, news_language, news_sitemap_page
from archivegen.graph.model import (
    ArticlePage,
    FeedPage,
    ListingPage,
    NotFoundPage,
    RedirectPage,
    SearchPage,
    SitemapPage,
    TermIndexPage,
)
from archivegen.graph.urls import output_path

NEWEST = datetime(2015, 3, 9, 18, 0, tzinfo=WIB)  # long before any clock a test runs by
WIT = timezone(timedelta(hours=9))


# -- Atom feeds ----------------------------------------------------------------------------


def test_the_site_feed_and_each_category_feed_hold_their_newest_entries(
    make_site: SiteFactory,
) -> None:
    graph = site_graph(make_site(fillers=12, feed_size=3))
    newest_first = [
        e for p in pages_of(graph.pages, ListingPage) if p.kind == "home" for e in p.entries
    ]
    found = {p.url: p for p in pages_of(graph.pages, FeedPage)}
    (categories,) = [p.terms for p in pages_of(graph.pages, TermIndexPage) if p.kind == "category"]
    by_slug = sorted(categories, key=lambda t: t.slug)
    assert list(found) == ["/feed.xml", *(t.url + "feed.xml" for t in by_slug)]
    site_feed = found["/feed.xml"]
    assert (site_feed.title, site_feed.alternate_url) == ("Arsip Uji", "/")
    assert site_feed.entries == tuple(newest_first[:3])
    assert site_feed.updated == newest_first[0].date
    for term in categories:  # Dunia holds one article, the others four
        feed = found[term.url + "feed.xml"]
        members = [e for e in newest_first if e.category.url == term.url]
        assert (feed.title, feed.alternate_url) == (f"Arsip Uji: {term.name}", term.url)
        assert feed.entries == tuple(members[:3]) and len(feed.entries) == min(3, term.count)
        assert feed.updated == members[0].date


def test_a_site_without_articles_has_an_empty_site_feed(make_site: SiteFactory) -> None:
    graph = site_graph(make_site(seed=False))
    (feed,) = pages_of(graph.pages, FeedPage)
    assert (feed.url, feed.entries, feed.updated) == ("/feed.xml", (), None)


# -- the sitemap ---------------------------------------------------------------------------


def sitemaps(config: SiteConfig) -> list[SitemapPage]:
    return pages_of(site_graph(config).pages, SitemapPage)


def newest(locations: Iterable[tuple[str, datetime | None]]) -> datetime | None:
    dates = [date for _, date in locations if date is not None]
    return max(dates) if dates else None


def test_the_sitemap_is_an_index_of_the_listings_and_of_each_months_articles(
    make_site: SiteFactory,
) -> None:
    config = make_site(fillers=4, page_size=2)  # the home and year listings get numbered pages
    updated = datetime(2023, 3, 1, 9, 0, tzinfo=WIB)
    write_article(
        config.content_path, "x/diperbarui.md", title="Diperbarui", date="2023-02-01T09:00:00+07:00",
        updated=updated.isoformat(), category="Dunia", aliases=["/lama/diperbarui/"],
    )  # fmt: skip
    graph = site_graph(config)
    index, *parts = pages_of(graph.pages, SitemapPage)
    assert (index.url, index.is_index) == ("/sitemap.xml", True)
    assert not any(part.is_index for part in parts)
    # the listings' part, then one per month of articles, the newest month first
    assert [part.url for part in parts] == [
        "/sitemaps/lists.xml",
        "/sitemaps/2023-02.xml",
        "/sitemaps/2023-01.xml",
        "/sitemaps/2022-10.xml",  # the seed
    ]
    assert index.locations == tuple((part.url, newest(part.locations)) for part in parts)
    lists, *months = parts

    articles = pages_of(graph.pages, ArticlePage)
    for part in months:
        month = part.url.removeprefix("/sitemaps/").removesuffix(".xml")
        assert [url for url, _ in part.locations] == [
            p.url for p in articles if f"{p.article.date:%Y-%m}" == month
        ]
        assert [m for _, m in part.locations] == [
            p.article.lastmod for p in articles if f"{p.article.date:%Y-%m}" == month
        ]
    lastmod = dict(loc for part in months for loc in part.locations)
    assert lastmod["/2023/02/01/diperbarui/"] == updated  # `updated`, not the date
    assert lastmod["/2023/01/01/berita-nomor-3/"] == datetime(2023, 1, 1, 11, 0, tzinfo=WIB)
    assert dict(index.locations)["/sitemaps/2023-02.xml"] == updated

    # the listings at their own address, their first pages only; the term indexes, the archive
    listings = pages_of(graph.pages, ListingPage)
    numbered = [p for p in listings if not p.pager.is_first]
    at_prefix = [p for p in listings if p.url != p.pager.url(p.pager.number)]  # a day's
    assert {p.url for p in numbered} >= {"/halaman/1/", "/halaman/3/", "/arsip/2023/halaman/1/"}
    assert "/2023/01/01/" in {p.url for p in at_prefix}
    unlisted = SearchPage | NotFoundPage | RedirectPage | ArticlePage  # articles: by month
    readable = [p for p in graph.pages if output_path(p.url).endswith(".html")]
    assert [url for url, _ in lists.locations] == [
        p.url
        for p in readable
        if not isinstance(p, unlisted) and p not in numbered and p not in at_prefix
    ]
    everywhere = {url for part in parts for url, _ in part.locations}
    assert not everywhere & {p.url for p in numbered + at_prefix}
    assert {"/", "/arsip/2023/", "/arsip/2023/01/01/", "/kategori/dunia/"} <= everywhere
    in_lists = dict(lists.locations)
    for page in listings:  # the newest entry's date
        if page.url in in_lists:
            assert in_lists[page.url] == page.entries[0].date
    assert in_lists["/kategori/"] is None and in_lists["/arsip/"] is None
    home_newest = next(p for p in listings if p.url == "/").entries[0].date
    assert home_newest == datetime(2023, 2, 1, 9, 0, tzinfo=WIB)  # a listing: dates, not updates
    assert dict(index.locations)["/sitemaps/lists.xml"] == home_newest


@pytest.mark.parametrize("limit", [1, 2, 5])
def test_past_the_limit_each_sitemap_is_split_into_numbered_parts(
    make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    config = make_site(fillers=12)  # the fillers' month holds 12 articles, the seed's one
    index, *whole = sitemaps(config)
    sizes = {part.url: len(part.locations) for part in whole}
    assert sizes["/sitemaps/2023-01.xml"] == 12 and sizes["/sitemaps/2022-10.xml"] == 1
    monkeypatch.setattr(feeds, "SITEMAP_LIMIT", max(sizes.values()))  # at the limit: unsplit
    assert sitemaps(config) == [index, *whole]

    monkeypatch.setattr(feeds, "SITEMAP_LIMIT", limit)
    split_index, *parts = sitemaps(config)
    assert (split_index.url, split_index.is_index) == ("/sitemap.xml", True)
    assert not any(part.is_index for part in parts)
    assert split_index.locations == tuple((p.url, newest(p.locations)) for p in parts)
    expected: list[str] = []
    for part in whole:  # each in order: the whole one's name, then -2, -3…
        stem = part.url.removesuffix(".xml")
        count = -(-len(part.locations) // limit)
        expected += [part.url] + [f"{stem}-{n}.xml" for n in range(2, count + 1)]
        pieces = [p for p in parts if p.url == part.url or p.url.startswith(stem + "-")]
        assert [len(p.locations) for p in pieces] == [
            min(limit, len(part.locations) - i * limit) for i in range(count)
        ]
        assert tuple(loc for p in pieces for loc in p.locations) == part.locations
    assert [p.url for p in parts] == expected
    assert "/sitemaps/2023-01-2.xml" in expected  # 12 over any of these limits
    assert len(parts) > len(whole)


def test_a_site_without_articles_has_a_sitemap_index_of_the_listings_alone(
    make_site: SiteFactory,
) -> None:
    index, *parts = sitemaps(make_site(seed=False))
    assert [p.url for p in parts] == ["/sitemaps/lists.xml"]
    assert index.is_index and index.locations == (("/sitemaps/lists.xml", None),)
    assert "/" in dict(parts[0].locations) and "/arsip/" in dict(parts[0].locations)


# -- the Google News sitemap ---------------------------------------------------------------


def test_the_news_sitemap_holds_the_two_days_up_to_the_newest_entry() -> None:
    listed = entries_before(NEWEST, 0, 1, 47.5, 48, 48 + 1 / 60, 49, 100)
    page = news_sitemap_page(listed, SiteConfig(title="Arsip Uji"))
    assert page is not None
    assert page.entries == tuple(listed[:4])  # from the newest article, not the clock
    assert (page.url, page.publication, page.language) == (NEWS_SITEMAP_URL, "Arsip Uji", "id")


def test_the_news_window_is_measured_in_instants_whatever_the_zone() -> None:
    newest, inside, outside = entries_before(NEWEST, 0, 47, 49)
    listed = [
        newest,
        replace(inside, date=inside.date.astimezone(UTC)),  # 12:00 UTC: earlier on the clock face
        replace(outside, date=outside.date.astimezone(WIT)),  # 19:00 WIT: later on the clock face
    ]
    page = news_sitemap_page(listed, SiteConfig())
    assert page is not None and page.entries == tuple(listed[:2])


def test_the_news_sitemap_holds_at_most_news_limit_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feeds, "NEWS_LIMIT", 3)
    listed = entries_before(NEWEST, 0, 1, 2, 3, 4)
    page = news_sitemap_page(listed, SiteConfig())
    assert page is not None and page.entries == tuple(listed[:3])


def test_no_entries_no_news_sitemap() -> None:
    assert news_sitemap_page([], SiteConfig()) is None


@pytest.mark.parametrize(
    "language, code",
    [
        ("id", "id"),
        ("en", "en"),
        ("en-US", "en"),
        ("pt_BR", "pt"),
        ("zh", "zh-cn"),
        ("zh-CN", "zh-cn"),
        ("zh_Hans_CN", "zh-cn"),
        ("zh-TW", "zh-tw"),
        ("zh_tw", "zh-tw"),
        ("zh-Hant", "zh-tw"),
        ("zh-HK", "zh-tw"),
    ],
)
def test_news_language_is_the_code_google_news_expects(language: str, code: str) -> None:
    assert news_language(language) == code


@pytest.mark.parametrize("language", ["zh-Hant-TW", "zh_Hant_TW", "zh-Hant-HK", "zh-MO"])
def test_traditional_chinese_with_a_region_is_zh_tw(language: str) -> None:
    assert news_language(language) == "zh-tw"


@pytest.mark.parametrize("language", ["zh-Hans-HK", "zh_Hans_CN", "zh-SG", "zh"])
def test_simplified_chinese_is_zh_cn(language: str) -> None:
    assert news_language(language) == "zh-cn"
