"""Imported articles into .md files under content/: naming, merging, idempotence, --force.

Each file records two fields of its own: `import_key` (the source URL, else a content hash)
finds it again on the next import, and `import_digest` (a hash of the file as written)
tells a pristine import from one edited by hand, which is never overwritten without force.
A second import of a known article merges into its file (see `merge`); when its text
changed, the file it replaces is kept under `.revisions/` beside the articles and listed in
its `revisions:` with its capture time (see `history` for captures imported out of order).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from archivegen.content.frontmatter import dump_front_matter, parse_front_matter, split_front_matter
from archivegen.content.slug import slugify
from archivegen.errors import ArchivegenError
from archivegen.importers.clean import clean_article, clean_fields
from archivegen.importers.dates import format_datetime
from archivegen.importers.history import (
    Revision,
    listed,
    moment,
    older_fields,
    place,
    revision_path,
    with_item,
    words,
)
from archivegen.importers.html_markdown import encode_url
from archivegen.importers.merge import TextChange, merge_fields
from archivegen.importers.model import ImportedArticle, ImportOutcome, Status
from archivegen.output.atomic import write_atomic

KEY_FIELD = "import_key"
DIGEST_FIELD = "import_digest"
_DIGEST_LINE = re.compile(rf"^{DIGEST_FIELD}: ([0-9a-f]+)\n", re.MULTILINE)
_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|ref|source)$", re.IGNORECASE)

# (field, message) of the first problem the build would find in a file's text, or None
Validator = Callable[[str, Path], tuple[str, str] | None]


@dataclass(frozen=True, slots=True)
class _Before:
    """An article's file as a re-import found it: its front matter, body and whole text."""

    fields: dict[str, Any]
    body: str
    text: str


def article_fields(article: ImportedArticle) -> dict[str, Any]:
    """The front matter an article carries, in the design's field order (None: not carried)."""
    authors: str | list[str] | None = None
    if len(article.authors) == 1:
        authors = article.authors[0]
    elif article.authors:
        authors = list(article.authors)
    fields: dict[str, Any] = {
        "title": article.title,
        "date": format_datetime(article.date) if article.date else None,
        "updated": format_datetime(article.updated) if article.updated else None,
        "author": authors,
        "category": article.category,
        "tags": list(article.tags) or None,
        "image_caption": article.image_caption,
        "source": article.source,
        "section": article.section,
        "captured": format_datetime(article.captured) if article.captured else None,
        "date_source": article.date_source.value if article.date_source else None,
        "date_precision": None if article.date_has_time else "day",
        "draft": article.draft,
    }
    fields.update(article.extra)
    return fields


def article_key(article: ImportedArticle) -> str:
    """What makes two imports the same article: its source URL, else a hash of its content."""
    if article.source:
        return normalize_url(article.source)
    stamp = format_datetime(article.date) if article.date else ""
    content = "\n".join((article.title, stamp, article.body))
    return "sha256:" + hashlib.sha256(content.encode("utf-8")).hexdigest()[:32]


def normalize_url(url: str) -> str:
    """One spelling per URL: https, lower-case host, no fragment, tracking or trailing slash,
    the path percent-encoded (a source the import had to encode is found by its raw form)."""
    parts = urlsplit(url.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k)])
    scheme = "https" if parts.scheme in ("http", "https") else parts.scheme
    path = encode_url(parts.path.rstrip("/"))
    return urlunsplit((scheme, parts.netloc.lower(), path, query, ""))


