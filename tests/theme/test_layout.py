"""The theme on a phone and in its footers: the section bar shows where the reader is, and
content licences are credited where the content is shown (site.yaml `license`, and an
article's own `license` and `credit`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from browserkit import serve_folder
from sitekit import write_article
from themekit import NOW

from archivegen.build import build_site
from archivegen.config import SiteConfig, config_from_mapping, load_config
from archivegen.errors import ConfigError

# long names, as real newsrooms have them: together wider than a phone
SECTIONS = (
    "Tajuk Utama", "Politik Nasional", "Ekonomi dan Bisnis", "Hukum dan Kriminal",
    "Olahraga", "Teknologi Informasi", "Gaya Hidup", "Pendidikan dan Budaya",
)  # fmt: skip
SITE_YAML = """title: Arsip Uji
base_url: https://arsip.example/
license:
  name: CC BY-SA 4.0
  credit: Artikel dari IndoSum (Kurniawan & Louvan, 2018)
"""
HOSTILE = '<script>alert("x")</script>'


@pytest.fixture(scope="module")
def sections_site(tmp_path_factory: pytest.TempPathFactory) -> SiteConfig:
    root = tmp_path_factory.mktemp("sections") / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    for day, name in enumerate(SECTIONS, start=1):
        write_article(
            root / "content", f"a{day}.md", title=f"Berita {name}", category=name,
            date=f"2023-05-{day:02d}T10:00:00+07:00", author="Redaksi",
        )  # fmt: skip
    write_article(
        root / "content", "dikutip.md", title="Berita Dikutip", category="Olahraga",
        date="2023-06-01T10:00:00+07:00", author="Redaksi", license="CC BY 4.0",
        credit=f"Kompas.com {HOSTILE}",
    )  # fmt: skip
    config = load_config(root / "site.yaml")
    build_site(config, NOW)
    return config


@pytest.fixture(scope="module")
def sections_url(sections_site: SiteConfig) -> Iterator[str]:
    with serve_folder(sections_site.output_path) as url:
        yield url


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def html(site: SiteConfig, relative: str) -> Any:
    return lxml.html.parse(str(site.output_path / relative)).getroot()


@pytest.mark.browser
def test_the_current_section_is_in_view_on_a_phone(
    phone: Any, sections_url: str, sections_site: SiteConfig
) -> None:
    links = [a.get("href") for a in html(sections_site, "index.html").cssselect(".sections a")]
    phone.goto(sections_url + "/")
    bar = phone.locator(".sections ul").bounding_box()
    beyond = [
        url
        for url in links[:-1]  # the archive link is last: no category page has it current
        if phone.locator(f'.sections a[href="{url}"]').bounding_box()["x"] > bar["x"] + bar["width"]
    ]
    assert beyond, "the bar must overflow a phone's width for this test to mean anything"
    phone.goto(sections_url + beyond[-1])
    current = phone.locator(".sections [aria-current]").bounding_box()
    bar = phone.locator(".sections ul").bounding_box()
    assert bar["x"] <= current["x"] and current["x"] + current["width"] <= bar["x"] + bar["width"]


def test_every_page_credits_the_site_licence(sections_site: SiteConfig) -> None:
    pages = list(sections_site.output_path.rglob("index.html"))
    assert len(pages) > 20
    for page in pages:
        root = lxml.html.parse(str(page)).getroot()
        if root.find(".//footer") is None:
            continue  # a redirect page
        (credit,) = root.cssselect(".site-footer .license")
        link = credit.cssselect("a[rel=license]")[0]
        assert link.get("href") == "https://creativecommons.org/licenses/by-sa/4.0/"
        assert link.text_content() == "CC BY-SA 4.0"
        assert "IndoSum (Kurniawan & Louvan, 2018)" in credit.text_content()


def test_an_article_credits_its_own_licence_and_source(sections_site: SiteConfig) -> None:
    page = next(sections_site.output_path.rglob("berita-dikutip/index.html"))
    (credit,) = html(sections_site, str(page.relative_to(sections_site.output_path))).cssselect(
        "article .license"
    )
    link = credit.cssselect("a[rel=license]")[0]
    assert link.get("href") == "https://creativecommons.org/licenses/by/4.0/"
    assert HOSTILE in credit.text_content()  # shown as text
    assert "<script>alert" not in page.read_text(encoding="utf-8")  # never as markup
    other = next(sections_site.output_path.rglob("berita-olahraga/index.html"))
    assert not html(sections_site, str(other.relative_to(sections_site.output_path))).cssselect(
        "article .license"
    )


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "/lisensi"])
def test_a_licence_address_must_be_a_web_address(tmp_path: Path, url: str) -> None:
    with pytest.raises(ConfigError, match=r"license\.url"):
        config_from_mapping({"license": {"name": "Lisensi Kami", "url": url}}, root=tmp_path)
