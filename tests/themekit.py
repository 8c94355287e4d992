"""Test kit for the theme tests: a small archive (the seed and fillers over three categories)
and reading its built pages."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest
from sitekit import SEED_ARTICLE, filler_articles

from archivegen.build import BuildOptions
from archivegen.config import SiteConfig, load_config

NOW = BuildOptions(now=datetime(2024, 1, 1, tzinfo=UTC))
SEED_URL = "/2022/10/04/terus-bertambah-200-ribu-warga-rusia-sudah-kabur-ke-kazakhstan/"
BASE = "https://arsip.example"
THEME = Path(__file__).resolve().parents[1] / "themes" / "default"
VNU = Path(__file__).resolve().parents[1] / ".cache/npm/node_modules/vnu-jar/build/dist/vnu.jar"


def write_theme_site(root: Path, fillers: int = 45, **settings: object) -> SiteConfig:
    """The seed and `fillers` articles; `settings` go into site.yaml."""
    (root / "content" / "dunia").mkdir(parents=True)
    (root / "content" / "dunia" / "seed.md").write_bytes(SEED_ARTICLE.read_bytes())
    filler_articles(root / "content", fillers)
    lines = ["title: Arsip Uji", f"base_url: {BASE}/", "description: Arsip berita uji"]
    lines += [f"{key}: {value}" for key, value in settings.items()]
    (root / "site.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_config(root / "site.yaml")


def read_page(config: SiteConfig, url: str) -> lxml.html.HtmlElement:
    """A built page, parsed."""
    relative = url.strip("/") + "/index.html" if url.endswith("/") else url.lstrip("/")
    return lxml.html.fromstring((config.output_path / relative.lstrip("/")).read_bytes())


def checker() -> list[str]:
    """The Nu Html Checker's command (errors only, as JSON); skipped without it, failed on CI."""
    java = shutil.which("java")
    if java is None or not VNU.exists():
        message = f"the Nu Html Checker needs Java and {VNU}: `make test` installs both"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return [java, "-jar", str(VNU), "--errors-only", "--format", "json"]
