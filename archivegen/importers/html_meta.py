"""What a page declares about itself: title, byline, publication time and site name.

Declared metadata wins over guesses from the layout, in this order: schema.org JSON-LD for
an article, then Dublin Core, Open Graph, Twitter and Parse.ly meta tags, and last the
document <title> with its site-name part cut off. Values are HTML-unescaped once more: many
pages escape their meta values twice (`&amp;rsquo;`), and JSON-LD strings are not HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from archivegen.importers.html_markdown import XmlElement as HtmlElement
from archivegen.importers.sources import parse_json

_PROPERTY = re.compile(
    r"\s*(article|dc|dcterm|og|twitter)\s*:\s*(author|creator|description|published_time|title|site_name)\s*",
    re.IGNORECASE,
)
_NAME = re.compile(
    r"^\s*(?:(dc|dcterm|og|twitter|parsely|weibo:(?:article|webpage))\s*[-.:]\s*)?"
    r"(author|creator|pub-date|description|title|site_name)\s*$",
    re.IGNORECASE,
)
_ARTICLE_TYPE = re.compile(
    r"^(?:\w*Article|Report|SocialMediaPosting|BlogPosting|LiveBlogPosting|DiscussionForumPosting)$"
)
_TITLE_KEYS = ("dc:title", "dcterm:title", "og:title", "weibo:article:title")
_TITLE_KEYS_2 = ("weibo:webpage:title", "title", "twitter:title", "parsely-title")
_BYLINE_KEYS = ("dc:creator", "dcterm:creator", "author", "parsely-author")
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")
_SEPARATOR = re.compile(r" [|\-–—\\/>»] ")
_HIERARCHY = re.compile(r" [\\/>»] ")


@dataclass(frozen=True, slots=True)
class PageMeta:
    """The metadata a page declares; None where it declares nothing."""

    title: str | None
    byline: str | None
    published: str | None
    site_name: str | None


def page_meta(tree: HtmlElement) -> PageMeta:
    """Read the declared metadata of a parsed page."""
    values = _meta_values(tree)
    doc_title = _document_title(tree)
    ld = _jsonld_article(tree, doc_title)
    title = ld.title or _first(values, _TITLE_KEYS + _TITLE_KEYS_2) or clean_title(tree, doc_title)
    site_name = squash(ld.site_name or values.get("og:site_name"))
    declared = [ld.title, doc_title, *(values.get(k) for k in _TITLE_KEYS + _TITLE_KEYS_2)]
    return PageMeta(
        title=without_site_name(squash(title), site_name, [squash(t) for t in declared]),
        byline=squash(ld.byline or _first(values, _BYLINE_KEYS)),
        published=ld.published or _first(values, ("article:published_time", "parsely-pub-date")),
        site_name=site_name,
    )


def without_site_name(
    title: str | None, site_name: str | None, declared: list[str | None]
) -> str | None:
    """The title without a leading or trailing part naming the site ("Story - Site"), when the
    page declares that shorter title too (its twitter:title, say): many pages mean the site
    name as part of their og:title, and readers such as Readability keep it."""
    if not title or not site_name:
        return title
    separators = list(_SEPARATOR.finditer(title))
    if not separators:
        return title
    site = _key(site_name)
    shorter = None
    if _key(title[separators[-1].end() :]) == site:
        shorter = title[: separators[-1].start()].strip()
    elif _key(title[: separators[0].start()]) == site:
        shorter = title[separators[0].end() :].strip()
    return shorter if shorter and shorter in declared else title


def _key(text: str) -> str:
    # "The Hill" is "TheHill", "Sportsnet.ca" is "sportsnetca"
    return "".join(ch for ch in text.lower() if ch.isalnum())


def split_keywords(values: list[str] | None) -> tuple[str, ...]:
    """Tags or categories as a page gives them, a comma-joined list split into its items."""
    found: dict[str, str] = {}
    for value in values or ():
        for item in re.split(r"\s*[,;]\s*", html.unescape(value)):
            item = " ".join(item.split())
            if item and item.lower() not in found:
                found[item.lower()] = item
    return tuple(found.values())


def _meta_values(tree: HtmlElement) -> dict[str, str]:
    values: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = (meta.get("content") or "").strip()
        if not content:
            continue
        for m in _PROPERTY.finditer(meta.get("property") or ""):
            values.setdefault(f"{m.group(1)}:{m.group(2)}".lower(), content)
        name = meta.get("name") or ""
        if _NAME.match(name):
            key = re.sub(r"\s+", "", name).lower().replace(".", ":")
            values.setdefault(key, content)
    return values


def _first(values: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((values[k] for k in keys if values.get(k)), None)


def squash(text: str | None) -> str | None:
    """A meta value as text: entities decoded, whitespace runs one space, None if empty."""
    return " ".join(html.unescape(text).split()) or None if text else None


def _document_title(tree: HtmlElement) -> str:
    found = tree.find(".//title")
    return " ".join("".join(found.itertext()).split()) if found is not None else ""


def clean_title(tree: HtmlElement, title: str) -> str | None:
    """The document <title> without its site-name part ("Story - Site" -> "Story")."""
    if not title:
        return _single_h1(tree)
    cleaned = title
    hierarchy = False
    separators = list(_SEPARATOR.finditer(title))
    if separators:
        hierarchy = bool(_HIERARCHY.search(title))
        cleaned = title[: separators[-1].start()]  # drop the last part: the site name
        if _words(cleaned) < 3:
            cleaned = title[separators[0].end() :]  # or, if that leaves too little, the first
    elif ": " in title:
        if not _heading_equals(tree, title):
            cleaned = title.rsplit(":", 1)[1]
            if _words(cleaned) < 3:
                cleaned = title.split(":", 1)[1]
    elif len(title) > 150 or len(title) < 15:
        cleaned = _single_h1(tree) or title
    cleaned = cleaned.strip()
    # a short result is only trusted when a hierarchy separator removed exactly the site name
    stripped_words = _words(re.sub(r"[|\-–—\\/>»]+", "", title))
    if _words(cleaned) <= 4 and (not hierarchy or _words(cleaned) != stripped_words - 1):
        return title
    return cleaned


def _words(text: str) -> int:
    return len(text.split())


def _heading_equals(tree: HtmlElement, text: str) -> bool:
    return any("".join(h.itertext()).strip() == text for h in tree.iter("h1", "h2"))


def _single_h1(tree: HtmlElement) -> str | None:
    h1s = list(tree.iter("h1"))
    return " ".join("".join(h1s[0].itertext()).split()) if len(h1s) == 1 else None


@dataclass(frozen=True, slots=True)
class _LdArticle:
    title: str | None = None
    byline: str | None = None
    published: str | None = None
    site_name: str | None = None


def _jsonld_article(tree: HtmlElement, doc_title: str) -> _LdArticle:
    for node in _jsonld_nodes(tree):
        types = node.get("@type")
        names = types if isinstance(types, list) else [types]
        if not any(isinstance(t, str) and _ARTICLE_TYPE.match(t) for t in names):
            continue
        publisher = node.get("publisher")
        return _LdArticle(
            title=_ld_title(node, doc_title),
            byline=_ld_names(node.get("author")),
            published=_ld_str(node.get("datePublished")),
            site_name=_ld_str(publisher.get("name")) if isinstance(publisher, dict) else None,
        )
    return _LdArticle()


def _jsonld_nodes(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        data, problem = parse_json(_CDATA.sub("", str(script)).strip().strip(";"))
        if problem:
            continue
        stack = data if isinstance(data, list) else [data]
        for item in stack:
            if isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    yield from (g for g in graph if isinstance(g, dict))


def _ld_title(node: dict[str, Any], doc_title: str) -> str | None:
    headline, name = _ld_str(node.get("headline")), _ld_str(node.get("name"))
    if headline and name and headline != name:
        # two candidates: the one closer to the document title is the article's
        return max((name, headline), key=lambda t: _overlap(t, doc_title))
    return headline or name


def _overlap(a: str, b: str) -> float:
    ta, tb = set(a.lower().split()), set(b.lower().split())
    return len(ta & tb) / max(1, len(ta | tb))


def _ld_names(value: object) -> str | None:
    people = value if isinstance(value, list) else [value]
    names = [
        p.get("name") if isinstance(p, dict) else p for p in people if isinstance(p, dict | str)
    ]
    clean = [n.strip() for n in names if isinstance(n, str) and n.strip()]
    return ", ".join(clean) or None


def _ld_str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
