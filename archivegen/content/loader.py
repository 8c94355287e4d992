"""Read content/ into Articles: every file validated, every error collected, none fatal alone."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from archivegen.config import SiteConfig
from archivegen.content.aliases import clean_alias
from archivegen.content.copies import original_file
from archivegen.content.files import FileStamp, scan_article_files
from archivegen.content.dates import DateProblem, parse_date
from archivegen.content.frontmatter import field_lines, parse_front_matter, split_front_matter
from archivegen.content.images import image_problem
from archivegen.content.limits import path_limits
from archivegen.content.markdown import RenderedBody, render_markdown
from archivegen.content.model import Article
from archivegen.content.revisions import (
    RevisionEntry,
    compare_versions,
    entry_problem,
    stamp_of,
)
from archivegen.content.slug import is_safe_slug, slugify
from archivegen.digest import digest
from archivegen.errors import ArchivegenError, ContentError
from archivegen.safeurl import link_problem

KNOWN_FIELDS = {
    "title", "date", "updated", "author", "category", "tags", "image", "image_caption",
    "source", "section", "slug", "aliases", "draft", "revisions", "duplicate_of",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class LoadedArticle:
    """One file's outcome: an article (with a warning or not) or the errors that stopped it."""

    article: Article | None
    errors: tuple[ArchivegenError, ...] = ()
    assumed_timezone: bool = False

    def __reduce__(self) -> tuple[type[LoadedArticle], tuple[object, ...]]:
        # one per article file in the build cache: a tuple unpickles fastest
        return (LoadedArticle, (self.article, self.errors, self.assumed_timezone))


@dataclass(frozen=True, slots=True)
class ContentSet:
    """Every article of content/ that loaded, and every error of those that did not."""

    articles: tuple[Article, ...]
    errors: tuple[ArchivegenError, ...]
    naive_dates: tuple[str, ...]  # files whose dates took the site timezone


def find_article_files(content_dir: Path) -> list[Path]:
    """All Markdown files under content/, in a stable order; hidden files and folders skipped."""
    return [Path(path) for path, _ in scan_article_files(content_dir)]


def load_content(config: SiteConfig) -> ContentSet:
    """Load every article file; collect all errors instead of stopping at the first."""
    return collect(
        load_article_file(path, config) for path in find_article_files(config.content_path)
    )


def collect(outcomes: Iterable[LoadedArticle]) -> ContentSet:
    """Fold per-file outcomes into one ContentSet."""
    articles: list[Article] = []
    errors: list[ArchivegenError] = []
    naive: list[str] = []
    for outcome in outcomes:
        errors.extend(outcome.errors)
        if outcome.article is not None:
            articles.append(outcome.article)
            if outcome.assumed_timezone:
                naive.append(outcome.article.source_path)
    return ContentSet(tuple(articles), tuple(errors), tuple(naive))


def load_article_file(path: Path, config: SiteConfig, with_body: bool = True) -> LoadedArticle:
    """Read one Markdown file into an Article, or into the errors that explain why not."""
    shown = _display_path(path, config.root)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return LoadedArticle(None, (ContentError(f"cannot be read: {exc.strerror}", path=shown),))
    if len(data) > config.max_article_bytes:
        size = f"{len(data) / 1_000_000:.1f} MB"
        limit = f"{config.max_article_bytes / 1_000_000:.1f} MB"
        message = f"the file is {size}, over the {limit} limit (max_article_bytes in site.yaml)"
        return LoadedArticle(None, (ContentError(message, path=shown),))
    try:
        return parse_article(decode(data, shown), shown, config, with_body)
    except ArchivegenError as exc:
        return LoadedArticle(None, (exc,))


def render_body(path: Path, config: SiteConfig) -> tuple[str, str]:
    """An article file's rendered body and the hash of its text (front matter not re-read)."""
    shown = _display_path(path, config.root)
    text = decode(path.read_bytes(), shown)
    body = split_front_matter(text, shown).body
    folder = article_folder(shown, config)
    rendered = render_markdown(body, allow_html=config.markdown.allow_html, folder=folder)
    return rendered.html, digest(text.encode())


