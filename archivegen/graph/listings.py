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
from collections.abc import Sequence

from archivegen.config import SiteConfig
from archivegen.content.model import Article
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
from archivegen.graph.taxonomy import Grouping, group_by_day, group_by_month
from archivegen.graph.urls import fill, paged_url

WINDOW = 2  # page numbers shown on each side of the current one
JUMP_KINDS = frozenset({"home", "category", "author", "tag"})  # listings spanning years


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
    jumps: tuple[Link, ...] = (),
) -> list[Page]:
    """Cut a newest-first list into pages of `page_size` entries, numbered as configured.

    `jumps` are links the first page shows besides the page numbers (a month's days); a
    listing that spans years gets one per year, to the page of the year's newest entry.
    """
    if config.pagination == "newest_first":
        return _newest_first(kind, title, first_url, entries, term, config, feed_url, jumps)
    size, count = config.page_size, len(entries)
    total = -(-count // size) if count > size else 0  # numbered pages: none when one suffices
    if kind in JUMP_KINDS and total:
        jumps = _year_jumps(entries, size, first_url, config.permalinks.page)
    pattern = config.permalinks.page

    def pager(number: int, newer: int | None, older: int | None, shown: list[int]) -> Pager:
        kept = _with_gaps(sorted({n for n in shown if 1 <= n <= total}))
        return Pager(number, 0, first_url, pattern, newer, older, kept, jumps if not number else ())

    next_older = (count - 1 - size) // size + 1 if total else None  # the page after the first
    first = ListingPage(
        url=first_url,
        kind=kind,
        title=title,
        entries=tuple(entries[:size]),
        pager=pager(0, None, next_older, [1, *range(total - 2 * WINDOW, total + 1)]),
        term=term,
        feed_url=feed_url,
    )
    pages: list[Page] = [first]
    for number in range(1, total + 1):
        low, high = max(0, count - number * size), count - (number - 1) * size
        newer = number + 1 if number < total else 0
        window = [1, *range(number - WINDOW, number + WINDOW + 1)]
        pages.append(
            ListingPage(
                url=paged_url(first_url, pattern, number),
                kind=kind,
                title=title,
                entries=tuple(entries[low:high]),
                pager=pager(number, newer, number - 1 or None, window),
                term=None,  # its count changes with every article: on the first page only
                feed_url=feed_url,
            )
        )
    return pages


def _newest_first(
    kind: str,
    title: str,
    first_url: str,
    entries: Sequence[Entry],
    term: Term | None,
    config: SiteConfig,
    feed_url: str | None,
    jumps: tuple[Link, ...],
) -> list[Page]:
    size = config.page_size
    total = max(1, -(-len(entries) // size))
    pattern = config.permalinks.page
    pages: list[Page] = []
    for number in range(1, total + 1):
        shown = {1, total, *range(number - WINDOW, number + WINDOW + 1)}
        numbers = _with_gaps(sorted(n for n in shown if 1 <= n <= total)) if total > 1 else ()
        newer = number - 1 if number > 1 else None
        older = number + 1 if number < total else None
        pages.append(
            ListingPage(
                url=first_url if number == 1 else paged_url(first_url, pattern, number),
                kind=kind,
                title=title,
                entries=tuple(entries[(number - 1) * size : number * size]),
                pager=Pager(
                    number,
                    1,
                    first_url,
                    pattern,
                    newer,
                    older,
                    numbers,
                    jumps if number == 1 else (),
                ),
                term=term,
                feed_url=feed_url,
            )
        )
    return pages


def _with_gaps(numbers: list[int]) -> tuple[int | None, ...]:
    """Sorted page numbers with None where numbers are skipped."""
    out: list[int | None] = []
    for n in numbers:
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return tuple(out)


def _year_jumps(
    entries: Sequence[Entry], size: int, first_url: str, pattern: str
) -> tuple[Link, ...]:
    """One link per year of a newest-first list: the numbered page of its newest entry."""
    jumps, seen, count = [], set(), len(entries)
    for index, entry in enumerate(entries):
        year = entry.date.year
        if year not in seen:
            seen.add(year)
            number = (count - 1 - index) // size + 1
            jumps.append(Link(str(year), paged_url(first_url, pattern, number)))
    return tuple(jumps) if len(jumps) > 1 else ()


def archive_pages(
    ordered: Sequence[Article], entries: Sequence[Entry], config: SiteConfig
) -> list[Page]:
    """Year, month and day listings, and the archive's calendar of years and months."""
    links = config.permalinks
    months = group_by_month(ordered)
    days_of: dict[tuple[int, int], list[list[int]]] = {}  # each month's days, oldest first
    for (year, month, _), members in sorted(group_by_day(ordered).items()):
        days_of.setdefault((year, month), []).append(members)
    pages: list[Page] = []
    years: list[YearCount] = []
    for year in sorted({y for y, _ in months}, reverse=True):
        year_url = fill(links.year, date=ordered[months[_first_month(months, year)][0]].date)
        in_year = [(m, months[(year, m)]) for m in range(12, 0, -1) if (year, m) in months]
        counts = []
        for month, indices in in_year:
            month_url = fill(links.month, date=ordered[indices[0]].date)
            counts.append(MonthCount(year, month, month_url, len(indices)))
            in_month = days_of[(year, month)]
            for members in reversed(in_month):
                pages += day_pages([entries[i] for i in members], config)
            day_links = tuple(
                Link(f"{ordered[m[0]].date.day:02d}", fill(links.day, date=ordered[m[0]].date))
                for m in in_month
            )
            title, listed = f"{year}-{month:02d}", [entries[i] for i in indices]
            pages += paginate("month", title, month_url, listed, None, config, None, day_links)
        year_entries = [entries[i] for _, indices in in_year for i in indices]
        years.append(YearCount(year, year_url, len(year_entries), tuple(counts)))
        month_links = tuple(Link(f"{c.month:02d}", c.url) for c in reversed(counts))
        pages += paginate(
            "year", str(year), year_url, year_entries, None, config, None, month_links
        )
    pages.append(ArchiveIndexPage(url=links.archive, years=tuple(years)))
    return pages


def day_pages(entries: list[Entry], config: SiteConfig) -> list[Page]:
    """A day's listing (`/arsip/2022/10/04/`), and its first page again at the article
    URLs' date prefix (`/2022/10/04/`), so that cutting an article's URL back lists its day."""
    date = entries[0].date
    title = f"{date.year}-{date.month:02d}-{date.day:02d}"
    url = fill(config.permalinks.day, date=date)
    pages = paginate("day", title, url, entries, None, config)
    prefix = article_date_prefix(config.permalinks.article)
    if prefix is not None:
        prefix_url = fill(prefix, date=date)
        if prefix_url != url:
            first = pages[0]
            assert isinstance(first, ListingPage)
            pages.append(_at(first, prefix_url))
    return pages


def _at(page: ListingPage, url: str) -> ListingPage:
    # the same page at another address; its pager's links (and canonical) stay the listing's
    return ListingPage(
        url, page.kind, page.title, page.entries, page.pager, page.term, page.feed_url
    )


# folders each holding at least one date placeholder and nothing else to fill in
_DATE_PREFIX = re.compile(r"^(/(?:[^/{}]*(?:\{(?:yyyy|mm|dd)\}[^/{}]*)+/)+)\{slug\}")


def article_date_prefix(pattern: str) -> str | None:
    """The article pattern's folders made of its date alone (`/{yyyy}/{mm}/{dd}/` of
    `/{yyyy}/{mm}/{dd}/{slug}/`), when they name the day; else None."""
    found = _DATE_PREFIX.match(pattern)
    if found is None or not all(f"{{{p}}}" in found.group(1) for p in ("yyyy", "mm", "dd")):
        return None
    return found.group(1)


def _first_month(months: dict[tuple[int, int], list[int]], year: int) -> tuple[int, int]:
    return max(key for key in months if key[0] == year)
