"""Fixtures for the theme tests: the theme archive (themekit.py), built once per session, and
the same archive served over HTTP on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browserkit import serve_folder
from themekit import NOW, write_theme_site

from archivegen.build import build_site
from archivegen.config import SiteConfig


@pytest.fixture(scope="session")
def theme_site(tmp_path_factory: pytest.TempPathFactory) -> SiteConfig:
    """The theme archive (seed + 45 fillers), built once: tests only read it."""
    config = write_theme_site(tmp_path_factory.mktemp("theme") / "site")
    build_site(config, NOW)
    return config


@pytest.fixture(scope="session")
def theme_url(theme_site: SiteConfig) -> Iterator[str]:
    """The theme archive over real HTTP on a free port of 127.0.0.1."""
    with serve_folder(theme_site.output_path) as url:
        yield url
