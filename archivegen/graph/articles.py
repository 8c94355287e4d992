"""The articles' own pages: their order, their addresses and their entries.

An article gets one URL (a clash is numbered and warned about), one `Entry` (how listings,
feeds and neighbours show it) and one `ArticlePage` with its previous and next article in
its category and the articles related to it by shared tags (its aliases become redirects
in `redirects.py`). Pure, and linear in the number of articles (related articles are bounded
per article however large a tag grows).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from archivegen.config import SiteConfig
from archivegen.content.model import Article
from archivegen.graph.model import ArticlePage, Entry, Link, Page, RevisionPage
from archivegen.graph.taxonomy import Grouping, term_slug
from archivegen.graph.urls import fill

if TYPE_CHECKING:
    from archivegen.graph.layout import Layout

REVISION_PATH = "revisi/{stamp}/"  # under the article's address
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def newest_first(articles: Sequence[Article]) -> list[Article]:
    """Articles by date, newest first; equal dates by source path, descending.

    The key is the instant in whole microseconds: ordering aware datetimes converts both
    to UTC in every comparison (~130,000 of them for 10,000 articles), an int compares in C.
    """
    return sorted(
        articles, key=lambda a: ((a.date - _EPOCH) // _MICROSECOND, a.source_path), reverse=True
    )


def assign_article_urls(
    ordered: Sequence[Article], config: SiteConfig, warnings: list[str]
) -> tuple[list[str], frozenset[str]]:
    """One URL per article; a clash gets `-2`, `-3`… in source-path order, and a warning.
    Also the addresses that clashed (an article added there renumbers the others)."""
    by_url: dict[str, list[int]] = {}
    for index, article in enumerate(ordered):
        url = fill(config.permalinks.article, slug=article.slug, date=article.date)
        by_url.setdefault(url, []).append(index)
    urls = [""] * len(ordered)
    taken = set(by_url)
    clashes = []
    for url, indices in by_url.items():
        indices.sort(key=lambda i: ordered[i].source_path)
        urls[indices[0]] = url
        if len(indices) > 1:
            clashes.append(url)
        for suffix, index in enumerate(indices[1:], start=2):
            while (candidate := url.rstrip("/") + f"-{suffix}/") in taken:
                suffix += 1
            taken.add(candidate)
            urls[index] = candidate
            warnings.append(
                f"{ordered[index].source_path}: slug: {url} is also the address of "
                f"{ordered[indices[0]].source_path}; this one is published at {candidate}"
            )
    return urls, frozenset(clashes)


def make_entry(article: Article, url: str, groupings: dict[str, Grouping]) -> Entry:
    """The listing view of an article."""
    category = groupings["category"].of((article.category,))[0]
    return entry_of(
        article,
        url,
        groupings["category"].links[category.slug],
        groupings["author"].links_of(article.authors),
    )


def entry_of(article: Article, url: str, category: Link, authors: tuple[Link, ...]) -> Entry:
    """An article's entry, given where its category and author links point."""
    return Entry(
        title=article.title,
        url=url,
        date=article.date,
        category=category,
        authors=authors,
        excerpt=article.excerpt,
        image_caption=article.image_caption,
    )


def article_pages(layout: Layout) -> list[Page]:
    """Every article's page, each followed by the pages of its earlier versions."""
    pages: list[Page] = []
    for index in range(len(layout.ordered)):
        pages += article_page(layout, index)
    return pages


def article_page(layout: Layout, index: int) -> list[Page]:
    """One article's page, with previous/next in its category and related articles, and
    the pages of its earlier versions."""
    article, entry, url = layout.ordered[index], layout.entries[index], layout.urls[index]
    categories, tags = layout.groupings["category"], layout.groupings["tag"]
    siblings = categories.members[term_slug(article.category)]
    pos = bisect.bisect_left(siblings, index)  # positions ascend: newest first
    entries = layout.entries
    newer = entries[siblings[pos - 1]] if pos > 0 else None
    older = entries[siblings[pos + 1]] if pos + 1 < len(siblings) else None
    related = related_entries(layout, index, siblings, pos)
    revisions = revision_pages(url, article, entry.category)
    page = ArticlePage(
        url=url,
        article=article,
        category=entry.category,
        authors=entry.authors,
        tags=tags.links_of(article.tags),
        previous=older,
        next=newer,
        related=tuple(entries[i] for i in related),
        search_shard=layout.shards[index],
        revision_urls=tuple(page.url for page in revisions),
        original_url=layout.originals[index],
    )
    return [page, *revisions]


