"""Edits that leave every article where it was: patch the last graph, do not lay it out again.

An edit to a title, a caption or a body changes what pages *show* of an article, never which
pages show it: the site's layout (order, taxonomies, pagination, neighbours, related
articles, shards) depends only on each article's `placement`. When the placement of every
edited article is unchanged, the new graph equals the old one with the edited article's
page and its listing entry swapped in every page that shows it, and its new address (a
title gives the slug) swapped in the sitemap and its redirects: the same value
`build_site_graph` would return, for a cost proportional to the pages touched, not the site.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from archivegen.content.model import Article
from archivegen.graph.articles import entry_of
from archivegen.graph.model import (
    ArticlePage,
    Entry,
    FeedPage,
    ListingPage,
    NewsSitemapPage,
    Page,
    RedirectPage,
    SitemapPage,
)
from archivegen.graph.site import SiteGraph
from archivegen.graph.urls import fill, output_path

Placement = tuple[object, ...]
PLACEMENT_FIELDS = (
    "source path",
    "date",
    "category",
    "authors",
    "tags",
    "updated",
    "aliases",
    "draft",
    "duplicate_of",
)


def placement(article: Article) -> Placement:
    """Everything of an article the layout of the site depends on.

    Order (date, source path), taxonomy pages and their display names (the names as
    written), sitemap dates (updated), redirects (aliases), whether it is shown at all
    (draft; the date decides embargoes) and whether it is a copy (duplicate_of: its
    canonical link, the sitemaps, the search index). Title, slug, excerpt, caption, image
    and body are not here: they change only the pages that show the article, and its
    address.
    """
    return (
        article.source_path,
        article.date,
        article.category,
        article.authors,
        article.tags,
        article.updated,
        article.aliases,
        article.draft,
        article.duplicate_of,
    )


@dataclass(frozen=True, slots=True)
class GraphIndex:
    """Where each article appears in a graph, by its URL. Never changed once made:
    `patch_graph` returns the index of the graph it returns (copies of what moved)."""

    article_page: dict[str, int]  # article URL -> position of its ArticlePage
    source_url: dict[str, str]  # source path -> article URL
    shown_on: dict[str, list[int]]  # article URL -> positions of pages holding its Entry
    entries: dict[str, Entry]  # article URL -> its Entry (one shared value per article)
    redirects: dict[str, list[int]]  # article URL -> positions of redirects to it
    sitemaps: list[int]  # positions of the sitemap pages
    urls: set[str]  # every page's URL
    paths: set[str]  # every page's output file


def index_graph(graph: SiteGraph) -> GraphIndex:
    """One pass over the pages; linear in what they show."""
    index = GraphIndex({}, {}, {}, {}, {}, [], set(), set())
    for position, page in enumerate(graph.pages):
        index.urls.add(page.url)
        index.paths.add(output_path(page.url))
        if isinstance(page, ArticlePage):
            index.article_page[page.url] = position
            index.source_url[page.article.source_path] = page.url
        elif isinstance(page, RedirectPage):
            index.redirects.setdefault(page.target, []).append(position)
        elif isinstance(page, SitemapPage):
            index.sitemaps.append(position)
        for entry in _entries_of(page):
            index.entries[entry.url] = entry
            shown = index.shown_on.setdefault(entry.url, [])
            if not shown or shown[-1] != position:
                shown.append(position)
    return index


def patch_graph(
    graph: SiteGraph,
    index: GraphIndex,
    edits: Sequence[tuple[Article, Article]],
    article_pattern: str,
) -> tuple[SiteGraph, GraphIndex, list[int]] | None:
    """The graph with these (old, new) articles swapped, its index, and the positions of
    changed pages; `graph` and `index` are left as they were.

    None when only a full layout is right (`patch_refusal` says why).
    """
    moves = _address_moves(graph, index, edits, article_pattern)
    if isinstance(moves, str):
        return None
    index = _copied(index)
    pages = list(graph.pages)
    touched: set[int] = set()
    for old, new in edits:
        url = index.source_url[old.source_path]
        moved = moves.get(url, url)
        own = index.article_page.pop(url)
        page = pages[own]
        assert isinstance(page, ArticlePage)
        pages[own] = dataclasses.replace(page, url=moved, article=new)
        index.article_page[moved] = own
        index.source_url[old.source_path] = moved
        touched.add(own)
        entry = index.entries.pop(url, None)
        if entry is not None:
            fresh = index.entries[moved] = entry_of(new, moved, entry.category, entry.authors)
            index.shown_on[moved] = shown = index.shown_on.pop(url)
            for position in shown:
                pages[position] = _swap_entry(pages[position], entry, fresh)
                touched.add(position)
        if moved != url:
            touched.update(_move_address(pages, index, url, moved))
    patched = dataclasses.replace(graph, pages=tuple(pages))
    return patched, index, sorted(touched)


def patch_refusal(
    graph: SiteGraph,
    index: GraphIndex,
    edits: Sequence[tuple[Article, Article]],
    article_pattern: str,
) -> str | None:
    """Why `patch_graph` cannot apply these edits, in words; None when it can."""
    moves = _address_moves(graph, index, edits, article_pattern)
    return moves if isinstance(moves, str) else None


def _address_moves(
    graph: SiteGraph,
    index: GraphIndex,
    edits: Sequence[tuple[Article, Article]],
    article_pattern: str,
) -> dict[str, str] | str:
    """The new address of each article whose slug changed, or why a full layout is needed.

    It is: an edit moves an article (its placement changed) or has revisions, the article
    is not on the site as published, or a new address is taken or an old one had namesakes
    (`-2` suffixes are given out by the full layout).
    """
    moves: dict[str, str] = {}
    for old, new in edits:
        path, url = old.source_path, index.source_url.get(old.source_path)
        if placement(old) != placement(new):
            return f"{path} moves in the site (its {_placement_change(old, new)} changed)"
        if old.revisions or new.revisions:  # their pages compare with its text, come and go
            return f"{path} has earlier versions (their pages are laid out anew)"
        if url is None or url not in index.article_page:
            return f"{path} is not on the site as published"
        if new.slug == old.slug:
            continue
        moved = fill(article_pattern, slug=new.slug, date=new.date)
        if any(isinstance(p, ArticlePage) and p.original_url == url for p in graph.pages):
            return f"{path}: copies name it as their original (duplicate_of)"
        if not _free_address(index, url, moved, article_pattern, old):
            return f"{path}: its new address {moved} is taken, or its old one is numbered"
        if moved in moves.values() or any(w.startswith(f"{url}:") for w in graph.warnings):
            # two edits want one address; a page this URL hid would reappear
            return f"{path}: its old address {url} or its new one {moved} is shared"
        moves[url] = moved
    return moves


def _placement_change(old: Article, new: Article) -> str:
    changed = zip(PLACEMENT_FIELDS, placement(old), placement(new), strict=True)
    return ", ".join(name for name, before, after in changed if before != after)


def _copied(index: GraphIndex) -> GraphIndex:
    """An index to patch: new containers, the same values (a dict copies at ~20 ns an item)."""
    return GraphIndex(
        dict(index.article_page),
        dict(index.source_url),
        dict(index.shown_on),  # a patch moves these lists to a new key, never appends
        dict(index.entries),
        dict(index.redirects),
        index.sitemaps,
        set(index.urls),
        set(index.paths),
    )


def _free_address(index: GraphIndex, url: str, moved: str, pattern: str, old: Article) -> bool:
    """True when an article may leave `url` for `moved` without any `-2` renumbering."""
    if moved in index.urls or output_path(moved) in index.paths:
        return False
    if url != fill(pattern, slug=old.slug, date=old.date):
        return False  # it holds a suffixed address itself
    namesake = re.compile(re.escape(url.rstrip("/")) + r"-\d+/")
    return not any(namesake.fullmatch(other) for other in index.article_page)


def _move_address(pages: list[Page], index: GraphIndex, url: str, moved: str) -> list[int]:
    """Point the sitemap and the redirects at an article's new address."""
    touched = []
    index.urls.discard(url)
    index.urls.add(moved)
    index.paths.discard(output_path(url))
    index.paths.add(output_path(moved))
    for position in index.sitemaps:
        sitemap = pages[position]
        assert isinstance(sitemap, SitemapPage)
        if any(location == url for location, _ in sitemap.locations):
            locations = tuple((moved if u == url else u, d) for u, d in sitemap.locations)
            pages[position] = dataclasses.replace(sitemap, locations=locations)
            touched.append(position)
    redirects = index.redirects.pop(url, [])
    if redirects:
        index.redirects[moved] = redirects
    for position in redirects:
        redirect = pages[position]
        assert isinstance(redirect, RedirectPage)
        pages[position] = dataclasses.replace(redirect, target=moved)
        touched.append(position)
    return touched


def _entries_of(page: Page) -> Sequence[Entry]:
    if isinstance(page, ListingPage | FeedPage | NewsSitemapPage):
        return page.entries
    if isinstance(page, ArticlePage):
        return [e for e in (page.previous, page.next, *page.related) if e is not None]
    return ()


def _swap_entry(page: Page, old: Entry, new: Entry) -> Page:
    def swap(entry: Entry | None) -> Entry | None:
        return new if entry is old else entry

    if isinstance(page, ListingPage | FeedPage | NewsSitemapPage):
        return dataclasses.replace(
            page, entries=tuple(new if e is old else e for e in page.entries)
        )
    if isinstance(page, ArticlePage):
        return dataclasses.replace(
            page,
            previous=swap(page.previous),
            next=swap(page.next),
            related=tuple(new if e is old else e for e in page.related),
        )
    return page
