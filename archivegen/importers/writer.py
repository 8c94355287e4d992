"""Imported articles into .md files under content/: naming, dedupe, idempotence, --force.

Each file records two fields of its own: `import_key` (the source URL, else a content hash)
finds it again on the next import, and `import_digest` (a hash of the file as written)
tells a pristine import from one edited by hand, which is never overwritten without force.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from archivegen.content.frontmatter import dump_front_matter, parse_front_matter, split_front_matter
from archivegen.content.slug import slugify
from archivegen.errors import ArchivegenError
from archivegen.importers.dates import format_datetime
from archivegen.importers.model import ImportedArticle, ImportOutcome, Status
from archivegen.output.atomic import write_atomic

KEY_FIELD = "import_key"
DIGEST_FIELD = "import_digest"
_DIGEST_LINE = re.compile(rf"^{DIGEST_FIELD}: ([0-9a-f]+)\n", re.MULTILINE)
_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|ref|source)$", re.IGNORECASE)


def article_fields(article: ImportedArticle) -> dict[str, Any]:
    """The front matter of an article, in the design's field order (no import bookkeeping)."""
    authors: str | list[str] | None = None
    if len(article.authors) == 1:
        authors = article.authors[0]
    elif article.authors:
        authors = list(article.authors)
    fields: dict[str, Any] = {
        "title": article.title,
        "date": format_datetime(article.date),
        "author": authors,
        "category": article.category,
        "tags": list(article.tags) or None,
        "image_caption": article.image_caption,
        "source": article.source,
        "section": article.section,
    }
    fields.update(article.extra)
    return fields


def article_key(article: ImportedArticle) -> str:
    """What makes two imports the same article: its source URL, else a hash of its content."""
    if article.source:
        return normalize_url(article.source)
    content = "\n".join((article.title, format_datetime(article.date), article.body))
    return "sha256:" + hashlib.sha256(content.encode("utf-8")).hexdigest()[:32]


def normalize_url(url: str) -> str:
    """One spelling per URL: https, lower-case host, no fragment, tracking or trailing slash."""
    parts = urlsplit(url.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k)])
    scheme = "https" if parts.scheme in ("http", "https") else parts.scheme
    return urlunsplit((scheme, parts.netloc.lower(), parts.path.rstrip("/"), query, ""))


def render_file(article: ImportedArticle, key: str) -> str:
    """The full text of an article file, its digest line last in the front matter."""
    fields = article_fields(article)
    fields[KEY_FIELD] = key
    pristine = dump_front_matter(fields, article.body)
    fields[DIGEST_FIELD] = _digest(pristine)
    return dump_front_matter(fields, article.body)


def is_pristine(text: str) -> bool:
    """True when a file is exactly as an import wrote it (not edited by hand since)."""
    m = _DIGEST_LINE.search(text)
    if m is None:
        return False
    without = text[: m.start()] + text[m.end() :]
    return _digest(without) == m.group(1)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


class ArticleWriter:
    """Writes the articles of one import run under a content directory (or only plans them)."""

    __slots__ = ("_by_key", "_dry_run", "_force", "_into", "_taken", "_this_run")

    def __init__(self, into: Path, *, dry_run: bool = False, force: bool = False) -> None:
        self._into = into
        self._dry_run = dry_run
        self._force = force
        self._by_key: dict[str, Path] = index_existing(into)
        self._taken: set[Path] = (
            {p.resolve() for p in into.rglob("*.md")} if into.is_dir() else set()
        )
        self._this_run: dict[str, Path] = {}

    def write(self, article: ImportedArticle) -> ImportOutcome:
        """Write (or plan) one article file; never overwrite a hand edit without force."""
        key = article_key(article)
        if key in self._this_run:
            first = self._this_run[key]
            return ImportOutcome(article.origin, Status.DUPLICATE, str(first), "imported earlier")
        existing = self._by_key.get(key)
        target = existing or self._new_path(article)
        self._this_run[key] = target
        text = render_file(article, key)
        if existing is None:
            return self._commit(article.origin, target, text, Status.IMPORTED)
        return self._revisit(article.origin, existing, text)

    def _revisit(self, origin: str, path: Path, text: str) -> ImportOutcome:
        current = path.read_text(encoding="utf-8")
        if current == text:
            return ImportOutcome(origin, Status.UNCHANGED, str(path))
        if not is_pristine(current) and not self._force:
            why = "edited by hand since it was imported; use --force to overwrite"
            return ImportOutcome(origin, Status.KEPT, str(path), why)
        return self._commit(origin, path, text, Status.UPDATED)

    def _commit(self, origin: str, path: Path, text: str, status: Status) -> ImportOutcome:
        if not self._dry_run:
            write_atomic(path, text.encode("utf-8"))
        return ImportOutcome(origin, status, str(path))

    def _new_path(self, article: ImportedArticle) -> Path:
        """content/<category>/<yyyy-mm-dd>-<slug>.md, with -2, -3... when the name is taken."""
        folder = self._into / slugify(article.category) if article.category else self._into
        stem = f"{article.date:%Y-%m-%d}-{slugify(article.title) or 'artikel'}"
        candidate = folder / f"{stem}.md"
        n = 1
        while candidate.resolve() in self._taken:
            n += 1
            candidate = folder / f"{stem}-{n}.md"
        self._taken.add(candidate.resolve())
        return candidate


def index_existing(into: Path) -> dict[str, Path]:
    """Map the import key (and normalized source URL) of every article under into to its file."""
    found: dict[str, Path] = {}
    if not into.is_dir():
        return found
    for path in sorted(into.rglob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
            fields = parse_front_matter(split_front_matter(text, str(path)).yaml_text, str(path))
        except (OSError, UnicodeDecodeError, ArchivegenError):
            continue  # not ours to judge here: the build reports broken articles
        for value in (fields.get(KEY_FIELD), fields.get("source")):
            if isinstance(value, str) and value:
                key = value if value.startswith("sha256:") else normalize_url(value)
                found.setdefault(key, path)
    return found
