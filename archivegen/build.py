"""The build, start to end: load -> select -> graph -> render -> stage -> swap.

Reads like a table of contents; each step lives in its own layer. Nothing here prints:
progress goes to the `Progress` the caller hands in, the outcome comes back as a BuildReport.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from archivegen.config import SiteConfig
from archivegen.content.loader import ContentSet, collect, find_article_files, load_article_file
from archivegen.content.model import Article
from archivegen.errors import ConfigError, raise_all
from archivegen.graph.site import build_site_graph
from archivegen.graph.urls import output_path
from archivegen.output.site import StagedOutput, check_output_dir
from archivegen.render.renderer import Renderer

BUNDLED_THEMES = Path(__file__).resolve().parent.parent / "themes"


class Progress(Protocol):
    """Where a long step reports how far it got (the CLI shows a bar; tests pass nothing)."""

    def start(self, label: str, total: int) -> None: ...

    def advance(self, count: int = 1) -> None: ...


class _Silent:
    def start(self, label: str, total: int) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What the command line may change about one build."""

    drafts: bool = False
    future: bool = False
    clean: bool = False
    now: datetime | None = None  # the build's clock; injected so tests can fix it


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
    warnings: tuple[str, ...] = field(default=())
    skipped_drafts: int = 0
    skipped_future: int = 0


def build_site(
    config: SiteConfig, options: BuildOptions = BuildOptions(), progress: Progress | None = None
) -> BuildReport:
    """Build the whole site into config.output_path, or raise and leave it untouched."""
    started = time.perf_counter()
    progress = progress or _Silent()
    theme = theme_dirs(config)
    check_output_dir(config.output_path, config.root, [config.content_path, *theme])
    content = load_all(config, progress)
    raise_all(content.errors)
    now = options.now or datetime.now(UTC)
    articles, drafts, future = select_articles(content.articles, options, now)
    graph = build_site_graph(articles, config)
    renderer = Renderer(graph.site, template_dirs(config, theme), theme)
    with staged(config.output_path, options.clean) as out:
        progress.start("Rendering", len(graph.pages))
        for page in graph.pages:
            out.write(output_path(page.url), renderer.render(page))
            progress.advance()
        for relative, data in static_files(config, theme):
            out.write(relative, data)
        result = out.commit()
    warnings = list(graph.warnings)
    if content.naive_dates:
        warnings.insert(0, _naive_warning(content.naive_dates, config.timezone))
    return BuildReport(
        articles=len(articles),
        pages=len(graph.pages),
        written=result.written,
        unchanged=result.unchanged,
        deleted=result.deleted,
        seconds=time.perf_counter() - started,
        output=config.output_path,
        warnings=tuple(warnings),
        skipped_drafts=drafts,
        skipped_future=future,
    )


def load_all(config: SiteConfig, progress: Progress) -> ContentSet:
    """Load every article, reporting progress per file."""
    files = find_article_files(config.content_path)
    progress.start("Loading", len(files))
    outcomes = []
    for path in files:
        outcomes.append(load_article_file(path, config))
        progress.advance()
    return collect(outcomes)


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


@contextmanager
def staged(output: Path, clean: bool) -> Iterator[StagedOutput]:
    """A staged output that is thrown away if anything inside the block fails."""
    out = StagedOutput(output, clean=clean)
    try:
        yield out
    except BaseException:
        out.abort()
        raise


def theme_dirs(config: SiteConfig) -> list[Path]:
    """The theme's folder: the site's own `themes/NAME`, else the bundled theme of that name."""
    for base in (config.root / "themes", BUNDLED_THEMES):
        folder = (base / config.theme).resolve()
        if (folder / "templates").is_dir():
            return [folder]
    raise ConfigError(
        f"theme {config.theme!r} not found in themes/ or the bundled themes", field="theme"
    )


def template_dirs(config: SiteConfig, theme: list[Path]) -> list[Path]:
    """The template lookup chain: the site's own templates/ first, then the theme's."""
    own = config.root / config.templates_dir
    chain = [own] if own.is_dir() else []
    return chain + [folder / "templates" for folder in theme]


def static_files(config: SiteConfig, theme: list[Path]) -> Iterator[tuple[str, bytes]]:
    """Static assets under /static/: the site's own files override the theme's of the same name."""
    seen: set[str] = set()
    for folder in [config.root / config.static_dir, *(t / "static" for t in theme)]:
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            relative = "static/" + path.relative_to(folder).as_posix()
            if relative not in seen and not any(
                part.startswith(".") for part in path.relative_to(folder).parts
            ):
                seen.add(relative)
                yield relative, path.read_bytes()


def _naive_warning(files: Sequence[str], timezone: str) -> str:
    first = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    return f"{len(files)} article date(s) have no UTC offset; took {timezone} for them ({first})"
