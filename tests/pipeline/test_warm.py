"""A Builder kept between builds (the preview): edits patch the last graph, and the site it
writes is byte for byte the site a fresh build writes from the same files."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sitekit import SiteFactory, write_article

from archivegen.build import Builder, BuildMode, BuildOptions, build_site
from archivegen.config import SiteConfig
from archivegen.content.model import Article
from archivegen.errors import ArchivegenError
from archivegen.graph.model import ArticlePage
from archivegen.pipeline.decide import RebuildKind

NOW = BuildOptions(now=datetime(2024, 1, 1, tzinfo=UTC), workers=1)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file but the search bundles, whose bytes Pagefind does not promise to repeat
    (they are checked in a browser by the search tests) and the manifest that hashes them."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and not p.relative_to(folder).as_posix().startswith(("pagefind/", "."))
    }


def edit(article: Article, **changes: object) -> Article:
    return dataclasses.replace(article, **changes)  # type: ignore[arg-type]


def by_path(articles: tuple[Article, ...], name: str) -> Article:
    return next(a for a in articles if a.source_path.endswith(name))


def fresh_copy(config: SiteConfig) -> dict[str, bytes]:
    """What a fresh build (no cache, clean output) writes from the same files."""
    clean = build_site(config, dataclasses.replace(NOW, clean=True))
    assert not clean.up_to_date
    return tree(config.output_path)


def test_a_warm_edit_writes_what_a_fresh_build_writes(make_site: SiteFactory) -> None:
    config = make_site(fillers=40)
    builder = Builder(config, NOW)
    first = builder.build()
    edited = config.content_path / "filler/artikel-020.md"
    edited.write_text(
        edited.read_text()
        # a new title that keeps its slug: a moving edit takes the full build (test_moves)
        .replace("title: Berita Nomor 20", "title: Judul Baru Sekali\nslug: berita-nomor-20")
        .replace("Paragraf kedua.", "Paragraf kedua, diperbaiki.")
    )
    report = builder.build(changed={str(edited)})
    assert report.rebuild.kind is RebuildKind.PATCH
    assert str(report.rebuild) == f"patch: edited {edited}"
    assert 0 < report.rendered < first.pages // 3
    assert report.search is not None and report.search.rebuilt_shards == 1
    patched = tree(config.output_path)
    assert "Judul Baru Sekali" in patched["kategori/olahraga/index.html"].decode()
    builder.save()
    assert build_site(config, NOW).up_to_date  # the saved cache vouches for the patched site
    assert patched == fresh_copy(config)


def test_new_and_deleted_articles_take_the_full_build(make_site: SiteFactory) -> None:
    config = make_site(fillers=10)
    builder = Builder(config, NOW)
    builder.build()
    new = write_article(
        config.content_path, "baru.md", title="Artikel Baru", date="2023-06-01T10:00:00+07:00",
        category="Politik", author="Budi Santoso",
    )  # fmt: skip
    report = builder.build(changed={str(new)})
    # not patched (a new article moves others): the pages that show it are made anew
    assert report.rebuild.kind is RebuildKind.CHANGES
    assert report.rebuild.reason == "1 added, 0 edited (content/baru.md)"
    assert report.articles == 12
    gone = config.content_path / "filler/artikel-003.md"
    gone.unlink()
    assert builder.build(changed={str(gone)}).articles == 11
    warm = tree(config.output_path)
    assert warm == fresh_copy(config)


def test_a_broken_edit_raises_and_its_fix_patches_again(make_site: SiteFactory) -> None:
    config = make_site(fillers=10)
    builder = Builder(config, NOW)
    builder.build()
    before = tree(config.output_path)
    edited = config.content_path / "filler/artikel-004.md"
    good = edited.read_text()
    edited.write_text(good.replace("date: ", "date: kemarin "))
    with pytest.raises(ArchivegenError) as caught:
        builder.build(changed={str(edited)})
    assert "artikel-004.md" in str(caught.value.path)
    assert tree(config.output_path) == before  # the last good site stays
    edited.write_text(good.replace("Paragraf kedua.", "Paragraf kedua, lagi."))
    report = builder.build(changed={str(edited)})
    assert report.rendered >= 1
    assert "lagi" in (config.output_path / "2023/01/01/berita-nomor-4/index.html").read_text()


def preview_then_edit(config: SiteConfig, name: str) -> tuple[Builder, Path]:
    """A preview's Builder after its first build, and an article edited since."""
    builder = Builder(config, NOW, BuildMode.PREVIEW)
    builder.build()
    assert builder.catch_up_search() is None  # a full build indexes as it goes
    edited = config.content_path / name
    edited.write_text(edited.read_text().replace("Paragraf kedua.", "Paragraf kedua, baru."))
    return builder, edited


def test_the_preview_commits_pages_first_and_the_search_index_after(
    make_site: SiteFactory,
) -> None:
    config = make_site(fillers=20)
    builder, edited = preview_then_edit(config, "filler/artikel-010.md")
    report = builder.build(changed={str(edited)})
    assert report.search is None and builder.state is not None and builder.state.search_pending
    assert "baru" in (config.output_path / "2023/01/01/berita-nomor-10/index.html").read_text()
    searched = builder.catch_up_search()
    assert searched is not None and searched.rebuilt_shards == 1
    assert builder.catch_up_search() is None  # nothing waits any more
    builder.save()
    assert build_site(config, NOW).up_to_date  # the saved state vouches for pages and index


def test_a_cache_saved_while_the_index_lags_does_not_claim_up_to_date(
    make_site: SiteFactory,
) -> None:
    config = make_site(fillers=8)
    builder, edited = preview_then_edit(config, "filler/artikel-005.md")
    builder.build(changed={str(edited)})
    builder.save()  # before the search caught up: the preview was stopped, or another edit came
    report = build_site(config, NOW)
    assert not report.up_to_date
    assert report.search is not None and report.search.rebuilt_shards == 1


def test_a_full_rebuild_in_a_session_frees_the_state_it_replaces(
    make_site: SiteFactory,
) -> None:
    import weakref

    config = make_site(fillers=5)
    builder = Builder(config, NOW, BuildMode.PREVIEW)
    builder.build()
    assert builder.state is not None
    old_environment = weakref.ref(builder.state.renderer.env)  # templates and it: a cycle
    (config.root / "templates").mkdir()
    (config.root / "templates" / "404.html").write_text("<p>Tidak ada.</p>\n")
    report = builder.build(changed={str(config.root / "templates" / "404.html")})
    assert str(report.rebuild) == "full build: theme changed (templates/404.html)"
    assert old_environment() is None  # collected, not frozen for the rest of the session


def test_a_preview_keeps_no_article_body_in_its_graph(make_site: SiteFactory) -> None:
    # a one-shot build renders the bodies it loads (they are written at once); a preview
    # keeps its graph for the whole session, so it holds excerpts only
    config = make_site(fillers=5)
    for mode, kept in ((BuildMode.PREVIEW, False), (BuildMode.ONCE, True)):
        builder = Builder(config, dataclasses.replace(NOW, clean=True), mode)
        builder.build()
        assert builder.state is not None
        articles = [p.article for p in builder.state.graph.pages if isinstance(p, ArticlePage)]
        assert articles and all(bool(a.body_html) is kept for a in articles)
