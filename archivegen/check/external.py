"""`check --external`: ask other sites whether the pages we link to still exist.

A HEAD request per distinct URL (GET when a server refuses HEAD), a few at a time and at
most PER_HOST at once to any one host, with a timeout. An archive links to its source site
thousands of times, and such a site answers a burst with 429 Too Many Requests: urllib3's
`Retry` (the standard implementation, already installed with trafilatura) retries 429, 503
and connection errors with exponential backoff and waits the `Retry-After` the server asks
for. A server that still says 429/503 after the retries is `Unsettled`: a warning, never a
broken link. Answers are kept in a small cache in `.archivegen/` for the next runs (a good
link for a week, a broken one for a day; an unsettled one not at all). Only run on request:
it needs the network and other sites' goodwill.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import urllib3
from urllib3.exceptions import HTTPError
from urllib3.util.retry import Retry

from archivegen import __version__
from archivegen.output.atomic import write_atomic
from archivegen.output.cache import CACHE_DIR

THREADS = 8
PER_HOST = 2  # what a polite crawler allows itself on one site
TIMEOUT = 10.0
RETRIES = 4  # after the first attempt; backoff 0, 1, 2, 4 s between them
BACKOFF = 0.5
RETRY_AFTER_MAX = 60.0  # a server asking for an hour gets a warning, not an hour's wait
USER_AGENT = f"archivegen/{__version__} link check"
CACHE_FILE = "external-links.json"
CACHE_VERSION = 1
FRESH_SECONDS = {True: 7 * 86400, False: 86400}  # by "the link was fine"


class Unsettled(str):
    """A reason that says nothing about the link itself (rate limited, server busy)."""

    __slots__ = ()


Fetch = Callable[[str], str | None]  # URL -> None when fine, else what went wrong


def cache_path(site_root: Path) -> Path:
    """Where a site keeps the answers of earlier runs: its build cache folder."""
    return site_root / CACHE_DIR / CACHE_FILE


def check_urls(
    urls: Iterable[str], fetch: Fetch | None = None, cache_file: Path | None = None
) -> dict[str, str]:
    """The URLs that failed, each with its reason (an `Unsettled` one for a warning)."""
    fetch = fetch or HeadRequests()
    cache = LinkCache.load(cache_file) if cache_file else LinkCache(None, {})
    distinct = sorted(set(urls))
    asked = [url for url in distinct if not cache.knows(url)]
    limits = HostLimits(PER_HOST)
    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(lambda url: limits.run(url, fetch), asked))
    for url, answer in zip(asked, answers, strict=True):
        cache.record(url, answer)
    cache.save()
    return {url: reason for url in distinct if (reason := cache.answer(url)) is not None}


class HostLimits:
    """At most `per_host` requests at once to any one host (retries and their waits included:
    backing off holds the host's slot, so the other threads do not keep hammering it)."""

    def __init__(self, per_host: int) -> None:
        self.per_host = per_host
        self._slots: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()

    def run(self, url: str, fetch: Fetch) -> str | None:
        """`fetch(url)` once the URL's host has a free slot."""
        host = urlsplit(url).netloc.lower()
        with self._lock:
            slot = self._slots.setdefault(host, threading.Semaphore(self.per_host))
        with slot:
            return fetch(url)


class _CappedRetry(Retry):
    """urllib3's Retry, with the wait a Retry-After asks for capped at RETRY_AFTER_MAX."""

    def parse_retry_after(self, retry_after: str) -> float:
        return min(super().parse_retry_after(retry_after), RETRY_AFTER_MAX)


RETRY = _CappedRetry(
    total=RETRIES,
    connect=RETRIES,
    read=1,
    status=RETRIES,
    redirect=5,
    backoff_factor=BACKOFF,
    status_forcelist=(429, 503),
    allowed_methods=("HEAD", "GET"),
    respect_retry_after_header=True,
    raise_on_status=False,  # the last answer is returned: reported, not raised
)


class HeadRequests:
    """The Fetch of a run: HEAD (GET when a server refuses HEAD) through one connection pool
    with the retry policy `retry`."""

    def __init__(self, retry: Retry = RETRY) -> None:
        self.retry = retry
        self.pool = urllib3.PoolManager(
            num_pools=64, maxsize=PER_HOST, headers={"User-Agent": USER_AGENT}, retries=retry
        )
        # hosts that stayed unreachable through the retries: their other URLs are not asked
        # (a dead source site would otherwise cost every one of its links the full backoff)
        self.unreachable: dict[str, str] = {}

    def __call__(self, url: str) -> str | None:
        """None when the URL answers 2xx/3xx; otherwise the status or the network error."""
        host = urlsplit(url).netloc.lower()
        if host in self.unreachable:
            return self.unreachable[host]
        try:
            response = self.pool.request("HEAD", url, timeout=TIMEOUT)
            if response.status in (403, 405, 501):  # some servers refuse HEAD but serve GET
                response = self.pool.request("GET", url, timeout=TIMEOUT, preload_content=False)
                response.release_conn()
        except (HTTPError, OSError, ValueError) as exc:
            reason = f"unreachable ({getattr(exc, 'reason', None) or exc})"
            self.unreachable[host] = reason
            return reason
        if response.status < 400:
            return None
        reason = f"HTTP {response.status} {response.reason or ''}".rstrip()
        if response.status in self.retry.status_forcelist:
            attempts = (self.retry.status or 0) + 1
            return Unsettled(f"{reason} after {attempts} attempts: not checked, try again later")
        return reason


class LinkCache:
    """Answers of earlier runs: URL -> (when, reason or None), read and written as JSON."""

    def __init__(self, path: Path | None, entries: dict[str, tuple[float, str | None]]) -> None:
        self.path = path
        self.entries = entries
        self.now = time.time()

    @classmethod
    def load(cls, path: Path) -> LinkCache:
        """The cache at `path`; missing, unreadable or of another format: an empty one."""
        try:
            data = json.loads(path.read_bytes())
            urls = data["urls"] if data.get("version") == CACHE_VERSION else {}
            entries = {str(u): (float(e[0]), _reason(e[1])) for u, e in urls.items()}
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            entries = {}  # a cache is a shortcut: a bad one costs only requests
        return cls(path, entries)

    def knows(self, url: str) -> bool:
        """True when an answer for `url` is fresh enough to trust."""
        entry = self.entries.get(url)
        if entry is None or isinstance(entry[1], Unsettled):  # unsettled: ask again next run
            return False
        return self.now - entry[0] < FRESH_SECONDS[entry[1] is None]

    def answer(self, url: str) -> str | None:
        """The recorded reason (None: the link was fine)."""
        entry = self.entries.get(url)
        return entry[1] if entry else None

    def record(self, url: str, reason: str | None) -> None:
        """Keep a new answer (an unsettled one for this run only)."""
        self.entries[url] = (self.now, reason)

    def save(self) -> None:
        """Write the fresh answers back (a cache that cannot be written is skipped)."""
        if self.path is None:
            return
        urls = {u: list(e) for u, e in sorted(self.entries.items()) if self.knows(u)}
        data = json.dumps({"version": CACHE_VERSION, "urls": urls}, indent=0).encode()
        with contextlib.suppress(OSError):  # a read-only site folder: the next run asks again
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, data + b"\n")


def _reason(value: object) -> str | None:
    return None if value is None else str(value)
