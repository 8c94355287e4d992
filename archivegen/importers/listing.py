"""Home and listing pages are not articles: tell them apart, and say why.

A listing page shows many headline links, and the text an extractor finds on it is a run of
teasers (cut with `…`), timestamps (`2 jam lalu`, `07:40 WIB`) or repeated labels. Pages
that declare themselves articles (JSON-LD Article, `article:published_time`, one schema.org
Article item in their microdata) are trusted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

from archivegen.importers.dates import find_date_span
from archivegen.importers.html_markdown import XmlElement as HtmlElement

_MIN_HEADLINE_LINKS = 10
_HEADLINE_WORDS = 5
_MIN_MAIN_CHARS = 500
_TEASER_SHARE = 0.3
_MIN_RELATIVE_STAMPS = 5
_MIN_REPEATS = 5
_RELATIVE = re.compile(
    r"\b\d+\s+(?:detik|menit|jam|hari|minggu|bulan)\s+(?:yang\s+)?lalu\b"
    r"|\b\d+\s+(?:minutes?|hours?|days?)\s+ago\b",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"\d{1,2}[:.]\d{2}\s*(?:WIB|WITA|WIT)\b", re.IGNORECASE)
_MICRODATA_ARTICLE = re.compile(r"schema\.org/\w*(?:Article|Posting)$", re.IGNORECASE)
# a page about one article marks it once, or twice (NewsArticle inside Article); a listing
# that marks its teasers marks many
_MAX_MICRODATA_ARTICLES = 2
_ARTICLE_TYPES = re.compile(
    r'"@type"\s*:\s*\[?\s*"(?:News|Blog|Scholarly|Tech)?(?:Article|Posting|ReportageNewsArticle)"'
)


def listing_reason(tree: HtmlElement, plain_text: Callable[[], str]) -> str | None:
    """Why a page is a home or listing page rather than an article, or None for an article.

    plain_text gives the extractor's plain main text; it is only asked for when needed.
    """
    if _declares_article(tree):
        return None
    headlines = _headline_links(tree)
    if headlines < _MIN_HEADLINE_LINKS:
        return None
    main_text = plain_text()
    lines = [line.strip() for line in main_text.splitlines() if line.strip()]
    links = f"{headlines} headline links"
    if len(main_text) < _MIN_MAIN_CHARS:
        return f"{links} and only {len(main_text)} characters of article text"
    teasers = sum(1 for line in lines if _is_teaser_or_stamp(line))
    if teasers >= _TEASER_SHARE * len(lines):
        return f"{links}; {teasers} of {len(lines)} text blocks are teasers or timestamps"
    relative = sum(1 for line in lines if _RELATIVE.search(line))
    if relative >= _MIN_RELATIVE_STAMPS:
        return f"{links}; {relative} 'N jam lalu' timestamps"
    return _repeated_label(lines, links)


def _declares_article(tree: HtmlElement) -> bool:
    if tree.xpath('//meta[@property="article:published_time"]'):
        return True
    scripts = tree.xpath('//script[@type="application/ld+json"]/text()')
    if any(_ARTICLE_TYPES.search(str(s)) for s in scripts):
        return True
    items = [t for t in tree.xpath("//@itemtype") if _MICRODATA_ARTICLE.search(str(t).strip())]
    return 0 < len(items) <= _MAX_MICRODATA_ARTICLES


def _headline_links(tree: HtmlElement) -> int:
    """Distinct targets of links whose text is long enough to be a headline."""
    targets = set()
    for anchor in tree.iter("a"):
        href = anchor.get("href")
        if href and len(anchor.text_content().split()) >= _HEADLINE_WORDS:
            targets.add(href)
    return len(targets)


def _is_teaser_or_stamp(line: str) -> bool:
    if line.endswith(("…", "...")) or _CLOCK.search(line[:80]) or _RELATIVE.search(line):
        return True
    return len(line) <= 120 and find_date_span(line) is not None


def _repeated_label(lines: Sequence[str], links: str) -> str | None:
    # a label is a word or two ("Kabar Berita"), not punctuation such as "-" or "|"
    short = Counter(line for line in lines if len(line) <= 40 and sum(map(str.isalpha, line)) >= 3)
    if not short:
        return None
    label, count = short.most_common(1)[0]
    if count >= _MIN_REPEATS:
        return f"{links}; the label {label!r} repeats {count} times"
    return None
