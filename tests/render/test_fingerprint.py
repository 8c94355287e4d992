"""Page fingerprints, the cache key of a page's output: a pure function of (site, templates,
page value). Equal values fingerprint equal, whatever their identity; every change a template
can show changes the fingerprint; and against the real renderer, over every page of a small
site before and after an edit, an unchanged fingerprint means unchanged bytes."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, get_args

import jinja2
import pytest
from sitekit import SiteFactory, filler_articles, pages_of, site_graph, write_article

from archivegen.config import SiteConfig, load_config
from archivegen.content.loader import parse_article
from archivegen.content.model import Article
from archivegen.graph.model import (
    ArchiveIndexPage,
    ArticlePage,
    Entry,
    FeedPage,
    Link,
    ListingPage,
    NewsSitemapPage,
    Page,
    RedirectPage,
    RobotsPage,
    SearchPage,
    SitemapPage,
    TermIndexPage,
)
from archivegen.graph.site import SiteGraph, build_site_graph
from archivegen.graph.urls import output_path
from archivegen.render.fingerprint import Fingerprinter, render_salt, template_digests
from archivegen.render.renderer import Renderer
from archivegen.render.theme import template_dirs, theme_dirs

replace = dataclasses.replace
SALT = "salt"
TEMPLATES = {"article.html": "digest of article.html", "list.html": "digest of list.html"}
MINUTE = timedelta(minutes=1)
Output = dict[str, tuple[str, bytes]]  # output file -> (fingerprint, bytes)


def fingerprint(page: Page, salt: str = SALT, templates: dict[str, str] = TEMPLATES) -> str:
    """A page's fingerprint by a fresh Fingerprinter (its memo, by identity, lives one call)."""
    return Fingerprinter(salt, templates).page(page)


@dataclasses.dataclass(frozen=True)
class Site:
    """A small built site: 12 fillers and an aliased Dunia article with two authors."""

    config: SiteConfig
    graph: SiteGraph
    compiled: Path  # the renderers of this module share compiled templates
    output: Output  # what a build of `graph` renders

    def renderer(self, graph: SiteGraph | None = None) -> Renderer:
        theme = theme_dirs(self.config)
        info = (graph or self.graph).site
        return Renderer(info, template_dirs(self.config, theme), theme, self.compiled)

    def build(self, graph: SiteGraph) -> Output:
        """Every page of `graph`, fingerprinted and rendered as one build does it."""
        renderer = self.renderer(graph)
        salt = render_salt(graph.site, "config digest")
        fingerprinter = Fingerprinter(salt, template_digests(renderer.env))
        return {
            output_path(p.url): (fingerprinter.page(p), renderer.render(p)) for p in graph.pages
        }

    def page(self, url: str) -> Any:
        return next(p for p in self.graph.pages if p.url == url)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("fingerprint")
    settings = ["title: Arsip Uji", "base_url: https://arsip.example/", "page_size: 4"]
    settings += ["feed_size: 5", "related_count: 2"]
    (root / "site.yaml").write_text("\n".join(settings) + "\n", encoding="utf-8")
    filler_articles(root / "content", 12)
    write_article(
        root / "content",
        "dunia/pindah.md",
        title="Berita Yang Pindah",
        date="2022-12-30T09:00:00+07:00",
        author=["Budi Santoso", "Rina Wati"],
        category="Dunia",
        image_caption="Foto/Net",
        aliases=["/lama/berita-yang-pindah/"],
        revisions=[{"captured": "2022-12-30T08:00:00+07:00", "file": ".revisions/pindah.md"}],
    )
    # an earlier version: every kind of page, a revision page too
    write_article(root / "content", ".revisions/pindah.md", "Isi lama.", title="Berita Lama")
    config = load_config(root / "site.yaml")
    built = Site(config, site_graph(config), root / "compiled", {})
    return replace(built, output=built.build(built.graph))


# Politik holds fillers 0, 3, 6, 9: number 6 has a previous and a next entry, and related ones
ARTICLE = "/2023/01/01/berita-nomor-6/"
TAG = "/tag/ekonomi-rakyat/"  # all 12 fillers: the newest 4, then pages 1 to 3 of 4 each
MONTH = "/arsip/2023/01/"  # the 12 fillers, all of one day: a jump to that day


