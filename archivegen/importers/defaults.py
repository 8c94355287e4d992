"""Fields a source lacks: read off the article's own URL or section, else the user's defaults.

Defaults come from `archivegen import --set category=Nasional` and from site.yaml's
`import: {defaults: {...}}` (the command line wins). A category named by the source URL
(`/bisnis/read/...`, `nasional.kompas.com`) or by the page's section is used before them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from archivegen.config import SiteConfig, default_field_problem
from archivegen.content.loader import parse_article
from archivegen.errors import ArchivegenError, ImportError_
from archivegen.importers.date_evidence import Fallback
from archivegen.importers.model import ImportedArticle
from archivegen.importers.writer import Validator

# path segments and host labels that name no section of a site
_GENERIC = frozenset(
    {
        "read", "news", "berita", "article", "articles", "artikel", "amp", "m", "p", "post",
        "posts", "story", "stories", "detail", "details", "view", "index", "content", "id",
        "en", "www", "web", "blog", "baca", "tag", "tags", "page", "search", "home", "beranda",
        "mobile", "static", "cdn", "img", "images", "portal", "beta", "www2", "amp-story",
        "index.php", "cgi-bin", "terkini", "latest", "nasional-news", "wiki", "about", "entry",
        "entries", "item", "items", "node", "pages", "html", "media",
    }
)  # fmt: skip
_SECOND_LEVEL = frozenset({"co", "or", "ac", "go", "com", "net", "org", "web", "sch", "my",
                           "gov", "edu", "ne", "mil", "biz"})  # fmt: skip
_SECTION = re.compile(r"^[a-z][a-z0-9-]{2,29}$")
_LOCALE = re.compile(r"^[a-z]{2}[-_][a-z]{2,4}$")  # /en-us/, /pt-br/: a language, no section


@dataclass(frozen=True, slots=True)
class FieldDefaults:
    """Front matter fields to give articles whose source lacks them."""

    fields: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def from_pairs(
        cls, pairs: Iterable[str], base: Mapping[str, Any] | None = None
    ) -> FieldDefaults:
        """`--set field=value` flags over base (site.yaml's defaults); values read as YAML."""
        values = dict(base or {})
        for pair in pairs:
            name, sep, raw = pair.partition("=")
            name = name.strip()
            if not sep or not name:
                raise ImportError_(f"{pair!r} is not field=value", field="set")
            value = _scalar(raw.strip(), pair)
            problem = default_field_problem(name, value)
            if problem:
                raise ImportError_(f"{name}: {problem}", field="set")
            values[name] = value
        return cls(tuple(values.items()))

    def as_dict(self) -> dict[str, Any]:
        """The defaults as front matter fields."""
        return dict(self.fields)


def fills_for(article: ImportedArticle, defaults: FieldDefaults) -> dict[str, Any]:
    """Fields an article may take where it has none: its URL's or section's category first."""
    fills = defaults.as_dict()
    guessed = category_from_url(article.source) or _section_category(article.section)
    if guessed:
        fills["category"] = guessed
    return fills


def category_from_url(url: str | None) -> str | None:
    """The section a news URL names: `/bisnis/read/123/x` -> Bisnis, `bola.kompas.com` -> Bola."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    segments = [s for s in parts.path.lower().split("/") if s]
    first = segments[0] if segments else ""
    if len(segments) >= 2 and _names_section(first) and not _LOCALE.match(first):
        return _title(first)
    label = _subdomain(parts.hostname or "")
    return _title(label) if label else None


def _subdomain(host: str) -> str | None:
    labels = host.lower().split(".")
    suffix = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL else 2
    if len(labels) <= suffix:
        return None
    label = labels[0]
    return label if _names_section(label) else None


def _names_section(word: str) -> bool:
    return bool(_SECTION.match(word)) and word not in _GENERIC


def _section_category(section: str | None) -> str | None:
    if not section or section.lower() in _GENERIC:
        return None
    return section


def _title(segment: str) -> str:
    return " ".join(word.capitalize() for word in segment.split("-") if word)


def _scalar(raw: str, pair: str) -> Any:
    try:
        return yaml.safe_load(raw) if raw else ""
    except yaml.YAMLError:
        raise ImportError_(f"{pair[:80]!r}: the value is not valid YAML", field="set") from None
    except ValueError:  # a number past Python's 4,300 digits
        name = pair.partition("=")[0].strip()
        message = f"{name}: a number too long to read; quote it to give it as text"
        raise ImportError_(message, field="set") from None


@dataclass(frozen=True, slots=True)
class ImportSettings:
    """What one import run fills in, and the site it checks articles against."""

    defaults: FieldDefaults = FieldDefaults()
    fallback: Fallback | None = None
    config: SiteConfig | None = None  # None: the build's default settings
    clock: datetime | None = None  # when this import ran: the `updated` of a changed text
    # the archive takes over the source's domain: each article's source path (and query)
    # becomes an alias, so the old site's links land on it (`--alias-source-paths`)
    alias_source_paths: bool = False

    def validator(self) -> Validator:
        """A check of each file to be written, by the rules the build applies: its size
        limit, then the build's own reading of the file (fields, dates, body images)."""
        config = self.config or SiteConfig()

        def validate(text: str, path: Path) -> tuple[str, str] | None:
            size = len(text.encode("utf-8"))
            if size > config.max_article_bytes:
                return "file", _too_big(size, config.max_article_bytes)
            try:
                loaded = parse_article(text, str(path), config, False, with_revisions=False)
                errors = loaded.errors
            except ArchivegenError as exc:  # the front matter as a whole (not YAML...)
                errors = (exc,)
            return (errors[0].field or "file", errors[0].message) if errors else None

        return validate


def _too_big(size: int, limit: int) -> str:
    # the build's words (content/loader.py), so both name the setting to change
    return (
        f"the file is {size / 1_000_000:.1f} MB, over the {limit / 1_000_000:.1f} MB limit "
        "(max_article_bytes in site.yaml)"
    )
