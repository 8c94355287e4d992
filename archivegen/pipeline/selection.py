"""Which articles a build publishes: drafts and embargoed (future) articles stay out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from archivegen.content.model import Article
from archivegen.pipeline.context import BuildOptions


def select_articles(
    articles: Sequence[Article], options: BuildOptions, now: datetime
) -> tuple[list[Article], int, int]:
    """Leave out drafts and embargoed (future) articles unless asked; count what was left out."""
    chosen, drafts, future = [], 0, 0
    for article in articles:
        if article.draft and not options.drafts:
            drafts += 1
        elif article.date > now and not options.future:
            future += 1
        else:
            chosen.append(article)
    return chosen, drafts, future


def next_embargo(articles: Sequence[Article], now: datetime, options: BuildOptions) -> float | None:
    """When the earliest embargoed article comes out (a timestamp): the output is stale then."""
    if options.future:
        return None
    upcoming = [a.date.timestamp() for a in articles if a.date > now and not a.draft]
    return min(upcoming, default=None)
