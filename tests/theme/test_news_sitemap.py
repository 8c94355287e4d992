"""The Google News sitemap: recent articles with `news:news`, named in robots.txt."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from sitekit import SiteFactory, write_article

from archivegen.build import BuildOptions, build_site

NOW = BuildOptions(now=datetime(2024, 1, 1, tzinfo=UTC))
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def test_news_sitemap_lists_the_two_days_up_to_the_newest_article(
    make_site: SiteFactory,
) -> None:
    config = make_site(fillers=0, seed=False)
    content = config.content_path
    dates = {
        "baru": "2023-05-10T18:00:00+07:00",  # the newest
        "kemarin": "2023-05-09T07:00:00+08:00",  # 35 hours before it, in WITA
        "batas": "2023-05-08T18:00:00+07:00",  # exactly two days before: kept
        "lama": "2023-05-08T17:59:00+07:00",  # a minute older: left out
    }
    for slug, date in dates.items():
        title = f"Berita {slug.title()} <&> “kutip”"
        write_article(
            content, f"a/{slug}.md", title=title, slug=f"berita-{slug}", date=date, category="Dunia"
        )
    build_site(config, NOW)
    root = ET.parse(config.output_path / "news-sitemap.xml").getroot()
    assert root.tag == f"{SM}urlset"
    urls = root.findall(f"{SM}url")
    locations = [u.findtext(f"{SM}loc") for u in urls]
    assert locations == [
        "https://arsip.example/2023/05/10/berita-baru/",
        "https://arsip.example/2023/05/09/berita-kemarin/",
        "https://arsip.example/2023/05/08/berita-batas/",
    ]
    news = urls[1].find(f"{NEWS}news")
    assert news is not None
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Arsip Uji"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "id"
    assert news.findtext(f"{NEWS}publication_date") == "2023-05-09T07:00:00+08:00"
    assert news.findtext(f"{NEWS}title") == "Berita Kemarin <&> “kutip”"
    robots = (config.output_path / "robots.txt").read_text().splitlines()
    assert "Sitemap: https://arsip.example/sitemap.xml" in robots
    assert "Sitemap: https://arsip.example/news-sitemap.xml" in robots
    # the plain sitemap lists HTML pages only, not the news sitemap
    plain = ET.parse(config.output_path / "sitemap.xml").getroot()
    assert not any("news-sitemap" in (u.findtext(f"{SM}loc") or "") for u in plain)


def test_news_sitemap_language_is_a_google_news_code(make_site: SiteFactory) -> None:
    config = make_site(language="pt-BR")
    build_site(config, NOW)
    root = ET.parse(config.output_path / "news-sitemap.xml").getroot()
    assert root.findtext(f"{SM}url/{NEWS}news/{NEWS}publication/{NEWS}language") == "pt"


def test_no_articles_no_news_sitemap(make_site: SiteFactory) -> None:
    config = make_site(seed=False)
    build_site(config, NOW)
    assert not (config.output_path / "news-sitemap.xml").exists()
    assert "news-sitemap" not in (config.output_path / "robots.txt").read_text()
