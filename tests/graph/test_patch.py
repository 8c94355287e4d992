"""Patching the last graph after an edit that leaves every article in place: the result is
the graph a fresh layout gives, and an edit that moves an article is refused."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from sitekit import SiteFactory

from archivegen.content.loader import load_content
from archivegen.content.model import Article
from archivegen.graph.patch import index_graph, patch_graph
from archivegen.graph.site import build_site_graph


def edit(article: Article, **changes: object) -> Article:
    return dataclasses.replace(article, **changes)  # type: ignore[arg-type]


def by_path(articles: tuple[Article, ...], name: str) -> Article:
    return next(a for a in articles if a.source_path.endswith(name))


def test_a_patched_graph_equals_a_fresh_layout(make_site: SiteFactory) -> None:
    config = make_site(fillers=45, related_count=3, page_size=5)
    articles = load_content(config).articles
    graph = build_site_graph(articles, config)
    index = index_graph(graph)
    a, b = by_path(articles, "artikel-007.md"), by_path(articles, "artikel-044.md")
    edits = [
        (a, edit(a, title="Judul Yang Diperbaiki", slug="judul-yang-diperbaiki", excerpt="Baru.")),
        (b, edit(b, image_caption="Foto baru", content_hash="other")),
    ]
    patched = patch_graph(graph, index, edits, config.permalinks.article)
    assert patched is not None
    replaced = {old.source_path: new for old, new in edits}
    new_articles = [replaced.get(x.source_path, x) for x in articles]
    assert patched[0] == build_site_graph(new_articles, config)
    assert len(patched[2]) < len(graph.pages) // 4  # only the pages that show them
    assert index == index_graph(graph)  # the old index is left as it was
    assert patched[1] == index_graph(patched[0])  # the new one is the patched graph's
    # so a second edit of the moved article patches again
    c = by_path(tuple(new_articles), "artikel-007.md")
    again = patch_graph(
        patched[0], patched[1], [(c, edit(c, title="Lagi"))], config.permalinks.article
    )
    assert again is not None
    final = [edit(x, title="Lagi") if x is c else x for x in new_articles]
    assert again[0] == build_site_graph(final, config)


@pytest.mark.parametrize(
    "change",
    [
        {"category": "Olahraga"},
        {"date": datetime(2020, 5, 5, tzinfo=UTC)},
        {"tags": ("baru",)},
        {"draft": True},
        {"slug": "berita-nomor-8"},  # another article's address: the layout numbers them
    ],
)
def test_an_edit_that_moves_an_article_is_not_patched(
    make_site: SiteFactory, change: dict[str, object]
) -> None:
    config = make_site(fillers=12)
    articles = load_content(config).articles
    graph = build_site_graph(articles, config)
    a = by_path(articles, "artikel-007.md")
    moved = edit(a, **change)
    assert patch_graph(graph, index_graph(graph), [(a, moved)], config.permalinks.article) is None
