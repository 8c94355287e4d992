"""The redirect maps, one per server syntax: nginx `map`, Netlify/Cloudflare `_redirects`,
Apache `.htaccess`.

Every alias and target reaching here was percent-encoded to `[A-Za-z0-9/=&%._~?-]`
(`content/aliases.py`; targets are built from safe slugs), so no line can be broken out of;
`_checked` holds each map to that, so a future caller that forgets fails loudly instead
of writing a server configuration an attacker's front matter wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archivegen.graph.model import RedirectMapPage

_SAFE = re.compile(r"[A-Za-z0-9/=&%._~?-]+")
NGINX_VARIABLE = "$archivegen_redirect"


def render_redirect_map(page: RedirectMapPage) -> bytes:
    """The map in its server's syntax."""
    rules = [(_checked(alias), _checked(target)) for alias, target in page.rules]
    render = {"nginx": _nginx, "netlify": _netlify, "apache": _apache}[page.syntax]
    return "".join(render(rules)).encode("ascii")


def spellings(alias: str) -> tuple[str, ...]:
    """The request URIs an alias answers: a folder with and without its trailing slash."""
    if alias.endswith("/") and len(alias) > 1:
        return alias, alias[:-1]
    return (alias,)


def _checked(text: str) -> str:
    if not _SAFE.fullmatch(text) or not text.startswith("/"):
        raise ValueError(f"{text!r} is not a percent-encoded site path; refusing to map it")
    return text


def _nginx(rules: list[tuple[str, str]]) -> Iterator[str]:
    longest = max((len(a) for alias, _ in rules for a in spellings(alias)), default=0)
    yield "# Written by archivegen: every old address of this site and where it moved (301).\n"
    yield "# Include it inside http { }, then in the site's server { }:\n"
    yield f"#   if ({NGINX_VARIABLE}) {{ return 301 {NGINX_VARIABLE}; }}\n"
    keys = sum(len(spellings(alias)) for alias, _ in rules)
    yield f"# Its longest key is {longest} bytes: map_hash_bucket_size must be larger;\n"
    yield f"# it has {keys} keys: map_hash_max_size {keys * 4} or more loads it fast.\n"
    # $request_uri is the path and query as the client sent them, not decoded
    yield f"map $request_uri {NGINX_VARIABLE} {{\n"
    yield '    default "";\n'
    for alias, target in rules:
        for spelling in spellings(alias):
            yield f'    "{spelling}" "{target}";\n'
    yield "}\n"


def _netlify(rules: list[tuple[str, str]]) -> Iterator[str]:
    yield "# Written by archivegen: every old address of this site and where it moved.\n"
    for alias, target in rules:
        path, _, query = alias.partition("?")
        if not query:
            for spelling in spellings(path):
                yield f"{spelling} {target} 301\n"
            continue
        params = query.split("&")
        if all("=" in p and not p.startswith("=") for p in params):
            yield f"{path} {' '.join(params)} {target} 301\n"
        else:  # Netlify matches a query by its key=value pairs only
            yield f"# {alias} -> {target}: a query without key=value pairs cannot be matched\n"


def _apache(rules: list[tuple[str, str]]) -> Iterator[str]:
    yield "# Written by archivegen: every old address of this site and where it moved (301).\n"
    yield "RewriteEngine On\n"
    for alias, target in rules:
        # THE_REQUEST is the request line as sent (`GET /berita.php?id=5 HTTP/1.1`): the
        # path and query undecoded, matched here in full, as nginx matches $request_uri
        pattern = re.sub(r"([^A-Za-z0-9/])", r"\\\1", alias)
        if alias.endswith("/") and len(alias) > 1:
            pattern += "?"  # the folder with or without its trailing slash
        yield f"RewriteCond %{{THE_REQUEST}} ^[A-Z]+\\s{pattern}\\sHTTP/\n"
        # `?` ends the substitution: the old query string is not carried to the target
        yield f"RewriteRule ^ {target}? [R=301,L]\n"
