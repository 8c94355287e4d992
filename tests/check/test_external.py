"""`check --external` against a real HTTP server on 127.0.0.1 that rate-limits like a news
site: 429 with Retry-After first, then 200; a missing page; a server that stays busy."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sitekit import SiteFactory

from archivegen.build import build_site
from archivegen.check import CheckReport, check_site
from archivegen.check.external import (
    PER_HOST,
    RETRIES,
    RETRY,
    HeadRequests,
    cache_path,
    check_urls,
)
from archivegen.config import SiteConfig

BASE = "https://arsip.example/"
LIMITED = [f"/read/{n}/" for n in range(6)]


@dataclass
class Source:
    """What the source site saw: each request's path and time, and the most at once."""

    port: int
    asked: list[tuple[str, float]] = field(default_factory=list)
    in_flight: int = 0
    most_at_once: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def count(self, path: str) -> int:
        return sum(1 for asked, _ in self.asked if asked == path)

    def times(self, path: str) -> list[float]:
        return [at for asked, at in self.asked if asked == path]


class RateLimited(BaseHTTPRequestHandler):
    """/read/N/: 429 (Retry-After: 1) the first time, 200 after; /busy: always 503; else 404."""

    server: Any

    def do_HEAD(self) -> None:
        source: Source = self.server.source
        with source.lock:
            first = source.count(self.path) == 0
            source.asked.append((self.path, time.monotonic()))
            source.in_flight += 1
            source.most_at_once = max(source.most_at_once, source.in_flight)
        try:
            time.sleep(0.05)  # long enough for requests to overlap
            if self.path in LIMITED and first:
                self._answer(429, {"Retry-After": "1"})
            elif self.path in LIMITED:
                self._answer(200, {})
            elif self.path == "/busy":
                self._answer(503, {"Retry-After": "0"})
            else:
                self._answer(404, {})
        finally:
            with source.lock:
                source.in_flight -= 1

    def _answer(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def source() -> Iterator[Source]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), RateLimited)
    server.source = Source(server.server_address[1])  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,))
    thread.start()
    try:
        yield server.source  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


@pytest.fixture
def site(make_site: SiteFactory, source: Source) -> SiteConfig:
    """A built site with one page linking to the source site many times."""
    config = make_site(fillers=2, search="false")
    build_site(config)
    links = "".join(f'<a href="{source.url(p)}">x</a>\n' for p in [*LIMITED, "/gone", "/busy"])
    page = config.output_path / "sumber" / "index.html"
    page.parent.mkdir()
    page.write_text(
        '<!doctype html>\n<html lang="id"><head><title>Sumber</title>\n'
        f'<link rel="canonical" href="{BASE}sumber/"></head><body>\n{links}</body></html>\n',
        encoding="utf-8",
    )
    return config


def external(report: CheckReport) -> list[tuple[str, bool]]:
    return [(str(p), p.is_error) for p in report.problems if "external link" in p.message]


def run_check(site: SiteConfig) -> CheckReport:
    # the default policy but for its backoff (0, 1, 2, 4 s), which would make /busy take 7 s
    # per run; a Retry-After is waited for exactly as by default
    fetch = HeadRequests(RETRY.new(backoff_factor=0.01))
    cache = cache_path(site.root)
    return check_site(site.output_path, BASE, external=True, fetch=fetch, cache_file=cache)


def test_rate_limits_are_waited_out_and_answers_are_cached(
    site: SiteConfig, source: Source
) -> None:
    report = run_check(site)
    busy = (
        f"sumber/index.html:11: external link {source.url('/busy')}: HTTP 503 Service "
        f"Unavailable after {RETRIES + 1} attempts: not checked, try again later"
    )
    expected = [
        (f"sumber/index.html:10: external link {source.url('/gone')}: HTTP 404 Not Found", True),
        (busy, False),  # a warning: says nothing about the link
    ]
    assert external(report) == expected
    assert report.external == 8
    for path in LIMITED:  # 429, then (after the Retry-After second) 200: not broken
        assert source.count(path) == 2, path
        first, second = source.times(path)
        assert second - first >= 1.0, path
    assert source.count("/busy") == RETRIES + 1
    assert source.most_at_once == PER_HOST  # in parallel, but never more on one host

    cache = json.loads(cache_path(site.root).read_text())
    assert sorted(cache["urls"]) == sorted(source.url(p) for p in [*LIMITED, "/gone"])
    before = len(source.asked)
    again = run_check(site)
    assert external(again) == expected
    # only the unsettled URL is asked again; the rest come from the cache
    assert [path for path, _ in source.asked[before:]] == ["/busy"] * (RETRIES + 1)


def test_stale_or_broken_cache_entries_are_asked_again(site: SiteConfig, source: Source) -> None:
    run_check(site)
    cache = cache_path(site.root)
    data = json.loads(cache.read_text())
    week = 7 * 86400
    data["urls"][source.url(LIMITED[0])][0] -= week + 1  # a good answer older than a week
    data["urls"][source.url("/gone")][0] -= 86400 + 1  # a broken one older than a day
    data["urls"][source.url(LIMITED[1])][0] -= week - 60  # still fresh
    cache.write_text(json.dumps(data))
    before = len(source.asked)
    run_check(site)
    asked = sorted({path for path, _ in source.asked[before:]})
    assert asked == sorted([LIMITED[0], "/busy", "/gone"])

    cache.write_text("{not json")  # a torn cache costs requests, never the check
    before = len(source.asked)
    report = run_check(site)
    assert len(external(report)) == 2
    assert len({path for path, _ in source.asked[before:]}) == 8
    assert json.loads(cache.read_text())["version"] == 1


def test_an_unreachable_host_costs_one_round_of_retries() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    urls = [f"http://127.0.0.1:{port}/read/{n}/" for n in range(20)]
    fetch = HeadRequests(RETRY.new(backoff_factor=0.01))
    found = check_urls(urls, fetch)
    assert set(found) == set(urls)
    assert all(reason.startswith("unreachable (") for reason in found.values())
    # the first failure (after its retries) answers for the host's other URLs
    assert len(set(found.values())) == 1 and list(fetch.unreachable) == [f"127.0.0.1:{port}"]
