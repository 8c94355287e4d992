"""Bodies are rendered by the worker that writes the page, from the file the site was built from."""

from __future__ import annotations

import pytest
from sitekit import SiteFactory

from archivegen.content.loader import load_content
from archivegen.errors import ContentError
from archivegen.graph.model import ArticlePage
from archivegen.graph.site import build_site_graph
from archivegen.pipeline.load import _load_chunk
from archivegen.pipeline.render import with_body


def seed_page(config) -> ArticlePage:  # type: ignore[no-untyped-def]
    paths = [config.content_path / "dunia" / "seed.md"]
    articles = [loaded.article for loaded in _load_chunk(config, paths)]
    assert articles[0] is not None and articles[0].body_html == ""  # loading keeps no body
    graph = build_site_graph(articles, config)  # type: ignore[arg-type]
    return next(p for p in graph.pages if isinstance(p, ArticlePage))


def test_the_body_is_rendered_from_the_file(make_site: SiteFactory) -> None:
    config = make_site()
    page = with_body(seed_page(config), config.content_path / "dunia" / "seed.md", config)
    assert page.article.body_html.count("<p>") == 7
    (full,) = load_content(config).articles
    assert page.article.body_html == full.body_html


def test_a_file_changed_mid_build_is_an_error_not_a_mixed_site(make_site: SiteFactory) -> None:
    config = make_site()
    page = seed_page(config)
    seed = config.content_path / "dunia" / "seed.md"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nParagraf baru.\n", encoding="utf-8")
    with pytest.raises(ContentError, match="changed while the site was being built"):
        with_body(page, seed, config)
