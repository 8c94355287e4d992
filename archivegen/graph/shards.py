"""Search shards: which part of the Pagefind index holds each article, and the search page.

The index is split by calendar range (a year, its quarters or its months, by how many
articles the year has, and the archive's newest month on its own), so an edit re-indexes
one shard and Pagefind's memory is bounded by the largest one. The rule depends on the
articles only, never on the clock; `search/` builds one Pagefind bundle per shard and the
search page lists them, newest first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from archivegen.content.model import Article
from archivegen.graph.model import SearchPage

SEARCH_YEAR_SHARD_LIMIT = 500  # articles in a year up to which it is one search shard
SEARCH_QUARTER_SHARD_LIMIT = 2000  # … up to which its shards are quarters, above: months


def search_shards(ordered: Sequence[Article]) -> list[str]:
    """The search-index shard of each article: a calendar range sized by its year's count.

    Per calendar year of c articles: c <= SEARCH_YEAR_SHARD_LIMIT gives one shard `2015`;
    c <= SEARCH_QUARTER_SHARD_LIMIT gives quarters `2015-q1` … `2015-q4`; more gives months
    `2015-01` … `2015-12`. Shards follow the calendar, so a new or edited article changes
    exactly one shard; and a shard holds about 500 articles or fewer when a year's articles
    are spread over its months, so re-indexing the one that changed stays well under a
    second, and Pagefind's memory is bounded by the largest shard, not the archive. The
    rule depends on the articles only, never on the clock.

    The archive's newest month is a shard of its own (`2024-q4-12`, or `2024-12` beside a
    year shard `2024`) when its year or quarter holds other months too: new articles land
    there and most edits are recent, so the usual incremental build re-indexes a month, not
    a quarter. When the next month begins, the month joins its quarter again (one larger
    re-index, once a month).

    The names sort as text in calendar order (a year has one kind of shard, and `2016` >
    `2015-q4-12` > `2015-q4` > `2015-q1`, `2016-01` > `2015-12`): the search page lists
    them sorted descending, newest first, and its date sort relies on that.
    """
    per_year = Counter(article.date.year for article in ordered)
    names = []
    for article in ordered:
        year, month = article.date.year, article.date.month
        count = per_year[year]
        if count <= SEARCH_YEAR_SHARD_LIMIT:
            names.append(f"{year:04d}")
        elif count <= SEARCH_QUARTER_SHARD_LIMIT:
            names.append(f"{year:04d}-q{(month - 1) // 3 + 1}")
        else:
            names.append(f"{year:04d}-{month:02d}")
    return _newest_month_apart(ordered, names)


def _newest_month_apart(ordered: Sequence[Article], names: list[str]) -> list[str]:
    if not ordered:
        return names
    newest = max((article.date.year, article.date.month) for article in ordered)
    in_month = [i for i, a in enumerate(ordered) if (a.date.year, a.date.month) == newest]
    parent = names[in_month[0]]
    if names.count(parent) == len(in_month):  # the shard is that month already
        return names
    own = f"{parent}-{newest[1]:02d}"
    for i in in_month:
        names[i] = own
    return names


def search_page(shards: Sequence[str], url: str) -> SearchPage:
    """The search page at `url`, listing each shard once, newest first (see `search_shards`)."""
    return SearchPage(url=url, shards=tuple(sorted(set(shards), reverse=True)))
