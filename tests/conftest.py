"""Shared fixtures: small sites written into tmp folders, and a headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browserkit import CHROMIUM, CHROMIUM_ARGS
from sitekit import SEED_ARTICLE, SiteFactory, filler_articles

from archivegen.config import SiteConfig, load_config


@pytest.fixture
def make_site(tmp_path: Path) -> SiteFactory:
    """Create a site folder with site.yaml (+ extra settings), the seed and `fillers` articles."""

    def factory(fillers: int = 0, seed: bool = True, **settings: Any) -> SiteConfig:
        root = tmp_path / "site"
        (root / "content").mkdir(parents=True, exist_ok=True)
        lines = ["title: Arsip Uji", "base_url: https://arsip.example/"]
        lines += [f"{key}: {value}" for key, value in settings.items()]
        (root / "site.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        if seed:
            target = root / "content" / "dunia" / "seed.md"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(SEED_ARTICLE.read_bytes())
        filler_articles(root / "content", fillers)
        return load_config(root / "site.yaml")

    return factory


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium through Playwright (skipped when it is not installed)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run browser tests")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