# -- equal values, equal fingerprints ------------------------------------------------------


def test_a_page_fingerprints_the_same_again_in_a_new_fingerprinter_and_as_a_deep_copy(
    site: Site,
) -> None:
    pages = site.graph.pages
    copies = copy.deepcopy(pages)
    assert copies[0] is not pages[0] and copies[0].article is not pages[0].article  # type: ignore[union-attr]
    one = Fingerprinter(SALT, TEMPLATES)
    first = [one.page(p) for p in pages]
    assert [one.page(p) for p in pages] == first
    assert [Fingerprinter(SALT, TEMPLATES).page(p) for p in copies] == first
    assert len(set(first)) == len(pages)  # no two pages of a site share one


def test_a_fresh_load_of_the_same_files_fingerprints_the_same(site: Site) -> None:
    again = site_graph(site.config)
    assert all(a is not b for a, b in zip(site.graph.pages, again.pages, strict=True))
    assert [fingerprint(p) for p in again.pages] == [fingerprint(p) for p in site.graph.pages]


# -- what a template can show changes the fingerprint --------------------------------------


def test_the_article_page_sample_has_what_the_edits_below_change(site: Site) -> None:
    page = site.page(ARTICLE)
    assert page.previous and page.next and page.related and page.authors and len(page.tags) == 2


ARTICLE_PAGE_EDITS: dict[str, Callable[[ArticlePage], ArticlePage]] = {
    "url": lambda p: replace(p, url="/2023/01/01/lain/"),
    "the article's text (its hash)": lambda p: replace(p, article=replace(p.article, content_hash="x")),
    "the article's file": lambda p: replace(p, article=replace(p.article, source_path="lain.md")),
    "category name": lambda p: replace(p, category=Link("Lain", p.category.url)),
    "category url": lambda p: replace(p, category=Link(p.category.name, "/kategori/lain/")),
    "an author more": lambda p: replace(p, authors=(*p.authors, Link("Rina Wati", "/penulis/rina-wati/"))),
    "an author renamed": lambda p: replace(p, authors=(Link("Lain", p.authors[0].url),)),
    "no author": lambda p: replace(p, authors=()),
    "a tag less": lambda p: replace(p, tags=p.tags[1:]),
    "tags reordered": lambda p: replace(p, tags=p.tags[::-1]),
    "a tag's url": lambda p: replace(p, tags=(Link(p.tags[0].name, "/tag/lain/"), *p.tags[1:])),
    "no previous": lambda p: replace(p, previous=None),
    "no next": lambda p: replace(p, next=None),
    "previous and next swapped": lambda p: replace(p, previous=p.next, next=p.previous),
    "a related entry less": lambda p: replace(p, related=p.related[1:]),
    "related reordered": lambda p: replace(p, related=p.related[::-1]),
    "search shard": lambda p: replace(p, search_shard="2022"),
    "template": lambda p: replace(p, template="list.html"),
}  # fmt: skip


@pytest.mark.parametrize("edit", ARTICLE_PAGE_EDITS.values(), ids=ARTICLE_PAGE_EDITS.keys())
def test_an_article_page_edit_changes_the_fingerprint(
    site: Site, edit: Callable[[ArticlePage], ArticlePage]
) -> None:
    page = site.page(ARTICLE)
    edited = edit(page)
    assert edited != page
    assert fingerprint(edited) != fingerprint(page)


# an edit of the article's file, as the loader reads it: the article enters by its text's hash
FILE_EDITS_BY_FIELD = {
    "title": ("title: Berita Nomor 6", "title: Berita Keenam"),
    "excerpt": ("Paragraf pertama", "Alinea pembuka"),
    "body_html": ("Paragraf kedua.", "Paragraf kedua, diperbaiki."),
    "image_caption": ("category: Politik", "category: Politik\nimage_caption: Foto/Net"),
}


