"""Group articles by category, author, tag, year, month and day: linear in their number."""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from archivegen.config import Permalinks
from archivegen.content.model import Article
from archivegen.content.slug import slugify
from archivegen.digest import digest
from archivegen.graph.model import Link, Term
from archivegen.graph.urls import fill


@dataclass(frozen=True, slots=True)
class Grouping:
    """The terms of one taxonomy and, per term slug, its articles' positions (newest first)."""

    kind: str
    terms: dict[str, Term]
    members: dict[str, list[int]]
    links: dict[str, Link]  # one shared Link per term: pages hold links, not counts

    def of(self, names: Sequence[str]) -> tuple[Term, ...]:
        """The terms for some display names (as written in an article)."""
        terms = self.terms
        return tuple([t for n in names if (t := terms.get(term_slug(n))) is not None])

    def links_of(self, names: Sequence[str]) -> tuple[Link, ...]:
        """The links for some display names."""
        links = self.links  # called for every article and page: one comprehension, no generator
        return tuple([link for n in names if (link := links.get(term_slug(n))) is not None])


@lru_cache(maxsize=65536)
def term_slug(name: str) -> str:
    """The slug of a category, author or tag name (cached: names repeat across articles).

    A name with nothing slugify can spell in ASCII (emoji, punctuation) is named by a short
    digest of its characters instead, so two such names keep a page each, the same one in
    every build (one shared `-` page merged them, silently).
    """
    spelled = slugify(name)
    if spelled:
        return spelled
    return "x" + digest(unicodedata.normalize("NFC", name).casefold().encode())[:8]


def names_of(kind: str) -> Callable[[Article], Sequence[str]]:
    """How to read one taxonomy's names off an article."""
    if kind == "category":
        return lambda a: (a.category,)
    if kind == "author":
        return lambda a: a.authors
    return lambda a: a.tags


def group_by_term(kind: str, articles: Sequence[Article], pattern: str | None) -> Grouping:
    """Group articles (sorted newest first) by the slug of a taxonomy's names.

    Names that differ only in case or punctuation share one slug and so one page; its
    display name is the spelling most articles use. `pattern` None: the taxonomy has no
    pages (left out of `taxonomies`), so its terms' URLs are "" and nothing links them.
    """
    members: dict[str, list[int]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    names = names_of(kind)
    for index, article in enumerate(articles):
        for name in dict.fromkeys(names(article)):
            slug = term_slug(name)
            if not members[slug] or members[slug][-1] != index:
                members[slug].append(index)
            spellings[slug][name] += 1
    terms = {
        slug: Term(
            kind=kind,
            name=most_common_spelling(spellings[slug]),
            slug=slug,
            url=fill(pattern, slug=slug) if pattern else "",
            count=len(indices),
        )
        for slug, indices in members.items()
    }
    links = {slug: Link(term.name, term.url) for slug, term in terms.items()}
    return Grouping(kind, terms, dict(members), links)


def most_common_spelling(counter: Counter[str]) -> str:
    """The name most articles spell a term with: its display name."""
    # ties break on the name itself so the choice never depends on input order
    return min(counter.items(), key=lambda item: (-item[1], item[0]))[0]


def group_by_month(articles: Sequence[Article]) -> dict[tuple[int, int], list[int]]:
    """Positions of articles per (year, month), in the articles' order."""
    months: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, article in enumerate(articles):
        months[(article.date.year, article.date.month)].append(index)
    return dict(months)


def group_by_day(articles: Sequence[Article]) -> dict[tuple[int, int, int], list[int]]:
    """Positions of articles per (year, month, day), in the articles' order."""
    days: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for index, article in enumerate(articles):
        date = article.date
        days[(date.year, date.month, date.day)].append(index)
    return dict(days)


def taxonomy_patterns(permalinks: Permalinks, built: Sequence[str]) -> dict[str, str | None]:
    """The listing URL pattern of each taxonomy; None for those whose pages are not built."""
    patterns = {"category": permalinks.category, "author": permalinks.author, "tag": permalinks.tag}
    return {kind: pattern if kind in built else None for kind, pattern in patterns.items()}
