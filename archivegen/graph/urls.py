"""The one URL builder, and the one map from URL to output file that never leaves the root."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from posixpath import normpath

from archivegen.errors import OutputError


def fill(pattern: str, *, slug: str = "", date: datetime | None = None, n: int = 0) -> str:
    """Fill a permalink pattern's placeholders ({slug}, {yyyy}, {mm}, {dd}, {n}).

    Without a date, the date placeholders are left as they are; any other text, braces
    included, is kept verbatim.
    """
    if date is None:
        return _format(pattern, False).format(slug=slug, n=n)
    return _format(pattern, True).format(slug=slug, n=n, d=date)


@lru_cache(maxsize=256)
def _format(pattern: str, dated: bool) -> str:
    # a pattern as a str.format template, made once: filled for every article and page
    template = pattern.replace("{", "{{").replace("}", "}}")
    fields = {"slug": "{slug}", "n": "{n}"}
    if dated:
        fields.update(yyyy="{d.year:04d}", mm="{d.month:02d}", dd="{d.day:02d}")
    for name, field in fields.items():
        template = template.replace("{{" + name + "}}", field)
    return template


def paged_url(first_url: str, page_pattern: str, number: int) -> str:
    """The URL of numbered page `number` of a listing whose first page is `first_url`."""
    return first_url.rstrip("/") + "/" + fill(page_pattern, n=number)


# a forbidden character; or an empty, `.`, `..` or hidden segment (`//`, `/.`)
_UNSAFE_CHARS = re.compile(r"[\\\x00\r\n?#]")
_UNSAFE_SEGMENT = re.compile(r"//|/\.")
# the one hidden file a site may hold: Apache reads its redirect map from it
SERVER_FILES = frozenset({"/.htaccess"})


@lru_cache(maxsize=1 << 18)  # pure, and asked again for every page of every build
def output_path(url: str) -> str:
    """Map a site URL to a file path relative to the output root, refusing any escape.

    `/2022/10/04/x/` -> `2022/10/04/x/index.html`; `/feed.xml` -> `feed.xml`.
    """
    if not url.startswith("/") or _UNSAFE_CHARS.search(url):
        raise OutputError(f"unsafe URL {url!r}: it must be a plain path starting with /")
    if _UNSAFE_SEGMENT.search(url) and url not in SERVER_FILES:
        raise OutputError(f"unsafe URL {url!r}: empty, dot or hidden path segments are refused")
    relative = url.strip("/")
    if url.endswith("/") or not relative:
        relative = f"{relative}/index.html".lstrip("/")
    if normpath(relative) != relative or relative.startswith("/"):
        raise OutputError(f"unsafe URL {url!r}: it would leave the output folder")
    return relative
