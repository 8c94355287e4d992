"""An article captured several times, imported and built through the real commands (issue
19): the article page says "Diperbarui" and lists its earlier versions, each version has a
page with its text and an escaped word diff, schema.org dateModified follows `updated`,
and no version reaches search, listings, feeds or sitemaps. Valid HTML (Nu Html Checker)
and no axe violation on both kinds of page; an added revision renders only its article's
pages again."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from browserkit import serve_folder
from click.testing import CliRunner, Result
from themekit import checker

from archivegen.cli import main

URL = "https://contoh.id/read/2024/03/05/77/banjir"
ARTICLE = "/2024/03/05/banjir-rendam-jakarta/"
HOSTILE = 'Banjir <script>alert("x")</script> & <img src=x onerror=alert(1)> merendam rumah.'
CAPTURES = {  # name: (captured, body)
    "hostile": ("2024-03-05T08:30:00+07:00", HOSTILE + "\n\nWarga mengungsi."),
    "first": ("2024-03-05T09:00:00+07:00", "Banjir merendam 10 rumah.\n\nWarga mengungsi."),
    "corrected": (
        "2024-03-05T12:00:00+07:00",
        "Banjir merendam 50 rumah di Kemang.\n\nWarga mengungsi ke masjid.\n\n"
        "Koreksi: Sebelumnya tertulis 10 rumah.",
    ),
}
# the revision pages, by capture time in UTC
FIRST_PAGE = ARTICLE + "revisi/20240305-020000/"
HOSTILE_PAGE = ARTICLE + "revisi/20240305-013000/"


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def capture(root: Path, name: str) -> None:
    when, body = CAPTURES[name]
    row = {"url": URL, "title": "Banjir Rendam Jakarta", "date": "2024-03-05T08:00:00+07:00"}
    row |= {"body": body, "category": "Nasional", "captured": when}
    source = root.parent / f"{name}.jsonl"
    source.write_text(json.dumps(row) + "\n", encoding="utf-8")
    run("import", source, "--config", root / "site.yaml", "--workers", "1")


def build(root: Path) -> Result:
    return run("build", "--config", root / "site.yaml", "--workers", "1")


def page(root: Path, url: str) -> Path:
    return root / "public" / url.strip("/") / "index.html"


def html(root: Path, url: str) -> Any:
    return lxml.html.fromstring(page(root, url).read_bytes())


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site with one article captured three times, the newest capture imported first."""
    root = tmp_path_factory.mktemp("revisions") / "site"
    run("init", root)
    for name in ("corrected", "hostile", "first"):
        capture(root, name)
    build(root)
    return root


def test_the_article_page_says_updated_and_links_its_earlier_versions(site: Path) -> None:
    doc = html(site, ARTICLE)
    updated = doc.cssselect(".dateline .updated")[0]
    assert updated.text_content().startswith("Diperbarui")
    assert updated.cssselect("time")[0].get("datetime") == "2024-03-05T12:00:00+07:00"
    box = doc.cssselect("section.revisions")[0]
    assert box.get("data-pagefind-ignore") is not None
    assert box.cssselect(".correction")[0].text == "Koreksi: Sebelumnya tertulis 10 rumah."
    links = [(a.get("href"), a.cssselect("time")[0].get("datetime")) for a in box.iter("a")]
    assert links == [  # newest first
        (FIRST_PAGE, "2024-03-05T09:00:00+07:00"),
        (HOSTILE_PAGE, "2024-03-05T08:30:00+07:00"),
    ]
    (data,) = [
        json.loads(s.text)
        for s in doc.cssselect('script[type="application/ld+json"]')
        if '"NewsArticle"' in s.text
    ]
    assert data["dateModified"] == "2024-03-05T12:00:00+07:00"
    assert data["datePublished"] == "2024-03-05T08:00:00+07:00"


def test_a_revision_page_shows_its_text_and_the_diff_to_the_next_version(site: Path) -> None:
    doc = html(site, FIRST_PAGE)
    assert doc.cssselect('meta[name="robots"]')[0].get("content") == "noindex"
    assert doc.cssselect('link[rel="canonical"]')[0].get("href").endswith(ARTICLE)
    assert not doc.cssselect("[data-pagefind-body]")
    body = [p.text for p in doc.cssselect(".article-body p")]
    assert body == ["Banjir merendam 10 rumah.", "Warga mengungsi."]
    diff = doc.cssselect(".diff")[0]
    assert [d.text for d in diff.iter("del")] == ["10 rumah.", "mengungsi."]
    assert [i.text for i in diff.iter("ins")] == [
        "50 rumah di Kemang.",
        "mengungsi ke masjid.",
        "Koreksi: Sebelumnya tertulis 10 rumah.",  # a paragraph of its own
    ]
    first = next(diff.iter("p")).text_content()
    assert first == "Banjir merendam 10 rumah. 50 rumah di Kemang."
    assert doc.cssselect(".revision-diff .correction")[0].text.startswith("Koreksi:")
    assert doc.cssselect(".diff-legend a")[0].get("href") == ARTICLE  # the next version
    assert html(site, HOSTILE_PAGE).cssselect(".diff-legend a")[0].get("href") == FIRST_PAGE