def decode(data: bytes, shown: str) -> str:
    """Decode UTF-8 or raise an error naming the line of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ContentError(
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8",
            path=shown,
            line=line,
        ) from None


def parse_article(
    text: str,
    shown: str,
    config: SiteConfig,
    with_body: bool = True,
    with_revisions: bool = True,
) -> LoadedArticle:
    """Turn the text of one file into an Article; every field problem is reported.

    `with_body=False` leaves `body_html` empty (the excerpt is made all the same): a build
    too large to hold every body in memory renders each body again when it writes that
    article's page. `with_revisions=False` checks the `revisions:` list without reading
    its files (an import checks an article before it writes the revision it names).
    """
    parts = split_front_matter(text, shown)
    meta = parse_front_matter(parts.yaml_text, shown)
    fields = _FieldReader(meta, shown, parts.yaml_text, config)
    article_fields = fields.read()
    entries: tuple[RevisionEntry, ...] = article_fields.pop("revisions")
    versions = _read_revisions(entries, fields, config) if with_revisions else []
    body = render_markdown(
        parts.body,
        allow_html=config.markdown.allow_html,
        html=with_body,
        folder=article_folder(shown, config),
    )
    errors = (*fields.errors, *_body_image_errors(body, shown, parts.body_line))
    if errors:
        return LoadedArticle(None, errors)
    revisions = compare_versions(versions, (article_fields["title"], parts.body))
    article = Article(
        source_path=shown,
        body_html=body.html,
        excerpt=body.excerpt,
        body_image_paths=body.local_paths,
        content_hash=digest(text.encode()),
        revisions=revisions,
        **article_fields,
    )
    return LoadedArticle(article, (), fields.assumed_timezone)


def _body_image_errors(body: RenderedBody, shown: str, body_line: int) -> tuple[ContentError, ...]:
    """An error for each image of the body that may not be shown, at its line in the file."""
    return tuple(
        ContentError(
            f"image {image.src!r} {image.problem}",
            path=shown,
            line=body_line + image.line - 1,
            field="body",
        )
        for image in body.images
        if image.problem
    )


def check_front_matter(text: str, shown: str, config: SiteConfig) -> tuple[ContentError, ...]:
    """The problems the build would find in a file's front matter (its body is not rendered)."""
    try:
        parts = split_front_matter(text, shown)
        reader = _FieldReader(
            parse_front_matter(parts.yaml_text, shown), shown, parts.yaml_text, config
        )
    except ContentError as exc:
        return (exc,)
    reader.read()
    return tuple(reader.errors)


class _FieldReader:
    """Reads typed fields out of front matter, gathering every problem with its line."""

    def __init__(self, meta: dict[str, Any], shown: str, yaml_text: str, config: SiteConfig):
        self.meta, self.shown, self.yaml_text, self.config = meta, shown, yaml_text, config
        self.errors: list[ContentError] = []
        self.assumed_timezone = False
        self._lines: dict[str, int] | None = None
        # the output folder unresolved: resolving costs a stat per component, per article
        self.limits = path_limits(config.root / config.output_dir)

    def fail(self, name: str, message: str) -> None:
        if self._lines is None:
            self._lines = field_lines(self.yaml_text)
        self.errors.append(
            ContentError(message, path=self.shown, line=self._lines.get(name, 1), field=name)
        )

    def read(self) -> dict[str, Any]:
        title = self.text("title", required=True)
        values: dict[str, Any] = {
            "title": title,
            "date": self.date("date", required=True),
            "updated": self.date("updated"),
            "category": self.text("category", required=True),
            "authors": self.names("author"),
            "tags": self.names("tags"),
            "image": self.image(),
            "image_caption": self.text("image_caption"),
            "source": self.link("source"),
            "section": self.text("section"),
            "aliases": self.aliases(),
            "draft": self.flag("draft"),
            "slug": self.slug(title),
            "revisions": self.revisions(),
            "duplicate_of": self.duplicate_of(),
            "extra": {k: v for k, v in self.meta.items() if k not in KNOWN_FIELDS},
        }
        return values

    def text(self, name: str, required: bool = False) -> str | None:
        value = self.meta.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(name, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(name, f"must be text, not {type(value).__name__}")
            return None
        return " ".join(str(value).split())

    def link(self, name: str) -> str | None:
        value = self.text(name)
        problem = None if value is None else link_problem(value)
        if problem:
            self.fail(name, f"{value!r} {problem}")
            return None
        return value

    def image(self) -> str | None:
        value = self.text("image")
        if value is None:
            return None
        problem = image_problem(value, article_folder(self.shown, self.config))
        if problem:
            self.fail("image", f"{value!r} {problem}")
            return None
        return value

    def names(self, name: str) -> tuple[str, ...]:
        value = self.meta.get(name)
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(i, str | int) and not isinstance(i, bool) for i in items):
            self.fail(name, "must be text or a list of text")
            return ()
        cleaned = (" ".join(str(i).split()) for i in items)
        return tuple(dict.fromkeys(i for i in cleaned if i))

    def date(self, name: str, required: bool = False) -> datetime | None:
        value = self.meta.get(name)
        if value is None:
            if required:
                self.fail(name, "is required (ISO 8601, e.g. 2022-10-04T18:23:00+07:00)")
            return None
        try:
            parsed, assumed = parse_date(value, self.config.timezone)
        except DateProblem as exc:
            self.fail(name, str(exc))
            return None
        self.assumed_timezone |= assumed
        return parsed

    def revisions(self) -> tuple[RevisionEntry, ...]:
        """`revisions:`, a list of `{captured: <date>, file: .revisions/...md}` (see
        content/revisions.py), by capture time; each time once."""
        value = self.meta.get("revisions")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail("revisions", "must be a list of {captured: <date>, file: <path>}")
            return ()
        found: dict[str, RevisionEntry] = {}
        for item in value:
            entry = self._revision(item)
            if entry is None:
                continue
            stamp = stamp_of(entry.captured)
            if stamp in found:
                self.fail("revisions", f"two versions captured at {entry.captured.isoformat()}")
            found[stamp] = entry
        return tuple(sorted(found.values(), key=lambda e: e.captured))

    def _revision(self, item: object) -> RevisionEntry | None:
        if not isinstance(item, dict) or not isinstance(item.get("file"), str):
            self.fail("revisions", f"{item!r} must be {{captured: <date>, file: <path>}}")
            return None
        problem = entry_problem(item["file"])
        if problem:
            self.fail("revisions", f"file: {item['file']!r} {problem}")
            return None
        try:
            captured, assumed = parse_date(item.get("captured"), self.config.timezone)
        except DateProblem as exc:
            self.fail("revisions", f"captured: {exc}")
            return None
        self.assumed_timezone |= assumed
        return RevisionEntry(captured, item["file"])

    def duplicate_of(self) -> str | None:
        """`duplicate_of:`, the original's file, as its source path (what graph/ looks up)."""
        value = self.meta.get("duplicate_of")
        if value is None:
            return None
        found = original_file(value, self.config.content_path)
        if isinstance(found, str):
            self.fail("duplicate_of", found)
            return None
        original = _display_path(found, self.config.root)
        if original == self.shown:
            self.fail("duplicate_of", f"{value!r} is this article itself; name the original")
            return None
        return original

    def flag(self, name: str) -> bool:
        value = self.meta.get(name, False)
        if not isinstance(value, bool):
            self.fail(name, "must be true or false")
            return False
        return value

    def slug(self, title: str | None) -> str:
        given = self.meta.get("slug")
        if given is None:
            made = slugify(title or "")
            if title and not made:
                self.fail("title", "gives an empty slug; add a `slug:` field")
            return made
        if not isinstance(given, str) or not is_safe_slug(given):
            self.fail(
                "slug",
                f"{given!r} is not a safe slug (lowercase ASCII letters, digits and hyphens only)",
            )
            return ""
        problem = self.limits.problem(_widest_url(self.config.permalinks.article, given))
        if problem:
            self.fail("slug", f"{given[:40]!r}… makes an address that {problem}")
            return ""
        return given

    def aliases(self) -> tuple[str, ...]:
        value = self.meta.get("aliases") or []
        items = value if isinstance(value, list) else [value]
        good = []
        for item in items:
            if not isinstance(item, str):
                self.fail("aliases", f"{item!r} must be a path on this site starting with /")
                continue
            try:
                alias = clean_alias(item)
            except ValueError as exc:
                self.fail("aliases", f"{item!r} {exc}")
                continue
            problem = self.limits.problem(alias.partition("?")[0])
            if problem:
                self.fail("aliases", f"{item[:40]!r}… {problem}")
                continue
            good.append(alias)
        return tuple(good)


