"""Articles -> the site graph: every page of the site, as values, with its URL.

`build_site_graph` assembles the site from the modules that lay out each kind of page:
`articles` (order, URLs, article pages, redirects), `listings` (home, taxonomies, date
archives), `shards` (search), `feeds` (Atom feeds and sitemaps). Pure: no files, no clock.
Each step is linear (or N log N) in the number of articles, so the cost per page stays
flat as an archive grows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from archivegen.config import SiteConfig
from archivegen.content.model import Article
from archivegen.graph.articles import article_pages
from archivegen.graph.feeds import feed_pages, news_sitemap_page, sitemap_pages
from archivegen.graph.layout import Layout, lay_out
from archivegen.graph.listings import listing_pages
from archivegen.graph.model import Link, NotFoundPage, Page, RobotsPage, SiteInfo
from archivegen.graph.redirects import alias_rules, redirect_map_pages, redirect_pages
from archivegen.graph.shards import search_page
from archivegen.graph.taxonomy import Grouping
from archivegen.graph.urls import output_path

NAV_SIZE = 8


@dataclass(frozen=True, slots=True)
class SiteGraph:
    """The whole site as values: shared site info, every page, and what looked wrong."""

    site: SiteInfo
    pages: tuple[Page, ...]
    warnings: tuple[str, ...]


def build_site_graph(articles: Sequence[Article], config: SiteConfig) -> SiteGraph:
    """Lay out the whole site for these (already selected) articles."""
    return graph_of(lay_out(articles, config))


def graph_of(layout: Layout) -> SiteGraph:
    """Every page of a laid-out site."""
    config, warnings = layout.config, list(layout.warnings)
    pages: list[Page] = []
    pages += article_pages(layout)
    pages += listing_pages(layout)
    pages += feed_pages(layout)
    if config.search:
        pages.append(search_page(layout.shards, config.permalinks.search))
    pages.append(NotFoundPage())
    # the maps come before the meta-refresh pages, so an alias never hides a map either
    rules = alias_rules(layout.ordered, layout.urls, (page.url for page in pages), warnings)
    pages += redirect_map_pages(rules)
    pages += redirect_pages(rules)
    pages = drop_url_clashes(pages, warnings)
    kept = {page.url for page in pages}
    pages += sitemap_pages(layout, kept.__contains__)
    pages += machine_pages(layout)
    site = make_site_info(config, layout.groupings["category"])
    return SiteGraph(site=site, pages=tuple(pages), warnings=tuple(warnings))


def machine_pages(layout: Layout) -> list[Page]:
    """The news sitemap (when there are articles) and robots.txt, which names it."""
    originals, entries = layout.originals, layout.entries
    news = news_sitemap_page(
        (entries[i] for i in range(len(entries)) if not originals[i]), layout.config
    )
    return [*([news] if news else []), RobotsPage(news_sitemap_url=news.url if news else None)]


def make_site_info(config: SiteConfig, categories: Grouping) -> SiteInfo:
    """Site-wide values every template receives; the navigation is the biggest categories
    (none when the category pages are not built)."""
    links = config.permalinks
    built = [t for t in categories.terms.values() if t.url]
    nav = sorted(built, key=lambda t: (-t.count, t.name))[:NAV_SIZE]
    return SiteInfo(
        title=config.title,
        description=config.description,
        base_url=config.site_url,
        language=config.language,
        nav=tuple(Link(t.name, t.url) for t in nav),
        home_url="/",
        # "" for a taxonomy whose pages are not built: the templates then link none of them
        categories_url=links.categories if "category" in config.taxonomies else "",
        authors_url=links.authors if "author" in config.taxonomies else "",
        tags_url=links.tags if "tag" in config.taxonomies else "",
        archive_url=links.archive,
        search_url=links.search,
        feed_url="/feed.xml",
        taxonomies=config.taxonomies,
        params=dict(config.params),
        search=config.search,
        logo=config.logo,
        license=config.license,
    )


def drop_url_clashes(pages: list[Page], warnings: list[str]) -> list[Page]:
    """Keep the first page claiming each output file; later claimants are warned about.

    Real pages come before redirects in `pages`, so an alias never hides an article.
    """
    seen: dict[str, str] = {}
    kept: list[Page] = []
    for page in pages:
        path = output_path(page.url)
        if path in seen:
            warnings.append(f"{page.url}: also claimed by an earlier page ({seen[path]}); skipped")
            continue
        seen[path] = page.url
        kept.append(page)
    return kept
