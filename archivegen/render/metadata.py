"""Metadata for search engines and social cards: schema.org JSON-LD and the OpenGraph locale.

Built from the page records alone (pure), as plain dicts; templates serialize them with
Jinja's `tojson`, which escapes `<`, `>`, `&` and `'`, so a headline holding `</script>`
cannot end the script element it sits in.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from babel import Locale
from babel.core import get_global

from archivegen.content.model import Article
from archivegen.graph.model import ArticlePage, Link, SiteInfo
from archivegen.render.images import lead_image_url

SCHEMA = "https://schema.org"
JsonObject = dict[str, object]


def news_article(page: ArticlePage, site: SiteInfo) -> JsonObject:
    """A schema.org NewsArticle for an article page, with absolute URLs and dates with offsets."""
    article = page.article
    url = site.absolute(page.url)
    data: JsonObject = {
        "@context": SCHEMA,
        "@type": "NewsArticle",
        "headline": article.title,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": article.date.isoformat(timespec="seconds"),
        "dateModified": article.lastmod.isoformat(timespec="seconds"),
        "author": [_person(author, site) for author in page.authors] or publisher(site),
        "publisher": publisher(site),
        "articleSection": page.category.name,
        "inLanguage": site.language,
        "isAccessibleForFree": True,
    }
    if article.excerpt:
        data["description"] = article.excerpt
    if page.tags:
        data["keywords"] = [tag.name for tag in page.tags]
    image = social_image(article, site)
    if image:
        data["image"] = [image]
    return data


def social_image(article: Article, site: SiteInfo) -> str | None:
    """The absolute URL of a page's card image: its lead image, else the site's logo."""
    url = lead_image_url(article) or site_logo(site)
    return absolute_url(url, site) if url else None


def site_logo(site: SiteInfo) -> str | None:
    """`logo` of site.yaml (`params.logo`, as earlier sites set it, if not)."""
    logo = site.logo or site.params.get("logo")
    return logo if isinstance(logo, str) and logo else None


def breadcrumb_list(trail: Iterable[Link | tuple[str, str]], site: SiteInfo) -> JsonObject:
    """A schema.org BreadcrumbList from (name, url) steps, the home page first."""
    items = []
    for position, step in enumerate(trail, start=1):
        name, url = (step.name, step.url) if isinstance(step, Link) else step
        items.append(
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": site.absolute(url),
            }
        )
    return {"@context": SCHEMA, "@type": "BreadcrumbList", "itemListElement": items}


def publisher(site: SiteInfo) -> JsonObject:
    """The site as a schema.org Organization; `logo` (a URL or path) adds its logo."""
    data: JsonObject = {"@type": "Organization", "name": site.title, "url": site.absolute("/")}
    logo = site_logo(site)
    if logo:
        data["logo"] = {"@type": "ImageObject", "url": absolute_url(logo, site)}
    return data


def absolute_url(url: str, site: SiteInfo) -> str:
    """A site path made absolute; a full URL (or protocol-relative one) is kept as it is."""
    if url.startswith(("http://", "https://", "//")):
        return url
    return site.absolute("/" + url.lstrip("/"))


@lru_cache(maxsize=32)
def og_locale(language: str) -> str:
    """The OpenGraph locale of a site language: `id` -> `id_ID`, `en` -> `en_US`."""
    code = language.replace("-", "_")
    try:
        locale = Locale.parse(code)
    except (ValueError, LookupError):
        return code
    if locale.territory is None:
        likely = get_global("likely_subtags").get(code)
        if likely:
            locale = Locale.parse(likely)
    return f"{locale.language}_{locale.territory}" if locale.territory else locale.language


def _person(author: Link, site: SiteInfo) -> JsonObject:
    person: JsonObject = {"@type": "Person", "name": author.name}
    if author.url:  # no author pages when `author` is left out of `taxonomies`
        person["url"] = site.absolute(author.url)
    return person
