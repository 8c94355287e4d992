"""The site graph's records: what each page shows, ready for a template.

Every page is a frozen value holding exactly what its template needs, so rendering is a
pure function of (site, page) and a page can be handed to a render worker (by fork, or
pickled) or hashed for a cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from archivegen.config import License
from archivegen.content.model import Article
from archivegen.graph.urls import paged_url


@dataclass(frozen=True, slots=True)
class Link:
    """A name and where it points."""

    name: str
    url: str


@dataclass(frozen=True, slots=True)
class Term:
    """One category, author or tag, with its listing URL and article count."""

    kind: str
    name: str
    slug: str
    url: str
    count: int


@dataclass(frozen=True, slots=True)
class Entry:
    """An article as a listing shows it."""

    title: str
    url: str
    date: datetime
    category: Link
    authors: tuple[Link, ...]
    excerpt: str
    image_caption: str | None = None


@dataclass(frozen=True, slots=True)
class Pager:
    """Where a listing page stands among its pages: exactly the links its navigation shows.

    It holds no page count, so a numbered page that is full never changes: only the pages
    near the newest one link to a page that is new. `first` is the number of the first
    page, the one at the listing's own URL: 0 when pages are numbered from the oldest (the
    first page shows the newest entries, page 1 the oldest), 1 when numbered newest first.
    """

    number: int
    first: int
    first_url: str
    page_pattern: str
    newer: int | None  # the page of the next newer entries (None on the newest)
    older: int | None  # … of the next older entries (None on the oldest)
    numbers: tuple[int | None, ...] = ()  # page numbers to show, None for a gap
    jumps: tuple[Link, ...] = ()  # on a first page: each year's page, or a month's days

    def url(self, number: int) -> str:
        """The URL of page `number` of this listing."""
        if number == self.first:
            return self.first_url
        return paged_url(self.first_url, self.page_pattern, number)

    @property
    def is_first(self) -> bool:
        """True on the page at the listing's own URL."""
        return self.number == self.first

    @property
    def previous_url(self) -> str | None:
        """The newer page, if any."""
        return None if self.newer is None else self.url(self.newer)

    @property
    def next_url(self) -> str | None:
        """The older page, if any."""
        return None if self.older is None else self.url(self.older)


@dataclass(frozen=True, slots=True)
class MonthCount:
    """A month of the archive with its article count."""

    year: int
    month: int
    url: str
    count: int


@dataclass(frozen=True, slots=True)
class YearCount:
    """A year of the archive with its months."""

    year: int
    url: str
    count: int
    months: tuple[MonthCount, ...]


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """What every page may show of the whole site: name, navigation, index URLs."""

    title: str
    description: str
    base_url: str
    language: str
    nav: tuple[Link, ...]  # links only: counts here would make every page change on every add
    home_url: str
    categories_url: str
    authors_url: str
    tags_url: str
    archive_url: str
    search_url: str
    feed_url: str
    taxonomies: tuple[str, ...]
    params: dict[str, object] = field(default_factory=dict)
    search: bool = True  # False (`search: false`): no search page, no search box
    logo: str = ""  # site.yaml `logo`: a site path or URL; cards fall back to it
    license: License = field(default_factory=License)  # site.yaml `license`: in every footer

    def absolute(self, url: str) -> str:
        """An absolute URL for a site path (for feeds, canonical links, sitemaps)."""
        return self.base_url.rstrip("/") + url


@dataclass(frozen=True, slots=True)
class ArticlePage:
    """One article with its taxonomy links, neighbours in its category and related articles."""

    url: str
    article: Article
    category: Link  # links, not Terms: a count would change the page whenever a sibling is added
    authors: tuple[Link, ...]
    tags: tuple[Link, ...]
    previous: Entry | None
    next: Entry | None
    related: tuple[Entry, ...]
    search_shard: str = ""  # which part of the search index holds it: its year (or month)
    revision_urls: tuple[str, ...] = ()  # the pages of `article.revisions`, in their order
    # the page of the original this article copies (`duplicate_of`): its canonical link;
    # "" for an original. A copy is built and listed, never in a sitemap or the search
    original_url: str = ""
    template: str = "article.html"