def test_hostile_text_in_a_diff_is_escaped(site: Path) -> None:
    raw = page(site, HOSTILE_PAGE).read_text("utf-8")
    main_part = raw[raw.index("<main") : raw.index("</main>")]
    assert "<script" not in main_part and "<img" not in main_part
    assert "<del>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;img" in main_part
    doc = html(site, HOSTILE_PAGE)
    assert not doc.cssselect("main script, main img, main [onerror]")
    assert "<script>" in doc.cssselect(".diff del")[0].text  # shown as text


def test_revisions_are_in_no_feed_sitemap_listing_or_search(site: Path) -> None:
    out = site / "public"
    for name in ("feed.xml", "sitemap.xml", "index.html", "kategori/nasional/index.html"):
        if (out / name).exists():
            assert "/revisi/" not in (out / name).read_text("utf-8"), name
    assert "/sitemaps/2024-03.xml" in (out / "sitemap.xml").read_text("utf-8")  # the index
    assert ARTICLE in (out / "sitemaps" / "2024-03.xml").read_text("utf-8")  # its month's part
    sitemaps = [*out.glob("*sitemap*.xml"), *out.glob("sitemaps/*.xml")]
    assert len(sitemaps) > 3  # the index, the news sitemap, the listings' and the months'
    assert not any("/revisi/" in p.read_text("utf-8") for p in sitemaps)
    # search: the article alone (and init's example article), never a version of it
    report = build(site).output
    assert "nothing changed" in report or "search: 2 pages" in report


def test_search_index_holds_no_revision(tmp_path: Path) -> None:
    root = tmp_path / "site"
    run("init", root)
    for name in CAPTURES:
        capture(root, name)
    assert "search: 2 pages" in build(root).output  # two articles, three revision pages


def test_an_added_revision_renders_only_its_article_pages(tmp_path: Path) -> None:
    root = tmp_path / "site"
    run("init", root)
    capture(root, "corrected")
    capture(root, "first")
    build(root)
    before = {p: p.read_bytes() for p in (root / "public").rglob("*.html")}
    capture(root, "hostile")  # an older crawl, imported last
    assert "(3 rendered)" in build(root).output  # the article and its two revision pages
    after = {p: p.read_bytes() for p in (root / "public").rglob("*.html")}
    changed = {
        p.relative_to(root / "public").as_posix() for p in after if before.get(p) != after[p]
    }
    assert changed == {
        "2024/03/05/banjir-rendam-jakarta/index.html",  # its list of versions
        "2024/03/05/banjir-rendam-jakarta/revisi/20240305-013000/index.html",  # new
    }


def test_article_and_revision_pages_are_valid_html(site: Path) -> None:
    pages = [page(site, url) for url in (ARTICLE, FIRST_PAGE, HOSTILE_PAGE)]
    result = subprocess.run(
        [*checker(), *map(str, pages)], capture_output=True, text=True, timeout=300
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert [f"{m.get('url', '')}:{m.get('lastLine')}: {m['message']}" for m in messages] == []


# as in test_browser.py (a test module's fixtures are its own)
AXE = Path(__file__).resolve().parents[2] / ".cache" / "npm" / "node_modules" / "axe-core"
RUN_AXE = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
  .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target)}))"""


@pytest.fixture(scope="module")
def site_url(site: Path) -> Iterator[str]:
    with serve_folder(site / "public") as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("url", [ARTICLE, FIRST_PAGE])
@pytest.mark.parametrize(("width", "scheme"), [(1280, "light"), (375, "dark")])
def test_axe_finds_no_violation_on_article_and_revision_pages(
    browser: Any, site_url: str, url: str, width: int, scheme: str
) -> None:
    script = AXE / "axe.min.js"
    if not script.exists():
        pytest.skip(f"{script} is missing: `make test` installs axe-core with npm")
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    try:
        tab = context.new_page()
        tab.goto(site_url + url)
        tab.add_script_tag(content=script.read_text(encoding="utf-8"))
        violations = tab.evaluate(RUN_AXE)
    finally:
        context.close()
    assert not violations, f"{url} ({width} px, {scheme}): {violations}"
