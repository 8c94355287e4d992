"""The pages that show some articles: each equals its page in the full graph, and every page
the change alters is among them (so a build that makes only these misses none)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest
from sitekit import WIB, SiteFactory

from archivegen.config import SiteConfig
from archivegen.content.loader import load_content
from archivegen.content.model import Article
from archivegen.graph.changes import Changed, pages_showing
from archivegen.graph.layout import Layout, lay_out
from archivegen.graph.model import Page
from archivegen.graph.site import graph_of

START = datetime(2021, 11, 3, 9, 0, tzinfo=WIB)


def archive(config: SiteConfig) -> list[Article]:
    """The site's articles, spread over two years: one every 5 days and 7 hours."""
    loaded = sorted(load_content(config).articles, key=lambda a: a.source_path)
    return [
        dataclasses.replace(a, date=START + i * timedelta(days=5, hours=7))
        for i, a in enumerate(loaded)
    ]


def new_article(model: Article, name: str, date: datetime, **changes: object) -> Article:
    fields: dict[str, object] = {
        "source_path": model.source_path.replace(".md", f"-{name}.md"),
        "slug": f"baru-{name}",
        "title": f"Baru {name}",
        "date": date,
        **changes,
    }
    return dataclasses.replace(model, **fields)  # type: ignore[arg-type]


def positions(layout: Layout, paths: set[str]) -> frozenset[int]:
    return frozenset(i for i, a in enumerate(layout.ordered) if a.source_path in paths)


def by_url(pages: tuple[Page, ...] | list[Page]) -> dict[str, Page]:
    return {page.url: page for page in pages}


def check(config: SiteConfig, before: list[Article], after: list[Article]) -> list[Page]:
    """The pages `pages_showing` makes for the change from `before` to `after`, checked
    against the full graphs of both."""
    old, new = lay_out(before, config), lay_out(after, config)
    was = {a.source_path: a for a in before}
    added = {a.source_path for a in after if a.source_path not in was}
    edited = {a.source_path for a in after if a.source_path in was and was[a.source_path] != a}
    old_shard = {a.source_path: s for a, s in zip(old.ordered, old.shards, strict=True)}
    moved = {
        a.source_path
        for a, s in zip(new.ordered, new.shards, strict=True)
        if a.source_path in old_shard and old_shard[a.source_path] != s
    }
    changed = Changed(positions(new, added), positions(new, edited), positions(new, moved))
    made = pages_showing(new, changed)
    full_old, full_new = by_url(graph_of(old).pages), by_url(graph_of(new).pages)
    for page in made:
        assert page == full_new[page.url], page.url
    missed = {url for url, page in full_new.items() if full_old.get(url) != page} - {
        page.url for page in made
    }
    assert not missed
    assert set(full_old) <= set(full_new)  # an addition removes no page
    return made


@pytest.mark.parametrize("pagination", ["stable", "newest_first"])
@pytest.mark.parametrize(
    "where",
    [
        "newest",  # the day's article: after every other
        "same-day",  # beside the newest
        "backdated",  # into the middle of the archive
        "oldest",  # before every other
        "new-month",  # a month (and a year) of its own, after every other
    ],
)
def test_the_pages_an_added_article_changes_are_the_pages_showing_it(
    make_site: SiteFactory, pagination: str, where: str
) -> None:
    config = make_site(fillers=60, related_count=3, page_size=4, pagination=pagination)
    before = archive(config)
    newest = max(a.date for a in before)
    date = {
        "newest": newest + timedelta(hours=1),
        "same-day": newest - timedelta(minutes=1),
        "backdated": START + timedelta(days=151, hours=2),
        "oldest": START - timedelta(days=3),
        "new-month": newest + timedelta(days=70),
    }[where]
    added = new_article(before[7], where, date, tags=("ekonomi-rakyat", "topik-2", "baru"))
    check(config, before, [*before, added])


def test_the_pages_to_redo_do_not_grow_with_the_archive(make_site: SiteFactory) -> None:
    counts = []
    for fillers in (120, 480):
        config = make_site(fillers=fillers, related_count=3, page_size=4)
        before = archive(config)
        newest = max(a.date for a in before)
        added = new_article(before[7], "n", newest + timedelta(hours=1))
        counts.append(len(check(config, before, [*before, added])))
    assert counts[1] <= counts[0] + 2  # 4 times the articles: the same pages, give or take


def test_several_articles_added_at_once(make_site: SiteFactory) -> None:
    config = make_site(fillers=60, related_count=3, page_size=4)
    before = archive(config)
    newest = max(a.date for a in before)
    added = [
        new_article(before[i], f"n{i}", newest + timedelta(hours=i), category="Olahraga")
        for i in range(1, 6)
    ]
    check(config, before, [*before, *added])


def test_an_article_edited_in_place(make_site: SiteFactory) -> None:
    config = make_site(fillers=60, related_count=3, page_size=4)
    before = archive(config)
    after = list(before)
    after[20] = dataclasses.replace(after[20], title="Judul Baru", excerpt="Ringkasan baru.")
    check(config, before, after)


def test_a_new_month_takes_the_last_newest_month_back_into_its_shard(
    make_site: SiteFactory,
) -> None:
    config = make_site(fillers=60, related_count=2, page_size=4)
    before = archive(config)
    newest = max(a.date for a in before)
    after = [*before, new_article(before[3], "m", newest.replace(day=1) + timedelta(days=40))]
    old, new = lay_out(before, config), lay_out(after, config)
    assert set(old.shards) != set(new.shards)  # the search page lists other shards
    check(config, before, after)