@pytest.mark.parametrize(
    "field, old, new",
    [(field, *edit) for field, edit in FILE_EDITS_BY_FIELD.items()],
    ids=FILE_EDITS_BY_FIELD.keys(),
)
def test_an_edit_of_the_articles_file_changes_its_pages_fingerprint(
    site: Site, field: str, old: str, new: str
) -> None:
    page = site.page(ARTICLE)
    edited = reparsed(site, page.article.source_path, old, new)
    assert getattr(edited, field) != getattr(page.article, field)
    assert fingerprint(replace(page, article=edited)) != fingerprint(page)


def reparsed(site: Site, source_path: str, old: str, new: str) -> Article:
    """The article the loader reads from its file with `old` replaced by `new`."""
    text = (site.config.root / source_path).read_text(encoding="utf-8")
    assert old in text
    loaded = parse_article(text.replace(old, new, 1), source_path, site.config)
    assert loaded.article is not None, loaded.errors
    return loaded.article


ENTRY_EDITS: dict[str, Callable[[Entry], Entry]] = {
    "title": lambda e: replace(e, title=e.title + "!"),
    "url": lambda e: replace(e, url="/2023/01/01/lain/"),
    "date, a minute later": lambda e: replace(e, date=e.date + MINUTE),
    "date, the same instant in another zone": lambda e: replace(e, date=e.date.astimezone(UTC)),
    "excerpt": lambda e: replace(e, excerpt=e.excerpt + " Lagi."),
    "caption": lambda e: replace(e, image_caption="Foto/Net"),
    "category name": lambda e: replace(e, category=Link("Lain", e.category.url)),
    "category url": lambda e: replace(e, category=Link(e.category.name, "/kategori/lain/")),
    "an author more": lambda e: replace(e, authors=(*e.authors, Link("Rina Wati", "/penulis/rina-wati/"))),
    "no author": lambda e: replace(e, authors=()),
}  # fmt: skip


def entry_holders(site: Site, edit: Callable[[Entry], Entry]) -> dict[str, tuple[Page, Page]]:
    """Each kind of place that shows an entry: (its page, the page with that entry edited)."""
    article: ArticlePage = site.page(ARTICLE)
    assert article.previous is not None and article.next is not None
    home, feed, news = site.page("/"), site.page("/feed.xml"), site.page("/news-sitemap.xml")

    def first_edited(page: Any) -> Any:
        return replace(page, entries=(edit(page.entries[0]), *page.entries[1:]))

    return {
        "listing": (home, first_edited(home)),
        "feed": (feed, first_edited(feed)),
        "news sitemap": (news, first_edited(news)),
        "previous": (article, replace(article, previous=edit(article.previous))),
        "next": (article, replace(article, next=edit(article.next))),
        "related": (article, replace(article, related=(edit(article.related[0]),))),
    }


@pytest.mark.parametrize("edit", ENTRY_EDITS.values(), ids=ENTRY_EDITS.keys())
def test_an_entry_edit_changes_every_page_that_shows_the_entry(
    site: Site, edit: Callable[[Entry], Entry]
) -> None:
    for holder, (page, edited) in entry_holders(site, edit).items():
        assert fingerprint(edited) != fingerprint(page), holder


LISTING_EDITS: dict[str, Callable[[ListingPage], ListingPage]] = {
    "url": lambda p: replace(p, url="/tag/lain/"),
    "kind": lambda p: replace(p, kind="category"),
    "title": lambda p: replace(p, title="lain"),
    "feed url": lambda p: replace(p, feed_url="/tag/ekonomi-rakyat/feed.xml"),
    "template": lambda p: replace(p, template="article.html"),
    "entries reordered": lambda p: replace(p, entries=p.entries[::-1]),
    "an entry less": lambda p: replace(p, entries=p.entries[1:]),
    "pager number": lambda p: replace(p, pager=replace(p.pager, number=3)),
    "pager first": lambda p: replace(p, pager=replace(p.pager, first=1)),
    "pager first url": lambda p: replace(p, pager=replace(p.pager, first_url="/tag/lain/")),
    "pager page pattern": lambda p: replace(p, pager=replace(p.pager, page_pattern="page/{n}/")),
    "pager newer given": lambda p: replace(p, pager=replace(p.pager, newer=3)),
    "pager older moved": lambda p: replace(p, pager=replace(p.pager, older=3)),
    "pager older gone": lambda p: replace(p, pager=replace(p.pager, older=None)),
    "pager a number less": lambda p: replace(p, pager=replace(p.pager, numbers=p.pager.numbers[:-1])),
    "pager a gap for a number": lambda p: replace(p, pager=replace(p.pager, numbers=(1, None, 3))),
    "pager a number more": lambda p: replace(p, pager=replace(p.pager, numbers=(*p.pager.numbers, 4))),
    "pager a jump": lambda p: replace(p, pager=replace(p.pager, jumps=(Link("2022", TAG + "halaman/1/"),))),
    "term count": lambda p: replace(p, term=replace(p.term, count=13)),
    "term name": lambda p: replace(p, term=replace(p.term, name="Ekonomi Rakyat")),
    "term url": lambda p: replace(p, term=replace(p.term, url="/tag/lain/")),
    "no term": lambda p: replace(p, term=None),
}  # fmt: skip


