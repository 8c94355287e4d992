"""Turn bursts of file events into one call: an editor saving twice, a `git checkout` of 500 files.

The action runs on the debouncer's own thread, one call at a time, with every path noted since
the last call. Events that arrive while it runs are kept for the next call, so no change is
ever lost and two rebuilds never overlap.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

QUIET_SECONDS = 0.05  # a burst ends after this much silence (git writes files ~1 ms apart)
MAX_WAIT_SECONDS = 2.0  # a stream of events that never pauses still triggers a call this often


class Debouncer:
    """Collects `notify(path)` calls and runs `action(paths)` once a burst has gone quiet.

    `action` must not raise: it runs on the debouncer's thread, which would end with it.
    """

    def __init__(
        self,
        action: Callable[[frozenset[str]], None],
        quiet: float = QUIET_SECONDS,
        max_wait: float = MAX_WAIT_SECONDS,
    ) -> None:
        self._action = action
        self._quiet = quiet
        self._max_wait = max_wait
        self._changed = threading.Condition()
        self._pending: set[str] = set()
        self._first = 0.0  # when the current burst began
        self._last = 0.0  # when its latest event came
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="archivegen-debounce")

    def start(self) -> None:
        """Begin waiting for events."""
        self._thread.start()

    def notify(self, path: str) -> None:
        """Note that `path` changed; the action runs once no event has come for `quiet` s."""
        with self._changed:
            now = time.monotonic()
            if not self._pending:
                self._first = now
            self._pending.add(path)
            self._last = now
            self._changed.notify()

    def has_pending(self) -> bool:
        """True when changes wait for the next call (low-priority work can wait for them)."""
        with self._changed:
            return bool(self._pending)

    def close(self) -> None:
        """Stop: pending events are dropped, a running action is waited for, the thread joined."""
        with self._changed:
            self._closed = True
            self._changed.notify()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while True:
            batch = self._next_batch()
            if batch is None:
                return
            self._action(batch)

    def _next_batch(self) -> frozenset[str] | None:
        """Block until a burst has gone quiet (its paths) or the debouncer closes (None)."""
        with self._changed:
            while not self._closed:
                if not self._pending:
                    self._changed.wait()
                    continue
                due = min(self._last + self._quiet, self._first + self._max_wait)
                remaining = due - time.monotonic()
                if remaining <= 0:
                    batch = frozenset(self._pending)
                    self._pending.clear()
                    return batch
                self._changed.wait(remaining)
            return None
