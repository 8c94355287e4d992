"""Which files the preview watches, which of their events matter, and the watchdog observer.

Watched: the article folder, the site's templates/ and static/, the theme folder (recursively)
and the site folder itself, not recursively, for site.yaml and for watched folders that appear
or vanish. Never the output folder or `.archivegen/`: the build's own writes must not trigger
builds. Editor temp and backup files (`.x.swp`, `x~`, `.#x`, vim's `4913`) are ignored.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import (
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from archivegen.config import SiteConfig
from archivegen.errors import ArchivegenError
from archivegen.output.cache import CACHE_DIR
from archivegen.pipeline.moves import RECORD_FILE
from archivegen.render.theme import theme_dirs

# editors write these beside the file they save; a build never reads them
TEMP_SUFFIXES = (".swp", ".swo", ".swx", "~", ".tmp", ".part", "___jb_tmp___", "___jb_old___")
TEMP_NAMES = frozenset({"4913"})  # vim probes whether it may write a folder with this file
CHANGE_EVENTS = frozenset(
    {EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED}
)


@dataclass(frozen=True, slots=True)
class WatchPlan:
    """The folders to watch and what counts as a change in them."""

    config_file: Path
    folders: tuple[Path, ...]  # watched recursively
    site_root: Path  # watched alone, for site.yaml and folders appearing
    ignored: tuple[Path, ...]  # the output folder and the build cache
    expected: tuple[Path, ...]  # folders the build reads, whether they exist yet or not

    def is_relevant(self, path: Path) -> bool:
        """True when a change to `path` may change the site."""
        if path == self.config_file:
            return True
        if any(path == folder or folder in path.parents for folder in self.ignored):
            return False
        for folder in self.folders:
            if folder in path.parents:
                return not any(is_temp_name(part) for part in path.relative_to(folder).parts)
        # in the site folder itself: a folder the build reads was created, removed or renamed
        return path in self.expected


def is_temp_name(name: str) -> bool:
    """True for hidden files and editors' swap, backup and lock files."""
    return name.startswith(".") or name.endswith(TEMP_SUFFIXES) or name in TEMP_NAMES


def plan_watch(config: SiteConfig, config_file: Path) -> WatchPlan:
    """What to watch for this configuration (theme folder included when it can be found)."""
    root = config.root.resolve()
    try:
        theme = theme_dirs(config)
    except ArchivegenError:
        theme = []  # the build reports the missing theme; watch the rest meanwhile
    read = [config.content_path, root / config.templates_dir, root / config.static_dir, *theme]
    read = list(dict.fromkeys(folder.resolve() for folder in read))
    return WatchPlan(
        config_file=config_file.resolve(),
        folders=tuple(folder for folder in read if folder.is_dir()),
        site_root=root,
        ignored=(config.output_path, root / CACHE_DIR),
        # a site's own theme may appear in themes/; the moved articles' record is edited
        expected=(*read, root / "themes", root / RECORD_FILE),
    )


class _Forwarder(FileSystemEventHandler):
    """Passes the relevant paths of watchdog's change events on to `notify`."""

    def __init__(self, plan: WatchPlan, notify: Callable[[str], None]) -> None:
        self.plan = plan
        self.notify = notify

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGE_EVENTS:
            return  # opened, closed, attrib: the bytes did not change
        if event.is_directory and event.event_type == EVENT_TYPE_MODIFIED:
            return  # a folder's mtime moves with every file event inside it
        paths = [event.src_path, getattr(event, "dest_path", "")]
        for raw in paths:
            if raw and self.plan.is_relevant(Path(os.fsdecode(raw))):
                self.notify(os.fsdecode(raw))


class _StopRaceFilter(logging.Filter):
    """Drops watchdog's harmless complaint when an event arrives while its emitter stops."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "called when the thread is inactive" not in record.getMessage()


_STOP_RACE = _StopRaceFilter()


class Watcher:
    """A watchdog observer over a WatchPlan; `replan` follows a changed configuration."""

    def __init__(self, notify: Callable[[str], None]) -> None:
        self._notify = notify
        self._observer = Observer()
        self.plan: WatchPlan | None = None

    def start(self, plan: WatchPlan) -> None:
        """Watch the plan's folders on the observer's thread."""
        self._schedule(plan)
        self._observer.start()

    def replan(self, plan: WatchPlan) -> None:
        """Watch another set of folders (site.yaml changed, a folder appeared)."""
        if plan != self.plan:
            self._observer.unschedule_all()
            self._schedule(plan)

    def stop(self) -> None:
        """Stop the observer and join its threads."""
        logging.getLogger("watchdog.observers.inotify").addFilter(_STOP_RACE)
        self._observer.stop()
        if self._observer.is_alive():
            self._observer.join()

    def _schedule(self, plan: WatchPlan) -> None:
        self.plan = plan
        handler = _Forwarder(plan, self._notify)
        self._observer.schedule(handler, str(plan.site_root), recursive=False)
        for folder in plan.folders:
            if folder != plan.site_root:
                self._observer.schedule(handler, str(folder), recursive=True)
