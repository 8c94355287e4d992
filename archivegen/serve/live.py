"""The live-reload state every open tab follows: which build it should show, which errors.

Each HTML response carries the build token current when it was served; each tab listens to
the Server-Sent Events stream, which sends the state on connect and after every build. A tab
whose token differs reloads; otherwise it shows the errors (or clears them). Sending the whole
state, not deltas, means a tab that connects late, or reconnects, is never out of step.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from archivegen.errors import ArchivegenError, ErrorGroup

KEEPALIVE_SECONDS = 15.0  # a comment line this often notices tabs that went away


@dataclass(frozen=True, slots=True)
class ShownError:
    """One error as the overlay shows it: where (path relative to the site, line) and what."""

    path: str | None
    line: int | None
    field: str | None
    message: str


@dataclass(frozen=True, slots=True)
class LiveState:
    """The build the tabs should show and the errors of the latest attempt."""

    build: str
    errors: tuple[ShownError, ...] = ()
    # (old address, new) of the articles that build moved: a tab showing one follows it
    moved: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> str:
        """The SSE `data:` payload (one line: json.dumps escapes newlines)."""
        errors = [
            {"path": e.path, "line": e.line, "field": e.field, "message": e.message}
            for e in self.errors
        ]
        moved = dict(self.moved)
        return json.dumps(
            {"build": self.build, "errors": errors, "moved": moved}, ensure_ascii=True
        )


def shown_errors(error: BaseException, site_root: Path) -> tuple[ShownError, ...]:
    """An exception as overlay entries: each error of a group; paths relative to the site."""
    if not isinstance(error, ArchivegenError):
        return (ShownError(None, None, None, f"{type(error).__name__}: {error}"),)
    items = error.errors if isinstance(error, ErrorGroup) else [error]
    return tuple(
        ShownError(_relative(item.path, site_root), item.line, item.field, item.message)
        for item in items
    )


def _relative(path: str | None, site_root: Path) -> str | None:
    if path is None or not Path(path).is_absolute():
        return path
    try:
        return Path(path).relative_to(site_root).as_posix()
    except ValueError:
        return path  # a bundled theme's template: its full path says where it is


class LiveHub:
    """Holds the LiveState and hands every change to the connected event streams."""

    def __init__(self) -> None:
        # the start time makes tokens of a restarted server differ from the last one's
        self._prefix = f"{time.time_ns():x}"
        self._generation = 0
        self._lock = threading.Lock()
        self._reconnected = threading.Condition(self._lock)
        self._state = LiveState(build=self._token())
        self._streams: set[queue.SimpleQueue[LiveState | None]] = set()
        self._closed = False
        self._opened = 0  # streams ever opened
        self._reloading = (0, 0)  # (streams opened, returns awaited) when tabs were told to reload

    @property
    def state(self) -> LiveState:
        """The current state (read a page's token from it before reading the page)."""
        return self._state

    def built(self, changed: bool, moved: tuple[tuple[str, str], ...] = ()) -> None:
        """A build succeeded: a new token when files changed (tabs reload, and a tab on an
        article that moved goes to its new address), errors cleared."""
        with self._lock:
            if changed:
                self._generation += 1
                # one return is the sign: closed tabs linger in `_streams` until written to
                self._reloading = (self._opened, 1 if self._streams else 0)
            self._publish(LiveState(self._token(), (), moved if changed else ()))

    def wait_for_reloads(self, timeout: float) -> bool:
        """Wait until a tab told to reload has connected again (its page has loaded).

        Low-priority work (the search index catching up) waits for this, so the reloads are
        served first. False when the timeout passed first (a tab closed meanwhile).
        """
        with self._reconnected:
            opened, tabs = self._reloading
            return self._reconnected.wait_for(
                lambda: self._closed or self._opened - opened >= tabs, timeout
            )

    def failed(self, errors: tuple[ShownError, ...]) -> None:
        """A build failed: the site is unchanged, the tabs show the errors."""
        with self._lock:
            self._publish(LiveState(self._state.build, errors))

    def subscribe(self) -> queue.SimpleQueue[LiveState | None]:
        """A queue that receives the current state now and every later one; None at close."""
        stream: queue.SimpleQueue[LiveState | None] = queue.SimpleQueue()
        with self._lock:
            stream.put(None if self._closed else self._state)
            self._streams.add(stream)
            self._opened += 1
            self._reconnected.notify_all()
        return stream

    def unsubscribe(self, stream: queue.SimpleQueue[LiveState | None]) -> None:
        """Forget a stream whose tab went away."""
        with self._lock:
            self._streams.discard(stream)

    def close(self) -> None:
        """End every stream (the server is stopping)."""
        with self._lock:
            self._closed = True
            for stream in self._streams:
                stream.put(None)
            self._reconnected.notify_all()

    def _publish(self, state: LiveState) -> None:
        self._state = state
        for stream in self._streams:
            stream.put(state)

    def _token(self) -> str:
        return f"{self._prefix}-{self._generation}"
