"""Where every article goes: its order, address, terms, day and search shard.

A `Layout` is made in one pass over the articles (a sort and a few groupings) and is small
next to the pages: every page of the site is a function of it (`site.py` makes them all,
`changes.py` only those that show some articles). Entries, the listing view of an article,
are made when a page first asks for one, so a build that makes a few pages makes a few
entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import overload

from archivegen.config import SiteConfig
from archivegen.content.model import Article
from archivegen.graph.articles import (
    assign_article_urls,
    make_entry,
    newest_first,
    original_urls,
)
from archivegen.graph.model import Entry
from archivegen.graph.shards import search_shards
from archivegen.graph.taxonomy import (
    Grouping,
    group_by_day,
    group_by_month,
    group_by_term,
    taxonomy_patterns,
)


class Entries(Sequence[Entry]):
    """Each article's entry, made on first use and kept (one shared value per article)."""

    def __init__(
        self, ordered: Sequence[Article], urls: Sequence[str], groupings: dict[str, Grouping]
    ) -> None:
        self._ordered, self._urls, self._groupings = ordered, urls, groupings
        self._made: list[Entry | None] = [None] * len(ordered)

    def __len__(self) -> int:
        return len(self._made)

    @overload
    def __getitem__(self, index: int) -> Entry: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Entry]: ...
    def __getitem__(self, index: int | slice) -> Entry | Sequence[Entry]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        made = self._made[index]
        if made is None:
            made = make_entry(self._ordered[index], self._urls[index], self._groupings)
            self._made[index] = made
        return made


@dataclass(frozen=True, slots=True)
class Layout:
    """The placement of every article (positions are in newest-first order)."""

    config: SiteConfig
    ordered: list[Article]
    urls: list[str]
    clashes: frozenset[str]  # addresses more than one article's slug and date give
    groupings: dict[str, Grouping]  # category, author, tag
    months: dict[tuple[int, int], list[int]]
    days: dict[tuple[int, int, int], list[int]]
    shards: list[str]  # each article's search shard
    originals: list[str]  # each article's original's URL when it is a copy, else ""
    entries: Entries
    warnings: tuple[str, ...]

    def date_of(self, position: int) -> datetime:
        """The date of the article at `position`."""
        return self.ordered[position].date


def lay_out(articles: Sequence[Article], config: SiteConfig) -> Layout:
    """Place these (already selected) articles."""
    ordered = newest_first(articles)
    warnings: list[str] = []
    urls, clashes = assign_article_urls(ordered, config, warnings)
    groupings = {
        kind: group_by_term(kind, ordered, pattern)
        for kind, pattern in taxonomy_patterns(config.permalinks, config.taxonomies).items()
    }
    return Layout(
        config=config,
        ordered=ordered,
        urls=urls,
        clashes=clashes,
        groupings=groupings,
        months=group_by_month(ordered),
        days=group_by_day(ordered),
        shards=search_shards(ordered),
        originals=original_urls(ordered, urls),
        entries=Entries(ordered, urls, groupings),
        warnings=tuple(warnings),
    )