def test_the_listing_page_samples_have_what_the_edits_below_change(site: Site) -> None:
    page = site.page(TAG)  # the first page: the newest 4, page 2 next older, pages 1 to 3
    assert (page.pager.number, page.pager.first, page.pager.newer, page.pager.older) == (
        0, 0, None, 2,
    )  # fmt: skip
    assert page.pager.numbers == (1, 2, 3) and page.pager.jumps == ()
    assert page.term is not None and page.feed_url is None
    month = site.page(MONTH)
    assert month.pager.jumps == (Link("01", "/arsip/2023/01/01/"),)


@pytest.mark.parametrize("edit", LISTING_EDITS.values(), ids=LISTING_EDITS.keys())
def test_a_listing_page_edit_changes_the_fingerprint(
    site: Site, edit: Callable[[ListingPage], ListingPage]
) -> None:
    page = site.page(TAG)
    edited = edit(page)
    assert edited != page
    assert fingerprint(edited) != fingerprint(page)


JUMP_EDITS: dict[str, Callable[[tuple[Link, ...]], tuple[Link, ...]]] = {
    "a jump's name": lambda jumps: (Link("02", jumps[0].url),),
    "a jump's url": lambda jumps: (Link(jumps[0].name, "/arsip/2023/01/02/"),),
    "a jump more": lambda jumps: (*jumps, Link("02", "/arsip/2023/01/02/")),
    "no jump": lambda jumps: (),
    "a jump's name and url swapped": lambda jumps: (Link(jumps[0].url, jumps[0].name),),
}  # fmt: skip


@pytest.mark.parametrize("edit", JUMP_EDITS.values(), ids=JUMP_EDITS.keys())
def test_a_pager_jump_edit_changes_the_fingerprint(
    site: Site, edit: Callable[[tuple[Link, ...]], tuple[Link, ...]]
) -> None:
    page = site.page(MONTH)
    edited = replace(page, pager=replace(page.pager, jumps=edit(page.pager.jumps)))
    assert edited != page
    assert fingerprint(edited) != fingerprint(page)


def relocated(
    page: SitemapPage,
    url: str,
    moved: str | None = None,
    lastmod: Callable[[Any], Any] | None = None,
) -> SitemapPage:
    """The sitemap with the location of `url` moved, or its lastmod changed."""
    return replace(page, locations=tuple(
        (moved or u, lastmod(m) if lastmod else m) if u == url else (u, m)
        for u, m in page.locations
    ))  # fmt: skip


MONTH_PART = "/sitemaps/2023-01.xml"  # the fillers' month, ARTICLE among them
LISTS_PART = "/sitemaps/lists.xml"  # the listings' first pages, the term indexes, the archive

