"""Assembling the site: one page per output file (the first claimant keeps it, an alias never
hides an article), and the site info every page receives, its navigation the biggest
categories."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest
from sitekit import SiteFactory, pages_of, site_graph, write_article

from archivegen.content.loader import load_content
from archivegen.graph.model import (
    ArticlePage,
    FeedPage,
    Link,
    ListingPage,
    NotFoundPage,
    RedirectPage,
    SearchPage,
    TermIndexPage,
)
from archivegen.graph.site import NAV_SIZE, SiteGraph, build_site_graph, drop_url_clashes
from archivegen.graph.urls import output_path

# fillers 1 and 2 (Ekonomi, Olahraga), the Politik listing and a free address
FILLER_1, FILLER_2 = "/2023/01/01/berita-nomor-1/", "/2023/01/01/berita-nomor-2/"


def shared_files(graph: SiteGraph) -> list[str]:
    """The output files that more than one page of the graph claims."""
    claims = Counter(output_path(page.url) for page in graph.pages)
    return [path for path, count in claims.items() if count > 1]


def aliased_site(make_site: SiteFactory, *aliases: str) -> SiteGraph:
    """Three fillers and an article (at /2023/02/01/pindah/) with these aliases."""
    config = make_site(fillers=3, seed=False)
    write_article(
        config.content_path, "x/pindah.md", title="Pindah", date="2023-02-01T09:00:00+07:00",
        category="Dunia", aliases=list(aliases),
    )  # fmt: skip
    return site_graph(config)


def test_the_first_page_to_claim_an_output_file_keeps_it_and_the_others_are_warned() -> None:
    pages = [
        RedirectPage("/a/", "/1/"),
        RedirectPage("/b.html", "/2/"),
        RedirectPage("/a/", "/3/"),
        NotFoundPage("/index.html"),
        RedirectPage("/", "/4/"),  # another spelling of index.html
    ]
    warnings = ["an earlier warning"]
    kept = drop_url_clashes(list(pages), warnings)
    assert kept == [pages[0], pages[1], pages[3]] and kept[0] is pages[0]
    assert warnings == [
        "an earlier warning",
        "/a/: also claimed by an earlier page (/a/); skipped",
        "/: also claimed by an earlier page (/index.html); skipped",
    ]


def test_an_alias_never_hides_an_article_or_a_listing(make_site: SiteFactory) -> None:
    graph = aliased_site(make_site, FILLER_1, "/kategori/politik/", "/lama/pindah/")
    at = {page.url: page for page in graph.pages}
    assert isinstance(at[FILLER_1], ArticlePage) and at[FILLER_1].url == FILLER_1
    assert isinstance(at["/kategori/politik/"], ListingPage)
    assert at["/lama/pindah/"] == RedirectPage("/lama/pindah/", "/2023/02/01/pindah/")
    skipped = [w for w in graph.warnings if "also claimed" in w]
    assert [w.split(":")[0] for w in skipped] == [FILLER_1, "/kategori/politik/"]
    assert shared_files(graph) == []


@pytest.mark.parametrize("alias, kind", [("/cari/", SearchPage), ("/404.html", NotFoundPage)])
def test_an_alias_never_hides_the_search_or_404_page(
    make_site: SiteFactory, alias: str, kind: type
) -> None:
    graph = aliased_site(make_site, alias)
    assert [type(p).__name__ for p in graph.pages if p.url == alias] == [kind.__name__]


@pytest.mark.parametrize("alias", ["/sitemap.xml", "/robots.txt", "/news-sitemap.xml"])
def test_no_two_pages_claim_one_output_file_whatever_the_aliases(
    make_site: SiteFactory, alias: str
) -> None:
    # front matter cannot give such an alias (the loader refuses it); a recorded old
    # address joins the aliases after loading, so the graph must hold its own line
    config = make_site(fillers=3, seed=False)
    articles = [replace(a, aliases=(alias,)) for a in load_content(config).articles]
    assert shared_files(build_site_graph(articles, config)) == []


def test_the_navigation_is_the_biggest_categories_ties_by_name(make_site: SiteFactory) -> None:
    config = make_site(seed=False)
    sizes = {"Zeta": 3, "Alfa": 3, "Beta": 1, "Gamma": 2, "Delta": 2, "Epsilon": 1, "Eta": 1}
    sizes |= {"Theta": 1, "Iota": 1, "Kappa": 4}
    for name, size in sizes.items():
        for i in range(size):
            write_article(
                config.content_path, f"{name}/{i}.md", title=f"{name} {i}", slug=f"{name.lower()}-{i}",
                date=f"2023-01-{i + 1:02d}T08:00:00+07:00", category=name,
            )  # fmt: skip
    graph = site_graph(config)
    assert NAV_SIZE == 8
    assert [link.name for link in graph.site.nav] == [
        "Kappa", "Alfa", "Zeta", "Delta", "Gamma", "Beta", "Epsilon", "Eta",
    ]  # fmt: skip
    (index,) = [p for p in pages_of(graph.pages, TermIndexPage) if p.kind == "category"]
    links = {t.name: Link(t.name, t.url) for t in index.terms}
    assert graph.site.nav == tuple(links[link.name] for link in graph.site.nav)


def test_the_site_info_comes_from_the_config(make_site: SiteFactory) -> None:
    config = make_site(
        fillers=1, search="false", description="Arsip berita lama", language="en",
        params="{footer: Redaksi}", permalinks="{categories: /rubrik/, archive: /kalender/}",
    )  # fmt: skip
    graph = site_graph(config)
    info = graph.site
    assert (info.title, info.description, info.language) == ("Arsip Uji", "Arsip berita lama", "en")
    assert info.base_url == "https://arsip.example"  # joined with site paths
    assert info.absolute("/feed.xml") == "https://arsip.example/feed.xml"
    assert (info.categories_url, info.archive_url, info.search_url) == (
        "/rubrik/",
        "/kalender/",
        "/cari/",
    )
    assert info.taxonomies == ("category", "author", "tag")
    assert info.params == {"footer": "Redaksi"} and info.params is not config.params
    assert info.search is False and not pages_of(graph.pages, SearchPage)


@pytest.mark.parametrize("taxonomies", ["[author, tag]", "[category]", "[]"])
def test_every_link_of_the_site_info_and_the_feeds_points_at_a_page(
    make_site: SiteFactory, taxonomies: str
) -> None:
    graph = site_graph(make_site(fillers=3, taxonomies=taxonomies))
    urls = {page.url for page in graph.pages}
    built = set(taxonomies.strip("[]").replace(" ", "").split(",")) - {""}
    assert bool(graph.site.nav) == ("category" in built)  # the sections are category pages
    assert {link.url for link in graph.site.nav} <= urls
    feeds = pages_of(graph.pages, FeedPage)
    assert {feed.alternate_url for feed in feeds} <= urls
    assert len(feeds) > 1 or "category" not in built  # a feed per category page
    for page in pages_of(graph.pages, ArticlePage):
        links = {"category": [page.category], "author": page.authors, "tag": page.tags}
        for kind, named in links.items():
            for link in named:
                # a name links its page when the site builds it, else it is a name alone
                assert (link.url in urls) if kind in built else link.url == "", (kind, link)
