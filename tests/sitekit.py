"""Test kit: writing articles and small sites, paths to the fixtures and the shared corpus."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from archivegen.config import SiteConfig
from archivegen.content.frontmatter import dump_front_matter

FIXTURES = Path(__file__).parent / "fixtures"
SEED_ARTICLE = FIXTURES / "seed-article.md"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
WIB = timezone(timedelta(hours=7))
CATEGORIES = ("Politik", "Ekonomi", "Olahraga")

SiteFactory = Callable[..., SiteConfig]


def write_article(folder: Path, name: str, body: str = "Isi berita.", **fields: Any) -> Path:
    """Write one article file through the same serializer the importer uses."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_front_matter(fields, body), encoding="utf-8")
    return path


def filler_articles(content: Path, count: int) -> None:
    """`count` ordinary articles, one hour apart, spread over three categories and two authors."""
    start = datetime(2023, 1, 1, 8, 0, tzinfo=WIB)
    for i in range(count):
        write_article(
            content,
            f"filler/artikel-{i:03d}.md",
            body=f"Paragraf pertama berita nomor {i}.\n\nParagraf kedua.",
            title=f"Berita Nomor {i}",
            date=(start + timedelta(hours=i)).isoformat(),
            author=["Budi Santoso", "Siti Aminah"][i % 2],
            category=CATEGORIES[i % 3],
            tags=["ekonomi-rakyat", f"topik-{i % 4}"],
        )
