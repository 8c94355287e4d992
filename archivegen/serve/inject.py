"""The live-reload script: its source, and its tag added to HTML responses (never to files)."""

from __future__ import annotations

import html
from pathlib import Path

PREFIX = "/__archivegen/"  # the preview server's own URLs; they shadow any site file there
SCRIPT_URL = PREFIX + "reload.js"
EVENTS_URL = PREFIX + "events"
SCRIPT_SOURCE = (Path(__file__).parent / "reload.js").read_bytes()


def script_tag(build: str) -> bytes:
    """The tag that loads the reload script, telling it which build the page belongs to."""
    return f'<script src="{SCRIPT_URL}" data-build="{html.escape(build)}"></script>'.encode()


def inject_script(page: bytes, build: str) -> bytes:
    """The page with the script tag before its last `</body>` (or at its end when it has none)."""
    tag = script_tag(build)
    at = page.lower().rfind(b"</body")
    if at < 0:
        return page + tag
    return page[:at] + tag + page[at:]
