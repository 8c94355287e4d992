"""The listings: pages of article entries, newest first within a page.

The home page, one listing per taxonomy term (category, author, tag) and the index of each
taxonomy's terms; one listing per year, month and day, the day's listing also at the
article URLs' date prefix (`/2022/10/04/`), and the archive's calendar. Every listing is
paginated by the one `paginate`.

Pages are numbered from the oldest entry (`pagination: stable`, the default): page 57 of a
category always lists the same articles once it is full, so an added article rewrites the
listing's first page and its newest numbered page, not every page of it, and old page
URLs stay what readers and caches saw. `pagination: newest_first` numbers them the other
way, as most generators do: every page shifts when an article is added.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from archivegen.config import SiteConfig
from archivegen.graph.model import (
    ArchiveIndexPage,
    Entry,
    Link,
    ListingPage,
    MonthCount,
    Page,
    Pager,
    Term,
    TermIndexPage,
    YearCount,
)
from archivegen.graph.urls import fill, paged_url

if TYPE_CHECKING:
    from archivegen.graph.layout import Layout


class Shown(Protocol):
    """What cutting a listing into pages reads: the config, and the entries and dates of
    the articles by position (a `Layout`)."""

    @property
    def config(self) -> SiteConfig: ...
    @property
    def entries(self) -> Sequence[Entry]: ...
    def date_of(self, position: int) -> datetime: ...


WINDOW = 2  # page numbers shown on each side of the current one
JUMP_KINDS = frozenset({"home", "category", "author", "tag"})  # listings spanning years


@dataclass(frozen=True, slots=True)
class Listing:
    """One list of articles, newest first, before it is cut into pages."""

    kind: str  # home | category | author | tag | year | month | day
    title: str
    first_url: str
    members: Sequence[int]  # its articles' positions in the layout (ascending: newest first)
    term: Term | None = None
    feed_url: str | None = None
    jumps: tuple[Link, ...] = ()  # its first page's links besides the numbers: a month's days
    also_at: str = ""  # a day's: its first page again at the article URLs' date prefix


def listing_plan(layout: Layout) -> Iterator[Listing | TermIndexPage | ArchiveIndexPage]:
    """Every listing and index of the site, in the order of their pages in the graph."""
    yield home_listing(layout)
    for kind in layout.config.taxonomies:
        grouping = layout.groupings[kind]
        terms = sorted(grouping.terms.values(), key=lambda t: (t.name.casefold(), t.slug))
        yield term_index_page(layout, kind)
        for term in terms:
            yield term_listing(layout, kind, term.slug)
    days_of = _days_by_month(layout)
    for year in sorted({y for y, _ in layout.months}, reverse=True):
        for month in range(12, 0, -1):
            if (year, month) in layout.months:
                for day in reversed(days_of[(year, month)]):
                    yield day_listing(layout, day)
                yield month_listing(layout, year, month, days_of[(year, month)])
        yield year_listing(layout, year)
    yield archive_index_page(layout)


def listing_pages(layout: Layout) -> list[Page]:
    """The pages of every listing and index."""
    pages: list[Page] = []
    for planned in listing_plan(layout):
        if isinstance(planned, Listing):
            pages += pages_of(layout, planned)
        else:
            pages.append(planned)
    return pages


def home_listing(layout: Layout) -> Listing:
    """Every article."""
    return Listing("home", layout.config.title, "/", range(len(layout.ordered)))


def term_listing(layout: Layout, kind: str, slug: str) -> Listing:
    """A category's, author's or tag's articles."""
    grouping = layout.groupings[kind]
    term = grouping.terms[slug]
    feed = term.url + "feed.xml" if kind == "category" else None
    return Listing(kind, term.name, term.url, grouping.members[slug], term, feed)


def term_index_page(layout: Layout, kind: str) -> TermIndexPage:
    """The index of one taxonomy's terms, with their counts."""
    links = layout.config.permalinks
    url = {"category": links.categories, "author": links.authors, "tag": links.tags}[kind]
    terms = sorted(layout.groupings[kind].terms.values(), key=lambda t: (t.name.casefold(), t.slug))
    return TermIndexPage(url=url, kind=kind, terms=tuple(terms))


