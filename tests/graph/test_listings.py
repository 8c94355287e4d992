"""Listings as values: pagination (page sizes, page URLs, the pager's numbers), the listing and
index of each taxonomy term, the year and month archives and the archive's calendar."""

from __future__ import annotations

from datetime import datetime

import pytest
from sitekit import WIB, SiteFactory, entries_before, pages_of, site_graph, write_article

from archivegen.config import Permalinks, SiteConfig
from archivegen.graph.listings import paginate
from archivegen.graph.model import (
    ArchiveIndexPage,
    ArticlePage,
    Entry,
    Link,
    ListingPage,
    MonthCount,
    Pager,
    Term,
    TermIndexPage,
    YearCount,
)
from archivegen.graph.site import SiteGraph


def entries(count: int) -> list[Entry]:
    """`count` entries, an hour apart, newest first."""
    return entries_before(datetime(2023, 1, 1, 12, tzinfo=WIB), *range(count))


def paged(
    listed: list[Entry], config: SiteConfig, term: Term | None = None, feed: str | None = None
) -> list[ListingPage]:
    """A listing of Dunia (at /kategori/dunia/) of these entries, cut into pages."""
    pages = paginate("category", "Dunia", "/kategori/dunia/", listed, term, config, feed)
    listings = pages_of(pages, ListingPage)
    assert listings == pages
    return listings


def listing(graph: SiteGraph, first_url: str) -> list[ListingPage]:
    """The pages of one listing, by the URL of its first page."""
    return [p for p in pages_of(graph.pages, ListingPage) if p.pager.first_url == first_url]


# -- pagination ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "count, size, sizes",
    [(12, 5, [5, 5, 2]), (10, 5, [5, 5]), (1, 5, [1]), (0, 5, [0]), (3, 1, [1, 1, 1])],
)
def test_a_list_is_cut_into_pages_of_page_size(count: int, size: int, sizes: list[int]) -> None:
    listed = entries(count)
    pages = paged(listed, SiteConfig(page_size=size))
    assert [len(p.entries) for p in pages] == sizes
    assert [e for p in pages for e in p.entries] == listed
    numbers = range(1, len(sizes) + 1)
    assert [(p.pager.number, p.pager.total) for p in pages] == [(n, len(sizes)) for n in numbers]
    assert {(p.kind, p.title, p.pager.first_url) for p in pages} == {
        ("category", "Dunia", "/kategori/dunia/")
    }


@pytest.mark.parametrize(
    "pattern, second",
    [("halaman/{n}/", "/kategori/dunia/halaman/2/"), ("p{n}.html", "/kategori/dunia/p2.html")],
)
def test_page_urls_follow_the_page_permalink_and_the_pager_builds_them(
    pattern: str, second: str
) -> None:
    config = SiteConfig(page_size=2, permalinks=Permalinks(page=pattern))
    pages = paged(entries(5), config)
    urls = [p.url for p in pages]
    assert urls[:2] == ["/kategori/dunia/", second] and len(urls) == len(set(urls)) == 3
    for page in pages:  # every page's pager names every page of the listing, without a list
        assert [page.pager.url(n) for n in range(1, 4)] == urls
    assert [(p.pager.previous_url, p.pager.next_url) for p in pages] == [
        (None, urls[1]), (urls[0], urls[2]), (urls[1], None),
    ]  # fmt: skip


def test_the_term_and_feed_travel_on_every_page_of_a_listing() -> None:
    term = Term("category", "Dunia", "dunia", "/kategori/dunia/", 3)
    feed = "/kategori/dunia/feed.xml"
    pages = paged(entries(3), SiteConfig(page_size=2), term, feed)
    assert [(p.term, p.feed_url) for p in pages] == [(term, feed)] * 2


@pytest.mark.parametrize(
    "number, total, size, shown",
    [
        (1, 1, 2, (1,)),
        (2, 3, 2, (1, 2, 3)),
        (1, 10, 2, (1, 2, 3, None, 10)),
        (4, 10, 2, (1, 2, 3, 4, 5, 6, None, 10)),  # 1 touches the window: no gap
        (5, 10, 2, (1, None, 3, 4, 5, 6, 7, None, 10)),
        (10, 10, 2, (1, None, 8, 9, 10)),
        (5, 10, 1, (1, None, 4, 5, 6, None, 10)),
    ],
)
def test_the_pager_shows_first_last_and_a_window_around_the_current_page(
    number: int, total: int, size: int, shown: tuple[int | None, ...]
) -> None:
    assert Pager(number, total, "/", "halaman/{n}/").window(size) == shown


# -- taxonomy listings ---------------------------------------------------------------------


def links_of(kind: str, page: ArticlePage) -> tuple[Link, ...]:
    return {"category": (page.category,), "author": page.authors, "tag": page.tags}[kind]


