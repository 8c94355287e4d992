"""Search shards: a year, its quarters or its months, by how many articles the year has;
and the archive's newest month on its own."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sitekit import SiteFactory

from archivegen.content.model import Article
from archivegen.graph import shards as graph_shards
from archivegen.graph.model import SearchPage
from archivegen.graph.shards import search_shards
from archivegen.graph.site import build_site_graph

WIB = timezone(timedelta(hours=7))


def article(year: int, month: int, n: int = 0) -> Article:
    date = datetime(year, month, 1, 8, tzinfo=WIB) + timedelta(minutes=n)
    return Article(
        source_path=f"{year}-{month}-{n}.md",
        slug=f"x-{year}-{month}-{n}",
        title="x",
        date=date,
        category="A",
    )


def year_of(year: int, count: int) -> list[Article]:
    """`count` articles spread over the twelve months of `year`."""
    return [article(year, n % 12 + 1, n) for n in range(count)]


def newest_first(articles: list[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: (a.date, a.source_path), reverse=True)


def shards_of_year(articles: list[Article]) -> list[str]:
    """The shards of a year's articles when a newer year's article is the archive's newest
    (and a shard on its own): the rule for years, without the newest month's exception."""
    year = articles[0].date.year
    return search_shards([article(year + 1, 1), *articles])[1:]


def test_a_year_up_to_the_year_limit_is_one_shard() -> None:
    articles = year_of(2015, graph_shards.SEARCH_YEAR_SHARD_LIMIT)
    assert set(shards_of_year(articles)) == {"2015"}


def test_a_year_over_the_year_limit_is_split_by_quarter() -> None:
    articles = year_of(2015, graph_shards.SEARCH_YEAR_SHARD_LIMIT + 1)
    shards = shards_of_year(articles)
    by_month = {a.date.month: shard for a, shard in zip(articles, shards, strict=True)}
    assert by_month == {
        1: "2015-q1", 2: "2015-q1", 3: "2015-q1",
        4: "2015-q2", 5: "2015-q2", 6: "2015-q2",
        7: "2015-q3", 8: "2015-q3", 9: "2015-q3",
        10: "2015-q4", 11: "2015-q4", 12: "2015-q4",
    }  # fmt: skip


def test_a_year_up_to_the_quarter_limit_keeps_quarters_and_over_it_gets_months() -> None:
    at_limit = year_of(2015, graph_shards.SEARCH_QUARTER_SHARD_LIMIT)
    assert set(shards_of_year(at_limit)) == {"2015-q1", "2015-q2", "2015-q3", "2015-q4"}
    over = year_of(2015, graph_shards.SEARCH_QUARTER_SHARD_LIMIT + 1)
    shards = shards_of_year(over)
    assert set(shards) == {f"2015-{month:02d}" for month in range(1, 13)}
    assert all(s == f"2015-{a.date.month:02d}" for a, s in zip(over, shards, strict=True))


def test_each_year_is_sized_on_its_own() -> None:
    small, large = year_of(2024, 3), year_of(2023, graph_shards.SEARCH_YEAR_SHARD_LIMIT + 1)
    shards = search_shards(newest_first(small + large))
    assert set(shards) == {"2024", "2024-03", "2023-q1", "2023-q2", "2023-q3", "2023-q4"}
    # which articles a shard holds: only its year's (and the newest month, its own)
    assert shards.count("2024") + shards.count("2024-03") == len(small)


@pytest.mark.parametrize(
    ("count", "parent"),
    [
        (graph_shards.SEARCH_YEAR_SHARD_LIMIT, "2024"),
        (graph_shards.SEARCH_YEAR_SHARD_LIMIT + 1, "2024-q4"),
    ],
)
def test_the_newest_month_is_a_shard_of_its_own(count: int, parent: str) -> None:
    articles = newest_first(year_of(2024, count))
    shards = search_shards(articles)
    newest = [s for a, s in zip(articles, shards, strict=True) if a.date.month == 12]
    rest = [s for a, s in zip(articles, shards, strict=True) if a.date.month in (10, 11)]
    assert set(newest) == {f"{parent}-12"} and set(rest) == {parent}
    assert sorted({*newest, *rest}, reverse=True) == [f"{parent}-12", parent]  # newest first


def test_a_month_alone_in_its_shard_is_not_split_again() -> None:
    months = newest_first(year_of(2024, graph_shards.SEARCH_QUARTER_SHARD_LIMIT + 1))
    assert search_shards(months)[0] == "2024-12"
    alone = newest_first([article(2025, 1), *year_of(2024, 24)])
    assert search_shards(alone)[0] == "2025"


def test_the_limits_order_as_the_rule_needs() -> None:
    assert 0 < graph_shards.SEARCH_YEAR_SHARD_LIMIT < graph_shards.SEARCH_QUARTER_SHARD_LIMIT


def test_shard_names_sorted_descending_are_newest_first(
    make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search page's date sort concatenates shards in `data-shards` order."""
    monkeypatch.setattr(graph_shards, "SEARCH_YEAR_SHARD_LIMIT", 2)
    monkeypatch.setattr(graph_shards, "SEARCH_QUARTER_SHARD_LIMIT", 12)
    # one year of each kind, next to each other: months, quarters, whole years
    articles = newest_first(
        year_of(2018, 5) + year_of(2017, 1) + year_of(2016, 13) + year_of(2015, 12)
        + year_of(2014, 2)
    )  # fmt: skip
    shards = search_shards(articles)
    assert {"2018-q2-05", "2018-q2", "2018-q1", "2017", "2016-01", "2016-12"} <= set(shards)
    assert {"2015-q1", "2015-q4", "2014"} <= set(shards)
    chronological = list(dict.fromkeys(shards))  # first appearance, newest article first
    graph = build_site_graph(articles, make_site(seed=False))
    (page,) = [p for p in graph.pages if isinstance(p, SearchPage)]
    assert list(page.shards) == chronological


def test_no_articles_no_shards() -> None:
    assert search_shards([]) == []
