"""Finding the article files and stamping them: what every build does first, and all an
up-to-date build does, so this module imports nothing that parses them."""

from __future__ import annotations

import os
from pathlib import Path

from archivegen.errors import ContentError

FileStamp = tuple[int, int]  # (size, mtime_ns): what tells a changed file without reading it


def scan_article_files(content_dir: Path) -> list[tuple[str, FileStamp]]:
    """Every article file (its path as text, sorted) with its stamp, from one directory walk.

    Text, not Path: a build stats every file to find the few that changed, and making and
    sorting 10,000 Path objects costs more than the walk itself.
    """
    if not content_dir.is_dir():
        raise ContentError(
            f"the content folder {content_dir} is missing (content_dir in site.yaml; "
            "a disk not mounted?): nothing to build"
        )
    found: list[tuple[str, FileStamp]] = []
    stack = [str(content_dir)]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            continue  # removed while the build walked the folders
        except OSError as exc:  # its articles would silently vanish from the site
            raise ContentError(f"the folder cannot be read: {exc.strerror}", path=folder) from None
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                stack.append(entry.path)
            elif entry.name.endswith(".md") and entry.is_file():
                stat = entry.stat()
                found.append((entry.path, (stat.st_size, stat.st_mtime_ns)))
    found.sort()
    return found