# (the sitemap edited, the edit)
SITEMAP_EDITS: dict[str, tuple[str, Callable[[SitemapPage], SitemapPage]]] = {
    "a location's url": (MONTH_PART, lambda p: relocated(p, ARTICLE, moved="/lain/")),
    "a lastmod a minute later": (MONTH_PART, lambda p: relocated(p, ARTICLE, lastmod=lambda m: m + MINUTE)),
    "a lastmod in another zone": (MONTH_PART, lambda p: relocated(p, ARTICLE, lastmod=lambda m: m.astimezone(UTC))),
    "a lastmod gone": (MONTH_PART, lambda p: relocated(p, ARTICLE, lastmod=lambda m: None)),
    "a lastmod given": (LISTS_PART, lambda p: relocated(p, "/tag/", lastmod=lambda m: datetime(2023, 1, 1, tzinfo=UTC))),
    "a location less": (LISTS_PART, lambda p: replace(p, locations=p.locations[:-1])),
    "an index": (MONTH_PART, lambda p: replace(p, is_index=True)),
    "the index: a part moved": ("/sitemap.xml", lambda p: relocated(p, MONTH_PART, moved="/sitemaps/2023-01-2.xml")),
    "the index: a part's lastmod a minute later": ("/sitemap.xml", lambda p: relocated(p, MONTH_PART, lastmod=lambda m: m + MINUTE)),
    "the index: a part less": ("/sitemap.xml", lambda p: replace(p, locations=p.locations[:-1])),
    "the index: not an index": ("/sitemap.xml", lambda p: replace(p, is_index=False)),
}  # fmt: skip


def test_the_sitemap_samples_have_what_the_edits_below_change(site: Site) -> None:
    index = site.page("/sitemap.xml")
    assert index.is_index and dict(index.locations)[MONTH_PART] is not None
    assert ARTICLE in dict(site.page(MONTH_PART).locations)
    assert dict(site.page(LISTS_PART).locations)["/tag/"] is None


@pytest.mark.parametrize("url, edit", SITEMAP_EDITS.values(), ids=SITEMAP_EDITS.keys())
def test_a_sitemap_edit_changes_the_fingerprint(
    site: Site, url: str, edit: Callable[[SitemapPage], SitemapPage]
) -> None:
    page = site.page(url)
    edited = edit(page)
    assert repr(edited) != repr(page)  # not `!=`: a datetime equals the same instant elsewhere
    assert fingerprint(edited) != fingerprint(page)


# the other pages go through the generic serializer: a field of each, nested records too
OTHER_EDITS: dict[str, tuple[type, Callable[[Any], Any]]] = {
    "term index: a count": (TermIndexPage, lambda p: replace(p, terms=(replace(p.terms[0], count=99), *p.terms[1:]))),
    "archive: a month's count": (ArchiveIndexPage, lambda p: replace(p, years=(replace(p.years[0], months=(replace(p.years[0].months[0], count=99),)), *p.years[1:]))),
    "redirect: its target": (RedirectPage, lambda p: replace(p, target="/lain/")),
    "search: its shards": (SearchPage, lambda p: replace(p, shards=(*p.shards, "2021"))),
    "feed: updated": (FeedPage, lambda p: replace(p, updated=p.updated + MINUTE)),
    "feed: title": (FeedPage, lambda p: replace(p, title="Lain")),
    "news sitemap: language": (NewsSitemapPage, lambda p: replace(p, language="en")),
    "robots: news sitemap": (RobotsPage, lambda p: replace(p, news_sitemap_url=None)),
}  # fmt: skip


@pytest.mark.parametrize("kind, edit", OTHER_EDITS.values(), ids=OTHER_EDITS.keys())
def test_an_edit_of_any_other_page_changes_the_fingerprint(
    site: Site, kind: type, edit: Callable[[Any], Any]
) -> None:
    page = pages_of(site.graph.pages, kind)[0]
    assert fingerprint(edit(page)) != fingerprint(page)


def test_the_salt_enters_every_fingerprint_and_a_template_digest_those_of_its_pages(
    site: Site,
) -> None:
    pages = site.graph.pages
    assert all(fingerprint(p, salt="other") != fingerprint(p) for p in pages)
    edited = {**TEMPLATES, "article.html": "digest of an edited article.html"}
    changed = {type(p) for p in pages if fingerprint(p, templates=edited) != fingerprint(p)}
    assert changed == {ArticlePage}


# -- template digests ----------------------------------------------------------------------