def _read_revisions(
    entries: tuple[RevisionEntry, ...], fields: _FieldReader, config: SiteConfig
) -> list[tuple[datetime, str, str]]:
    """(captured, title, body) of each earlier version; a file that cannot be read is an
    error of the article's `revisions` field."""
    versions = []
    for entry in entries:
        path = config.content_path / entry.file
        try:
            data = path.read_bytes()
            text = decode(data, entry.file)
            parts = split_front_matter(text, entry.file)
            meta = parse_front_matter(parts.yaml_text, entry.file)
        except OSError as exc:
            fields.fail("revisions", f"file: {entry.file} cannot be read: {exc.strerror}")
            continue
        except ArchivegenError as exc:
            fields.fail("revisions", f"file: {entry.file}: {exc}")
            continue
        title = meta.get("title") if isinstance(meta.get("title"), str) else None
        versions.append((entry.captured, title or str(fields.meta.get("title")), parts.body))
    return versions


def _widest_url(pattern: str, slug: str) -> str:
    # the article's address as long as any date makes it
    widest = {"{slug}": slug, "{yyyy}": "0000", "{mm}": "00", "{dd}": "00"}
    for placeholder, value in widest.items():
        pattern = pattern.replace(placeholder, value)
    return pattern


def article_folder(shown: str, config: SiteConfig) -> str:
    """An article file's folder relative to the content folder ("" at its top or outside)."""
    parent = (config.root / shown).parent  # `shown` is relative to the site, or absolute
    if not parent.is_relative_to(config.content_path):
        return ""
    inside = parent.relative_to(config.content_path).as_posix()
    return "" if inside == "." else inside


def _display_path(path: Path, root: Path) -> str:
    # lexically first: the scanner's paths lie under the (resolved) content folder, and
    # resolving each one costs a stat per path component (a tenth of loading an article)
    if path.is_absolute() and path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
