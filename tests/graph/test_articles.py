"""Article order: newest first, by the instant, whatever the time zone it is written in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from archivegen.content.model import Article
from archivegen.graph.articles import newest_first


def test_articles_are_ordered_by_instant_across_time_zones() -> None:
    jakarta, utc = timezone(timedelta(hours=7)), UTC

    def at(path: str, when: datetime) -> Article:
        return Article(source_path=path, slug=path, title=path, date=when, category="Dunia")

    early = at("a.md", datetime(2024, 5, 1, 10, 0, tzinfo=jakarta))  # 03:00 UTC
    late = at("b.md", datetime(2024, 5, 1, 4, 0, tzinfo=utc))  # 11:00 in Jakarta
    same = at("c.md", datetime(2024, 5, 1, 3, 0, tzinfo=utc))  # the instant of `early`
    ordered = newest_first([early, late, same])
    assert [a.source_path for a in ordered] == ["b.md", "c.md", "a.md"]
