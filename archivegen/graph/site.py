"""Articles -> the site graph: every page of the site, as values, with its URL.

Pure: no files, no clock. Each step is linear (or N log N) in the number of articles, so
the cost per page stays flat as an archive grows.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from archivegen.config import SiteConfig
from archivegen.content.model import Article
from archivegen.errors import ContentError, OutputError, raise_all
from archivegen.graph.model import (
    ArchiveIndexPage,
    ArticlePage,
    Entry,
    FeedPage,
    Link,
    ListingPage,
    MonthCount,
    NewsSitemapPage,
    NotFoundPage,
    Page,
    Pager,
    RedirectPage,
    RobotsPage,
    SearchPage,
    SiteInfo,
    SitemapPage,
    Term,
    TermIndexPage,
    YearCount,
)
from archivegen.graph.taxonomy import (
    Grouping,
    group_by_month,
    group_by_term,
    taxonomy_patterns,
    term_slug,
)
from archivegen.graph.urls import fill, output_path, paged_url

SITEMAP_LIMIT = 50_000  # URLs per sitemap file, as the sitemap protocol allows
NEWS_SITEMAP_URL = "/news-sitemap.xml"
NEWS_WINDOW = timedelta(days=2)  # Google News: articles of the last two days
NEWS_LIMIT = 1_000  # URLs per news sitemap, as Google News allows
NAV_SIZE = 8
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
SEARCH_YEAR_SHARD_LIMIT = 500  # articles in a year up to which it is one search shard
SEARCH_QUARTER_SHARD_LIMIT = 2000  # … up to which its shards are quarters, above: months


@dataclass(frozen=True, slots=True)
class SiteGraph:
    """The whole site as values: shared site info, every page, and what looked wrong."""

    site: SiteInfo
    pages: tuple[Page, ...]
    warnings: tuple[str, ...]


def build_site_graph(articles: Sequence[Article], config: SiteConfig) -> SiteGraph:
    """Lay out the whole site for these (already selected) articles."""
    ordered = newest_first(articles)
    warnings: list[str] = []
    urls = assign_article_urls(ordered, config, warnings)
    groupings = {
        kind: group_by_term(kind, ordered, pattern)
        for kind, pattern in taxonomy_patterns(config.permalinks).items()
    }
    entries = [make_entry(a, url, groupings) for a, url in zip(ordered, urls, strict=True)]
    site = make_site_info(config, groupings["category"])
    pages: list[Page] = []
    pages += article_pages(ordered, urls, entries, groupings, config)
    pages += listing_pages(entries, groupings, config)
    pages += archive_pages(ordered, entries, config)
    pages += feed_pages(entries, groupings["category"], config)
    pages += redirect_pages(ordered, urls)
    if config.search:
        shards = tuple(sorted(set(search_shards(ordered)), reverse=True))
        pages.append(SearchPage(url=config.permalinks.search, shards=shards))
    pages.append(NotFoundPage())
    pages = drop_url_clashes(pages, warnings)
    pages += sitemap_pages(pages, ordered, urls)
    news = news_sitemap_page(entries, config)
    if news is not None:
        pages.append(news)
    pages.append(RobotsPage(news_sitemap_url=news.url if news else None))
    return SiteGraph(site=site, pages=tuple(pages), warnings=tuple(warnings))


def newest_first(articles: Sequence[Article]) -> list[Article]:
    """Articles by date, newest first; equal dates by source path, descending.

    The key is the instant in whole microseconds: ordering aware datetimes converts both
    to UTC in every comparison (~130,000 of them for 10,000 articles), an int compares in C.
    """
    return sorted(
        articles, key=lambda a: ((a.date - _EPOCH) // _MICROSECOND, a.source_path), reverse=True
    )


def assign_article_urls(
    ordered: Sequence[Article], config: SiteConfig, warnings: list[str]
) -> list[str]:
    """One URL per article; a clash gets `-2`, `-3`… in source-path order, and a warning."""
    by_url: dict[str, list[int]] = {}
    for index, article in enumerate(ordered):
        url = fill(config.permalinks.article, slug=article.slug, date=article.date)
        by_url.setdefault(url, []).append(index)
    urls = [""] * len(ordered)
    taken = set(by_url)
    for url, indices in by_url.items():
        indices.sort(key=lambda i: ordered[i].source_path)
        urls[indices[0]] = url
        for suffix, index in enumerate(indices[1:], start=2):
            while (candidate := url.rstrip("/") + f"-{suffix}/") in taken:
                suffix += 1
            taken.add(candidate)
            urls[index] = candidate
            warnings.append(
                f"{ordered[index].source_path}: slug: {url} is also the address of "
                f"{ordered[indices[0]].source_path}; this one is published at {candidate}"
            )
    return urls


def make_entry(article: Article, url: str, groupings: dict[str, Grouping]) -> Entry:
    """The listing view of an article."""
    category = groupings["category"].of((article.category,))[0]
    return entry_of(
        article,
        url,
        groupings["category"].links[category.slug],
        groupings["author"].links_of(article.authors),
    )


def entry_of(article: Article, url: str, category: Link, authors: tuple[Link, ...]) -> Entry:
    """An article's entry, given where its category and author links point."""
    return Entry(
        title=article.title,
        url=url,
        date=article.date,
        category=category,
        authors=authors,
        excerpt=article.excerpt,
        image_caption=article.image_caption,
    )


