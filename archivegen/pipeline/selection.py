"""Which articles a build publishes: drafts and embargoed (future) articles stay out, and
an archive that lost many articles since the last build is not published by accident."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from archivegen.content.model import Article
from archivegen.errors import ContentError
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


MIN_SHRINK = 10  # fewer articles lost than this never stops a build (a small site's edits)


def check_shrink(last: int, now: int, max_share: float) -> None:
    """Refuse to publish `now` articles where the last build published `last`, when more
    than `max_share` of them (and at least MIN_SHRINK) are gone: an unmounted folder, a
    wrong content_dir or a bad sync, which would replace the archive by a fraction of it."""
    lost = last - now
    if lost >= MIN_SHRINK and lost > max_share * last:
        raise ContentError(
            f"the archive would shrink from {last:,} to {now:,} articles (-{lost / last:.0%}, "
            f"more than max_shrink, {max_share:.0%}, in site.yaml); the last site is kept. "
            "A folder not mounted or the wrong content_dir? If the articles are meant to "
            "go, build with --allow-shrink"
        )


def next_embargo(articles: Sequence[Article], now: datetime, options: BuildOptions) -> float | None:
    """When the earliest embargoed article comes out (a timestamp): the output is stale then."""
    if options.future:
        return None
    upcoming = [a.date.timestamp() for a in articles if a.date > now and not a.draft]
    return min(upcoming, default=None)
