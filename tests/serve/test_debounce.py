"""The debouncer: a burst of events is one call, nothing is lost, the thread is joined."""

from __future__ import annotations

import threading
import time

from archivegen.serve.debounce import Debouncer


class Calls:
    """Records the debouncer's calls; `wait(n)` blocks until n calls were made."""

    def __init__(self, delay: float = 0.0) -> None:
        self.batches: list[frozenset[str]] = []
        self.delay = delay
        self._done = threading.Condition()

    def __call__(self, batch: frozenset[str]) -> None:
        time.sleep(self.delay)
        with self._done:
            self.batches.append(batch)
            self._done.notify_all()

    def wait(self, count: int, timeout: float = 5.0) -> None:
        with self._done:
            assert self._done.wait_for(lambda: len(self.batches) >= count, timeout), self.batches


def test_a_burst_of_500_events_is_one_call() -> None:
    calls = Calls()
    debouncer = Debouncer(calls, quiet=0.15)
    debouncer.start()
    try:
        for i in range(500):  # like `git checkout` rewriting 500 articles
            debouncer.notify(f"content/a{i}.md")
        debouncer.notify("content/a0.md")  # the same file twice counts once
        calls.wait(1)
        time.sleep(0.4)  # no second call comes
    finally:
        debouncer.close()
    assert len(calls.batches) == 1
    assert len(calls.batches[0]) == 500


def test_bursts_apart_are_separate_calls() -> None:
    calls = Calls()
    debouncer = Debouncer(calls, quiet=0.05)
    debouncer.start()
    try:
        debouncer.notify("a")
        calls.wait(1)
        debouncer.notify("b")
        calls.wait(2)
    finally:
        debouncer.close()
    assert calls.batches == [frozenset({"a"}), frozenset({"b"})]


def test_the_call_waits_for_quiet() -> None:
    calls = Calls()
    debouncer = Debouncer(calls, quiet=0.3)
    debouncer.start()
    try:
        started = time.monotonic()
        debouncer.notify("a")
        time.sleep(0.15)
        assert calls.batches == []  # still inside the quiet period
        debouncer.notify("b")  # restarts it
        calls.wait(1)
        assert time.monotonic() - started >= 0.45
    finally:
        debouncer.close()
    assert calls.batches == [frozenset({"a", "b"})]


def test_events_during_a_call_make_the_next_call() -> None:
    calls = Calls(delay=0.3)  # a slow rebuild
    debouncer = Debouncer(calls, quiet=0.05)
    debouncer.start()
    try:
        debouncer.notify("first")
        time.sleep(0.15)  # the first call is running now
        debouncer.notify("second")
        debouncer.notify("third")
        calls.wait(2)
    finally:
        debouncer.close()
    assert calls.batches == [frozenset({"first"}), frozenset({"second", "third"})]


def test_events_that_never_pause_still_trigger_a_call() -> None:
    calls = Calls()
    debouncer = Debouncer(calls, quiet=0.1, max_wait=0.3)
    debouncer.start()
    try:
        deadline = time.monotonic() + 0.8
        while time.monotonic() < deadline and not calls.batches:
            debouncer.notify(f"log-{time.monotonic()}")
            time.sleep(0.02)
        assert calls.batches, "a steady stream of events starved the action"
    finally:
        debouncer.close()


def test_close_joins_the_thread_and_drops_pending_events() -> None:
    calls = Calls()
    debouncer = Debouncer(calls, quiet=5.0)
    debouncer.start()
    debouncer.notify("pending")
    started = time.monotonic()
    debouncer.close()
    assert time.monotonic() - started < 1.0
    assert calls.batches == []
    assert not any(t.name == "archivegen-debounce" for t in threading.enumerate())


def test_close_before_start_is_harmless() -> None:
    Debouncer(Calls()).close()
