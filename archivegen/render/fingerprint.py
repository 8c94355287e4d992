"""Fingerprints that decide whether a page must be rendered again.

A page's output is a pure function of (site, templates, page value), so a hash of those
three is a safe cache key: equal fingerprints mean equal bytes. A change we cannot see
(a new archivegen version) is folded into the salt, so the cache never outlives it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import jinja2
from jinja2 import meta

from archivegen import __version__
from archivegen.content.model import Article
from archivegen.digest import digest_parts, hasher
from archivegen.graph.model import (
    ArticlePage,
    Entry,
    Link,
    ListingPage,
    Page,
    Pager,
    SiteInfo,
    SitemapPage,
    Term,
)


def template_digests(
    env: jinja2.Environment, references: dict[str, list[str] | None] | None = None
) -> dict[str, str]:
    """Per template: a digest of its source and of every template it extends/includes/imports.

    A template that names another through a variable could reach any template, so it
    depends on all of them: we trade a few needless renders for never a stale page.
    `references`: what each source names (None: anything), by the source's digest, as an
    earlier build found it; updated in place (new sources added, gone ones dropped), so a
    caller that keeps it between builds parses only an edited template (all: ~40 ms).
    """
    loader = env.loader
    assert loader is not None
    known = references if references is not None else {}
    sources: dict[str, str] = {}
    found: dict[str, set[str] | None] = {}
    keys: set[str] = set()
    for name in env.list_templates():
        source, _, _ = loader.get_source(env, name)
        sources[name] = source
        key = digest_parts(name.encode(), source.encode())
        keys.add(key)
        if key not in known:
            known[key] = _references(env, source)
        named = known[key]
        found[name] = None if named is None else set(named)
    for stale in set(known) - keys:
        del known[stale]
    everything = digest_parts(*(f"{n}\n{s}".encode() for n, s in sorted(sources.items())))
    return {name: _closure_digest(name, sources, found, everything) for name in sources}


def _references(env: jinja2.Environment, source: str) -> list[str] | None:
    """The templates a source names; None if it names one through a variable or does not
    parse (the render will report the error; it depends on everything till then)."""
    try:
        found = set(meta.find_referenced_templates(env.parse(source)))
    except jinja2.TemplateSyntaxError:
        return None
    return None if None in found else sorted(str(f) for f in found)


def _closure_digest(
    name: str,
    sources: dict[str, str],
    references: dict[str, set[str] | None],
    everything: str,
) -> str:
    seen: set[str] = set()
    stack = [name]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        refs = references.get(current, set())
        if refs is None:
            return everything
        stack.extend(refs)
    return digest_parts(*(f"{n}\n{sources.get(n, '')}".encode() for n in sorted(seen)))


class Fingerprinter:
    """Fingerprints the pages of one build; shared records are serialized once, not per page.

    A page is a tree of frozen records. Each record is serialized as its type and its
    fields (text as UTF-8, other values by `repr`, child records recursively, with
    separators that cannot occur in UTF-8), memoized by identity for the duration of one
    build (the graph keeps every record alive): an Entry shown on twenty listing pages is
    serialized once. Only the page's serialization is hashed. Values, never identities,
    enter a fingerprint.
    """

    def __init__(self, salt: str, templates: dict[str, str]) -> None:
        self.salt = salt.encode()
        self.templates = templates
        self._memo: dict[int, bytes] = {}
        self._started: dict[str, Any] = {}  # template -> a hash fed the salt and the template

    def page(self, page: Page) -> str:
        """The cache key of one page's output."""
        started = self._started.get(page.template)
        if started is None:
            template = self.templates.get(page.template, "") if page.template else ""
            started = self._started[page.template] = hasher()
            started.update(self.salt + b"\x00" + template.encode() + b"\x00")
        # the page itself is never shared: serialized, hashed and forgotten (memoizing
        # every page's bytes would hold the whole site in memory)
        h = started.copy()
        h.update(self._serialize(page))
        return str(h.hexdigest())

    def _record(self, record: object) -> bytes:
        key = id(record)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._serialize(record)
        return found

    def _serialize(self, record: object) -> bytes:
        fast = _FAST.get(type(record))
        if fast is not None:
            return fast(self, record)
        fields = [self._value(getattr(record, name)) for name in _field_names(record)]
        return b"\xfe" + type(record).__name__.encode() + b"\xff".join(fields) + b"\xfd"

    def _value(self, value: object) -> bytes:
        kind = type(value)
        if kind is str:
            return value.encode()  # type: ignore[attr-defined, no-any-return]
        if hasattr(kind, "__dataclass_fields__"):
            return self._record(value)
        if kind is tuple:
            return b"\xfc" + b"\xfb".join(self._value(v) for v in value) + b"\xfa"  # type: ignore[attr-defined]
        return repr(value).encode()


def _article(_: Fingerprinter, record: Article) -> bytes:
    # an Article is a pure function of its file's text, its path and the config (in the
    # salt), of its image files (measured: digest and size) and of its revision files (read:
    # their texts and diffs, few and short): no need to walk its body
    image = repr(record.lead_image).encode() if record.lead_image is not None else b""
    body = repr(record.body_images).encode() if record.body_images else b""
    revisions = repr(record.revisions).encode() if record.revisions else b""
    return (
        b"\xfeA"
        + record.content_hash.encode()
        + record.source_path.encode()
        + image
        + body
        + revisions
    )


