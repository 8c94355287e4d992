"""Resolve a URL found in the site to one of its files, as a static web server would.

`/a/b/` -> `a/b/index.html`; `/a/b` -> `a/b`, or `a/b/index.html` (servers redirect);
relative URLs against the page's own URL; absolute URLs under base_url are internal.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

SKIPPED_SCHEMES = {"mailto", "tel", "javascript", "data", "sms", "geo", "blob", "about"}


@dataclass(frozen=True, slots=True)
class Target:
    """Where an internal URL points: a site file (None when nothing is there) and an anchor."""

    file: str | None
    fragment: str
    path: str  # the URL path, for messages


class SiteMap:
    """The files of a built site and the base URL it is published at."""

    def __init__(self, files: set[str], base_url: str) -> None:
        self.files = files
        base = urlsplit(base_url)
        self.host = base.netloc.lower()
        self.base_path = base.path if base.path.endswith("/") else base.path + "/"

    def internal_path(self, url: str, page_url: str) -> tuple[str, str] | None:
        """(path, fragment) of a URL of this site, None for another site or a mailto: etc."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme in SKIPPED_SCHEMES or (scheme and scheme not in ("http", "https")):
            return None
        if parts.netloc:
            if parts.netloc.lower() != self.host or not parts.path.startswith(self.base_path):
                return None
            return "/" + parts.path[len(self.base_path) :], parts.fragment
        joined = urlsplit(urljoin(page_url, url))
        return joined.path or "/", joined.fragment

    def is_external(self, url: str) -> bool:
        """An http(s) URL of another site (what --external requests)."""
        parts = urlsplit(url)
        internal = parts.netloc.lower() == self.host and parts.path.startswith(self.base_path)
        return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and not internal

    def resolve(self, path: str, fragment: str = "") -> Target:
        """The file a site path is served from (None: a broken link)."""
        relative = unquote(path).lstrip("/")
        candidates = [relative + "index.html"] if relative.endswith("/") or not relative else []
        if relative and not relative.endswith("/"):
            candidates += [relative, relative + "/index.html"]
        found = next((c for c in candidates if c in self.files), None)
        return Target(found, unquote(fragment), path)


def page_url(relative: str) -> str:
    """The URL a site file is served at (`a/index.html` -> `/a/index.html`), for urljoin."""
    return "/" + relative
