"""Fixtures for the search tests: a small archive about Kazakhstan and its neighbours,
built once and served over real HTTP on 127.0.0.1 (the browser fixture is in tests/conftest.py)."""

from __future__ import annotations

import functools
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from browserkit import serve_folder
from sitekit import SEED_ARTICLE, write_article

from archivegen.build import BuildOptions, BuildReport, build_site
from archivegen.config import SiteConfig, load_config

NOW = BuildOptions(now=datetime(2024, 1, 1, tzinfo=UTC))

# Three other articles name Kazakhstan (older than the seed, in other categories), two don't.
OTHER_ARTICLES: list[dict[str, Any]] = [
    {
        "name": "ekonomi/ekspor.md",
        "title": "Ekspor Batu Bara ke Asia Tengah Naik Tajam",
        "date": "2021-03-10T09:00:00+07:00",
        "author": "Budi Santoso",
        "category": "Ekonomi",
        "tags": ["ekspor", "batu bara"],
        "body": "Pengiriman batu bara ke Kazakhstan dan Uzbekistan naik tajam tahun ini.\n\n"
        "Para eksportir berharap permintaan tetap tinggi.",
    },
    {
        "name": "olahraga/futsal.md",
        "title": "Timnas Futsal Menang Tipis di Almaty",
        "date": "2020-11-02T20:00:00+07:00",
        "author": "Siti Aminah",
        "category": "Olahraga",
        "tags": ["futsal"],
        "body": "Tim nasional futsal Indonesia mengalahkan tuan rumah Kazakhstan 3-2.\n\n"
        "Pelatih memuji para pemain yang berlari tanpa henti.",
    },
    {
        "name": "dunia/pipa.md",
        "title": "Jalur Pipa Minyak Baru Dibuka",
        "date": "2019-06-15T10:30:00+08:00",
        "author": "Budi Santoso",
        "category": "Dunia",
        "tags": ["energi"],
        "body": "Jalur pipa minyak dari Kazakhstan ke Tiongkok mulai beroperasi.",
    },
    {
        "name": "politik/sidang.md",
        "title": "Sidang Paripurna Mengesahkan Anggaran",
        "date": "2023-02-01T13:00:00+07:00",
        "author": "Siti Aminah",
        "category": "Politik",
        "tags": ["anggaran"],
        "body": "Dewan mengesahkan anggaran tahun depan setelah rapat panjang.",
    },
    {
        "name": "dunia/banjir.md",
        "title": "Banjir Melanda Kota-Kota di Eropa Tengah",
        "date": "2023-09-20T08:00:00+07:00",
        "author": "Budi Santoso",
        "category": "Dunia",
        "tags": ["cuaca"],
        "body": "Hujan deras selama tiga hari membuat sungai meluap.",
    },
]


def write_search_site(root: Path, **settings: Any) -> SiteConfig:
    """A site folder with the seed article and OTHER_ARTICLES; `settings` go into site.yaml."""
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    lines = ["title: Arsip Uji", "base_url: https://arsip.example/"]
    lines += [f"{key}: {value}" for key, value in settings.items()]
    (root / "site.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (content / "dunia").mkdir(exist_ok=True)
    shutil.copyfile(SEED_ARTICLE, content / "dunia" / "seed.md")
    for fields in OTHER_ARTICLES:
        fields = dict(fields)
        write_article(content, fields.pop("name"), body=fields.pop("body"), **fields)
    return load_config(root / "site.yaml")


def build(config: SiteConfig, options: BuildOptions = NOW) -> BuildReport:
    """Build with the tests' fixed clock."""
    return build_site(config, options)


SearchSiteFactory = Callable[..., SiteConfig]


@pytest.fixture
def make_search_site(tmp_path: Path) -> SearchSiteFactory:
    """A fresh (unbuilt) search archive in tmp_path; keyword arguments go into site.yaml."""
    return functools.partial(write_search_site, tmp_path / "site")


@pytest.fixture(scope="session")
def search_site(tmp_path_factory: pytest.TempPathFactory) -> SiteConfig:
    """The search archive, built once for the browser tests (which only read it)."""
    config = write_search_site(tmp_path_factory.mktemp("search") / "site")
    build(config)
    return config


@pytest.fixture(scope="session")
def site_url(search_site: SiteConfig) -> Iterator[str]:
    """The built site over real HTTP on a free port of 127.0.0.1."""
    with serve_folder(search_site.output_path) as url:
        yield url
