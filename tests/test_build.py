"""End to end: a fixture site built through the whole pipeline, read back as a reader would."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import lxml.html
import pytest
from sitekit import SiteFactory, write_article

from archivegen.build import BuildOptions, BuildReport, build_site
from archivegen.config import SiteConfig
from archivegen.errors import ArchivegenError, ErrorGroup, TemplateError

NOW = BuildOptions(now=datetime(2024, 1, 1, tzinfo=UTC))
SEED_URL = "/2022/10/04/terus-bertambah-200-ribu-warga-rusia-sudah-kabur-ke-kazakhstan/"
ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def build(config: SiteConfig, options: BuildOptions = NOW) -> BuildReport:
    return build_site(config, options)


def page(config: SiteConfig, url: str) -> lxml.html.HtmlElement:
    relative = url.strip("/") + "/index.html" if url.endswith("/") else url.lstrip("/")
    return lxml.html.fromstring((config.output_path / relative.lstrip("/")).read_bytes())


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_seed_article_page(make_site: SiteFactory) -> None:
    config = make_site(fillers=5)
    build(config)
    doc = page(config, SEED_URL)
    article = doc.cssselect("article.article")[0]
    assert article.cssselect("h1")[0].text_content() == (
        "Terus Bertambah, 200 Ribu Warga Rusia Sudah Kabur ke Kazakhstan"
    )
    assert article.cssselect(".dateline time")[0].text_content() == (
        "Selasa, 04 Oktober 2022 | 18:23 WIB"
    )
    assert article.cssselect(".dateline time")[0].get("datetime") == "2022-10-04T18:23:00+07:00"
    author = article.cssselect("a[rel=author]")[0]
    assert (author.text_content(), author.get("href")) == (
        "Alifia Dwi Ramandhita",
        "/penulis/alifia-dwi-ramandhita/",
    )
    kicker = article.cssselect(".kicker a")[0]
    assert (kicker.text_content(), kicker.get("href")) == ("Dunia", "/kategori/dunia/")
    assert not article.cssselect("figure, figcaption")  # a caption (Ilustrasi/Net), no image
    paragraphs = article.cssselect(".article-body p")
    assert len(paragraphs) == 7
    assert paragraphs[0].text_content().startswith("Sejauh ini lebih dari 200 ribu")
    assert paragraphs[-1].text_content().endswith("dalam daftar buronan federal.")
    text = doc.text_content()
    for chrome in ("Populer", "Selengkapnya", "UPDATE", "24 April 2024"):
        assert chrome not in text
    assert doc.cssselect("link[rel=canonical]")[0].get("href") == "https://arsip.example" + SEED_URL


def titles(config: SiteConfig, url: str) -> list[str]:
    return [a.text_content() for a in page(config, url).cssselect("li.entry .entry-title a")]


def pager_links(config: SiteConfig, url: str) -> dict[str, str | None]:
    """The pager's newer and older links, and the page it marks as current."""
    nav = page(config, url).cssselect("nav.pager")[0]
    found: dict[str, str | None] = {"prev": None, "next": None}
    found |= {a.get("rel"): a.get("href") for a in nav.cssselect("a[rel]")}
    (current,) = nav.cssselect("a[aria-current=page]")
    return found | {"current": current.get("href")}


