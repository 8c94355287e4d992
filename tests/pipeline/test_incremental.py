"""Incremental builds: what changed is rendered again, nothing else; a bad cache is ignored."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sitekit import SiteFactory, write_article

from archivegen.build import BuildOptions, build_site
from archivegen.content.loader import load_content, scan_article_files
from archivegen.errors import TemplateError
from archivegen.graph.model import ArticlePage
from archivegen.graph.site import build_site_graph
from archivegen.output.cache import BuildCache, cache_path, state_path
from archivegen.pipeline.load import load_changed
from archivegen.pipeline.render import MIN_CHUNK

NOW = BuildOptions(now=datetime(2024, 1, 1, tzinfo=UTC), workers=1)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def article_count(config) -> int:  # type: ignore[no-untyped-def]
    graph = build_site_graph(load_content(config).articles, config)
    return sum(isinstance(p, ArticlePage) for p in graph.pages)


def test_editing_one_body_renders_only_the_pages_that_show_it(make_site: SiteFactory) -> None:
    config = make_site(fillers=60)
    edited = config.content_path / "filler/artikel-059.md"
    lead = "Paragraf pertama yang cukup panjang untuk menjadi ringkasan sendiri. " * 3
    edited.write_text(edited.read_text().replace("Paragraf pertama", lead + "\n\nLalu"))
    build_site(config, NOW)
    far = config.output_path / "2023/01/01/berita-nomor-0/index.html"
    far_mtime = far.stat().st_mtime_ns
    edited.write_text(edited.read_text().replace("Paragraf kedua.", "Paragraf kedua, diperbaiki."))
    report = build_site(config, NOW)
    assert report.rendered == 1  # the article only: its excerpt, shown elsewhere, is unchanged
    assert (
        "diperbaiki" in (config.output_path / "2023/01/03/berita-nomor-59/index.html").read_text()
    )
    assert far.stat().st_mtime_ns == far_mtime
    assert report.search is not None and not report.search.reused  # its text changed


def test_a_new_title_reaches_listings_feeds_and_neighbours(make_site: SiteFactory) -> None:
    config = make_site(fillers=60)
    first = build_site(config, NOW)
    edited = config.content_path / "filler/artikel-030.md"
    edited.write_text(edited.read_text().replace("title: Berita Nomor 30", "title: Judul Baru"))
    report = build_site(config, NOW)
    assert report.rendered < first.pages // 3
    new_url = "2023/01/02/judul-baru/index.html"
    assert (config.output_path / new_url).is_file()
    # the old URL was published: it now redirects to the new one (recorded in redirects.tsv)
    old = (config.output_path / "2023/01/02/berita-nomor-30/index.html").read_text()
    assert 'content="0; url=/2023/01/02/judul-baru/"' in old or "/2023/01/02/judul-baru/" in old
    assert "Judul Baru" in (config.output_path / "kategori/politik/index.html").read_text()
    assert (
        "Judul Baru" in (config.output_path / "2023/01/02/berita-nomor-27/index.html").read_text()
    )


def test_a_template_change_renders_only_the_pages_using_it(make_site: SiteFactory) -> None:
    config = make_site(fillers=20)
    first = build_site(config, NOW)
    templates = config.root / "templates"
    templates.mkdir()
    theme_article = Path(__file__).resolve().parents[2] / "themes/default/templates/article.html"
    (templates / "article.html").write_text(
        theme_article.read_text().replace("kicker", "kicker x-edited")
    )
    report = build_site(config, NOW)
    assert report.rendered == article_count(config) < first.pages
    assert "x-edited" in (config.output_path / "2023/01/01/berita-nomor-1/index.html").read_text()


def test_a_template_edited_to_include_a_partial_depends_on_it(make_site: SiteFactory) -> None:
    # what each template names is remembered between builds: an edited one is read again
    config = make_site(fillers=20)
    build_site(config, NOW)
    templates = config.root / "templates"
    (templates / "partials").mkdir(parents=True)
    (templates / "partials" / "extra.html").write_text("<p>tambahan satu</p>")
    theme_article = Path(__file__).resolve().parents[2] / "themes/default/templates/article.html"
    (templates / "article.html").write_text(
        theme_article.read_text().replace(
            "{% block main %}", '{% block main %}{% include "partials/extra.html" %}', 1
        )
    )
    build_site(config, NOW)
    page = config.output_path / "2023/01/01/berita-nomor-1/index.html"
    assert "tambahan satu" in page.read_text()
    (templates / "partials" / "extra.html").write_text("<p>tambahan dua</p>")
    report = build_site(config, NOW)
    assert report.rendered == article_count(config)
    assert "tambahan dua" in page.read_text()


def test_a_config_change_renders_everything(make_site: SiteFactory) -> None:
    config = make_site(fillers=10)
    first = build_site(config, NOW)
    site_yaml = config.root / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("Arsip Uji", "Arsip Lain"))
    from archivegen.config import load_config

    report = build_site(load_config(site_yaml), NOW)
    assert report.rendered == first.pages


def test_a_corrupted_cache_is_ignored(make_site: SiteFactory) -> None:
    config = make_site(fillers=10)
    build_site(config, NOW)
    good = tree(config.output_path)
    for path in (
        cache_path(config.root, config.output_path),
        state_path(config.root, config.output_path),
    ):
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    report = build_site(config, NOW)
    assert not report.up_to_date and report.rendered == report.pages
    assert report.written == 0 and tree(config.output_path) == good
    # a torn cache with a good state: an edit makes the cache needed, and it is not trusted
    cache_path(config.root, config.output_path).write_bytes(
        cache_path(config.root, config.output_path).read_bytes()[:100]
    )
    (config.content_path / "filler/artikel-001.md").touch()
    again = build_site(config, NOW)
    assert again.rendered == again.pages and tree(config.output_path) == good


def test_an_output_changed_by_hand_is_repaired_by_the_next_real_build(
    make_site: SiteFactory,
) -> None:
    config = make_site(fillers=5)
    build_site(config, NOW)
    (config.output_path / "index.html").unlink()
    (config.output_path / "feed.xml").write_text("edited by hand")
    # builds trust the output folder's manifest (statting every file would cost more than
    # a one-article rebuild); --clean repairs it, as does any change to the page itself
    assert build_site(config, NOW).up_to_date
    report = build_site(config, dataclasses.replace(NOW, clean=True))
    assert not report.up_to_date
    assert (config.output_path / "index.html").is_file()
    assert "edited by hand" not in (config.output_path / "feed.xml").read_text()


def test_an_embargo_lifts_without_any_edit(make_site: SiteFactory) -> None:
    config = make_site()
    write_article(config.content_path, "e.md", title="Embargo", date="2024-06-01T00:00:00+07:00", category="A")  # fmt: skip
    assert build_site(config, NOW).skipped_future == 1
    assert build_site(config, NOW).up_to_date
    later = dataclasses.replace(NOW, now=datetime(2024, 7, 1, tzinfo=UTC))
    report = build_site(config, later)
    assert not report.up_to_date and report.skipped_future == 0
    assert (config.output_path / "2024/06/01/embargo/index.html").is_file()


def test_parallel_and_serial_builds_write_the_same_bytes(
    make_site: SiteFactory, tmp_path: Path
) -> None:
    config = make_site(fillers=120, search="false")
    serial = dataclasses.replace(config, output_dir=str(tmp_path / "serial"))
    parallel = dataclasses.replace(config, output_dir=str(tmp_path / "parallel"))
    build_site(serial, dataclasses.replace(NOW, workers=1, clean=True))
    report = build_site(parallel, dataclasses.replace(NOW, workers=2, clean=True))
    assert report.rendered > 150  # enough pages for two chunks of work
    assert tree(tmp_path / "serial") == tree(tmp_path / "parallel")


def test_indexing_during_or_after_the_listings_gives_the_same_site(
    make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    import archivegen.pipeline.full

    config = make_site(fillers=30)
    build_site(config, NOW)  # few listings: Pagefind indexes while they render
    overlapped = tree(config.output_path)
    monkeypatch.setattr(archivegen.pipeline.full, "OVERLAP_LISTINGS", 0)  # as for a large archive
    report = build_site(config, dataclasses.replace(NOW, clean=True))
    assert report.search is not None and report.search.rebuilt_shards == report.search.shards
    after = tree(config.output_path)

    # the pages are the same bytes; Pagefind's bundles are not promised to repeat
    def pages(t: dict[str, bytes]) -> dict[str, bytes]:
        return {k: v for k, v in t.items() if not k.startswith(("pagefind/", "."))}

    assert pages(overlapped) == pages(after)

    def shards(t: dict[str, bytes]) -> set[str]:
        return {k.split("/")[1] for k in t if k.startswith("pagefind/") and k.count("/") > 1}

    assert shards(overlapped) == shards(after) and len(shards(after)) == report.search.shards


def test_bodies_rendered_while_loading_make_the_same_site(
    make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a build renders the bodies of the files it parses when they fit BODY_BUDGET, else
    # each article page's worker renders its body: both must write the same bytes
    def pages() -> dict[str, bytes]:  # Pagefind's bundle (and so the manifest) may vary
        return {k: v for k, v in tree(config.output_path).items() if k.endswith(".html")}

    config = make_site(fillers=30)
    build_site(config, NOW)
    with_bodies = pages()
    monkeypatch.setattr("archivegen.pipeline.load.BODY_BUDGET", 0)
    report = build_site(config, dataclasses.replace(NOW, clean=True))
    assert report.rendered == report.pages and len(with_bodies) > 50
    assert pages() == with_bodies


def test_the_build_cache_holds_no_body(make_site: SiteFactory) -> None:
    config = make_site(fillers=5)
    files = scan_article_files(config.content_path)
    content, entries = load_changed(files, config, BuildCache(), 1, lambda _: None)
    assert all(article.body_html for article in content.articles)
    assert entries and all(
        outcome.article is not None and not outcome.article.body_html
        for _, outcome in entries.values()
    )
    assert {o.article.excerpt for _, o in entries.values() if o.article} == {
        a.excerpt for a in content.articles
    }


@pytest.mark.parametrize("pagination", ["newest_first", "stable"])
def test_a_parallel_incremental_build_writes_what_a_clean_build_writes(
    make_site: SiteFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pagination: str
) -> None:
    # an added article: planned here, its page rendered here too and indexed while
    # forked workers render the shifted listings (newest_first: every page of a listing
    # shifts); numbered from the oldest, few listing pages change: no worker is forked
    import archivegen.pipeline.workers as workers

    forks = []
    fork_pool = workers._fork_pool
    monkeypatch.setattr(workers, "_fork_pool", lambda n: forks.append(n) or fork_pool(n))
    config = make_site(fillers=400, pagination=pagination)
    parallel = dataclasses.replace(NOW, workers=2)
    build_site(config, parallel)
    before = tree(config.output_path)
    write_article(
        config.content_path,
        "baru/terbaru.md",
        title="Berita Terbaru",
        date="2024-01-01T06:00:00+07:00",
        author="Budi Santoso",
        category="Politik",
        tags=["topik-1"],
    )
    forks.clear()
    report = build_site(config, parallel)
    if pagination == "newest_first":
        assert forks == [2] and 50 < report.rendered < report.pages // 2
    else:
        assert forks == [] and report.rendered < 2 * MIN_CHUNK  # too few to fork for
        after = tree(config.output_path)
        full = [f"halaman/{n}/index.html" for n in range(1, 21)]  # 20 full pages, then 21
        assert all(after[page] == before[page] for page in full)
        assert after["halaman/21/index.html"] != before["halaman/21/index.html"]
    clean = dataclasses.replace(config, output_dir=str(tmp_path / "clean"))
    build_site(clean, dataclasses.replace(NOW, workers=1, clean=True))
    html = {k: v for k, v in tree(config.output_path).items() if k.endswith((".html", ".xml"))}
    assert html == {
        k: v for k, v in tree(tmp_path / "clean").items() if k.endswith((".html", ".xml"))
    }
    # the new year's shard, and that of the article whose `next` link now points to it
    assert report.search is not None and report.search.rebuilt_shards == 2


def test_a_template_error_in_a_worker_fails_the_build_and_keeps_the_site(
    make_site: SiteFactory,
) -> None:
    config = make_site(fillers=200, search="false")
    parallel = dataclasses.replace(NOW, workers=2)
    build_site(config, parallel)
    before = tree(config.output_path)
    templates = config.root / "templates"
    templates.mkdir()
    theme_list = Path(__file__).resolve().parents[2] / "themes/default/templates/list.html"
    (templates / "list.html").write_text(
        theme_list.read_text().replace("{{ heading }}", "{{ heading.missing.attribute }}", 1)
    )
    with pytest.raises(TemplateError) as failed:
        build_site(config, parallel)
    assert "list.html" in str(failed.value)
    assert tree(config.output_path) == before


def test_a_template_error_in_the_build_process_stops_the_workers_and_keeps_the_site(
    make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an added article is rendered by the build process while forked workers render the
    # shifted listings: its error must fail the build, stop them and leave the site as it was
    import archivegen.pipeline.workers as workers

    forks = []
    fork_pool = workers._fork_pool
    monkeypatch.setattr(workers, "_fork_pool", lambda n: forks.append(n) or fork_pool(n))
    config = make_site(fillers=1100, search="false")
    templates = config.root / "templates"
    templates.mkdir()
    theme_article = Path(__file__).resolve().parents[2] / "themes/default/templates/article.html"
    (templates / "article.html").write_text(
        theme_article.read_text().replace(
            "{% block main %}",
            '{% block main %}{% if page.article.title == "Rusak" %}{{ page.x.y }}{% endif %}',
            1,
        )
    )
    parallel = dataclasses.replace(NOW, workers=2)
    build_site(config, parallel)
    before = tree(config.output_path)
    write_article(
        config.content_path,
        "baru/rusak.md",
        title="Rusak",
        date="2024-01-01T06:00:00+07:00",
        author="Budi Santoso",
        category="Politik",
    )
    forks.clear()
    with pytest.raises(TemplateError) as failed:
        build_site(config, parallel)
    assert forks == [2]  # the listings went to the workers
    assert "article.html" in str(failed.value)
    assert tree(config.output_path) == before
    assert not list(config.output_path.parent.glob(".*staging*"))  # nothing left behind
