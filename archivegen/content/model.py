"""The Article: one validated news article, as the rest of the pipeline sees it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Article:
    """A published (or draft) article: metadata, rendered body and where it came from."""

    source_path: str  # relative to the site folder, with forward slashes
    slug: str
    title: str
    date: datetime  # always timezone-aware
    category: str
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    updated: datetime | None = None
    image: str | None = None
    image_caption: str | None = None
    source: str | None = None
    section: str | None = None
    aliases: tuple[str, ...] = ()
    draft: bool = False
    body_html: str = ""
    excerpt: str = ""
    content_hash: str = ""
    extra: Mapping[str, object] = field(default_factory=dict)

    @property
    def lastmod(self) -> datetime:
        """When the article last changed: `updated` if given, else its date."""
        return self.updated or self.date