def make_site_info(config: SiteConfig, categories: Grouping) -> SiteInfo:
    """Site-wide values every template receives; the navigation is the biggest categories."""
    links = config.permalinks
    nav = sorted(categories.terms.values(), key=lambda t: (-t.count, t.name))[:NAV_SIZE]
    return SiteInfo(
        title=config.title,
        description=config.description,
        base_url=config.site_url,
        language=config.language,
        nav=tuple(Link(t.name, t.url) for t in nav),
        home_url="/",
        categories_url=links.categories,
        authors_url=links.authors,
        tags_url=links.tags,
        archive_url=links.archive,
        search_url=links.search,
        feed_url="/feed.xml",
        taxonomies=config.taxonomies,
        params=dict(config.params),
        search=config.search,
    )


def article_pages(
    ordered: Sequence[Article],
    urls: Sequence[str],
    entries: Sequence[Entry],
    groupings: dict[str, Grouping],
    config: SiteConfig,
) -> list[Page]:
    """One page per article, with previous/next in its category and related articles."""
    categories, tags = groupings["category"], groupings["tag"]
    position = {}  # article index -> its position within its category (newest first)
    for members in categories.members.values():
        position.update({index: pos for pos, index in enumerate(members)})
    shards = search_shards(ordered)
    pages: list[Page] = []
    for index, article in enumerate(ordered):
        entry = entries[index]  # its category and author links, made once
        siblings = categories.members[term_slug(article.category)]
        pos = position[index]
        newer = entries[siblings[pos - 1]] if pos > 0 else None
        older = entries[siblings[pos + 1]] if pos + 1 < len(siblings) else None
        related = related_entries(index, ordered, tags, siblings, pos, config.related_count)
        pages.append(
            ArticlePage(
                url=urls[index],
                article=article,
                category=entry.category,
                authors=entry.authors,
                tags=tags.links_of(article.tags),
                previous=older,
                next=newer,
                related=tuple(entries[i] for i in related),
                search_shard=shards[index],
            )
        )
    return pages


def search_shards(ordered: Sequence[Article]) -> list[str]:
    """The search-index shard of each article: a calendar range sized by its year's count.

    Per calendar year of c articles: c <= SEARCH_YEAR_SHARD_LIMIT gives one shard `2015`;
    c <= SEARCH_QUARTER_SHARD_LIMIT gives quarters `2015-q1` … `2015-q4`; more gives months
    `2015-01` … `2015-12`. Shards follow the calendar, so a new or edited article changes
    exactly one shard; and a shard holds about 500 articles or fewer when a year's articles
    are spread over its months, so re-indexing the one that changed stays well under a
    second, and Pagefind's memory is bounded by the largest shard, not the archive. The
    rule depends on the articles only, never on the clock.

    The archive's newest month is a shard of its own (`2024-q4-12`, or `2024-12` beside a
    year shard `2024`) when its year or quarter holds other months too: new articles land
    there and most edits are recent, so the usual incremental build re-indexes a month, not
    a quarter. When the next month begins, the month joins its quarter again (one larger
    re-index, once a month).

    The names sort as text in calendar order (a year has one kind of shard, and `2016` >
    `2015-q4-12` > `2015-q4` > `2015-q1`, `2016-01` > `2015-12`): the search page lists
    them sorted descending, newest first, and its date sort relies on that.
    """
    per_year = Counter(article.date.year for article in ordered)
    names = []
    for article in ordered:
        year, month = article.date.year, article.date.month
        count = per_year[year]
        if count <= SEARCH_YEAR_SHARD_LIMIT:
            names.append(f"{year:04d}")
        elif count <= SEARCH_QUARTER_SHARD_LIMIT:
            names.append(f"{year:04d}-q{(month - 1) // 3 + 1}")
        else:
            names.append(f"{year:04d}-{month:02d}")
    return _newest_month_apart(ordered, names)


