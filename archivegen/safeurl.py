"""Which URLs may reach a page: http(s) with a host, mailto, or a path on the site.

A link's value is hostile input (an imported page, a copied site.yaml): a `javascript:`,
`vbscript:` or `data:` URL in an `href` runs or shows someone else's code when clicked.
Browsers drop tabs and newlines inside a URL and trim controls and spaces around it
before reading its scheme (`java&#9;script:` is `javascript:`), so any such character is
refused outright rather than second-guessed.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# controls, space, DEL, the C1 block, the backslash browsers read as `/`, and what XML
# cannot carry (a base_url is written into every feed)
_UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f\\\ud800-\udfff\ufffe\uffff]")
SAFE_SCHEMES = ("http", "https", "mailto")


def link_problem(value: str) -> str | None:
    """Why `value` may not be a link on a page (None: it may)."""
    if _UNSAFE.search(value):
        return "must not hold spaces, control characters or backslashes"
    scheme = _SCHEME.match(value)
    if scheme is None:
        return None  # a path on the site, relative or from its root
    name = scheme[1].lower()
    if name not in SAFE_SCHEMES:
        return f"has the scheme {name}:, only http:, https: and mailto: links are allowed"
    if name != "mailto" and not urlsplit(value).hostname:
        return "must name a host (http://example.com/...)"
    return None


def web_url_problem(value: str) -> str | None:
    """Why `value` is not an absolute http(s) URL with a host (None: it is)."""
    problem = link_problem(value)
    if problem is None and not value.lower().startswith(("http://", "https://")):
        problem = "must be an http:// or https:// URL"
    return problem
