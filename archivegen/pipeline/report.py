"""The outcome of a build, for the summary, the preview and the benchmarks."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from archivegen.output.staging import CommitReport
from archivegen.pipeline.decide import Rebuild

if TYPE_CHECKING:
    from archivegen.content.model import Article
    from archivegen.graph.model import SiteInfo
    from archivegen.pipeline.images import ImageReport
    from archivegen.search import SearchReport


@dataclass(frozen=True, slots=True)
class BuildReport:
    """The outcome of a build, for the summary."""

    articles: int
    pages: int
    written: int
    unchanged: int
    deleted: int
    seconds: float
    output: Path
    rebuild: Rebuild  # which path ran, and why
    rendered: int = 0
    warnings: tuple[str, ...] = field(default=())
    skipped_drafts: int = 0
    skipped_future: int = 0
    search: SearchReport | None = None  # None when `search: false` or nothing changed
    timings: tuple[tuple[str, float], ...] = ()  # seconds per step, in order
    images: ImageReport | None = None  # None when no image step ran (a patch, up to date)
    moves: tuple[tuple[str, str], ...] = ()  # (old address, new) of articles an edit moved

    @property
    def up_to_date(self) -> bool:
        """True when no input changed and nothing was done."""
        return self.rebuild.up_to_date


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a path that rendered did: the parts of its report it alone knows."""

    articles: int
    pages: int
    commit: CommitReport
    rendered: int
    warnings: tuple[str, ...]
    search: SearchReport | None
    skipped: tuple[int, int] = (0, 0)  # (drafts, future articles) left out
    images: ImageReport | None = None  # image copies made and reused (a full build)
    moves: tuple[tuple[str, str], ...] = ()  # (old address, new) of articles an edit moved
    rebuild: Rebuild | None = None  # the path taken, when the build found a narrower one


class Stopwatch:
    """Seconds spent in each step of a build, for the summary and the benchmarks."""

    def __init__(self) -> None:
        self.started = self._last = time.perf_counter()
        self.laps: list[tuple[str, float]] = []

    def __call__(self, step: str) -> None:
        now = time.perf_counter()
        self.laps.append((step, now - self._last))
        self._last = now

    def seconds(self) -> float:
        """Seconds since the build started."""
        return time.perf_counter() - self.started


def report(rebuild: Rebuild, outcome: Outcome, output: Path, lap: Stopwatch) -> BuildReport:
    """The report of a build that rendered (a full build or a patch)."""
    return BuildReport(
        articles=outcome.articles,
        pages=outcome.pages,
        written=outcome.commit.written,
        unchanged=outcome.commit.unchanged,
        deleted=outcome.commit.deleted,
        seconds=lap.seconds(),
        output=output,
        rebuild=outcome.rebuild or rebuild,
        rendered=outcome.rendered,
        warnings=outcome.warnings,
        skipped_drafts=outcome.skipped[0],
        skipped_future=outcome.skipped[1],
        search=outcome.search,
        timings=tuple(lap.laps),
        images=outcome.images,
        moves=outcome.moves,
    )


def up_to_date_report(rebuild: Rebuild, output: Path, lap: Stopwatch) -> BuildReport:
    """The report of a build that found nothing to do."""
    articles, pages = rebuild.summary
    return BuildReport(
        articles=articles,
        pages=pages,
        written=0,
        unchanged=pages,
        deleted=0,
        seconds=lap.seconds(),
        output=output,
        rebuild=rebuild,
    )


def build_warnings(
    site: SiteInfo,
    layout_warnings: Sequence[str],
    articles: Iterable[Article],
    naive_dates: Sequence[str],
    timezone: str,
) -> tuple[str, ...]:
    """The build's warnings: dates that took the site's zone first, then the layout's, then
    texts the feeds could not carry whole."""
    naive = (_naive_warning(naive_dates, timezone),) if naive_dates else ()
    from archivegen.render.feeds import xml_warnings

    return (*naive, *layout_warnings, *xml_warnings(site, articles))


def _naive_warning(files: Sequence[str], timezone: str) -> str:
    first = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    return f"{len(files)} article date(s) have no UTC offset; took {timezone} for them ({first})"


class PreviewListener(Protocol):
    """Who hears of a preview's rebuild (the server: its tabs and its console)."""

    def built(self, report: BuildReport, search_follows: bool) -> None:
        """The pages are live; with `search_follows`, return once the tabs have reloaded."""

    def more_edits(self) -> bool:
        """True when another edit waits: it is built before the search index catches up."""

    def searched(self, report: SearchReport) -> None:
        """The search index caught up with the pages."""

    def failed(self, error: BaseException, seconds: float) -> None:
        """A step failed; the last good site is still in place."""

    def warn(self, message: str) -> None:
        """Something the user should know."""
