"""Where an image may point (front matter `image`, or `![](…)` in the body): an http(s) URL,
or a file inside the content folder.

The value is hostile input (an imported page chose it): a `javascript:` or `data:` URL, a
path climbing out of the content folder or a Windows path would put someone else's bytes on
the site, so each is refused with the reason, before anything reads the file.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

# a scheme as a browser reads it: letters, then `:` (a drive letter `C:` is one too)
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\\]")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")


@dataclass(frozen=True, slots=True)
class MeasuredImage:
    """A local image file (a lead or a body image), measured: what a page needs to show it
    at several widths."""

    path: str  # relative to the content folder, with forward slashes
    digest: str  # of the file's bytes: names its copies in the site (content-addressed)
    width: int
    height: int
    format: str  # Pillow's name, lowercase: jpeg, png, gif, webp


def is_remote(value: str) -> bool:
    """True for an http(s) URL with a host (the only remote images a page may show)."""
    parts = urlsplit(value)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def image_problem(value: str, article_folder: str) -> str | None:
    """Why `value` may not be an article's image (None: it may); `article_folder` is the
    article file's folder relative to the content folder ("" at its top)."""
    if is_remote(value):
        return None
    if _SCHEME.match(value) or value.startswith("//"):
        return "must be an http(s) URL or a path inside the content folder"
    if _CONTROL.search(value):
        return "must not hold backslashes or control characters"
    if local_image_path(value, article_folder) is None:
        return "points outside the content folder"
    if not value.lower().endswith(IMAGE_SUFFIXES):
        return f"must be a {', '.join(s[1:] for s in IMAGE_SUFFIXES)} file"
    return None


def local_image_path(value: str, article_folder: str) -> str | None:
    """The image's path relative to the content folder, None if it leaves it. Relative to
    the article's folder; a leading `/` starts from the content folder."""
    start = "" if value.startswith("/") else article_folder
    parts: list[str] = []
    for part in posixpath.join(start, value.lstrip("/")).split("/"):
        if part == "..":
            if not parts:
                return None  # climbs above the content folder
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts) or None
