"""The Article: one validated news article, as the rest of the pipeline sees it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import TYPE_CHECKING

from archivegen.content.images import MeasuredImage

if TYPE_CHECKING:  # revisions import the Markdown parser, which an up-to-date build never needs
    from archivegen.content.revisions import Revision


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
    lead_image: MeasuredImage | None = None  # `image` as a local file, measured by the build
    # the body's local images (relative to the content folder, in order, each once), and
    # the same measured by the build: the page shows each as a <picture>
    body_image_paths: tuple[str, ...] = ()
    body_images: tuple[MeasuredImage, ...] = ()
    source: str | None = None
    section: str | None = None
    aliases: tuple[str, ...] = ()
    draft: bool = False
    body_html: str = ""
    excerpt: str = ""
    content_hash: str = ""
    # earlier captures whose text differed (`revisions:`), oldest first; the newest one's
    # `correction` is the note ("Koreksi: ...") the article's own text carries
    revisions: tuple[Revision, ...] = ()
    # `duplicate_of:`, the original this article copies, as the original's `source_path`
    # (content/copies.py): its page is this one's canonical; this one is not searched
    duplicate_of: str | None = None
    extra: Mapping[str, object] = field(default_factory=dict)

    def __reduce__(self) -> tuple[type[Article], tuple[object, ...]]:
        # the build cache holds one per article file: a plain tuple of field values
        # unpickles several times faster than the dataclass default (a dict per object)
        return (Article, tuple([getattr(self, name) for name in _ARTICLE_FIELDS]))

    @property
    def lastmod(self) -> datetime:
        """When the article last changed: `updated` if given, else its date."""
        return self.updated or self.date


_ARTICLE_FIELDS = tuple(f.name for f in fields(Article))