CHAIN = {
    "base.html": "<main>{% block main %}{% endblock %}</main>",
    "article.html": '{% extends "base.html" %}{% block main %}{% include "partials/entry.html" %}{% endblock %}',
    "list.html": '{% extends "base.html" %}{% block main %}{% from "partials/macros.html" import item %}{{ item() }}{% endblock %}',
    "partials/entry.html": '{% import "partials/macros.html" as macros %}{{ macros.item() }}',
    "partials/macros.html": "{% macro item() %}item{% endmacro %}",
    "alone.html": "alone",
    "dynamic.html": "{% include page.template %}",  # could name any template
}


def environment(templates: dict[str, str]) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.DictLoader(templates))


def changed_digests(before: dict[str, str], after: dict[str, str]) -> set[str]:
    old, new = template_digests(environment(before)), template_digests(environment(after))
    return {name for name in old.keys() & new.keys() if old[name] != new[name]}


@pytest.mark.parametrize(
    "edited, users",
    [
        # article.html imports the macros through partials/entry.html: a chain
        ("partials/macros.html", {"partials/entry.html", "article.html", "list.html"}),
        ("partials/entry.html", {"article.html"}),
        ("base.html", {"article.html", "list.html"}),
        ("alone.html", set()),
        ("dynamic.html", set()),
    ],
)
def test_an_edited_template_changes_its_digest_and_those_of_the_templates_that_use_it(
    edited: str, users: set[str]
) -> None:
    after = {**CHAIN, edited: CHAIN[edited] + "<!-- edited -->"}
    assert changed_digests(CHAIN, after) == {edited, "dynamic.html"} | users


def test_a_new_template_changes_only_the_templates_that_could_name_it() -> None:
    waiting = {**CHAIN, "waits.html": '{% include "later.html" ignore missing %}'}
    assert changed_digests(waiting, {**waiting, "later.html": "x"}) == {
        "dynamic.html",
        "waits.html",
    }


def test_a_template_that_does_not_parse_depends_on_every_template() -> None:
    broken = {**CHAIN, "broken.html": "{% if %}"}
    assert changed_digests(broken, {**broken, "alone.html": "edited"}) == {
        "alone.html", "broken.html", "dynamic.html",
    }  # fmt: skip


def test_templates_that_include_each_other_depend_on_each_other() -> None:
    loop = {"a.html": '{% include "b.html" %}', "b.html": '{% include "a.html" %}', "c.html": "c"}
    assert changed_digests(loop, {**loop, "b.html": loop["b.html"] + "!"}) == {"a.html", "b.html"}


def test_the_references_memo_gives_a_fresh_parses_digests_and_parses_only_what_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    memo: dict[str, list[str] | None] = {}
    assert template_digests(environment(CHAIN), memo) == template_digests(environment(CHAIN))
    assert len(memo) == len(CHAIN)
    assert ["base.html", "partials/entry.html"] in memo.values()  # what article.html names
    assert None in memo.values()  # dynamic.html: anything
    kept = dict(memo)

    edited = {**CHAIN, "alone.html": "edited"}
    env, parsed = environment(edited), []
    parse = env.parse
    monkeypatch.setattr(
        env, "parse", lambda source, *a, **k: parsed.append(source) or parse(source, *a, **k)
    )
    assert template_digests(env, memo) == template_digests(environment(edited))
    assert parsed == ["edited"]
    assert len(memo) == len(CHAIN)  # one source in, one out
    assert len(memo.keys() - kept.keys()) == len(kept.keys() - memo.keys()) == 1
    assert all(memo[key] == kept[key] for key in memo.keys() & kept.keys())

    del edited["alone.html"]
    template_digests(environment(edited), memo)
    assert len(memo) == len(CHAIN) - 1


def test_a_site_override_of_a_theme_partial_changes_the_templates_that_use_it(
    make_site: SiteFactory,
) -> None:
    config = make_site()
    theme = theme_dirs(config)

    def digests() -> dict[str, str]:
        renderer = Renderer(site_graph(config).site, template_dirs(config, theme), theme)
        return template_digests(renderer.env)

    before = digests()
    partial = theme[0] / "templates" / "partials" / "entry.html"
    override = config.root / config.templates_dir / "partials" / "entry.html"
    override.parent.mkdir(parents=True)
    override.write_text(partial.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    after = digests()
    assert before.keys() == after.keys() and "base.html" in before
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"partials/entry.html", "article.html", "list.html"}


