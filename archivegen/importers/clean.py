"""What an imported article may not carry into content/, removed before it is written.

Scraped text holds what no page should: characters XML 1.0 forbids (NUL and the other C0
controls but tab and newlines, lone surrogates, U+FFFE and U+FFFF), which would leave the
feeds and sitemaps not well-formed, and URLs with a scheme a page must never link to
(`javascript:`, `data:`), which the build refuses (archivegen/safeurl.py). Each is
dropped with a note for the import report, so the build takes what the import writes.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from archivegen.importers.html_markdown import encode_url
from archivegen.importers.model import ImportedArticle
from archivegen.safeurl import link_problem

# XML 1.0's Char production, complemented
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# the front matter fields a page turns into a link or an image source
URL_FIELDS = frozenset({"source", "image", "image_source"})


def clean_article(article: ImportedArticle) -> tuple[ImportedArticle, tuple[str, ...]]:
    """The article without forbidden characters and unsafe URLs, and a note for each change."""
    notes: list[str] = []
    title = _text("title", article.title, notes)
    body = _text("body", article.body, notes)
    extra = ((k, _url(k, _text(k, v, notes), notes)) for k, v in article.extra)
    changed = dataclasses.replace(
        article,
        title=title,
        body=body,
        source=_url("source", _maybe("source", article.source, notes), notes),
        authors=tuple(_text("author", a, notes) for a in article.authors),
        category=_maybe("category", article.category, notes),
        tags=tuple(_text("tags", t, notes) for t in article.tags),
        image_caption=_maybe("image_caption", article.image_caption, notes),
        section=_maybe("section", article.section, notes),
        extra=tuple((k, v) for k, v in extra if v is not None),
    )
    return changed, tuple(notes)


def clean_fields(fields: Mapping[str, Any]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Fields to fill in (`--set`, site.yaml's import defaults) cleaned as articles are."""
    notes: list[str] = []
    cleaned = {k: _url(k, _text(k, v, notes), notes) if isinstance(v, str) else v
               for k, v in fields.items()}  # fmt: skip
    return {k: v for k, v in cleaned.items() if v is not None}, tuple(notes)


def _maybe(name: str, value: str | None, notes: list[str]) -> str | None:
    return None if value is None else _text(name, value, notes)


def _text(name: str, value: str, notes: list[str]) -> str:
    kept = _FORBIDDEN.sub("", value)
    if len(kept) != len(value):
        found = sorted({f"U+{ord(c):04X}" for c in _FORBIDDEN.findall(value)})
        count = len(value) - len(kept)
        listed = ", ".join(found)
        notes.append(f"{name}: removed {count} character(s) XML does not allow ({listed})")
    return kept


def _url(name: str, value: str | None, notes: list[str]) -> str | None:
    """A URL field as the build takes it (safeurl.py): percent-encoded if only its spaces or
    quotes are in the way, else dropped with a note (`javascript:`, `data:`, a control
    character, which a browser drops before it reads the scheme)."""
    if name not in URL_FIELDS or not value or link_problem(value) is None:
        return value
    encoded = encode_url(value.strip())
    problem = link_problem(encoded if value.isprintable() else value)
    if problem is None:
        return encoded
    notes.append(f"{name}: dropped {value[:80]!r}: it {problem}")
    return None
