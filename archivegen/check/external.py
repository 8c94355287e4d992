"""`check --external`: ask other sites whether the pages we link to still exist.

A HEAD request per distinct URL (GET when a server refuses HEAD), a few at a time, with a
timeout. Only run on request: it needs the network and other sites' goodwill.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

from archivegen import __version__

THREADS = 8
TIMEOUT = 10.0
USER_AGENT = f"archivegen/{__version__} link check"

Fetch = Callable[[str], str | None]  # URL -> None when fine, else what went wrong


def check_urls(urls: Iterable[str], fetch: Fetch | None = None) -> dict[str, str]:
    """The URLs that failed, each with its reason."""
    fetch = fetch or head_request
    distinct = sorted(set(urls))
    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(fetch, distinct))
    return {url: reason for url, reason in zip(distinct, answers, strict=True) if reason}


def head_request(url: str) -> str | None:
    """None when the URL answers 2xx/3xx; otherwise the status or the network error."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT):
                return None
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in (403, 405, 501):
                continue  # some servers refuse HEAD but serve GET
            return f"HTTP {exc.code} {exc.reason}"
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            return f"unreachable ({reason})"
    return None
