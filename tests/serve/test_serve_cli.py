"""`archivegen serve` as a user runs it: a real process, stopped with Ctrl-C (SIGINT)."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.request import urlopen

from servekit import SEED_TITLE, SEED_URL
from sitekit import filler_articles

from archivegen.serve.server import wait_for_interrupt

ARCHIVEGEN = [sys.executable, "-m", "archivegen"]


class Serving:
    """`archivegen serve --port 0` in a process of its own; its stdout lines on a queue."""

    def __init__(self, site: Path) -> None:
        self.process = subprocess.Popen(
            [*ARCHIVEGEN, "serve", "--port", "0"],
            cwd=site,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.printed: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read)
        self._reader.start()
        self.url = self.wait_for(r"on (http://127\.0\.0\.1:\d+/)").group(1)

    def _read(self) -> None:
        assert self.process.stdout is not None
        with self.process.stdout:
            for line in self.process.stdout:
                self._lines.put(line)
        self._lines.put(None)

    def wait_for(self, pattern: str, timeout: float = 60) -> re.Match[str]:
        """The next printed line matching `pattern`."""
        deadline = time.monotonic() + timeout
        while True:
            line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            assert line is not None, f"serve ended: {self.printed}"
            self.printed.append(line)
            if found := re.search(pattern, line):
                return found

    def interrupt(self, timeout: float = 30) -> tuple[int, str, str]:
        """Ctrl-C; the exit status, the rest of stdout, and stderr."""
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=timeout)  # not communicate(): the reader owns stdout
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self._reader.join()
        assert self.process.stderr is not None
        err = self.process.stderr.read()
        self.process.stderr.close()
        rest = []
        while (line := self._lines.get()) is not None:
            rest.append(line)
        return self.process.returncode, "".join(rest), err


def test_ctrl_c_stops_cleanly_with_a_tab_connected(site_file: Path) -> None:
    serving = Serving(site_file.parent)
    with urlopen(serving.url + SEED_URL.lstrip("/"), timeout=10) as response:
        assert SEED_TITLE in response.read().decode()
    with urlopen(serving.url + "__archivegen/events", timeout=10) as events:  # an open tab
        assert events.readline().startswith(b"retry:")
        status, out, err = serving.interrupt()
    assert status == 0, err
    assert err == ""  # no traceback, no log noise from the watcher's threads
    assert "Traceback" not in out
    assert "Built 2 articles" in serving.printed[0]
    assert out.strip().endswith("Stopped.")


def test_a_parallel_rebuild_finishes_and_ctrl_c_still_stops(site_file: Path) -> None:
    # a template edit re-renders 150 pages: more than one chunk, so forked render workers
    # run on the debouncer's thread; they must end (and be ended) as in `archivegen build`
    filler_articles(site_file.parent / "content", 150)
    serving = Serving(site_file.parent)
    template = site_file.parent / "themes" / "default" / "templates" / "article.html"
    template.write_text(template.read_text().replace("{% block main %}", "{% block main %}<i>"))
    rendered = serving.wait_for(r"change\(s\): (\d+) page\(s\) rendered", timeout=60)
    assert int(rendered.group(1)) == 152
    status, out, err = serving.interrupt()
    assert status == 0 and "Traceback" not in err, err
    assert out.strip().endswith("Stopped.")


def test_a_non_loopback_host_is_warned_about(site_file: Path) -> None:
    # a documentation address (RFC 5737) no machine has: the warning, then a clear bind error
    result = subprocess.run(
        [*ARCHIVEGEN, "serve", "--host", "203.0.113.7", "--port", "1"],
        cwd=site_file.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "warning: serving on 203.0.113.7: other machines on the network" in result.stderr
    assert "cannot listen on 203.0.113.7:1" in result.stderr
    assert "Traceback" not in result.stderr


def test_waiting_for_ctrl_c_leaves_sigterm_to_the_worker_pool() -> None:
    # Pool.terminate() ends render workers with SIGTERM; a handler they inherited would make
    # them survive it and the rebuild wait forever (seen at 10,000 articles before this test)
    seen: dict[str, object] = {}

    def press_ctrl_c() -> None:
        time.sleep(0.3)
        seen["sigterm"] = signal.getsignal(signal.SIGTERM)
        seen["sigint"] = signal.getsignal(signal.SIGINT)
        os.kill(os.getpid(), signal.SIGINT)

    before = (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM))
    presser = threading.Thread(target=press_ctrl_c)
    presser.start()
    wait_for_interrupt()  # returns on the SIGINT instead of raising KeyboardInterrupt
    presser.join()
    assert seen["sigterm"] == before[1]
    assert seen["sigint"] not in (before[0], signal.SIG_DFL, signal.SIG_IGN)
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before