def render_file(fields: Mapping[str, Any], body: str, key: str) -> str:
    """The full text of an article file, its digest line last in the front matter."""
    stamped = {k: v for k, v in fields.items() if k not in (KEY_FIELD, DIGEST_FIELD)}
    stamped[KEY_FIELD] = key
    pristine = dump_front_matter(stamped, body)
    stamped[DIGEST_FIELD] = _digest(pristine)
    return dump_front_matter(stamped, body)


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

    __slots__ = (
        "_by_key", "_clock", "_dry_run", "_force", "_into", "_planned", "_taken", "_this_run",
        "_validate",
    )  # fmt: skip

    def __init__(
        self,
        into: Path,
        *,
        dry_run: bool = False,
        force: bool = False,
        validate: Validator | None = None,
        clock: datetime | None = None,
    ) -> None:
        self._into = into
        self._dry_run = dry_run
        self._force = force
        self._validate = validate
        self._clock = clock
        self._by_key: dict[str, Path] = index_existing(into)
        self._taken: set[Path] = {p.resolve() for p in article_files(into)}
        self._this_run: set[str] = set()
        self._planned: dict[Path, str] = {}  # what this run wrote (or, dry, would write)

    def write(
        self, article: ImportedArticle, fills: Mapping[str, Any] | None = None
    ) -> ImportOutcome:
        """Write (or plan) one article file, merged into its earlier import if there is one.

        `fills` are fields to use where neither the article nor its earlier file has one
        (a category read off the URL, the user's defaults). What no page may carry (see
        clean.py) is dropped first, each change a note on the outcome.
        """
        article, notes = clean_article(article)
        fills, fill_notes = clean_fields(fills or {})
        outcome = self._write(article, fills)
        notes = (*notes, *fill_notes)
        return dataclasses.replace(outcome, notes=notes) if notes else outcome

    def _write(self, article: ImportedArticle, fills: Mapping[str, Any]) -> ImportOutcome:
        key = article_key(article)
        existing = self._by_key.get(key)
        seen = key in self._this_run
        self._this_run.add(key)
        if existing is None:
            fields = {**_present(fills), **_present(article_fields(article))}
            target = self._new_path(article, fields.get("category"))
            text = render_file(fields, article.body, key)
            return self._commit(article.origin, target, text, key, Status.NEW)
        return self._merge(article, existing, key, fills, seen)

    def _merge(
        self,
        article: ImportedArticle,
        path: Path,
        key: str,
        fills: Mapping[str, Any],
        seen: bool,
    ) -> ImportOutcome:
        current = self._planned.get(path) or path.read_text(encoding="utf-8")
        if not is_pristine(current) and not self._force:
            why = "edited by hand since it was imported; use --force to merge into it"
            return ImportOutcome(article.origin, Status.KEPT, str(path), why)
        parts = split_front_matter(current, str(path))
        old = parse_front_matter(parts.yaml_text, str(path))
        incoming = article_fields(article)
        if old.get("source"):  # the same URL (that is how the file was found), maybe respelled
            incoming["source"] = None
        before = _Before(old, parts.body, current)
        newest = moment(old.get("captured"))
        if article.captured is not None and newest is not None and article.captured < newest:
            text, revision = self._older(article, path, before, incoming, fills, newest)
        else:
            text, revision = self._newer(article, path, before, incoming, fills)
        if text == current:
            status = Status.DUPLICATE if seen else Status.UNCHANGED
            return ImportOutcome(article.origin, status, str(path))
        return self._commit(article.origin, path, text, key, Status.UPDATED, revision)

    def _newer(
        self,
        article: ImportedArticle,
        path: Path,
        before: _Before,
        incoming: dict[str, Any],
        fills: Mapping[str, Any],
    ) -> tuple[str, Revision | None]:
        """The file after a capture at least as new as the article (or of unknown time), and
        the earlier file to keep: listed as a revision when its text differed."""
        old = before.fields
        change = TextChange(old.get("title"), before.body.strip(), article.title, article.body)
        if not change.changed and old.get("captured"):
            incoming["captured"] = None  # the same text seen again: it was first seen before
        fields = merge_fields(old, incoming, _present(fills), change, self._when(article))
        key = article_key(article)
        if not change.changed:  # the same words: the text as first seen stays
            backup = self._revision(path, before.text, str(old.get("updated") or old["date"]))
            return render_file(fields, before.body, key), backup if _replaces(old, fields) else None
        stamp = str(old.get("captured") or old.get("updated") or old.get("date"))
        kept = self._revision(path, version_text(old, before.body, key), stamp)
        item = kept.path.relative_to(self._into).as_posix()
        fields["revisions"] = with_item(listed(old.get("revisions")), stamp, item)
        return render_file(fields, article.body, key), kept

    def _older(
        self,
        article: ImportedArticle,
        path: Path,
        before: _Before,
        incoming: dict[str, Any],
        fills: Mapping[str, Any],
        newest: datetime,
    ) -> tuple[str, Revision | None]:
        """The file after a capture older than the article: the article's own text and
        fields stay (filled where it lacks one), the capture is placed among its revisions."""
        assert article.captured is not None
        old, key = before.fields, article_key(article)
        items = listed(old.get("revisions"))
        fields = older_fields(old, incoming, _present(fills))
        own = (newest, words(old.get("title"), before.body))
        at = place(self._into, items, own, (article.captured, words(article.title, article.body)))
        stamp, body = format_datetime(article.captured), before.body
        if at.adds_nothing:
            return render_file(fields, body, key), None
        if at.moves == len(items):  # the article's own text was first seen then, so spelled
            if old.get("updated") == old.get("captured"):
                fields["updated"] = stamp
            fields["captured"], body = stamp, article.body
            return render_file(fields, body, key), None
        came = {**incoming, "source": old.get("source")}  # the capture's fields, as it came
        kept = self._revision(path, version_text(came, article.body, key), stamp)
        if at.moves is not None:  # a revision's words, seen earlier (and so spelled)
            replaced = self._into / items.pop(at.moves)["file"]
            kept = dataclasses.replace(kept, replaces=replaced)
        else:
            fields.setdefault("updated", old.get("captured"))  # the article's text came then
        item = kept.path.relative_to(self._into).as_posix()
        fields["revisions"] = with_item(items, stamp, item)
        return render_file(fields, body, key), kept

    def _revision(self, path: Path, text: str, stamp: str) -> Revision:
        return Revision(revision_path(self._into, path, text, stamp), text)

    def _when(self, article: ImportedArticle) -> str | None:
        """When a changed text was seen: the page's update, else its capture, else now."""
        moment = article.updated or article.captured or self._clock
        return format_datetime(moment) if moment else None

    def _commit(
        self,
        origin: str,
        path: Path,
        text: str,
        key: str,
        status: Status,
        revision: Revision | None = None,
    ) -> ImportOutcome:
        """Write text to path if the build would take it, and first `revision` (an earlier
        version), so that no article names a revision file that is not there."""
        problem = self._validate(text, path) if self._validate else None
        if problem is not None:
            name, message = problem
            reason = f"{name}: {message}; the build would refuse it"
            return ImportOutcome(origin, Status.FAILED, str(path), reason, missing=name)
        self._by_key[key] = path  # only now: a refused article has no file to merge into
        self._planned[path] = text
        if not self._dry_run:
            if revision is not None and not revision.path.exists():
                write_atomic(revision.path, revision.text.encode("utf-8"))
            write_atomic(path, text.encode("utf-8"))
            if revision is not None and revision.replaces not in (None, revision.path):
                revision.replaces.unlink(missing_ok=True)
        return ImportOutcome(origin, status, str(path))

    def _new_path(self, article: ImportedArticle, category: object) -> Path:
        """content/<category>/<yyyy-mm-dd>-<slug>.md, with -2, -3... when the name is taken."""
        folder = self._into / slugify(str(category)) if category else self._into
        day = f"{article.date:%Y-%m-%d}-" if article.date else ""
        stem = f"{day}{slugify(article.title) or 'artikel'}"
        candidate = folder / f"{stem}.md"
        n = 1
        while candidate.resolve() in self._taken:
            n += 1
            candidate = folder / f"{stem}-{n}.md"
        self._taken.add(candidate.resolve())
        return candidate


def _replaces(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """True when new gives another value to a field old had (so the old one goes to a revision)."""
    bookkeeping = (KEY_FIELD, DIGEST_FIELD, "updated", "captured", "revisions")
    return any(new.get(k) != v for k, v in old.items() if v is not None and k not in bookkeeping)


def _present(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


def version_text(fields: Mapping[str, Any], body: str, key: str) -> str:
    """A revision file: one capture's own fields and text (not the article's list of
    revisions nor its `updated`), so one capture makes one file whatever came before."""
    own = {k: v for k, v in fields.items() if v is not None and k not in ("revisions", "updated")}
    return render_file(own, body, key)


def article_files(into: Path) -> list[Path]:
    """The .md files under into, outside hidden folders (the revisions among them)."""
    if not into.is_dir():
        return []
    return sorted(
        p
        for p in into.rglob("*.md")
        if not any(part.startswith(".") for part in p.relative_to(into).parts)
    )


def index_existing(into: Path) -> dict[str, Path]:
    """Map the import key (and normalized source URL) of every article under into to its file."""
    found: dict[str, Path] = {}
    for path in article_files(into):
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