def _link(_: Fingerprinter, record: Link) -> bytes:
    return f"\x1eL{record.name}\x1f{record.url}\x1d".encode()


def _entry(fingerprinter: Fingerprinter, record: Entry) -> bytes:
    # listings are made of entries: the hottest record, so it is spelled out by hand, and
    # it stands in its pages as a digest of itself (a listing page hashes 20 digests, not
    # 20 excerpts: the same guarantee, as for any hash tree, at a tenth of the bytes)
    authors = b"".join([fingerprinter._record(a) for a in record.authors])
    text = "\x1f".join(
        (record.title, record.url, repr(record.date), record.excerpt, record.image_caption or "")
    )
    value = text.encode() + fingerprinter._record(record.category) + authors
    return b"\x1eE" + hasher(value).digest() + b"\x1d"


def _sitemap(_: Fingerprinter, record: SitemapPage) -> bytes:
    # every page of the site is a location: one string, not a record per location
    head = f"\x1eS{record.url}\x1f{record.is_index}\x1f{record.template}"
    return (head + "".join(f"\x1e{u}\x1f{d!r}" for u, d in record.locations)).encode()


def _optional(fingerprinter: Fingerprinter, record: object | None) -> bytes:
    return b"\x1c" if record is None else fingerprinter._record(record)


def _records(fingerprinter: Fingerprinter, records: tuple[object, ...]) -> bytes:
    memo, record = fingerprinter._memo.get, fingerprinter._record  # the hottest loop
    return b"\xfc" + b"".join([memo(id(r)) or record(r) for r in records]) + b"\xfa"


def _article_page(fingerprinter: Fingerprinter, page: ArticlePage) -> bytes:
    # one per article: with listing pages, nearly every fingerprint of a build
    head = f"\x1eP{page.url}\x1f{page.search_shard}\x1f{page.template}\x1f"
    head += f"{page.original_url}\x1f"
    revisions = "\x1f".join(page.revision_urls).encode()
    return b"".join(
        (
            head.encode(),
            fingerprinter._record(page.article),
            fingerprinter._record(page.category),
            _records(fingerprinter, page.authors),
            _records(fingerprinter, page.tags),
            _optional(fingerprinter, page.previous),
            _optional(fingerprinter, page.next),
            _records(fingerprinter, page.related),
            revisions,
            b"\x1d",
        )
    )


def _listing_page(fingerprinter: Fingerprinter, page: ListingPage) -> bytes:
    pager, term = page.pager, page.term
    text = (
        f"\x1eG{page.url}\x1f{page.kind}\x1f{page.title}\x1f{page.feed_url}\x1f{page.template}"
        f"\x1f{pager.number}\x1f{pager.first}\x1f{pager.first_url}\x1f{pager.page_pattern}"
        f"\x1f{pager.newer}\x1f{pager.older}\x1f{pager.numbers}\x1f"
    )
    for jump in pager.jumps:
        text += f"{jump.name}\x1c{jump.url}\x1c"
    text += "\x1f"
    if term is not None:
        text += f"{term.kind}\x1f{term.name}\x1f{term.slug}\x1f{term.url}\x1f{term.count}"
    return text.encode() + _records(fingerprinter, page.entries) + b"\x1d"


_FAST: dict[type, Callable[[Fingerprinter, Any], bytes]] = {
    Article: _article,
    Link: _link,
    Entry: _entry,
    SitemapPage: _sitemap,
    ArticlePage: _article_page,
    ListingPage: _listing_page,
}
# The hand-written serializers must see every field: a field added to these records
# without being added above would leave pages stale, so the import fails instead.
_COVERED = {
    Link: {"name", "url"},
    Entry: {"title", "url", "date", "category", "authors", "excerpt", "image_caption"},
    SitemapPage: {"url", "locations", "is_index", "template"},
    ArticlePage: {
        "url", "article", "category", "authors", "tags", "previous", "next", "related",
        "search_shard", "revision_urls", "original_url", "template",
    },
    ListingPage: {"url", "kind", "title", "entries", "pager", "term", "feed_url", "template"},
    Pager: {"number", "first", "first_url", "page_pattern", "newer", "older", "numbers", "jumps"},
    Term: {"kind", "name", "slug", "url", "count"},
}  # fmt: skip
for _kind, _names in _COVERED.items():
    if {f.name for f in dataclasses.fields(_kind)} != _names:
        raise RuntimeError(f"fingerprint.py does not serialize every field of {_kind.__name__}")

_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(record: object) -> tuple[str, ...]:
    kind = type(record)
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(record))  # type: ignore[arg-type]
    return names


def render_salt(site: SiteInfo, config_digest: str) -> str:
    """What every page depends on besides itself: archivegen, the config, the site info."""
    return digest_parts(__version__.encode(), config_digest.encode(), repr(site).encode())
