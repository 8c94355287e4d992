"""What search engines and social cards read: JSON-LD, OpenGraph, Twitter, canonical, lang."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import lxml.html
from sitekit import write_article
from themekit import BASE, NOW, SEED_URL, read_page, write_theme_site

from archivegen.build import build_site
from archivegen.config import SiteConfig

HOSTILE = 'Bom </script><script>alert("x")</script> & <b>"kutip"</b>'


def json_ld(doc: lxml.html.HtmlElement) -> list[dict[str, Any]]:
    """Every JSON-LD block of a page, parsed."""
    return [json.loads(s.text) for s in doc.cssselect('script[type="application/ld+json"]')]


def of_type(doc: lxml.html.HtmlElement, kind: str) -> dict[str, Any]:
    (found,) = [block for block in json_ld(doc) if block["@type"] == kind]
    return found


def meta(doc: lxml.html.HtmlElement, key: str) -> list[str]:
    """The content of every <meta property=key> or <meta name=key>."""
    found = doc.cssselect(f'meta[property="{key}"], meta[name="{key}"]')
    return [m.get("content") for m in found]


def test_news_article_json_ld_has_the_required_fields(theme_site: SiteConfig) -> None:
    data = of_type(read_page(theme_site, SEED_URL), "NewsArticle")
    url = BASE + SEED_URL
    assert data["@context"] == "https://schema.org"
    assert data["headline"] == "Terus Bertambah, 200 Ribu Warga Rusia Sudah Kabur ke Kazakhstan"
    assert data["datePublished"] == "2022-10-04T18:23:00+07:00"  # with the offset
    assert data["dateModified"] == "2022-10-04T18:23:00+07:00"
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Alifia Dwi Ramandhita",
            "url": BASE + "/penulis/alifia-dwi-ramandhita/",
        }
    ]
    assert data["articleSection"] == "Dunia"
    assert data["inLanguage"] == "id"
    assert data["publisher"] == {"@type": "Organization", "name": "Arsip Uji", "url": BASE + "/"}
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["url"] == url
    assert "keywords" not in data and "image" not in data  # the seed has no tags, no image
    assert data["description"].startswith("Sejauh ini lebih dari 200 ribu")


def test_breadcrumbs_of_an_article_and_a_category(theme_site: SiteConfig) -> None:
    trail = of_type(read_page(theme_site, SEED_URL), "BreadcrumbList")["itemListElement"]
    assert [(i["position"], i["name"], i["item"]) for i in trail] == [
        (1, "Beranda", BASE + "/"),
        (2, "Dunia", BASE + "/kategori/dunia/"),
        (3, "Terus Bertambah, 200 Ribu Warga Rusia Sudah Kabur ke Kazakhstan", BASE + SEED_URL),
    ]
    doc = read_page(theme_site, "/kategori/politik/")
    trail = of_type(doc, "BreadcrumbList")["itemListElement"]
    assert [i["name"] for i in trail] == ["Beranda", "Kategori", "Politik"]
    shown = [a.text_content() for a in doc.cssselect("nav.breadcrumbs a")]
    assert shown == ["Beranda", "Kategori", "Politik"]
    assert doc.cssselect("nav.breadcrumbs a")[-1].get("aria-current") == "page"
    assert not [b for b in json_ld(read_page(theme_site, "/")) if b["@type"] == "BreadcrumbList"]


def test_social_cards_canonical_and_language(theme_site: SiteConfig) -> None:
    doc = read_page(theme_site, SEED_URL)
    assert doc.get("lang") == "id"
    assert doc.cssselect("link[rel=canonical]")[0].get("href") == BASE + SEED_URL
    assert meta(doc, "og:type") == ["article"]
    assert meta(doc, "og:url") == [BASE + SEED_URL]
    assert meta(doc, "og:title") == [
        "Terus Bertambah, 200 Ribu Warga Rusia Sudah Kabur ke Kazakhstan"
    ]
    assert meta(doc, "og:site_name") == ["Arsip Uji"]
    assert meta(doc, "og:locale") == ["id_ID"]
    assert meta(doc, "og:description")[0].startswith("Sejauh ini")
    assert meta(doc, "article:published_time") == ["2022-10-04T18:23:00+07:00"]
    assert meta(doc, "article:section") == ["Dunia"]
    assert meta(doc, "twitter:card") == ["summary"]
    assert meta(doc, "twitter:title") == meta(doc, "og:title")
    home = read_page(theme_site, "/")
    assert meta(home, "og:type") == ["website"]
    assert meta(home, "og:title") == ["Arsip Uji"]
    assert meta(home, "og:description") == ["Arsip berita uji"]


def test_json_ld_cannot_end_its_script_element(tmp_path: Path) -> None:
    config = write_theme_site(tmp_path / "site", fillers=0)
    write_article(
        config.content_path,
        "dunia/bom.md",
        title=HOSTILE,
        date="2023-03-01T10:00:00+07:00",
        author="Budi </script> Santoso",
        category="Dunia",
        image="https://foto.example/gambar/bom.jpg",
        updated="2023-03-02T08:30:00+07:00",
        tags=["bom", "Kota Lama"],
    )
    build_site(config, NOW)
    day = config.output_path / "2023" / "03" / "01" / "index.html"  # the day's listing
    (page,) = [p for p in (config.output_path / "2023").rglob("index.html") if p != day]
    html = page.read_text(encoding="utf-8")
    head = html[: html.index("</head>")]
    for block in head.split('<script type="application/ld+json">')[1:]:
        body = block[: block.index("</script>")]
        assert "<" not in body and ">" not in body and "&" not in body  # escaped as \\u003c…
    doc = lxml.html.fromstring(html)
    assert len(doc.cssselect("script")) == 2  # the two JSON-LD blocks; nothing injected
    data = of_type(doc, "NewsArticle")
    assert data["headline"] == HOSTILE  # the escapes decode to the exact title
    assert data["author"][0]["name"] == "Budi </script> Santoso"
    assert data["image"] == ["https://foto.example/gambar/bom.jpg"]
    assert data["dateModified"] == "2023-03-02T08:30:00+07:00"
    assert data["keywords"] == ["bom", "Kota Lama"]
    assert meta(doc, "article:tag") == ["bom", "Kota Lama"]
    assert meta(doc, "twitter:card") == ["summary_large_image"]
    assert meta(doc, "og:image") == ["https://foto.example/gambar/bom.jpg"]


def test_english_site_speaks_english_in_metadata(tmp_path: Path) -> None:
    config = write_theme_site(tmp_path / "site", fillers=0, language="en")
    build_site(config, NOW)
    doc = read_page(config, SEED_URL)
    assert doc.get("lang") == "en"
    assert meta(doc, "og:locale") == ["en_US"]
    assert of_type(doc, "NewsArticle")["inLanguage"] == "en"
    assert of_type(doc, "BreadcrumbList")["itemListElement"][0]["name"] == "Home"
