"""Test kit: writing articles and small sites, the graph they lay out, paths to the fixtures and
the shared corpus."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

import pytest

from archivegen.config import SiteConfig
from archivegen.content.frontmatter import dump_front_matter
from archivegen.content.loader import load_content
from archivegen.graph.listings import Listing
from archivegen.graph.listings import pages_of as pages_of_listing
from archivegen.graph.model import Entry, Link, Term
from archivegen.graph.site import SiteGraph, build_site_graph

FIXTURES = Path(__file__).parent / "fixtures"
SEED_ARTICLE = FIXTURES / "seed-article.md"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
WIB = timezone(timedelta(hours=7))
CATEGORIES = ("Politik", "Ekonomi", "Olahraga")

SiteFactory = Callable[..., SiteConfig]
P = TypeVar("P")


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


def site_graph(config: SiteConfig) -> SiteGraph:
    """The graph a build lays out from a site folder's articles."""
    return build_site_graph(load_content(config).articles, config)


def pages_of(pages: Iterable[object], kind: type[P]) -> list[P]:
    """The pages of one kind, in their order."""
    return [page for page in pages if isinstance(page, kind)]


@dataclass(frozen=True, slots=True)
class Listed:
    """Entries standing in for a layout's articles (`listings.Shown`): a listing of them is
    cut into pages as the build cuts a layout's."""

    config: SiteConfig
    entries: Sequence[Entry]

    def date_of(self, position: int) -> datetime:
        return self.entries[position].date


def paginate(
    kind: str,
    title: str,
    first_url: str,
    entries: Sequence[Entry],
    term: Term | None,
    config: SiteConfig,
    feed_url: str | None = None,
) -> list[object]:
    """The pages of a listing of exactly these entries, newest first."""
    listing = Listing(kind, title, first_url, range(len(entries)), term, feed_url)
    return list(pages_of_listing(Listed(config, entries), listing))


def entries_before(newest: datetime, *hours: float) -> list[Entry]:
    """Entries of one category, dated these hours before `newest` (in its zone), in that order."""
    dunia = Link("Dunia", "/kategori/dunia/")
    return [
        Entry(f"Berita {i}", f"/berita-{i}/", newest - timedelta(hours=h), dunia, (), "")
        for i, h in enumerate(hours)
    ]


@contextmanager
def tmpfs_mounted(folder: Path, size: str = "64m") -> Iterator[None]:
    """A file system of its own at `folder` (a Docker volume, a mounted web root, a small
    disk); skips the test where mounting needs privileges this machine lacks."""
    folder.mkdir(parents=True, exist_ok=True)
    mount = ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)]
    if os.geteuid() != 0 or subprocess.run(mount, capture_output=True).returncode != 0:
        pytest.skip("mounting a tmpfs needs root with CAP_SYS_ADMIN, which this machine lacks")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)
