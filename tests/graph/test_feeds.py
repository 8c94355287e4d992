"""The pages for machines, as values: the Atom feeds (sizes, `updated`, one per category), the
sitemap and its split into a sitemap index, and the Google News sitemap's window and limit."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sitekit import WIB, SiteFactory, entries_before, pages_of, site_graph, write_article

from archivegen.config import SiteConfig
from archivegen.graph import feeds
from archivegen.graph.feeds import NEWS_SITEMAP_URL, news_language, news_sitemap_page
from archivegen.graph.model import (
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


def test_the_sitemap_lists_every_html_page_for_readers_with_its_last_change(
    make_site: SiteFactory,
) -> None:
    config = make_site(fillers=4)
    updated = datetime(2023, 3, 1, 9, 0, tzinfo=WIB)
    write_article(
        config.content_path, "x/diperbarui.md", title="Diperbarui", date="2023-02-01T09:00:00+07:00",
        updated=updated.isoformat(), category="Dunia", aliases=["/lama/diperbarui/"],
    )  # fmt: skip
    graph = site_graph(config)
    (sitemap,) = pages_of(graph.pages, SitemapPage)
    assert (sitemap.url, sitemap.is_index) == ("/sitemap.xml", False)
    unlisted = SearchPage | NotFoundPage | RedirectPage  # a search UI, an error, old addresses
    readable = [p for p in graph.pages if output_path(p.url).endswith(".html")]
    assert [url for url, _ in sitemap.locations] == [
        p.url for p in readable if not isinstance(p, unlisted)
    ]
    lastmod = dict(sitemap.locations)
    assert lastmod["/2023/02/01/diperbarui/"] == updated  # `updated`, not the date
    assert lastmod["/2023/01/01/berita-nomor-3/"] == datetime(2023, 1, 1, 11, 0, tzinfo=WIB)
    for page in pages_of(graph.pages, ListingPage):  # the newest entry's date
        assert lastmod[page.url] == page.entries[0].date
    assert lastmod["/kategori/"] is None and lastmod["/arsip/"] is None


def sitemaps(config: SiteConfig) -> list[SitemapPage]:
    return pages_of(site_graph(config).pages, SitemapPage)


@pytest.mark.parametrize("spare", [0, 1, 7])
def test_past_the_limit_the_sitemap_is_an_index_of_parts(
    make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch, spare: int
) -> None:
    config = make_site(fillers=12)
    (whole,) = sitemaps(config)
    count = len(whole.locations)
    monkeypatch.setattr(feeds, "SITEMAP_LIMIT", count)  # exactly at the limit: one sitemap
    assert sitemaps(config) == [whole]

    limit = count - 1 - spare
    monkeypatch.setattr(feeds, "SITEMAP_LIMIT", limit)
    index, *parts = sitemaps(config)
    assert (index.url, index.is_index) == ("/sitemap.xml", True)
    assert len(parts) == -(-count // limit) == 2
    assert [p.url for p in parts] == ["/sitemap-1.xml", "/sitemap-2.xml"]
    assert index.locations == tuple((p.url, None) for p in parts)
    assert [len(p.locations) for p in parts] == [limit, count - limit]
    assert not any(p.is_index for p in parts)
    assert parts[0].locations + parts[1].locations == whole.locations


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
