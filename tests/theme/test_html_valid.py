"""Every kind of page the theme makes is valid HTML by the W3C's Nu Html Checker (vnu.jar,
installed by `make test` with npm; it needs Java): zero errors, warnings aside."""

from __future__ import annotations

import json
import subprocess

from themekit import checker

from archivegen.config import SiteConfig

# the home's first page (with its year jumps), its oldest and newest numbered pages, a day's
# listing at its own address and at its articles' date prefix
PAGES = (
    "index.html", "halaman/1/index.html", "halaman/3/index.html", "kategori/index.html",
    "kategori/politik/index.html", "penulis/index.html", "tag/index.html", "arsip/index.html",
    "arsip/2023/index.html", "arsip/2023/01/index.html", "arsip/2023/01/02/index.html",
    "2023/01/02/index.html", "cari/index.html", "404.html",
)  # fmt: skip


def test_every_kind_of_page_has_no_html_error(theme_site: SiteConfig) -> None:
    out = theme_site.output_path
    articles = sorted(out.glob("20*/*/*/*/index.html"))
    pages = [out / page for page in PAGES if (out / page).exists()] + articles[:3]
    assert len(pages) == len(PAGES) + 3  # the kinds of page named above, and articles
    result = subprocess.run(
        [*checker(), *map(str, pages)], capture_output=True, text=True, timeout=300
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [f"{m.get('url', '')}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert errors == []
