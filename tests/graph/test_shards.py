from datetime import datetime, timedelta, timezone

from archivegen.content.model import Article
from archivegen.graph import site
from archivegen.graph.site import search_shards

WIB = timezone(timedelta(hours=7))


def article(year: int, month: int, n: int = 0) -> Article:
    date = datetime(year, month, 1, 8, tzinfo=WIB) + timedelta(minutes=n)
    return Article(
        source_path=f"{year}-{month}-{n}.md", slug="x", title="x", date=date, category="A"
    )


def test_older_years_are_one_shard_and_the_newest_year_is_split_by_month() -> None:
    articles = [article(2022, 5), article(2022, 11), article(2024, 1), article(2024, 3)]
    assert search_shards(articles) == ["2022", "2022", "2024-01", "2024-03"]


def test_a_year_over_the_limit_is_split_by_month(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(site, "SEARCH_SHARD_LIMIT", 2)
    articles = [article(2020, 1, 0), article(2020, 1, 1), article(2020, 2), article(2021, 6)]
    assert search_shards(articles) == ["2020-01", "2020-01", "2020-02", "2021-06"]


def test_no_articles_no_shards() -> None:
    assert search_shards([]) == []