def test_home_and_each_term_list_their_articles_newest_first_in_pages(
    make_site: SiteFactory,
) -> None:
    config = make_site(fillers=12, page_size=5)
    write_article(
        config.content_path, "x/buah.md", title="Buah", date="2022-01-01T08:00:00+07:00",
        category="Dunia", author="Budi Santoso", tags=["Apel", "zaitun", "Bola"],
    )  # fmt: skip
    graph = site_graph(config)
    articles = pages_of(graph.pages, ArticlePage)  # newest first
    home = listing(graph, "/")
    assert [e.url for p in home for e in p.entries] == [a.url for a in articles]
    assert len(home) == 3  # 14 articles, pages of 5
    indexes = {p.kind: p for p in pages_of(graph.pages, TermIndexPage)}
    assert {kind: p.url for kind, p in indexes.items()} == {
        "category": "/kategori/", "author": "/penulis/", "tag": "/tag/",
    }  # fmt: skip
    # by name, whatever its case
    assert [t.name for t in indexes["tag"].terms][:3] == ["Apel", "Bola", "ekonomi-rakyat"]
    assert [t.name for t in indexes["tag"].terms][-1] == "zaitun"
    for kind, index in indexes.items():
        for term in index.terms:
            pages = listing(graph, term.url)
            members = [a.url for a in articles if Link(term.name, term.url) in links_of(kind, a)]
            assert [e.url for p in pages for e in p.entries] == members, term
            assert term.count == len(members) and len(pages) == -(-len(members) // 5), term
            assert {(p.kind, p.title, p.term) for p in pages} == {(kind, term.name, term)}
            feed = term.url + "feed.xml" if kind == "category" else None
            assert {p.feed_url for p in pages} == {feed}


def test_only_the_configured_taxonomies_have_listings(make_site: SiteFactory) -> None:
    graph = site_graph(make_site(fillers=3, taxonomies="[tag]"))
    assert {p.kind for p in pages_of(graph.pages, TermIndexPage)} == {"tag"}
    assert {p.kind for p in pages_of(graph.pages, ListingPage)} == {"home", "tag", "year", "month"}


# -- date archives -------------------------------------------------------------------------

DATES = {
    "feb": "2023-02-01T00:30:00+09:00",  # in WIT: 31 January in UTC, but February on its dateline
    "jan": "2023-01-15T10:00:00+07:00",
    "des": "2022-12-31T23:59:00+07:00",
    "jun-3": "2022-06-03T08:00:00+07:00",
    "jun-2": "2022-06-02T08:00:00+07:00",
    "jun-1": "2022-06-01T08:00:00+07:00",
}


@pytest.fixture
def archive(make_site: SiteFactory) -> SiteGraph:
    config = make_site(seed=False, page_size=2)
    for slug, date in DATES.items():
        write_article(
            config.content_path, f"a/{slug}.md", title=slug, slug=slug, date=date, category="Dunia"
        )
    return site_graph(config)


def test_the_archive_calendar_counts_years_and_months_newest_first(archive: SiteGraph) -> None:
    (calendar,) = pages_of(archive.pages, ArchiveIndexPage)
    assert calendar.url == "/arsip/"
    assert calendar.years == (
        YearCount(2023, "/arsip/2023/", 2, (
            MonthCount(2023, 2, "/arsip/2023/02/", 1), MonthCount(2023, 1, "/arsip/2023/01/", 1),
        )),
        YearCount(2022, "/arsip/2022/", 4, (
            MonthCount(2022, 12, "/arsip/2022/12/", 1), MonthCount(2022, 6, "/arsip/2022/06/", 3),
        )),
    )  # fmt: skip


def test_each_year_and_month_lists_its_articles_in_pages(archive: SiteGraph) -> None:
    everything = [e for p in listing(archive, "/") for e in p.entries]
    for year in (2023, 2022):
        pages = listing(archive, f"/arsip/{year}/")
        assert [e for p in pages for e in p.entries] == [
            e for e in everything if e.date.year == year
        ]
        assert {(p.kind, p.title) for p in pages} == {("year", str(year))}
    june = listing(archive, "/arsip/2022/06/")
    assert [p.url for p in june] == ["/arsip/2022/06/", "/arsip/2022/06/halaman/2/"]
    assert [[e.title for e in p.entries] for p in june] == [["jun-3", "jun-2"], ["jun-1"]]
    assert {(p.kind, p.title) for p in june} == {("month", "2022-06")}
    (february,) = listing(archive, "/arsip/2023/02/")
    assert [e.title for e in february.entries] == ["feb"]  # the month of its own dateline


def test_a_site_without_articles_has_an_empty_home_and_calendar(make_site: SiteFactory) -> None:
    graph = site_graph(make_site(seed=False))
    (home,) = pages_of(graph.pages, ListingPage)
    assert (home.url, home.entries, home.pager.total) == ("/", (), 1)
    (calendar,) = pages_of(graph.pages, ArchiveIndexPage)
    assert calendar.years == ()
    assert [p.terms for p in pages_of(graph.pages, TermIndexPage)] == [(), (), ()]
