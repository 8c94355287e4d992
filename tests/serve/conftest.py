"""Fixtures for the preview tests: a running Preview on a free port of 127.0.0.1 (stopped,
every thread joined, after each test) and a headless Debian Chromium."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from servekit import CHROMIUM, CHROMIUM_ARGS, Recorder, Running, start_preview, write_site


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


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium through Playwright (skipped when it is not installed)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run browser tests")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
