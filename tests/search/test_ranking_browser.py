"""Relevance across shards in a real Chromium: the sharded site orders results as one index.

Pagefind scores a page against its own shard (BM25's idf counts that shard's pages), so a
word common in one year and rare in another used to rank a single mention in the rare year
above three mentions in the common one. The archive below is built to make that happen:
"banjir" is in every article of 2016 and in two of 2019; the unsharded copy of the same
site (one Pagefind index over the same pages, same page and script) is the reference.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from browserkit import serve_folder
from sitekit import write_article

from archivegen.build import BuildOptions, build_site
from archivegen.config import SiteConfig, load_config

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from search_quality import MORE, SETTLED, unsharded_site

pytestmark = pytest.mark.browser

WIB = timezone(timedelta(hours=7))
FILLER = "Warga berkumpul di balai desa untuk membicarakan rencana pembangunan jalan baru."


def article(year: int, n: int, mentions: int, extra: str = "") -> dict[str, Any]:
    words = " ".join(["Banjir merendam rumah warga."] * mentions)
    return {
        "name": f"{year}/berita-{n:02d}.md",
        "title": f"Laporan {year} Nomor {n}",
        "date": datetime(year, 1 + n % 12, 1 + n, 9, 0, tzinfo=WIB).isoformat(),
        "author": ["Budi Santoso", "Siti Aminah", "Rudi Hartono"][n % 3],
        "category": ["Nasional", "Daerah"][n % 2],
        "body": f"{words} {extra} {FILLER}\n\n{FILLER}",
    }


# 2016: 12 articles, every one about floods (1 to 3 mentions); 2019: 12 articles, two of
# them with one mention; 2022: 6 articles, one with two mentions and "jakarta".
ARTICLES = (
    [article(2016, n, 1 + n % 3, "Jakarta" if n % 4 == 0 else "") for n in range(12)]
    + [article(2019, n, 1 if n < 2 else 0, "Jakarta" if n == 0 else "") for n in range(12)]
    + [article(2022, n, 2 if n == 0 else 0, "Jakarta" if n == 0 else "") for n in range(6)]
)
QUERIES = ["banjir", "banjir jakarta", "rumah warga", "Siti Aminah"]


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The sharded site and its unsharded copy, each over HTTP on 127.0.0.1."""
    root = tmp_path_factory.mktemp("ranking")
    content = root / "site" / "content"
    for fields in ARTICLES:
        fields = dict(fields)
        write_article(content, fields.pop("name"), body=fields.pop("body"), **fields)
    (root / "site" / "site.yaml").write_text("title: Arsip\nbase_url: https://arsip.example/\n")
    config: SiteConfig = load_config(root / "site" / "site.yaml")
    build_site(config, BuildOptions(now=datetime(2024, 1, 1, tzinfo=WIB)))
    out = config.output_path
    pages = {
        str(path.relative_to(out)): path.read_bytes()
        for path in out.rglob("index.html")
        if b"data-pagefind-body" in path.read_bytes()
    }
    assert len(pages) == len(ARTICLES)
    assert len(list((out / "pagefind").iterdir())) >= 3  # a shard a year at least
    with tempfile.TemporaryDirectory(dir=root) as scratch:
        single = unsharded_site(out, pages, "id", Path(scratch))
        with serve_folder(out) as sharded_url, serve_folder(single) as single_url:
            yield sharded_url, single_url


def ranked(page: Any, site_url: str, query: str) -> list[str]:
    """The titles of every result of `query` sorted by relevance, in the page's order."""
    page.goto(f"{site_url}/cari/?q={quote(query)}&sort=relevance")
    page.wait_for_function(SETTLED, arg=query)
    while page.is_visible("#search-more"):
        shown = page.locator("#search-results li").count()
        page.click("#search-more")
        page.wait_for_function(MORE, arg=shown)
    titles: list[str] = page.locator("#search-results .entry-title a").all_inner_texts()
    return titles


@pytest.mark.parametrize("query", QUERIES)
def test_sharded_relevance_is_the_unsharded_order(
    browser: Any, sites: tuple[str, str], query: str
) -> None:
    sharded_url, single_url = sites
    tab = browser.new_page()
    try:
        sharded, single = ranked(tab, sharded_url, query), ranked(tab, single_url, query)
    finally:
        tab.close()
    assert sharded, query
    assert sharded == single


def test_more_mentions_rank_higher_whatever_the_year(browser: Any, sites: tuple[str, str]) -> None:
    tab = browser.new_page()
    try:
        order = ranked(tab, sites[0], "banjir")
    finally:
        tab.close()
    mentions = {a["title"]: a["body"].count("Banjir") for a in ARTICLES}
    counts = [mentions[title] for title in order]
    assert len(counts) == 12 + 2 + 1
    # three mentions first (all of 2016), then two (2016 and the 2022 one), then one
    assert counts == sorted(counts, reverse=True)


def test_ties_are_newest_first_whatever_the_shards(browser: Any, sites: tuple[str, str]) -> None:
    # a reporter's name is in each of their articles once, with the same weight: all tie
    by_siti = [a for a in ARTICLES if a["author"] == "Siti Aminah"]
    newest_first = [a["title"] for a in sorted(by_siti, key=lambda a: a["date"], reverse=True)]
    tab = browser.new_page()
    try:
        for site_url in sites:
            assert ranked(tab, site_url, "Siti Aminah") == newest_first
    finally:
        tab.close()
