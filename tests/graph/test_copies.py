"""`duplicate_of:` in the graph: which page a copy names as canonical, and the sitemaps and
search it is kept out of."""

from __future__ import annotations

from sitekit import SiteFactory, pages_of, write_article

from archivegen.content.loader import load_content
from archivegen.graph.model import ArticlePage, NewsSitemapPage, SitemapPage
from archivegen.graph.site import SiteGraph, build_site_graph

ORIGINAL, COPY, COPY_OF_COPY = "/2024/03/01/asli/", "/2024/03/02/salinan/", "/2024/03/03/lagi/"


def chain_site(
    make_site: SiteFactory, original_draft: bool = False
) -> tuple[dict[str, ArticlePage], SiteGraph]:
    """An original, a copy of it and a copy of the copy: their article pages by URL, and the
    graph of the published ones (a build leaves drafts out before the graph)."""
    config = make_site(seed=False)
    content = config.content_path
    write_article(
        content, "asli.md", title="Asli", date="2024-03-01", category="Kota", draft=original_draft
    )
    write_article(
        content, "b/salinan.md", title="Salinan", date="2024-03-02", category="Kota",
        duplicate_of="asli.md",
    )  # fmt: skip
    write_article(
        content, "c/lagi.md", title="Lagi", date="2024-03-03", category="Kota",
        duplicate_of="b/salinan.md",
    )  # fmt: skip
    graph = build_site_graph([a for a in load_content(config).articles if not a.draft], config)
    return {page.url: page for page in pages_of(graph.pages, ArticlePage)}, graph


def sitemapped(graph: SiteGraph) -> dict[str, str]:
    """Each URL the sitemaps list: the sitemap that lists it (the index lists sitemaps only)."""
    index, *parts = pages_of(graph.pages, SitemapPage)
    assert index.is_index and {url for url, _ in index.locations} == {p.url for p in parts}
    return {url: part.url for part in parts for url, _ in part.locations}


def test_a_copy_of_a_copy_names_the_first_original(make_site: SiteFactory) -> None:
    pages, graph = chain_site(make_site)
    assert pages[ORIGINAL].original_url == ""
    assert pages[COPY].original_url == ORIGINAL
    assert pages[COPY_OF_COPY].original_url == ORIGINAL
    listed = sitemapped(graph)
    assert listed[ORIGINAL] == "/sitemaps/2024-03.xml"  # the month's sitemap
    assert not {COPY, COPY_OF_COPY} & listed.keys()
    [news] = pages_of(graph.pages, NewsSitemapPage)
    assert [e.url for e in news.entries] == [ORIGINAL]


def test_a_copy_whose_original_is_not_built_stands_alone(make_site: SiteFactory) -> None:
    pages, graph = chain_site(make_site, original_draft=True)
    assert ORIGINAL not in pages
    assert pages[COPY].original_url == ""  # its original is a draft: as if unmarked
    assert pages[COPY_OF_COPY].original_url == COPY
    listed = sitemapped(graph)
    assert listed[COPY] == "/sitemaps/2024-03.xml"
    assert COPY_OF_COPY not in listed
