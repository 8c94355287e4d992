"""Old addresses → new ones: the meta-refresh pages, and the server-side redirect maps.

Every alias of every article (front matter `aliases`, and the old addresses the build
recorded when an edit moved an article) becomes a rule. A plain path also gets a
meta-refresh page (`RedirectPage`), which any static host serves; a path and query
(`/berita.php?id=5`), or a path with percent-escapes (its file would be named otherwise
than the server decodes it), can only be answered by a server, so it is in the maps alone.
An alias at the address of a real page is never a rule: the page wins. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from archivegen.content.aliases import is_query_alias
from archivegen.content.model import Article
from archivegen.errors import ContentError, OutputError, raise_all
from archivegen.graph.model import Page, RedirectMapPage, RedirectPage
from archivegen.graph.urls import output_path

# (url, syntax): the files each server reads its redirects from
MAP_FILES = (
    ("/redirects.nginx.conf", "nginx"),
    ("/_redirects", "netlify"),
    ("/.htaccess", "apache"),
)


# files for machines laid out after the redirects: no alias may take their place
RESERVED = re.compile(r"/(robots\.txt|sitemap(-\d+)?\.xml|news-sitemap\.xml)")


def alias_rules(
    ordered: Sequence[Article], urls: Sequence[str], taken: Iterable[str], warnings: list[str]
) -> list[tuple[str, str]]:
    """(alias, target URL) for every alias that is not the address of a real page, sorted
    (one that is, is skipped with a warning); an unsafe alias is an error naming its file."""
    occupied = {output_path(url): url for url in [*taken, *(url for url, _ in MAP_FILES)]}
    rules: dict[str, str] = {}
    errors: list[ContentError] = []
    for article, url in zip(ordered, urls, strict=True):
        for alias in map(folder_form, article.aliases):
            try:
                claimed = _claimant(alias, occupied)
            except OutputError as exc:
                errors.append(ContentError(exc.message, path=article.source_path, field="aliases"))
                continue
            if claimed is not None:
                warnings.append(f"{alias}: also claimed by an earlier page ({claimed}); skipped")
            elif alias != url:
                rules.setdefault(alias, url)  # the first (newest) article keeps an alias
    raise_all(errors)
    return sorted(rules.items())


def _claimant(alias: str, occupied: dict[str, str]) -> str | None:
    """The page (or reserved file) at a path alias's address; an alias in the maps only
    (a query, or %-escapes) has none: no file is named after it."""
    if not has_page(alias):
        return None
    if RESERVED.fullmatch(alias.rstrip("/")):
        return alias
    path = output_path(alias)
    # the file itself, or a file where its folder would be (`/_redirects/` under `_redirects`)
    parts = path.split("/")
    for end in range(len(parts), 0, -1):
        claimed = occupied.get("/".join(parts[:end]))
        if claimed is not None:
            return claimed
    return None


def folder_form(alias: str) -> str:
    """`/read/123/judul` is served as a folder (`/read/123/judul/index.html`), which web
    servers answer for both spellings; `/old.html` and a query alias stay as they are."""
    if is_query_alias(alias) or "." in alias.rsplit("/", 1)[-1]:
        return alias
    return alias.rstrip("/") + "/"


def redirect_pages(rules: Sequence[tuple[str, str]]) -> list[Page]:
    """A meta-refresh page for every rule a static file can answer (a plain path)."""
    return [RedirectPage(url=alias, target=target) for alias, target in rules if has_page(alias)]


def has_page(alias: str) -> bool:
    """Whether a static file answers the alias: a plain path (a file path is named after it
    undecoded, so a path with %-escapes would not be found by a server that decodes)."""
    return not is_query_alias(alias) and "%" not in alias


def redirect_map_pages(rules: Sequence[tuple[str, str]]) -> list[Page]:
    """One redirect map per server syntax (written even when empty: a config that
    includes it must not break when the last alias goes)."""
    kept = tuple(rules)
    return [RedirectMapPage(url=url, syntax=syntax, rules=kept) for url, syntax in MAP_FILES]