def _newest_month_apart(ordered: Sequence[Article], names: list[str]) -> list[str]:
    if not ordered:
        return names
    newest = max((article.date.year, article.date.month) for article in ordered)
    in_month = [i for i, a in enumerate(ordered) if (a.date.year, a.date.month) == newest]
    parent = names[in_month[0]]
    if names.count(parent) == len(in_month):  # the shard is that month already
        return names
    own = f"{parent}-{newest[1]:02d}"
    for i in in_month:
        names[i] = own
    return names


def related_entries(
    index: int,
    ordered: Sequence[Article],
    tags: Grouping,
    siblings: Sequence[int],
    pos: int,
    limit: int,
) -> list[int]:
    """Articles sharing the most tags, nearest in time first; then category neighbours.

    Each tag contributes only its articles nearest in time (a bisect in a sorted list),
    so the cost per article stays bounded however large a tag grows.
    """
    if limit <= 0:
        return []
    shared: dict[int, int] = {}
    count = shared.get
    for name in ordered[index].tags:
        members = tags.members.get(term_slug(name), [])
        # members are positions in newest-first order, so they are sorted ascending
        at = bisect.bisect_left(members, index)
        for other in members[max(0, at - limit) : at + limit + 1]:
            shared[other] = count(other, 0) + 1
    shared.pop(index, None)
    # most shared tags first, then nearest in time, then newest: one int per candidate,
    # which sorts in C (this runs once per article)
    most, width = len(ordered[index].tags), len(ordered).bit_length()
    ranked = [
        ((most - n) << (2 * width)) | (abs(other - index) << width) | other
        for other, n in shared.items()
    ]
    ranked.sort()
    mask = (1 << width) - 1
    chosen = [key & mask for key in ranked[:limit]]
    for step in range(1, len(siblings)):
        if len(chosen) >= limit:
            break
        for near in (pos - step, pos + step):
            if 0 <= near < len(siblings) and siblings[near] not in chosen and len(chosen) < limit:
                chosen.append(siblings[near])
    return chosen


def listing_pages(
    entries: Sequence[Entry], groupings: dict[str, Grouping], config: SiteConfig
) -> list[Page]:
    """The paginated home, one paginated listing per term, and the index of each taxonomy."""
    links = config.permalinks
    pages = paginate("home", config.title, "/", list(entries), None, config)
    index_urls = {"category": links.categories, "author": links.authors, "tag": links.tags}
    for kind in config.taxonomies:
        grouping = groupings[kind]
        terms = sorted(grouping.terms.values(), key=lambda t: (t.name.casefold(), t.slug))
        pages.append(TermIndexPage(url=index_urls[kind], kind=kind, terms=tuple(terms)))
        for term in terms:
            members = [entries[i] for i in grouping.members[term.slug]]
            feed = term.url + "feed.xml" if kind == "category" else None
            pages += paginate(kind, term.name, term.url, members, term, config, feed)
    return pages


