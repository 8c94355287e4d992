"""Fixtures for the preview tests: a running Preview on a free port of 127.0.0.1, stopped
with every thread joined after each test (the `browser` fixture is the shared one)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from servekit import Recorder, Running, start_preview, write_site


@pytest.fixture
def site_file(tmp_path: Path) -> Path:
    """A fresh small site (unbuilt); its site.yaml."""
    return write_site(tmp_path / "site")


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    """A preview of a fresh small site, started; stopped and checked for leftover threads."""
    root = tmp_path / "site"
    write_site(root)
    before = set(threading.enumerate())
    preview = start_preview(root)
    recorder = preview.reporter
    assert isinstance(recorder, Recorder)
    preview.start()
    try:
        yield Running(preview, root, recorder)
    finally:
        preview.stop()
        left = [t for t in threading.enumerate() if t not in before]
        assert not left, f"threads left running: {left}"
