"""The listings: pages of article entries, newest first, cut into pages of `page_size`.

The home page, one listing per taxonomy term (category, author, tag) and the index of each
taxonomy's terms; one listing per year and per month, and the archive's calendar of years
and months with their counts. Every listing is paginated by the one `paginate`.
"""

from __future__ import annotations

from collections.abc import Sequence

from archivegen.config import SiteConfig
from archivegen.content.model import Article
from archivegen.graph.model import (
    ArchiveIndexPage,
    Entry,
    ListingPage,
    MonthCount,
    Page,
    Pager,
    Term,
    TermIndexPage,
    YearCount,
)
from archivegen.graph.taxonomy import Grouping, group_by_month
from archivegen.graph.urls import fill, paged_url


def listing_pages(
    entries: Sequence[Entry], groupings: dict[str, Grouping], config: SiteConfig
) -> list[Page]:
    """The paginated home, one paginated listing per term, and the index of each taxonomy."""
    links = config.permalinks
    pages = paginate("home", config.title, "/", list(entries), None, config)
    index_urls = {"category": links.categories, "author": links.authors, "tag": links.tags}
    for kind in config.taxonomies:
        grouping = groupings[kind]
        terms = sorted(grouping.terms.values(), key=lambda t: (t.name.casefold(), t.slug))
        pages.append(TermIndexPage(url=index_urls[kind], kind=kind, terms=tuple(terms)))
        for term in terms:
            members = [entries[i] for i in grouping.members[term.slug]]
            feed = term.url + "feed.xml" if kind == "category" else None
            pages += paginate(kind, term.name, term.url, members, term, config, feed)
    return pages


def paginate(
    kind: str,
    title: str,
    first_url: str,
    entries: Sequence[Entry],
    term: Term | None,
    config: SiteConfig,
    feed_url: str | None = None,
) -> list[Page]:
    """Cut a newest-first list into pages of `page_size` entries."""
    size = config.page_size
    total = max(1, -(-len(entries) // size))
    return [
        ListingPage(
            url=paged_url(first_url, config.permalinks.page, number),
            kind=kind,
            title=title,
            entries=tuple(entries[(number - 1) * size : number * size]),
            pager=Pager(number, total, first_url, config.permalinks.page),
            term=term,
            feed_url=feed_url,
        )
        for number in range(1, total + 1)
    ]


def archive_pages(
    ordered: Sequence[Article], entries: Sequence[Entry], config: SiteConfig
) -> list[Page]:
    """Year and month listings, and the archive's calendar of years and months."""
    links = config.permalinks
    months = group_by_month(ordered)
    pages: list[Page] = []
    years: list[YearCount] = []
    for year in sorted({y for y, _ in months}, reverse=True):
        year_url = fill(links.year, date=ordered[months[_first_month(months, year)][0]].date)
        in_year = [(m, months[(year, m)]) for m in range(12, 0, -1) if (year, m) in months]
        counts = []
        for month, indices in in_year:
            month_url = fill(links.month, date=ordered[indices[0]].date)
            counts.append(MonthCount(year, month, month_url, len(indices)))
            title = f"{year}-{month:02d}"
            month_entries = [entries[i] for i in indices]
            pages += paginate("month", title, month_url, month_entries, None, config)
        year_entries = [entries[i] for _, indices in in_year for i in indices]
        years.append(YearCount(year, year_url, len(year_entries), tuple(counts)))
        pages += paginate("year", str(year), year_url, year_entries, None, config)
    pages.append(ArchiveIndexPage(url=links.archive, years=tuple(years)))
    return pages


def _first_month(months: dict[tuple[int, int], list[int]], year: int) -> tuple[int, int]:
    return max(key for key in months if key[0] == year)
