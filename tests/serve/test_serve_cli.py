"""`archivegen serve` as a user runs it: a real process, stopped with Ctrl-C (SIGINT)."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

from servekit import SEED_TITLE, SEED_URL

ARCHIVEGEN = [sys.executable, "-m", "archivegen"]


def start_serving(site: Path) -> tuple[subprocess.Popen[str], str, list[str]]:
    """Start `archivegen serve --port 0`; return it, the URL and the lines it printed so far."""
    process = subprocess.Popen(
        [*ARCHIVEGEN, "serve", "--port", "0"],
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    lines = []
    for line in process.stdout:
        lines.append(line)
        found = re.search(r"on (http://127\.0\.0\.1:\d+/)", line)
        if found:
            return process, found.group(1), lines
        assert time.monotonic() < deadline, "serve printed no URL"
    process.kill()
    raise AssertionError(f"serve ended early: {process.wait()} {process.stderr}")


def test_ctrl_c_stops_cleanly_with_a_tab_connected(site_file: Path) -> None:
    process, url, printed = start_serving(site_file.parent)
    try:
        with urlopen(url + SEED_URL.lstrip("/"), timeout=10) as response:
            assert SEED_TITLE in response.read().decode()
        events = urlopen(url + "__archivegen/events", timeout=10)  # an open tab's stream
        assert events.readline().startswith(b"retry:")
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
        events.close()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "Traceback" not in err and "Traceback" not in out
    assert "Built 2 articles" in printed[0]
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
