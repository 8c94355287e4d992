"""The pages that show some articles: what a build that added or edited them must redo.

Every page of the site is a function of the layout (`site.py` makes them all). An article
shows on a bounded set of pages: its own, its category neighbours' and the pages of the
articles that may pick it as related (within `related_count` places in a shared tag, twice
that in its category: see `articles.related_entries`), the pages of each listing it is in
that hold it, the feeds, sitemaps and indexes that count or list it. Adding it also shifts
the listings' newer pages (numbered from the oldest: only those newer than it) and may add
a page, which the pages near the newest one link. `pages_showing` makes exactly those pages
from the same functions as the full graph, so each equals its page in `graph_of(layout)`;
the caller compares their fingerprints with the last build's and renders those that differ.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from archivegen.graph.articles import article_page
from archivegen.graph.feeds import category_feed, site_feed, sitemap_pages
from archivegen.graph.layout import Layout
from archivegen.graph.listings import (
    WINDOW,
    Listing,
    archive_index_page,
    copies_of,
    day_listing,
    home_listing,
    listing_page,
    month_listing,
    page_numbers,
    term_index_page,
    term_listing,
    year_listing,
)
from archivegen.graph.model import Page
from archivegen.graph.shards import search_page
from archivegen.graph.site import machine_pages
from archivegen.graph.taxonomy import term_slug


@dataclass(frozen=True, slots=True)
class Changed:
    """Positions, in the new layout, of the articles a build must show anew."""

    added: frozenset[int]  # new articles: counted, listed, paginated anew
    edited: frozenset[int]  # articles shown differently, in the same places
    moved_shard: frozenset[int] = frozenset()  # articles whose search shard changed

    @property
    def shown(self) -> frozenset[int]:
        """Every article whose entry or page is new."""
        return self.added | self.edited


def pages_showing(layout: Layout, changed: Changed) -> list[Page]:
    """Every page that shows one of the changed articles, or counts or lists them: each
    equal to its page in the full graph of `layout`."""
    pages: dict[str, Page] = {}
    for page in _all(layout, changed):
        pages.setdefault(page.url, page)
    return list(pages.values())


def _all(layout: Layout, changed: Changed) -> Iterator[Page]:
    for index in sorted(_article_pages(layout, changed)):
        yield from article_page(layout, index)
    for listing, numbers in _listing_pages(layout, changed):
        for number in sorted(numbers):
            page = listing_page(layout, listing, number)
            yield page
            if number == page_numbers(listing, layout.config)[0]:
                yield from copies_of(listing, page)
    yield from _machine_pages(layout, changed)


def _article_pages(layout: Layout, changed: Changed) -> set[int]:
    """The articles whose page may show a changed one: itself, its category neighbours,
    and those that may pick it as related."""
    limit = max(0, layout.config.related_count)
    tag_reach, category_reach = limit + 1, max(1, 2 * limit + 1)
    categories, tags = layout.groupings["category"], layout.groupings["tag"]
    chosen = set(changed.moved_shard)
    for index in changed.shown:
        article = layout.ordered[index]
        chosen.update(_near(categories.members[term_slug(article.category)], index, category_reach))
        for name in article.tags:
            chosen.update(_near(tags.members[term_slug(name)], index, tag_reach))
    return chosen


def _near(members: Sequence[int], index: int, reach: int) -> Sequence[int]:
    """The members within `reach` places of `index`, itself included (members ascend)."""
    at = _place(members, index)
    return members[max(0, at - reach) : at + reach + 1]


def _place(members: Sequence[int], index: int) -> int:
    return bisect.bisect_left(members, index)


def _listing_pages(layout: Layout, changed: Changed) -> Iterator[tuple[Listing, set[int]]]:
    """Each listing holding a changed article, with the numbers of its pages to redo."""
    wanted: dict[str, tuple[Listing, set[int]]] = {}
    added_in: dict[str, int] = {}
    for index in sorted(changed.shown):
        for listing in _listings_of(layout, index):
            _, numbers = wanted.setdefault(listing.first_url, (listing, set()))
            numbers.update(_pages_holding(layout, listing, index))
            if index in changed.added:
                added_in[listing.first_url] = added_in.get(listing.first_url, 0) + 1
    for url, (listing, numbers) in wanted.items():
        if url in added_in:
            numbers.update(_pages_shifted(layout, listing, numbers, added_in[url]))
        yield listing, numbers


def _listings_of(layout: Layout, index: int) -> Iterator[Listing]:
    """The listings an article is in: home, its terms', its year's, month's and day's."""
    article, config = layout.ordered[index], layout.config
    yield home_listing(layout)
    names = {"category": (article.category,), "author": article.authors, "tag": article.tags}
    for kind in config.taxonomies:
        for slug in dict.fromkeys(term_slug(name) for name in names[kind]):
            yield term_listing(layout, kind, slug)
    date = article.date
    yield year_listing(layout, date.year)
    yield month_listing(layout, date.year, date.month)
    yield day_listing(layout, (date.year, date.month, date.day))


def _pages_holding(layout: Layout, listing: Listing, index: int) -> set[int]:
    """The numbers of the listing's pages that hold the article at `index`."""
    size, count = layout.config.page_size, len(listing.members)
    place = _place(listing.members, index)  # 0: the newest
    numbers = page_numbers(listing, layout.config)
    if layout.config.pagination == "newest_first":
        return {place // size + 1}
    held = {0} if place < size else set()
    if len(numbers) > 1:
        held.add((count - 1 - place) // size + 1)
    return held


def _pages_shifted(layout: Layout, listing: Listing, holding: set[int], added: int) -> set[int]:
    """The pages an addition changes besides those holding the new articles: the newer
    numbered pages (their entries shift down), the first page (counts, links), and the
    pages near the newest one when a page was added (their numbers and newer link)."""
    numbers = page_numbers(listing, layout.config)
    if layout.config.pagination == "newest_first":
        return set(numbers)  # every page shifts
    numbered = [n for n in holding if n]
    newest = numbers[-1]
    shifted = set(range(min(numbered), newest + 1)) if numbered else set()
    size, count = layout.config.page_size, len(listing.members)
    before = count - added
    was = -(-before // size) if before > size else 0
    if was != newest:
        shifted.update(range(max(1, was - WINDOW), newest + 1))
    return {0, *shifted}


def _machine_pages(layout: Layout, changed: Changed) -> Iterable[Page]:
    """Feeds, indexes, sitemaps and the search page that list or count changed articles."""
    config = layout.config
    yield site_feed(layout)
    categories = layout.groupings["category"]
    for slug in sorted({term_slug(layout.ordered[i].category) for i in changed.shown}):
        if categories.terms[slug].url:
            yield category_feed(layout, slug)
    yield from machine_pages(layout)  # the news sitemap, robots.txt
    if config.search and (changed.added or changed.moved_shard):
        yield search_page(layout.shards, config.permalinks.search)
    if not changed.added:
        return  # an edit in place changes no count, no sitemap (lastmod is `updated`)
    for kind in config.taxonomies:
        yield term_index_page(layout, kind)
    yield archive_index_page(layout)
    months = {f"{layout.ordered[i].date:%Y-%m}" for i in changed.added}
    for page in sitemap_pages(layout, lambda _: True):
        name = page.url.rsplit("/", 1)[-1]  # lists.xml, 2024-12.xml, 2024-12-2.xml…
        if page.is_index or name.startswith("lists") or name[:7] in months:
            yield page
