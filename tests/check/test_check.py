"""`archivegen check` over built sites: a good one passes, each kind of breakage is reported
with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sitekit import SiteFactory

from archivegen.build import build_site
from archivegen.check import CheckReport, check_site
from archivegen.cli import main
from archivegen.config import SiteConfig
from archivegen.errors import OutputError

BASE = "https://arsip.example/"

BROKEN_PAGE = """<!doctype html>
<html lang="id"><head>
<meta charset="utf-8">
</head><body>
<a href="/tidak-ada/">hilang</a>
<a href="/#tidak-ada">jangkar</a>
<img src="gambar.png" srcset="kecil.png 1x, /static/style.css 2x" alt="">
<a href="#main">di sini</a> <a href="#top">atas</a> <a href="#">kosong</a>
<a href="mailto:redaksi@arsip.example">surat</a> <a href="https://luar.example/mati">luar</a>
<a href="../index.html">beranda</a> <a href="/kategori">tanpa garis miring</a>
<a href="https://arsip.example/tidak-ada-juga/">mutlak</a>
</body></html>
"""


@pytest.fixture
def built(make_site: SiteFactory) -> SiteConfig:
    config = make_site(fillers=4, search="false")
    build_site(config)
    return config


def messages(report: CheckReport) -> list[str]:
    return [str(p) for p in report.problems]


def test_a_built_site_passes(built: SiteConfig) -> None:
    report = check_site(built.output_path, built.base_url)
    assert report.problems == ()
    assert report.pages > 10 and report.links > 100 and report.feeds >= 3  # feeds + sitemap
    assert report.summary().startswith(f"Checked {report.pages} pages")


@pytest.mark.parametrize("taxonomies", ["[author, tag]", "[category]", "[]"])
def test_a_site_without_some_taxonomy_pages_links_none_of_them(
    make_site: SiteFactory, taxonomies: str
) -> None:
    # the names of categories, authors or tags whose pages are not built are shown unlinked
    config = make_site(fillers=4, search="false", taxonomies=taxonomies)
    build_site(config)
    report = check_site(config.output_path, config.base_url)
    assert report.problems == ()
    article = next(config.output_path.glob("2023/*/*/berita-nomor-1/index.html")).read_text()
    assert ('<a href="/kategori/' in article) == ("category" in taxonomies)
    assert ('rel="author"' in article) == ("author" in taxonomies)


def test_a_site_with_its_search_page_passes(make_site: SiteFactory) -> None:
    config = make_site(fillers=2)
    build_site(config)
    report = check_site(config.output_path, config.base_url)
    assert report.problems == ()


def test_each_broken_reference_is_reported_with_file_and_line(built: SiteConfig) -> None:
    page = built.output_path / "rusak" / "index.html"
    page.parent.mkdir()
    page.write_text(BROKEN_PAGE, encoding="utf-8")
    found = messages(check_site(built.output_path, BASE))
    assert found == [
        "rusak/index.html:2: no <title>",
        'rusak/index.html:2: no canonical link (<link rel="canonical" href=...>)',
        "rusak/index.html:5: broken link /tidak-ada/: no file for /tidak-ada/",
        "rusak/index.html:6: missing anchor /#tidak-ada: no id='tidak-ada' in index.html",
        "rusak/index.html:7: broken link gambar.png: no file for /rusak/gambar.png",
        "rusak/index.html:7: broken link kecil.png: no file for /rusak/kecil.png",
        "rusak/index.html:8: missing anchor #main: no id='main' in rusak/index.html",
        "rusak/index.html:11: broken link https://arsip.example/tidak-ada-juga/: "
        "no file for /tidak-ada-juga/",
    ]


def test_feeds_and_sitemaps_list_only_existing_pages(built: SiteConfig) -> None:
    feed = built.output_path / "feed.xml"
    entry = f'\n<entry><link rel="alternate" href="{BASE}hilang/"/></entry>\n</feed>\n'
    feed.write_text(feed.read_text(encoding="utf-8").replace("</feed>", entry), encoding="utf-8")
    index = built.output_path / "sitemap.xml"  # the index: a part the site does not have
    missing = f"<sitemap><loc>{BASE}sitemaps/2099-01.xml</loc></sitemap>\n</sitemapindex>"
    index.write_text(index.read_text(encoding="utf-8").replace("</sitemapindex>", missing))
    month = built.output_path / "sitemaps" / "2023-01.xml"  # a part: a page of another site
    outsider = "<url><loc>https://luar.example/x/</loc></url>\n</urlset>"
    month.write_text(month.read_text(encoding="utf-8").replace("</urlset>", outsider))
    (built.output_path / "rusak.xml").write_text('<?xml version="1.0"?>\n<urlset>\n<url>\n')
    found = messages(check_site(built.output_path, BASE))
    assert f"feed.xml:3: lists {BASE}hilang/, but the site has no such page" in found
    assert f"sitemap.xml:2: lists {BASE}sitemaps/2099-01.xml, but the site has no such page" in (
        found
    )
    assert (
        "sitemaps/2023-01.xml:2: https://luar.example/x/ is not a URL of this site (arsip.example)"
        in found
    )
    assert "rusak.xml:4: not well-formed XML: no element found" in found
    assert len(found) == 4


def test_redirects_and_the_404_page_need_no_canonical(built: SiteConfig) -> None:
    moved = built.output_path / "lama" / "index.html"
    moved.parent.mkdir()
    moved.write_text('<meta http-equiv="refresh" content="0; url=/tidak-ada/">\n')
    found = messages(check_site(built.output_path, BASE))
    assert found == ["lama/index.html:1: broken link /tidak-ada/: no file for /tidak-ada/"]


def test_external_links_are_asked_only_on_request(built: SiteConfig) -> None:
    page = built.output_path / "rusak" / "index.html"
    page.parent.mkdir()
    page.write_text(BROKEN_PAGE, encoding="utf-8")
    asked: list[str] = []

    def fetch(url: str) -> str | None:  # stands in for the network, which tests never use
        asked.append(url)
        return "HTTP 404 Not Found" if "mati" in url else None

    report = check_site(built.output_path, BASE, fetch=fetch)
    assert asked == [] and report.external == 0
    report = check_site(built.output_path, BASE, external=True, fetch=fetch)
    assert "https://luar.example/mati" in asked
    assert "rusak/index.html:9: external link https://luar.example/mati: HTTP 404 Not Found" in (
        messages(report)
    )


def test_unbuilt_site_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="run `archivegen build` first"):
        check_site(tmp_path / "public", BASE)


def test_check_command_exit_status(built: SiteConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(built.root)
    runner = CliRunner()
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert ": OK, 0 warning(s)" in result.output
    (built.output_path / "index.html").write_text(
        "<title>x</title><link rel=canonical href=/>\n<a href=/nope/>x</a>"
    )
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 1
    assert "index.html:2: broken link /nope/: no file for /nope/" in result.output
