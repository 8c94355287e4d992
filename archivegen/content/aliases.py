"""An alias, as front matter or the redirect record gives it, made safe for every use.

An alias is an old address of this site: a path (`/read/2022/10/04/549506/judul`) or a
path and query (`/berita.php?id=5`). It ends up in HTML (the meta-refresh page), in a file
path (that page's folder) and in server configuration (nginx, `_redirects`, `.htaccess`),
so it is hostile input: every character outside a small safe set is percent-encoded, which
is also how a browser sends it, so no space, quote, `$`, newline or non-ASCII character
can ever reach a map line. What cannot be an address is refused with a reason.
"""

from __future__ import annotations

import re
from urllib.parse import quote

MAX_ALIAS = 2000  # longer request lines are refused by common servers and CDNs
# RFC 3986 unreserved characters, `/`, and the query's `=&`; `%` only as a valid escape
_SAFE = "/=&-._~"
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# the build's own files: its assets and search index, and the files for machines at the
# root (feeds, sitemaps, robots.txt, the 404 page, the redirect maps); an alias at or
# under one would overwrite it, or need a folder where a file stands
BUILD_FILES = re.compile(
    r"/(static|pagefind)(/.*)?|/(feed\.xml|sitemap(-\d+)?\.xml|news-sitemap\.xml|robots\.txt"
    r"|404\.html|redirects\.nginx\.conf|_redirects|\.htaccess)(/.*)?"
)


def clean_alias(text: str) -> str:
    """The alias percent-encoded to safe characters; ValueError (its reason) if refused."""
    if not text.startswith("/") or text.startswith("//"):
        raise ValueError("must be a path on this site starting with / (not //host)")
    if "#" in text:
        raise ValueError("a #fragment never reaches the server: leave it out")
    if _CONTROL.search(text):
        raise ValueError("holds a control character (a newline, a tab…)")
    path, sep, query = text.partition("?")
    if ".." in path.split("/") or "." in path.split("/"):
        raise ValueError("dot segments (. and ..) are refused")
    if BUILD_FILES.fullmatch(path):
        raise ValueError("is the address of a file the build writes itself (or lies under one)")
    encoded = _encode(path) + (sep + _encode(query) if sep else "")
    if len(encoded) > MAX_ALIAS:
        raise ValueError(f"is longer than {MAX_ALIAS} characters once percent-encoded")
    return encoded


def _encode(part: str) -> str:
    # `%XX` escapes are kept (a URL copied from a browser is already encoded); a lone `%`
    # is encoded as `%25`; escapes are upper-cased so one address has one spelling
    part = _BAD_ESCAPE.sub("%25", part)
    pieces = part.split("%")
    out = [quote(pieces[0], safe=_SAFE)]
    for piece in pieces[1:]:
        out.append("%" + piece[:2].upper() + quote(piece[2:], safe=_SAFE))
    return "".join(out)


def is_query_alias(alias: str) -> bool:
    """True for a path and query: only a server's redirect map can answer it."""
    return "?" in alias