def year_listing(layout: Layout, year: int) -> Listing:
    """A year's articles; its first page links each of its months."""
    months = [(m, layout.months[(year, m)]) for m in range(12, 0, -1) if (year, m) in layout.months]
    newest = layout.ordered[months[0][1][0]].date
    month_links = tuple(
        Link(f"{m:02d}", _month_url(layout, members)) for m, members in reversed(months)
    )
    members = [i for _, indices in months for i in indices]
    url = fill(layout.config.permalinks.year, date=newest)
    return Listing("year", str(year), url, members, jumps=month_links)


def month_listing(
    layout: Layout, year: int, month: int, days: Sequence[tuple[int, int, int]] | None = None
) -> Listing:
    """A month's articles; its first page links each of its days (oldest first)."""
    if days is None:
        days = _days_by_month(layout, (year, month))[(year, month)]
    day_url = layout.config.permalinks.day
    day_links = tuple(
        Link(f"{day[2]:02d}", fill(day_url, date=layout.ordered[layout.days[day][0]].date))
        for day in days
    )
    members = layout.months[(year, month)]
    return Listing(
        "month", f"{year}-{month:02d}", _month_url(layout, members), members, jumps=day_links
    )


def day_listing(layout: Layout, day: tuple[int, int, int]) -> Listing:
    """A day's articles (`/arsip/2022/10/04/`), its first page also at the article URLs'
    date prefix (`/2022/10/04/`), so that cutting an article's URL back lists its day."""
    members = layout.days[day]
    date = layout.ordered[members[0]].date
    url = fill(layout.config.permalinks.day, date=date)
    prefix = article_date_prefix(layout.config.permalinks.article)
    also = fill(prefix, date=date) if prefix is not None else ""
    title = f"{day[0]}-{day[1]:02d}-{day[2]:02d}"
    return Listing("day", title, url, members, also_at=also if also != url else "")


def archive_index_page(layout: Layout) -> ArchiveIndexPage:
    """The calendar of the archive: years and months with their counts."""
    years = []
    for year in sorted({y for y, _ in layout.months}, reverse=True):
        counts = tuple(
            MonthCount(
                year, m, _month_url(layout, layout.months[(year, m)]), len(layout.months[(year, m)])
            )
            for m in range(12, 0, -1)
            if (year, m) in layout.months
        )
        url = fill(
            layout.config.permalinks.year,
            date=layout.ordered[layout.months[(year, counts[0].month)][0]].date,
        )
        years.append(YearCount(year, url, sum(c.count for c in counts), counts))
    return ArchiveIndexPage(url=layout.config.permalinks.archive, years=tuple(years))


def _month_url(layout: Layout, members: Sequence[int]) -> str:
    return fill(layout.config.permalinks.month, date=layout.ordered[members[0]].date)


def _days_by_month(
    layout: Layout, only: tuple[int, int] | None = None
) -> dict[tuple[int, int], list[tuple[int, int, int]]]:
    """Each month's days, oldest first."""
    days_of: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
    for day in sorted(layout.days):
        if only is None or day[:2] == only:
            days_of.setdefault(day[:2], []).append(day)
    return days_of


