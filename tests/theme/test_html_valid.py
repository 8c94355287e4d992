"""Every kind of page the theme makes is valid HTML by the W3C's Nu Html Checker (vnu.jar,
installed by `make test` with npm; it needs Java): zero errors, warnings aside."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from archivegen.config import SiteConfig

VNU = Path(__file__).resolve().parents[2] / ".cache/npm/node_modules/vnu-jar/build/dist/vnu.jar"
PAGES = (
    "index.html", "halaman/2/index.html", "kategori/index.html", "kategori/politik/index.html",
    "penulis/index.html", "tag/index.html", "arsip/index.html", "arsip/2023/index.html",
    "arsip/2023/01/index.html", "cari/index.html", "404.html",
)  # fmt: skip


def checker() -> list[str]:
    java = shutil.which("java")
    if java is None or not VNU.exists():
        message = f"the Nu Html Checker needs Java and {VNU}: `make test` installs both"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return [java, "-jar", str(VNU), "--errors-only", "--format", "json"]


def test_every_kind_of_page_has_no_html_error(theme_site: SiteConfig) -> None:
    out = theme_site.output_path
    articles = sorted(out.glob("20*/*/*/*/index.html"))
    pages = [out / page for page in PAGES if (out / page).exists()] + articles[:3]
    assert len(pages) >= 12  # the kinds of page named above, and articles
    result = subprocess.run(
        [*checker(), *map(str, pages)], capture_output=True, text=True, timeout=300
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [f"{m.get('url', '')}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert errors == []