@dataclass(frozen=True, slots=True)
class RevisionPage:
    """An earlier version of an article (`article.revisions[number]`): its text and what the
    next version changed. Under the article's address, never listed, searched or in a
    sitemap: its template says noindex and names the article as canonical."""

    url: str
    article_url: str
    article: Article
    number: int  # oldest 0
    category: Link
    next_url: str  # the version that followed it: the next revision's page or the article
    template: str = "revision.html"


@dataclass(frozen=True, slots=True)
class ListingPage:
    """A page of a listing: home, a category, author or tag, a year or a month."""

    url: str
    kind: str  # home | category | author | tag | year | month | day
    title: str
    entries: tuple[Entry, ...]
    pager: Pager
    term: Term | None = None
    feed_url: str | None = None
    template: str = "list.html"


@dataclass(frozen=True, slots=True)
class TermIndexPage:
    """All categories, authors or tags with their counts."""

    url: str
    kind: str
    terms: tuple[Term, ...]
    template: str = "terms.html"


@dataclass(frozen=True, slots=True)
class ArchiveIndexPage:
    """The calendar of the archive: years and months with counts."""

    url: str
    years: tuple[YearCount, ...]
    template: str = "archive.html"


@dataclass(frozen=True, slots=True)
class RedirectPage:
    """An old address (an alias) that sends readers to the article's new one."""

    url: str
    target: str
    template: str = "redirect.html"


@dataclass(frozen=True, slots=True)
class RedirectMapPage:
    """A web server's redirect map of every alias (path, or path and query) to its target:
    `syntax` is `nginx`, `netlify` (`_redirects`) or `apache` (`.htaccess`)."""

    url: str
    syntax: str
    rules: tuple[tuple[str, str], ...]  # (alias, target), sorted by alias
    template: str = ""


@dataclass(frozen=True, slots=True)
class SearchPage:
    """The search page: a script over the Pagefind bundle at `bundle_url` fills it in."""

    url: str
    bundle_url: str = "/pagefind/"
    shards: tuple[str, ...] = ()  # one Pagefind bundle per shard under bundle_url, newest first
    template: str = "search.html"


@dataclass(frozen=True, slots=True)
class NotFoundPage:
    """The 404 page."""

    url: str = "/404.html"
    template: str = "404.html"


@dataclass(frozen=True, slots=True)
class FeedPage:
    """An Atom feed of the newest articles of the site or a category."""

    url: str
    title: str
    alternate_url: str
    entries: tuple[Entry, ...]
    updated: datetime | None
    template: str = ""


@dataclass(frozen=True, slots=True)
class SitemapPage:
    """A sitemap (or sitemap index) of URLs with their last modification."""

    url: str
    locations: tuple[tuple[str, datetime | None], ...]
    is_index: bool = False
    template: str = ""


@dataclass(frozen=True, slots=True)
class NewsSitemapPage:
    """A Google News sitemap: the articles of the two days up to the newest article."""

    url: str
    publication: str  # the publication's name, as Google News shows it
    language: str  # ISO 639 code, as Google News expects (`id`, `en`, `zh-cn`)
    entries: tuple[Entry, ...]
    template: str = ""


@dataclass(frozen=True, slots=True)
class RobotsPage:
    """robots.txt, naming the sitemap (and the news sitemap, if any)."""

    url: str = "/robots.txt"
    sitemap_url: str = "/sitemap.xml"
    template: str = ""
    news_sitemap_url: str | None = None


Page = (
    ArticlePage
    | RevisionPage
    | ListingPage
    | TermIndexPage
    | ArchiveIndexPage
    | RedirectPage
    | RedirectMapPage
    | SearchPage
    | NotFoundPage
    | FeedPage
    | SitemapPage
    | NewsSitemapPage
    | RobotsPage
)