def test_listings_are_numbered_from_the_oldest_page(make_site: SiteFactory) -> None:
    config = make_site(fillers=45, page_size=20)  # 46 articles: the newest 20, then 20, 20, 6
    report = build(config)
    assert report.articles == 46
    newest_first = [f"Berita Nomor {i}" for i in range(44, -1, -1)]
    newest_first.append("Terus Bertambah, 200 Ribu Warga Rusia Sudah Kabur ke Kazakhstan")
    assert titles(config, "/") == newest_first[:20]  # the listing's own URL: the newest
    assert titles(config, "/halaman/1/") == newest_first[26:]  # the oldest 20
    assert titles(config, "/halaman/2/") == newest_first[6:26]
    assert titles(config, "/halaman/3/") == newest_first[:6]  # the newest page, partly full
    assert not (config.output_path / "halaman" / "4").exists()
    assert pager_links(config, "/") == {"prev": None, "next": "/halaman/2/", "current": "/"}
    assert pager_links(config, "/halaman/3/") == {
        "prev": "/", "next": "/halaman/2/", "current": "/halaman/3/",
    }  # fmt: skip
    assert pager_links(config, "/halaman/1/") == {
        "prev": "/halaman/2/", "next": None, "current": "/halaman/1/",
    }  # fmt: skip
    shown = [a.text_content() for a in page(config, "/halaman/2/").cssselect("nav.pager li a")]
    assert shown == ["Terbaru", "3", "2", "1"]  # Latest, then the newest number first
    home = page(config, "/")  # each year's page: that of its newest article
    years = [(a.text_content(), a.get("href")) for a in home.cssselect("nav.jumps a")]
    assert years == [("2023", "/halaman/3/"), ("2022", "/halaman/1/")]
    assert not page(config, "/halaman/1/").cssselect("nav.jumps")
    # 15 Politik fillers: one page; two authors with 23 and 22 articles: the newest 20, pages 1, 2
    assert len(page(config, "/kategori/politik/").cssselect("li.entry")) == 15
    assert not page(config, "/kategori/politik/").cssselect("nav.pager")
    assert not (config.output_path / "kategori" / "politik" / "halaman").exists()
    budi = [f"Berita Nomor {i}" for i in range(44, -1, -2)]
    assert titles(config, "/penulis/budi-santoso/") == budi[:20]
    assert titles(config, "/penulis/budi-santoso/halaman/1/") == budi[3:]
    assert titles(config, "/penulis/budi-santoso/halaman/2/") == budi[:3]
    count = page(config, "/penulis/budi-santoso/").cssselect("p.listing-count")  # first page only
    assert count and count[0].text_content().startswith("23 artikel")
    assert not page(config, "/penulis/budi-santoso/halaman/1/").cssselect("p.listing-count")
    index = page(config, "/kategori/")
    assert [a.text_content() for a in index.cssselect(".term-index a")] == [
        "Dunia", "Ekonomi", "Olahraga", "Politik",
    ]  # fmt: skip
    months = page(config, "/arsip/").cssselect(".calendar-year h2 a")
    assert [a.text_content() for a in months] == ["2023", "2022"]
    assert titles(config, "/arsip/2023/01/") == newest_first[:20]
    days = [a.get("href") for a in page(config, "/arsip/2023/01/").cssselect("nav.jumps a")]
    assert days == ["/arsip/2023/01/01/", "/arsip/2023/01/02/", "/arsip/2023/01/03/"]
    # a day (fillers 16 to 39: 2 January), also at its articles' date prefix
    assert titles(config, "/arsip/2023/01/02/") == newest_first[5:25]
    assert titles(config, "/arsip/2023/01/02/halaman/1/") == newest_first[9:29]
    assert titles(config, "/2023/01/02/") == titles(config, "/arsip/2023/01/02/")
    canonical = page(config, "/2023/01/02/").cssselect("link[rel=canonical]")[0].get("href")
    assert canonical == "https://arsip.example/arsip/2023/01/02/"


def test_an_added_article_leaves_the_full_numbered_pages_as_they_were(
    make_site: SiteFactory,
) -> None:
    config = make_site(fillers=45, page_size=20)
    build(config)
    before = snapshot(config.output_path)
    # in Dunia, which stays the smallest category: the site's menu keeps its order
    write_article(
        config.content_path, "x/baru.md", title="Berita Baru", date="2023-01-05T09:00:00+07:00",
        category="Dunia", author="Budi Santoso",
    )  # fmt: skip
    build(config)
    after = snapshot(config.output_path)
    assert titles(config, "/")[0] == "Berita Baru"
    assert titles(config, "/halaman/3/")[0] == "Berita Baru"  # the newest page takes it
    for full in ("halaman/1/index.html", "halaman/2/index.html"):
        assert after[full] == before[full]
    assert after["index.html"] != before["index.html"]
    assert after["halaman/3/index.html"] != before["halaman/3/index.html"]


def test_previous_and_next_stay_within_the_category(make_site: SiteFactory) -> None:
    config = make_site(fillers=9)
    build(config)
    doc = page(config, "/2023/01/01/berita-nomor-3/")  # Politik: numbers 0, 3, 6
    assert doc.cssselect("a[rel=prev]")[0].get("href") == "/2023/01/01/berita-nomor-0/"
    assert doc.cssselect("a[rel=next]")[0].get("href") == "/2023/01/01/berita-nomor-6/"
    related = [a.get("href") for a in doc.cssselect(".related h3 a")]
    assert related and all("berita-nomor-3/" not in href for href in related)


