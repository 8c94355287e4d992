"""Atom feeds, sitemaps (plain and Google News) and robots.txt, built as XML trees so they are
always well-formed.

Escaping is not enough for that: XML 1.0 has no way at all to carry most control characters,
U+FFFE, U+FFFF or a lone surrogate, which a title or an excerpt may hold (an import of a
page with a stray byte). Every text is passed through `xml_text`, which drops them; the
build warns once per article (`xml_warnings`), as the pages themselves keep the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from html import escape
from xml.etree import ElementTree as ET

from archivegen.content.model import Article
from archivegen.graph.model import (
    FeedPage,
    NewsSitemapPage,
    RobotsPage,
    SiteInfo,
    SitemapPage,
)

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
EPOCH = "1970-01-01T00:00:00+00:00"
# what XML 1.0 cannot carry: controls but tab, LF and CR; surrogates; U+FFFE and U+FFFF
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def render_feed(page: FeedPage, site: SiteInfo) -> bytes:
    """An Atom 1.0 feed with absolute URLs."""
    feed = ET.Element("feed", xmlns=ATOM)
    feed.set("xml:lang", site.language)
    _text(feed, "title", page.title)
    _text(feed, "id", site.absolute(page.url))
    _text(feed, "updated", page.updated.isoformat() if page.updated else EPOCH)
    ET.SubElement(feed, "link", rel="self", href=site.absolute(page.url))
    ET.SubElement(
        feed, "link", rel="alternate", type="text/html", href=site.absolute(page.alternate_url)
    )
    if site.description:
        _text(feed, "subtitle", site.description)
    _text(feed, "generator", "archivegen")
    for entry in page.entries:
        item = ET.SubElement(feed, "entry")
        _text(item, "title", entry.title)
        _text(item, "id", site.absolute(entry.url))
        ET.SubElement(
            item, "link", rel="alternate", type="text/html", href=site.absolute(entry.url)
        )
        _text(item, "published", entry.date.isoformat())
        _text(item, "updated", entry.date.isoformat())
        for author in entry.authors or ():
            person = ET.SubElement(item, "author")
            _text(person, "name", author.name)
            if author.url:
                _text(person, "uri", site.absolute(author.url))
        if not entry.authors:
            _text(ET.SubElement(item, "author"), "name", site.title)
        ET.SubElement(item, "category", term=xml_text(entry.category.name))
        if entry.excerpt:
            _text(item, "summary", entry.excerpt)
    return _serialize(feed)


def render_sitemap(page: SitemapPage, site: SiteInfo) -> bytes:
    """A sitemap, or the sitemap index of the others.

    Written as text, not as an ElementTree: it lists every page of the site, and is
    rewritten whenever an article's address changes; ElementTree spends 40x longer on it.
    Every text goes through `escape`, the only way in, so it stays well-formed.
    """
    root, item = ("sitemapindex", "sitemap") if page.is_index else ("urlset", "url")
    parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<{root} xmlns="{SITEMAP}">']
    for url, lastmod in page.locations:
        when = "" if lastmod is None else f"<lastmod>{_w3c(lastmod)}</lastmod>"
        loc = escape(xml_text(site.absolute(url)), quote=False)
        parts.append(f"<{item}><loc>{loc}</loc>{when}</{item}>")
    parts.append(f"</{root}>\n")
    return "".join(parts).encode()


def render_robots(page: RobotsPage, site: SiteInfo) -> bytes:
    """robots.txt that allows everything and names the sitemap."""
    text = f"User-agent: *\nAllow: /\n\nSitemap: {site.absolute(page.sitemap_url)}\n"
    if page.news_sitemap_url:
        text += f"Sitemap: {site.absolute(page.news_sitemap_url)}\n"
    return text.encode()


def render_news_sitemap(page: NewsSitemapPage, site: SiteInfo) -> bytes:
    """A Google News sitemap: `news:news` with publication, date and title per article."""
    root = ET.Element("urlset", xmlns=SITEMAP)
    root.set("xmlns:news", NEWS)
    for entry in page.entries:
        item = ET.SubElement(root, "url")
        _text(item, "loc", site.absolute(entry.url))
        news = ET.SubElement(item, "news:news")
        publication = ET.SubElement(news, "news:publication")
        _text(publication, "news:name", page.publication)
        _text(publication, "news:language", page.language)
        _text(news, "news:publication_date", _w3c(entry.date))
        _text(news, "news:title", entry.title)
    return _serialize(root)


def xml_text(text: str) -> str:
    """The text without the characters XML 1.0 cannot carry."""
    return XML_FORBIDDEN.sub("", text)


def xml_warnings(site: SiteInfo, articles: Iterable[Article]) -> list[str]:
    """One warning per article (and one for site.yaml) whose text in the feeds and
    sitemaps lost characters XML cannot carry."""
    sources = [("site.yaml", {"title": site.title, "description": site.description})]
    for a in articles:
        texts = {"title": a.title, "category": a.category, "author": " ".join(a.authors)}
        sources.append((a.source_path, {**texts, "excerpt": a.excerpt}))
    if not XML_FORBIDDEN.search("".join(t for _, texts in sources for t in texts.values())):
        return []  # the usual case, in one pass (every build asks, a patch too)
    return [warning for where, texts in sources if (warning := _xml_warning(where, texts))]


def _xml_warning(where: str, texts: dict[str, str]) -> str | None:
    fields = [name for name, text in texts.items() if XML_FORBIDDEN.search(text)]
    if not fields:
        return None
    found = {c for name in fields for c in XML_FORBIDDEN.findall(texts[name])}
    codes = ", ".join(f"U+{ord(c):04X}" for c in sorted(found))
    return (
        f"{where}: {', '.join(fields)}: characters XML cannot carry ({codes}) "
        "are left out of the feeds and sitemaps"
    )


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = xml_text(text)
    return element


def _w3c(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _serialize(root: ET.Element) -> bytes:
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body + b"\n"