def page_numbers(listing: Listing, config: SiteConfig) -> range:
    """The numbers of a listing's pages: 0 (its own URL) and 1… from the oldest, or 1…
    from the newest (`pagination: newest_first`)."""
    size, count = config.page_size, len(listing.members)
    if config.pagination == "newest_first":
        return range(1, max(1, -(-count // size)) + 1)
    return range(0, _numbered(count, size) + 1)


def pages_of(layout: Shown, listing: Listing) -> list[Page]:
    """All the pages of a listing (and the copy of a day's first page)."""
    pages = [listing_page(layout, listing, n) for n in page_numbers(listing, layout.config)]
    return [*pages, *copies_of(listing, pages[0])]


def copies_of(listing: Listing, first: ListingPage) -> list[Page]:
    """The first page again where a day's listing is also shown."""
    if not listing.also_at:
        return []
    # the same page at another address; its pager's links (and canonical) stay the listing's
    return [
        ListingPage(
            listing.also_at,
            first.kind,
            first.title,
            first.entries,
            first.pager,
            first.term,
            first.feed_url,
        )
    ]


def listing_page(layout: Shown, listing: Listing, number: int) -> ListingPage:
    """Page `number` of a listing (see `page_numbers`): `page_size` entries, newest first."""
    config = layout.config
    if config.pagination == "newest_first":
        return _newest_first_page(layout, listing, number)
    size, members, pattern = config.page_size, listing.members, config.permalinks.page
    count = len(members)
    total = _numbered(count, size)
    if number == 0:
        low, high = 0, min(size, count)
        newer, older = None, (count - 1 - size) // size + 1 if total else None
        shown = [1, *range(total - 2 * WINDOW, total + 1)]
        jumps = (
            _year_jumps(layout, listing) if listing.kind in JUMP_KINDS and total else listing.jumps
        )
    else:
        low, high = max(0, count - number * size), count - (number - 1) * size
        newer, older = (number + 1 if number < total else 0), number - 1 or None
        shown, jumps = [1, *range(number - WINDOW, number + WINDOW + 1)], ()
    kept = _with_gaps(sorted({n for n in shown if 1 <= n <= total}))
    return ListingPage(
        url=listing.first_url if number == 0 else paged_url(listing.first_url, pattern, number),
        kind=listing.kind,
        title=listing.title,
        entries=tuple(layout.entries[i] for i in members[low:high]),
        pager=Pager(number, 0, listing.first_url, pattern, newer, older, kept, jumps),
        term=listing.term if number == 0 else None,  # its count changes with every article
        feed_url=listing.feed_url,
    )


def _newest_first_page(layout: Shown, listing: Listing, number: int) -> ListingPage:
    size, pattern = layout.config.page_size, layout.config.permalinks.page
    total = max(1, -(-len(listing.members) // size))
    shown = {1, total, *range(number - WINDOW, number + WINDOW + 1)}
    numbers = _with_gaps(sorted(n for n in shown if 1 <= n <= total)) if total > 1 else ()
    newer = number - 1 if number > 1 else None
    older = number + 1 if number < total else None
    members = listing.members[(number - 1) * size : number * size]
    return ListingPage(
        url=listing.first_url if number == 1 else paged_url(listing.first_url, pattern, number),
        kind=listing.kind,
        title=listing.title,
        entries=tuple(layout.entries[i] for i in members),
        pager=Pager(
            number,
            1,
            listing.first_url,
            pattern,
            newer,
            older,
            numbers,
            listing.jumps if number == 1 else (),
        ),
        term=listing.term,
        feed_url=listing.feed_url,
    )


def _numbered(count: int, size: int) -> int:
    """How many numbered pages a listing of `count` has: none when one page holds it."""
    return -(-count // size) if count > size else 0


def _with_gaps(numbers: list[int]) -> tuple[int | None, ...]:
    """Sorted page numbers with None where numbers are skipped."""
    out: list[int | None] = []
    for n in numbers:
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return tuple(out)


def _year_jumps(layout: Shown, listing: Listing) -> tuple[Link, ...]:
    """One link per year of the listing: the numbered page of its newest entry."""
    size, pattern = layout.config.page_size, layout.config.permalinks.page
    jumps, seen, members = [], set(), listing.members
    count = len(members)
    for index, member in enumerate(members):
        year = layout.date_of(member).year
        if year not in seen:
            seen.add(year)
            number = (count - 1 - index) // size + 1
            jumps.append(Link(str(year), paged_url(listing.first_url, pattern, number)))
    return tuple(jumps) if len(jumps) > 1 else ()


# folders each holding at least one date placeholder and nothing else to fill in
_DATE_PREFIX = re.compile(r"^(/(?:[^/{}]*(?:\{(?:yyyy|mm|dd)\}[^/{}]*)+/)+)\{slug\}")


@lru_cache(maxsize=8)  # asked once per day listing, of one pattern
def article_date_prefix(pattern: str) -> str | None:
    """The article pattern's folders made of its date alone (`/{yyyy}/{mm}/{dd}/` of
    `/{yyyy}/{mm}/{dd}/{slug}/`), when they name the day; else None."""
    found = _DATE_PREFIX.match(pattern)
    if found is None or not all(f"{{{p}}}" in found.group(1) for p in ("yyyy", "mm", "dd")):
        return None
    return found.group(1)
