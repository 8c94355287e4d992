"""The output's manifest: `.archivegen-manifest.json`, the hash of every file of the site.

Written last by each commit, it marks the folder as archivegen's and vouches for its
bytes: a build compares against it to write only what changed, a deploy to send only what
changed.
"""

from __future__ import annotations

import json
from pathlib import Path

from archivegen.digest import digest

MANIFEST = ".archivegen-manifest.json"
MANIFEST_VERSION = 1


def manifest_bytes(hashes: dict[str, str]) -> bytes:
    """The manifest of a site whose files have these hashes."""
    data = {"version": MANIFEST_VERSION, "generator": "archivegen", "files": hashes}
    return json.dumps(data, sort_keys=True, separators=(",", ":")).encode()


def manifest_file_digest(output: Path) -> str:
    """The digest of the output's manifest as it is on disk ('' when absent)."""
    try:
        return digest((output / MANIFEST).read_bytes())
    except OSError:
        return ""


def read_manifest(output: Path) -> dict[str, str] | None:
    """The file hashes of the last good build, or None when there is none we can trust."""
    try:
        data = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return None
    files = data.get("files")
    return files if isinstance(files, dict) else None