def paginate(
    kind: str,
    title: str,
    first_url: str,
    entries: Sequence[Entry],
    term: Term | None,
    config: SiteConfig,
    feed_url: str | None = None,
) -> list[Page]:
    """Cut a newest-first list into pages of `page_size` entries."""
    size = config.page_size
    total = max(1, -(-len(entries) // size))
    return [
        ListingPage(
            url=paged_url(first_url, config.permalinks.page, number),
            kind=kind,
            title=title,
            entries=tuple(entries[(number - 1) * size : number * size]),
            pager=Pager(number, total, first_url, config.permalinks.page),
            term=term,
            feed_url=feed_url,
        )
        for number in range(1, total + 1)
    ]


def archive_pages(
    ordered: Sequence[Article], entries: Sequence[Entry], config: SiteConfig
) -> list[Page]:
    """Year and month listings, and the archive's calendar of years and months."""
    links = config.permalinks
    months = group_by_month(ordered)
    pages: list[Page] = []
    years: list[YearCount] = []
    for year in sorted({y for y, _ in months}, reverse=True):
        year_url = fill(links.year, date=ordered[months[_first_month(months, year)][0]].date)
        in_year = [(m, months[(year, m)]) for m in range(12, 0, -1) if (year, m) in months]
        counts = []
        for month, indices in in_year:
            month_url = fill(links.month, date=ordered[indices[0]].date)
            counts.append(MonthCount(year, month, month_url, len(indices)))
            title = f"{year}-{month:02d}"
            month_entries = [entries[i] for i in indices]
            pages += paginate("month", title, month_url, month_entries, None, config)
        year_entries = [entries[i] for _, indices in in_year for i in indices]
        years.append(YearCount(year, year_url, len(year_entries), tuple(counts)))
        pages += paginate("year", str(year), year_url, year_entries, None, config)
    pages.append(ArchiveIndexPage(url=links.archive, years=tuple(years)))
    return pages


def _first_month(months: dict[tuple[int, int], list[int]], year: int) -> tuple[int, int]:
    return max(key for key in months if key[0] == year)


def feed_pages(entries: Sequence[Entry], categories: Grouping, config: SiteConfig) -> list[Page]:
    """The site's Atom feed and one per category."""
    size = config.feed_size
    pages: list[Page] = [
        FeedPage(
            url="/feed.xml",
            title=config.title,
            alternate_url="/",
            entries=tuple(entries[:size]),
            updated=entries[0].date if entries else None,
        )
    ]
    for term in sorted(categories.terms.values(), key=lambda t: t.slug):
        members = categories.members[term.slug][:size]
        pages.append(
            FeedPage(
                url=term.url + "feed.xml",
                title=f"{config.title}: {term.name}",
                alternate_url=term.url,
                entries=tuple(entries[i] for i in members),
                updated=entries[members[0]].date if members else None,
            )
        )
    return pages


def redirect_pages(ordered: Sequence[Article], urls: Sequence[str]) -> list[Page]:
    """A redirect page at every alias, so old links keep working; unsafe aliases are errors."""
    pages: list[Page] = []
    errors: list[ContentError] = []
    for article, url in zip(ordered, urls, strict=True):
        for alias in article.aliases:
            # `/read/123/judul` is served as a folder (`/read/123/judul/index.html`), which
            # web servers answer for both spellings; `/old.html` stays a file
            if "." not in alias.rsplit("/", 1)[-1]:
                alias = alias.rstrip("/") + "/"
            try:
                output_path(alias)
            except OutputError as exc:
                errors.append(ContentError(exc.message, path=article.source_path, field="aliases"))
                continue
            pages.append(RedirectPage(url=alias, target=url))
    raise_all(errors)
    return pages


def drop_url_clashes(pages: list[Page], warnings: list[str]) -> list[Page]:
    """Keep the first page claiming each output file; later claimants are warned about.

    Real pages come before redirects in `pages`, so an alias never hides an article.
    """
    seen: dict[str, str] = {}
    kept: list[Page] = []
    for page in pages:
        path = output_path(page.url)
        if path in seen:
            warnings.append(f"{page.url}: also claimed by an earlier page ({seen[path]}); skipped")
            continue
        seen[path] = page.url
        kept.append(page)
    return kept


def sitemap_pages(
    pages: Sequence[Page], ordered: Sequence[Article], urls: Sequence[str]
) -> list[Page]:
    """sitemap.xml listing every HTML page (a sitemap index past 50,000 URLs)."""
    lastmod = {url: a.lastmod for a, url in zip(ordered, urls, strict=True)}
    locations: list[tuple[str, datetime | None]] = []
    for page in pages:
        if isinstance(page, ArticlePage):
            locations.append((page.url, lastmod[page.url]))
        elif isinstance(page, ListingPage):
            newest = page.entries[0].date if page.entries else None
            locations.append((page.url, newest))
        elif isinstance(page, TermIndexPage | ArchiveIndexPage):
            locations.append((page.url, None))
    if len(locations) <= SITEMAP_LIMIT:
        return [SitemapPage(url="/sitemap.xml", locations=tuple(locations))]
    chunks = [locations[i : i + SITEMAP_LIMIT] for i in range(0, len(locations), SITEMAP_LIMIT)]
    parts: list[Page] = [
        SitemapPage(url=f"/sitemap-{n}.xml", locations=tuple(chunk))
        for n, chunk in enumerate(chunks, start=1)
    ]
    index = tuple((p.url, None) for p in parts)
    return [SitemapPage(url="/sitemap.xml", locations=index, is_index=True), *parts]


def news_sitemap_page(entries: Sequence[Entry], config: SiteConfig) -> NewsSitemapPage | None:
    """The Google News sitemap: articles of the two days up to the newest article.

    Measured from the newest article, not the clock, so the graph stays a pure function of
    the content: equal content gives an equal sitemap, and a rebuild with nothing new leaves
    it unchanged. A live archive (the newest article is today's) gets exactly Google's "last
    two days"; a finished archive keeps its last two days listed, which crawlers ignore.
    """
    if not entries:
        return None
    since = entries[0].date - NEWS_WINDOW
    recent = []
    for entry in entries[:NEWS_LIMIT]:  # newest first
        if entry.date < since:
            break
        recent.append(entry)
    return NewsSitemapPage(
        url=NEWS_SITEMAP_URL,
        publication=config.title,
        language=news_language(config.language),
        entries=tuple(recent),
    )


def news_language(language: str) -> str:
    """The ISO 639 code Google News expects: `id`, `en`, and `zh-cn`/`zh-tw` for Chinese."""
    code = language.replace("_", "-").lower()
    if code.startswith("zh"):
        return "zh-tw" if code in ("zh-tw", "zh-hant", "zh-hk") else "zh-cn"
    return code.split("-")[0]
