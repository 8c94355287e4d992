"""What every step of one build is given: the site, the options, the mode, the clock."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from archivegen.config import SiteConfig
from archivegen.pipeline.workers import default_workers
from archivegen.render.theme import theme_dirs


class BuildMode(enum.Enum):
    """How the builds of one `Builder` are used."""

    ONCE = "once"  # `archivegen build`: pages and index commit together, the cache is saved
    # `archivegen serve`: the first build learns the site even when nothing changed (so the
    # first edit is patched); an edit's pages commit before the search index catches up;
    # the cache is saved in the background, after the tabs reloaded
    PREVIEW = "preview"


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What the command line may change about one build."""

    drafts: bool = False
    future: bool = False
    clean: bool = False  # ignore the build cache and the last output's hashes
    workers: int | None = None  # None: one per core
    now: datetime | None = None  # the build's clock; injected so tests can fix it
    allow_shrink: bool = False  # publish even if the archive lost more than max_shrink


class Progress(Protocol):
    """Where a long step reports how far it got (the CLI shows a bar; tests pass nothing)."""

    def start(self, label: str, total: int) -> None: ...

    def advance(self, count: int = 1) -> None: ...


class Silent:
    """Progress that goes nowhere."""

    def start(self, label: str, total: int) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass


@dataclass(frozen=True, slots=True)
class BuildContext:
    """One build's fixed facts: what every step reads, none changes."""

    config: SiteConfig
    options: BuildOptions
    mode: BuildMode
    now: datetime
    workers: int
    theme: list[Path]

    @classmethod
    def of(cls, config: SiteConfig, options: BuildOptions, mode: BuildMode) -> BuildContext:
        """The context of a build starting now (or at the options' clock)."""
        now = options.now or datetime.now(UTC)
        workers = options.workers or default_workers()
        return cls(config, options, mode, now, workers, theme_dirs(config))

    @property
    def options_key(self) -> str:
        """The options that change what is published (part of the inputs' digest)."""
        return f"{self.options.drafts}/{self.options.future}"