def test_feed_and_sitemap_are_valid_xml_with_absolute_urls(make_site: SiteFactory) -> None:
    config = make_site(fillers=30, feed_size=10)
    report = build(config)
    feed = ET.parse(config.output_path / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 10
    assert all(e.find(f"{ATOM}id").text.startswith("https://arsip.example/") for e in entries)  # type: ignore[union-attr]
    dunia = ET.parse(config.output_path / "kategori" / "dunia" / "feed.xml").getroot()
    (entry,) = dunia.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href") == "https://arsip.example" + SEED_URL  # type: ignore[union-attr]
    index = ET.parse(config.output_path / "sitemap.xml").getroot()
    assert index.tag == f"{SM}sitemapindex"
    parts = [s.find(f"{SM}loc").text for s in index.findall(f"{SM}sitemap")]  # type: ignore[union-attr]
    assert parts == [
        f"https://arsip.example/sitemaps/{name}.xml" for name in ("lists", "2023-01", "2022-10")
    ]
    locations: list[str] = []
    for part in parts:
        urlset = ET.parse(config.output_path / part.removeprefix("https://arsip.example/"))
        assert urlset.getroot().tag == f"{SM}urlset"
        locations += [u.find(f"{SM}loc").text for u in urlset.getroot().findall(f"{SM}url")]  # type: ignore[misc, union-attr]
    assert "https://arsip.example" + SEED_URL in locations
    assert all(url.startswith("https://arsip.example/") for url in locations)
    search_page = config.output_path / "cari" / "index.html"  # a search UI is not for crawlers
    html_pages = [p for p in config.output_path.rglob("index.html") if p != search_page]
    # not listed: numbered listing pages, and a day's listing at its articles' date prefix
    # (its canonical, /arsip/yyyy/mm/dd/, is)
    relative = [p.relative_to(config.output_path).as_posix() for p in html_pages]
    numbered = [r for r in relative if "/halaman/" in f"/{r}"]
    at_prefix = sorted(r for r in relative if re.fullmatch(r"\d{4}/\d{2}/\d{2}/index\.html", r))
    assert (
        "halaman/1/index.html" in numbered and "tag/ekonomi-rakyat/halaman/1/index.html" in numbered
    )
    assert at_prefix == ["2022/10/04/index.html", "2023/01/01/index.html", "2023/01/02/index.html"]
    assert len(locations) == len(set(locations)) == len(html_pages) - len(numbered) - len(at_prefix)
    assert not any("/halaman/" in url for url in locations)
    feeds = 1 + 4  # the site's and one per category (Dunia, Politik, Ekonomi, Olahraga)
    sitemaps = 1 + len(parts)  # the index and its parts
    # 404.html, feeds, sitemaps, news sitemap, robots, search page, three redirect maps
    others = 1 + feeds + sitemaps + 2 + 1 + 3
    assert report.pages == len(html_pages) + others
    robots = (config.output_path / "robots.txt").read_text()
    assert "Sitemap: https://arsip.example/sitemap.xml" in robots


def test_rebuild_writes_nothing_when_nothing_changed(make_site: SiteFactory) -> None:
    config = make_site(fillers=10)
    first = build(config)
    files = [p for p in config.output_path.rglob("*") if p.is_file()]
    assert first.written == len(files) - 1  # every file but the manifest
    second = build(config)
    assert second.up_to_date and second.written == 0
    clean = build(config, dataclasses.replace(NOW, clean=True))  # trusts nothing: writes all
    assert clean.rendered == clean.pages and clean.written == first.written


def test_failed_build_leaves_the_last_good_site_byte_for_byte(make_site: SiteFactory) -> None:
    config = make_site(fillers=5)
    build(config)
    before = snapshot(config.output_path)
    content = config.content_path
    write_article(content, "a.md", title="Tanggal Salah", date="2022-02-30", category="X")
    (content / "b.md").write_bytes(b"\xff\xfe not utf-8")
    (content / "c.md").write_text("---\n- a\n- b\n---\n", encoding="utf-8")
    (content / "d.md").write_text("", encoding="utf-8")
    write_article(content, "e.md", title="T", date="2022-01-01T00:00:00+07:00", category="X", slug="../../etc")  # fmt: skip
    with pytest.raises(ErrorGroup) as info:
        build(config)
    problems = {(e.path, e.field) for e in info.value.errors}
    assert problems == {
        ("content/a.md", "date"),
        ("content/b.md", None),
        ("content/c.md", None),
        ("content/d.md", None),
        ("content/e.md", "slug"),
    }
    assert snapshot(config.output_path) == before
    leftovers = sorted(p.name for p in config.root.iterdir())
    assert leftovers == [".archivegen", "content", "public", "site.yaml"]  # no staging folder


def test_script_in_a_title_is_escaped_everywhere(make_site: SiteFactory) -> None:
    config = make_site()
    write_article(
        config.content_path, "x.md", title="<script>alert(1)</script> Judul",
        date="2023-05-01T10:00:00+07:00", category="<b>Kat</b>",
    )  # fmt: skip
    build(config)
    for path in config.output_path.rglob("*.html"):
        assert "<script>alert(1)" not in path.read_text(encoding="utf-8"), path
    assert "&lt;script&gt;" in (config.output_path / "index.html").read_text(encoding="utf-8")


def test_drafts_future_and_aliases(make_site: SiteFactory) -> None:
    config = make_site()
    content = config.content_path
    write_article(content, "d.md", title="Draf", date="2023-01-01T00:00:00+07:00", category="A", draft=True)  # fmt: skip
    write_article(content, "f.md", title="Embargo", date="2030-01-01T00:00:00+07:00", category="A")
    write_article(
        content, "old.md", title="Lama", date="2023-02-01T00:00:00+07:00", category="A",
        aliases=["/read/2023/02/01/12345/lama"],
    )  # fmt: skip
    report = build(config)
    assert (report.articles, report.skipped_drafts, report.skipped_future) == (2, 1, 1)
    redirect = (config.output_path / "read/2023/02/01/12345/lama/index.html").read_text()
    assert 'content="0; url=/2023/02/01/lama/"' in redirect
    everything = build(config, dataclasses.replace(NOW, drafts=True, future=True))
    assert everything.articles == 4
    assert (config.output_path / "2030/01/01/embargo/index.html").is_file()


def test_same_slug_same_day_is_resolved_and_reported(make_site: SiteFactory) -> None:
    config = make_site(seed=False)
    for name in ("b.md", "a.md"):
        write_article(config.content_path, name, title="Sama", date="2023-01-01T09:00:00+07:00", category="A")  # fmt: skip
    report = build(config)
    assert (config.output_path / "2023/01/01/sama/index.html").is_file()
    assert (config.output_path / "2023/01/01/sama-2/index.html").is_file()
    assert "content/b.md" in " ".join(report.warnings)  # a.md sorts first and keeps the slug


def test_site_templates_override_the_theme_and_errors_name_the_line(make_site: SiteFactory) -> None:
    config = make_site()
    templates = config.root / "templates"
    templates.mkdir()
    (templates / "404.html").write_text("<p>Tidak ada: {{ site.title }}</p>", encoding="utf-8")
    build(config)
    assert (config.output_path / "404.html").read_text() == "<p>Tidak ada: Arsip Uji</p>"
    (templates / "404.html").write_text("ok\n{{ page.nothing_here }}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        build(config)
    assert info.value.path is not None and info.value.path.endswith("templates/404.html")
    assert info.value.line == 2
    (templates / "404.html").write_text("{% if %}", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"404\.html:1"):
        build(config)


def test_english_site(make_site: SiteFactory) -> None:
    config = make_site(language="en")
    build(config)
    doc = page(config, SEED_URL)
    assert doc.cssselect(".dateline time")[0].text_content() == "Tuesday, 04 October 2022 | 18:23"
    assert doc.get("lang") == "en"
    assert doc.cssselect(".skip-link")[0].text_content() == "Skip to content"


def test_output_that_is_not_ours_is_refused(make_site: SiteFactory) -> None:
    config = make_site()
    config.output_path.mkdir()
    (config.output_path / "precious.txt").write_text("keep me")
    with pytest.raises(ArchivegenError, match="not made by archivegen"):
        build(config)
    assert (config.output_path / "precious.txt").read_text() == "keep me"