# -- the render salt -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Arsip Lain"},
        {"description": "Baru"},
        {"base_url": "https://lain.example"},
        {"language": "en"},
        {"nav": ()},
        {"params": {"footer": "baru"}},
        {"search": False},
        {"archive_url": "/arsip-lain/"},
    ],
    ids=lambda change: next(iter(change)),
)
def test_the_render_salt_changes_with_the_site_info(site: Site, change: dict[str, Any]) -> None:
    info = site.graph.site
    salt = render_salt(info, "config digest")
    assert render_salt(copy.deepcopy(info), "config digest") == salt
    assert render_salt(replace(info, **change), "config digest") != salt


def test_the_render_salt_changes_with_the_config_digest(site: Site) -> None:
    info = site.graph.site
    assert render_salt(info, "config digest") != render_salt(info, "another config digest")


# -- a safe cache key for the real renderer ------------------------------------------------


def test_fingerprint_equal_values_of_every_kind_of_page_render_the_same_bytes(site: Site) -> None:
    assert {type(p) for p in site.graph.pages} == set(get_args(Page))  # every kind of page
    assert site.build(copy.deepcopy(site.graph)) == site.output
    assert site.build(site_graph(site.config)) == site.output  # other objects, equal values


# one filler (Olahraga, Siti Aminah; its neighbours 2 and 8), as its file is edited
FILE_EDITS = {
    "title": ("title: Berita Nomor 5", "title: Berita Kelima"),
    "first paragraph": ("Paragraf pertama", "Alinea pembuka"),
    "second paragraph": ("Paragraf kedua.", "Paragraf kedua, diperbaiki."),
    "image caption": (
        "category: Olahraga",
        "category: Olahraga\nimage: https://foto.example/5.jpg\nimage_caption: Foto/Net",
    ),  # with its image: a caption alone shows nothing (no empty figure)
    "a tag more": ("- topik-1", "- topik-1\n- baru"),
    "author": ("author: Siti Aminah", "author: Rina Wati"),
    "category": ("category: Olahraga", "category: Dunia"),
    "date, a minute later": ("T13:00:00+07:00", "T13:01:00+07:00"),
    "date, the same instant in UTC": ("2023-01-01T13:00:00+07:00", "2023-01-01T06:00:00+00:00"),
    "an update date": (
        "category: Olahraga",
        "category: Olahraga\nupdated: 2023-02-01T09:00:00+07:00",
    ),
}


@pytest.mark.parametrize("old, new", FILE_EDITS.values(), ids=FILE_EDITS.keys())
def test_after_an_edit_each_page_whose_fingerprint_stayed_renders_the_same_bytes(
    site: Site, old: str, new: str
) -> None:
    articles = [page.article for page in pages_of(site.graph.pages, ArticlePage)]
    target = next(a for a in articles if a.source_path.endswith("artikel-005.md"))
    edited = reparsed(site, target.source_path, old, new)
    before = site.output
    after = site.build(
        build_site_graph([edited if a is target else a for a in articles], site.config)
    )
    kept = before.keys() & after.keys()
    same_key = {path for path in kept if before[path][0] == after[path][0]}
    assert {path for path in same_key if before[path][1] != after[path][1]} == set()
    # and the edit shows: some page (or the article's address) changed, with its fingerprint
    bytes_changed = {path for path in kept if before[path][1] != after[path][1]}
    assert bytes_changed or before.keys() != after.keys()
    assert bytes_changed <= kept - same_key


def test_a_renderer_renders_a_page_as_a_fresh_renderer_does_whatever_it_rendered_before(
    site: Site,
) -> None:
    home: ListingPage = site.page("/")
    entry = home.entries[0]
    moved = replace(
        home, entries=(replace(entry, date=entry.date.astimezone(UTC)), *home.entries[1:])
    )
    assert fingerprint(moved) != fingerprint(home)  # the cache key tells them apart...
    used = site.renderer()
    used.render(home)
    assert used.render(moved) == site.renderer().render(moved)  # ...the renderer does not
