"""Listings as values: pagination (page sizes, page URLs, the pager's numbers), the listing and
index of each taxonomy term, the year and month archives and the archive's calendar."""

from __future__ import annotations

from datetime import datetime

import pytest
from sitekit import WIB, SiteFactory, entries_before, pages_of, paginate, site_graph, write_article

from archivegen.config import Permalinks, SiteConfig
from archivegen.graph.listings import article_date_prefix
from archivegen.graph.model import (
    ArchiveIndexPage,
    ArticlePage,
    Entry,
    Link,
    ListingPage,
    MonthCount,
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


def in_order(pages: list[ListingPage]) -> list[Entry]:
    """Every entry of a stable listing once, newest first: its numbered pages read from the
    newest down, or its first page when it has no other."""
    first, *numbered = pages
    return [e for p in reversed(numbered) for e in p.entries] if numbered else list(first.entries)


def listing(graph: SiteGraph, first_url: str) -> list[ListingPage]:
    """The pages of one listing, by the URL of its first page."""
    return [p for p in pages_of(graph.pages, ListingPage) if p.pager.first_url == first_url]


# -- pagination ----------------------------------------------------------------------------

STABLE = SiteConfig(page_size=5)
NEWEST_FIRST = SiteConfig(page_size=5, pagination="newest_first")


def by_older_links(pages: list[ListingPage]) -> list[ListingPage]:
    """The pages in the order a reader meets them following "Older" from the first page."""
    at = {p.url: p for p in pages}
    walked, page = [], pages[0]
    while True:
        walked.append(page)
        if page.pager.next_url is None:
            return walked
        page = at[page.pager.next_url]


@pytest.mark.parametrize(
    "count, sizes",
    [(12, [5, 5, 5, 2]), (10, [5, 5, 5]), (6, [5, 5, 1]), (5, [5]), (1, [1]), (0, [0])],
)
def test_stable_pages_are_numbered_from_the_oldest_under_a_first_page_of_the_newest(
    count: int, sizes: list[int]
) -> None:
    listed = entries(count)
    first, *numbered = paged(listed, STABLE)
    assert (first.url, first.pager.number, first.pager.is_first) == ("/kategori/dunia/", 0, True)
    assert list(first.entries) == listed[:5]  # the newest, whatever the numbering
    assert [len(p.entries) for p in [first, *numbered]] == sizes
    # page 1 holds the oldest; read from the newest numbered page down, every entry once
    assert [p.url for p in numbered] == [
        f"/kategori/dunia/halaman/{n}/" for n in range(1, len(numbered) + 1)
    ]
    assert [e for p in reversed(numbered) for e in p.entries] == (listed if numbered else [])
    if numbered:
        assert list(numbered[0].entries) == listed[-5:]


def test_adding_the_newest_entry_leaves_every_full_numbered_page_as_it_was() -> None:
    pool = entries(71)
    before = {p.url: p for p in paged(pool[12:], STABLE)}  # 59 entries: pages 1-12
    for added in range(1, 13):  # ... then 60, 61...: page 12 fills, page 13 appears
        after = {p.url: p for p in paged(pool[12 - added :], STABLE)}
        changed = {url for url, page in after.items() if before.get(url) != page}
        newest = max(p.pager.number for p in after.values())
        # the first page, the newest numbered page and, when it is new, the pages that
        # link to it: the one below ("Newer") and those whose number window reaches it
        assert "/kategori/dunia/" in changed and f"/kategori/dunia/halaman/{newest}/" in changed
        assert len(changed) <= 4, changed
        for url in changed:
            number = after[url].pager.number
            assert number == 0 or number >= newest - 2, url
        for url, page in before.items():  # a full page's entries never change
            if page.pager.number and len(page.entries) == 5:
                assert after[url].entries == page.entries
        before = after


def test_newer_and_older_walk_every_entry_from_the_first_page_down_and_back() -> None:
    listed = entries(23)
    pages = paged(listed, STABLE)
    walked = by_older_links(pages)
    # the first page's "Older" is the numbered page of the entry right after its last one
    assert listed[5] in walked[1].entries
    seen = [e for p in walked for e in p.entries]
    assert sorted(set(seen), key=listed.index) == listed  # overlaps, but nothing skipped
    at = {p.url: p for p in pages}
    page, up = at["/kategori/dunia/halaman/1/"], []
    while page.pager.previous_url is not None:  # "Newer" climbs back to the first page
        page = at[page.pager.previous_url]
        up.append(page.pager.number)
    assert up == [2, 3, 4, 5, 0]
    assert (
        pages[0].pager.previous_url is None and at["/kategori/dunia/halaman/1/"].pager.older is None
    )


@pytest.mark.parametrize(
    "pattern, second",
    [("halaman/{n}/", "/kategori/dunia/halaman/2/"), ("p{n}.html", "/kategori/dunia/p2.html")],
)
def test_page_urls_follow_the_page_permalink_and_the_pager_builds_them(
    pattern: str, second: str
) -> None:
    for pagination, numbers in (("stable", range(0, 4)), ("newest_first", range(1, 4))):
        config = SiteConfig(page_size=2, permalinks=Permalinks(page=pattern), pagination=pagination)
        pages = paged(entries(6 if pagination == "stable" else 5), config)
        urls = [p.url for p in pages]
        assert urls[0] == "/kategori/dunia/" and second in urls and len(urls) == len(set(urls))
        for page in pages:  # every page's pager names every page of the listing
            assert [page.pager.url(n) for n in numbers] == urls


def test_the_term_is_on_the_first_page_and_the_feed_on_every_page() -> None:
    term = Term("category", "Dunia", "dunia", "/kategori/dunia/", 13)
    feed = "/kategori/dunia/feed.xml"
    pages = paged(entries(13), STABLE, term, feed)
    # a numbered page shows no count: it would change with every article added
    assert [(p.term, p.feed_url) for p in pages] == [(term, feed)] + [(None, feed)] * 3
    newest_first = paged(entries(13), NEWEST_FIRST, term, feed)
    assert [(p.term, p.feed_url) for p in newest_first] == [(term, feed)] * 3


@pytest.mark.parametrize(
    "number, total, shown",
    [
        (0, 10, (1, None, 6, 7, 8, 9, 10)),  # the first page: the newest numbers, and 1
        (1, 10, (1, 2, 3)),  # no page count: only the pages it links
        (4, 10, (1, 2, 3, 4, 5, 6)),
        (5, 10, (1, None, 3, 4, 5, 6, 7)),
        (10, 10, (1, None, 8, 9, 10)),
        (2, 3, (1, 2, 3)),
        (0, 2, (1, 2)),
    ],
)
def test_the_pager_shows_page_one_and_a_window_around_the_current_page(
    number: int, total: int, shown: tuple[int | None, ...]
) -> None:
    pages = paged(entries(5 * total), STABLE)
    page = next(p for p in pages if p.pager.number == number)
    assert page.pager.numbers == shown


@pytest.mark.parametrize(
    "number, total, shown",
    [
        (1, 1, ()),
        (2, 3, (1, 2, 3)),
        (1, 10, (1, 2, 3, None, 10)),
        (4, 10, (1, 2, 3, 4, 5, 6, None, 10)),  # 1 touches the window: no gap
        (5, 10, (1, None, 3, 4, 5, 6, 7, None, 10)),
        (10, 10, (1, None, 8, 9, 10)),
    ],
)
def test_newest_first_pages_show_first_last_and_a_window(
    number: int, total: int, shown: tuple[int | None, ...]
) -> None:
    pages = paged(entries(5 * total), NEWEST_FIRST)
    assert len(pages) == total
    page = pages[number - 1]
    assert (page.pager.number, page.pager.numbers) == (number, shown)
    assert page.url == ("/kategori/dunia/" if number == 1 else f"/kategori/dunia/halaman/{number}/")
    assert page.pager.previous_url == (pages[number - 2].url if number > 1 else None)
    assert page.pager.next_url == (pages[number].url if number < total else None)


def test_a_listing_of_years_jumps_from_its_first_page_to_each_years_newest_page() -> None:
    # 7 entries a day apart from 2 Jan 2023 back, pages of 2: 2023 has two, 2022 the rest
    listed = entries_before(datetime(2023, 1, 2, 12, tzinfo=WIB), *(24 * d for d in range(7)))
    pages = paginate("home", "Arsip", "/", listed, None, SiteConfig(page_size=2))
    first = pages[0]
    assert isinstance(first, ListingPage)
    at = {p.url: p for p in pages_of(pages, ListingPage)}
    assert [j.name for j in first.pager.jumps] == ["2023", "2022"]
    for jump in first.pager.jumps:  # the page holding the year's newest entry
        newest = next(e for e in listed if str(e.date.year) == jump.name)
        assert newest in at[jump.url].entries
    assert all(not p.pager.jumps for p in pages_of(pages[1:], ListingPage))


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
    assert (
        list(home[0].entries) == [a.url for a in articles][:5]
        or [e.url for e in home[0].entries] == [a.url for a in articles][:5]
    )
    assert [e.url for e in in_order(home)] == [a.url for a in articles]
    assert len(home) == 4  # 14 articles, pages of 5: the first page and pages 1-3
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
            first, *numbered = pages
            assert [e.url for e in first.entries] == members[:5], term
            assert [e.url for e in in_order(pages)] == members, term
            assert term.count == len(members), term
            assert len(numbered) == (-(-len(members) // 5) if len(members) > 5 else 0), term
            assert {(p.kind, p.title) for p in pages} == {(kind, term.name)}
            assert [p.term for p in pages] == [term] + [None] * len(numbered)
            feed = term.url + "feed.xml" if kind == "category" else None
            assert {p.feed_url for p in pages} == {feed}


def test_only_the_configured_taxonomies_have_listings(make_site: SiteFactory) -> None:
    graph = site_graph(make_site(fillers=3, taxonomies="[tag]"))
    assert {p.kind for p in pages_of(graph.pages, TermIndexPage)} == {"tag"}
    kinds = {p.kind for p in pages_of(graph.pages, ListingPage)}
    assert kinds == {"home", "tag", "year", "month", "day"}


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
    everything = in_order(listing(archive, "/"))
    assert len(everything) == len(DATES)
    for year in (2023, 2022):
        pages = listing(archive, f"/arsip/{year}/")
        assert in_order(pages) == [e for e in everything if e.date.year == year]
        assert {(p.kind, p.title) for p in pages} == {("year", str(year))}
    june = listing(archive, "/arsip/2022/06/")
    assert [p.url for p in june] == [
        "/arsip/2022/06/", "/arsip/2022/06/halaman/1/", "/arsip/2022/06/halaman/2/",
    ]  # fmt: skip
    assert [[e.title for e in p.entries] for p in june] == [
        ["jun-3", "jun-2"], ["jun-2", "jun-1"], ["jun-3"],
    ]  # fmt: skip
    assert {(p.kind, p.title) for p in june} == {("month", "2022-06")}
    # the month's first page jumps to its days; the year's to its months
    assert [(j.name, j.url) for j in june[0].pager.jumps] == [
        (f"{d:02d}", f"/arsip/2022/06/{d:02d}/") for d in (1, 2, 3)
    ]
    year = listing(archive, "/arsip/2022/")[0]
    assert [(j.name, j.url) for j in year.pager.jumps] == [
        ("06", "/arsip/2022/06/"), ("12", "/arsip/2022/12/"),
    ]  # fmt: skip
    (february,) = listing(archive, "/arsip/2023/02/")
    assert [e.title for e in february.entries] == ["feb"]  # the month of its own dateline


def test_a_site_without_articles_has_an_empty_home_and_calendar(make_site: SiteFactory) -> None:
    graph = site_graph(make_site(seed=False))
    (home,) = pages_of(graph.pages, ListingPage)
    assert (home.url, home.entries, home.pager.numbers) == ("/", (), ())
    assert (home.pager.previous_url, home.pager.next_url) == (None, None)
    (calendar,) = pages_of(graph.pages, ArchiveIndexPage)
    assert calendar.years == ()
    assert [p.terms for p in pages_of(graph.pages, TermIndexPage)] == [(), (), ()]


def test_each_day_is_listed_in_the_archive_and_at_its_article_url_prefix(
    archive: SiteGraph,
) -> None:
    days = [p for p in pages_of(archive.pages, ListingPage) if p.kind == "day"]
    at = {p.url: p for p in days}
    assert set(at) == {
        f"{prefix}{day}/"
        for prefix in ("/arsip/", "/")
        for day in (
            "2023/02/01",
            "2023/01/15",
            "2022/12/31",
            "2022/06/03",
            "2022/06/02",
            "2022/06/01",
        )
    }
    indeks, prefix = at["/arsip/2022/06/02/"], at["/2022/06/02/"]
    assert [e.title for e in indeks.entries] == ["jun-2"]
    assert (indeks.title, prefix.entries, prefix.pager) == (
        "2022-06-02",
        indeks.entries,
        indeks.pager,
    )
    assert prefix.pager.url(prefix.pager.number) == "/arsip/2022/06/02/"  # its canonical
    # the day of its own dateline, not of UTC
    assert [e.title for e in at["/arsip/2023/02/01/"].entries] == ["feb"]


@pytest.mark.parametrize(
    "pattern, prefix",
    [
        ("/{yyyy}/{mm}/{dd}/{slug}/", "/{yyyy}/{mm}/{dd}/"),
        ("/berita/{yyyy}/{mm}/{dd}/{slug}.html", None),  # /berita/ is not the date
        ("/{yyyy}/{mm}/{slug}/", None),  # a month, not a day
        ("/{yyyy}{mm}{dd}/{slug}/", "/{yyyy}{mm}{dd}/"),
        ("/{slug}/", None),
    ],
)
def test_the_date_prefix_of_article_urls_is_found_only_when_it_names_a_day(
    pattern: str, prefix: str | None
) -> None:
    assert article_date_prefix(pattern) == prefix