def original_urls(ordered: Sequence[Article], urls: Sequence[str]) -> list[str]:
    """For each article, the page of the original it copies (`duplicate_of`), else "".

    A copy of a copy points at the article furthest up the chain that is built (a search
    engine follows one canonical hop); with none built (a draft, an embargo), the copy
    keeps its own page as canonical, in the sitemap and searched, as if it were unmarked.
    """
    url_of = {article.source_path: url for article, url in zip(ordered, urls, strict=True)}
    copies = {a.source_path: a.duplicate_of for a in ordered if a.duplicate_of}
    found = []
    for article in ordered:
        path, seen, furthest = article.source_path, {article.source_path}, ""
        while path in copies and copies[path] not in seen:  # a loop stops where it closes
            path = copies[path]
            seen.add(path)
            furthest = url_of.get(path, furthest)
        found.append(furthest)
    return found


def revision_pages(url: str, article: Article, category: Link) -> list[RevisionPage]:
    """A page per earlier version of the article, at `<its url>revisi/<capture time>/`."""
    addresses = [url + REVISION_PATH.format(stamp=r.stamp) for r in article.revisions]
    return [
        RevisionPage(
            url=address,
            article_url=url,
            article=article,
            number=number,
            category=category,
            next_url=[*addresses, url][number + 1],
        )
        for number, address in enumerate(addresses)
    ]


def related_entries(layout: Layout, index: int, siblings: Sequence[int], pos: int) -> list[int]:
    """Articles sharing the most tags, nearest in time first; then category neighbours.

    Which articles one shows depends only on those within `related_count` places of it
    in each of its tags and within twice that in its category: an article added or edited
    changes the choice of those alone (`changes.py` relies on it).
    """
    limit = layout.config.related_count
    if limit <= 0:
        return []
    chosen = _sharing_most_tags(layout, index, limit)
    for step in range(1, len(siblings)):
        if len(chosen) >= limit:
            break
        for near in (pos - step, pos + step):
            if 0 <= near < len(siblings) and siblings[near] not in chosen and len(chosen) < limit:
                chosen.append(siblings[near])
    return chosen


def _sharing_most_tags(layout: Layout, index: int, limit: int) -> list[int]:
    """Up to `limit` articles sharing tags with article `index`: most shared tags first,
    then nearest in time, then newest.

    Each tag contributes only its articles nearest in time (a bisect in a sorted list),
    so the cost per article stays bounded however large a tag grows. Nearest in time, not
    in place: an article added between two others leaves their choice as it was.
    """
    ordered, members_of = layout.ordered, layout.groupings["tag"].members
    shared: dict[int, int] = {}
    count = shared.get
    for name in ordered[index].tags:
        members = members_of.get(term_slug(name), [])
        # members are positions in newest-first order, so they are sorted ascending
        at = bisect.bisect_left(members, index)
        for other in members[max(0, at - limit) : at + limit + 1]:
            shared[other] = count(other, 0) + 1
    shared.pop(index, None)
    # most shared tags first, then nearest in time, then newest: one int per candidate,
    # which sorts in C (this runs once per article)
    most, width = len(ordered[index].tags), len(ordered).bit_length()
    instant = _instant(ordered[index])
    ranked = [
        ((most - n) << (_TIME_BITS + width))
        | (abs(_instant(ordered[other]) - instant) << width)
        | other
        for other, n in shared.items()
    ]
    ranked.sort()
    mask = (1 << width) - 1
    return [key & mask for key in ranked[:limit]]


_TIME_BITS = 64  # microseconds between two dates: 2**64 of them is 584,000 years


def _instant(article: Article) -> int:
    return (article.date - _EPOCH) // _MICROSECOND
