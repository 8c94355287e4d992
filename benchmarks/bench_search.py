"""Figures for search: indexing time, index size, and the bytes a browser downloads per query.

    python benchmarks/bench_search.py                   # the bundled sample (site.yaml)
    python benchmarks/bench_search.py --generate 10000  # and a generated 10,000-article archive
    python benchmarks/bench_search.py --archive DIR     # and an archive folder with site.yaml

For each archive: a clean build (with its index step), then the index step alone — a cold
reindex (`reuse=False`) and a reuse (nothing changed) — then the index on disk (all of
`pagefind/`, and the part a search actually uses: Pagefind's own UI bundles are not loaded
by the theme), then Debian Chromium (Playwright) opening `/cari/?q=QUERY` over HTTP on
127.0.0.1 and running a second query in the same tab, with the bytes of every response
(Playwright's network log, `request.sizes()`); the server does not compress.
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from archivegen.build import BuildOptions, build_site
from archivegen.config import SiteConfig, load_config
from archivegen.search import INDEX_DIR, SearchIndexer

# the test kit's static server: one HTTP fixture for tests, screenshots and benchmarks
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from browserkit import serve_folder
from search_quality import measure_quality

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SHARD_FILTER = re.compile(rb'data-pagefind-filter="shard:([^"]*)"')
UI_BUNDLES = ("pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui", "pagefind-highlight")


@dataclass
class Figures:
    """One archive's row of the table."""

    name: str
    articles: int = 0
    build_s: float = 0.0
    index_s: float = 0.0
    reuse_s: float = 0.0
    pagefind_rss_mb: float = 0.0
    files: int = 0
    bytes: int = 0
    used_files: int = 0
    used_bytes: int = 0
    first_query: str = ""
    first_bytes: int = 0
    first_requests: int = 0
    first_pagefind_bytes: int = 0
    first_s: float = 0.0
    second_query: str = ""
    second_bytes: int = 0
    second_requests: int = 0
    log: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = ()


def main() -> None:
    """Measure the sample and any extra archives, then print the table."""
    args = parse_args()
    archives: list[tuple[str, SiteConfig, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench-search-") as scratch:
        sample = load_config(ROOT / "site.yaml", {"output_dir": str(Path(scratch, "sample"))})
        archives.append(("sample", sample, "Kazakhstan", "presiden"))
        if args.generate:
            folder = Path(scratch, f"archive-{args.generate}")
            generate(args.generate, folder)
            archives.append((f"{args.generate:,} generated", load_config(folder / "site.yaml"),
                             "presiden", "banjir jakarta"))  # fmt: skip
        if args.archive:
            archives.append((args.archive.name, load_config(args.archive / "site.yaml"),
                             "presiden", "banjir jakarta"))  # fmt: skip
        rows = [
            measure(name, config, q1, q2, args.browser, args.quality)
            for name, config, q1, q2 in archives
        ]
    if args.requests:
        for row in rows:
            print_requests(row)
    print_table(rows)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--generate", type=int, metavar="N", help="also a generated N-article archive"
    )
    parser.add_argument("--archive", type=Path, help="also this archive folder (with site.yaml)")
    parser.add_argument("--no-browser", dest="browser", action="store_false")
    parser.add_argument("--requests", action="store_true", help="list each query's requests")
    parser.add_argument(
        "--quality",
        action="store_true",
        help="also precision, recall and rank agreement of 200+ queries (search_quality.py)",
    )
    return parser.parse_args()


def generate(count: int, folder: Path) -> None:
    """An N-article archive from the shared corpus (benchmarks/corpus.py)."""
    script = ROOT / "benchmarks" / "corpus.py"
    subprocess.run([sys.executable, str(script), str(count), str(folder)], check=True)


def measure(
    name: str, config: SiteConfig, q1: str, q2: str, browser: bool, quality: bool = False
) -> Figures:
    """Every figure of one archive."""
    print(f"[{name}] building…", file=sys.stderr, flush=True)
    figures = Figures(name=name)
    started = time.perf_counter()
    report = build_site(config, BuildOptions(clean=True, now=datetime.now(UTC)))
    figures.build_s = time.perf_counter() - started
    figures.articles = report.articles
    out = config.output_path
    pages = article_pages(out)
    print(f"[{name}] indexing {len(pages)} pages…", file=sys.stderr, flush=True)
    # a fresh process, so that its only child is Pagefind (the build forked render workers)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        figures.index_s, figures.pagefind_rss_mb = pool.apply(cold_index, (out, config.language))
    figures.reuse_s = time_index(out, config.language, pages, reuse=True)
    index_size(out / INDEX_DIR, figures)
    if browser and CHROMIUM.exists():
        print(f"[{name}] querying in Chromium…", file=sys.stderr, flush=True)
        query_bytes(out, config.permalinks.search, q1, q2, figures)
    if quality and CHROMIUM.exists():
        print(f"[{name}] precision and recall in Chromium…", file=sys.stderr, flush=True)
        print(f"\n{name}: search quality")
        measure_quality(out, config.permalinks.search, config.language, pages)
    return figures


def article_pages(out: Path) -> dict[str, bytes]:
    """The pages the index is built from: those carrying `data-pagefind-body`."""
    pages = {}
    for path in sorted(out.rglob("index.html")):
        data = path.read_bytes()
        if b"data-pagefind-body" in data:
            pages[path.relative_to(out).as_posix()] = data
    return pages


def page_shard(data: bytes) -> str:
    """The shard the build put a page in (the hidden `shard` filter of article.html)."""
    found = SHARD_FILTER.search(data)
    return found.group(1).decode() if found else ""


def cold_index(out: Path, language: str) -> tuple[float, float]:
    """A reindex from scratch: seconds, and the peak memory (MB) of the Pagefind process."""
    seconds = time_index(out, language, article_pages(out), reuse=False)
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def time_index(out: Path, language: str, pages: dict[str, bytes], reuse: bool) -> float:
    """Seconds of the index step alone (what a build spends on search), into a null sink."""
    indexer = SearchIndexer(out, language, reuse=reuse)
    for relative, data in pages.items():
        indexer.add(relative, data, page_shard(data))
    started = time.perf_counter()
    report = indexer.write(_NullSink())
    seconds = time.perf_counter() - started
    assert report.reused == reuse, "the reuse run did not reuse: the index is stale"
    return seconds


class _NullSink:
    def write(self, relative: str, data: bytes) -> bool:
        return True

    def write_file(self, relative: str, path: Path, digest: str) -> bool:
        return True

    def can_keep(self, relative: str, digest: str) -> bool:
        return False

    def keep(self, relative: str) -> bool:
        return False

    def scratch(self, label: str) -> Path:
        return Path(tempfile.mkdtemp(prefix=f"archivegen-{label}-"))


def index_size(folder: Path, figures: Figures) -> None:
    """All of pagefind/, and the part a search downloads from (no UI bundles)."""
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        figures.files += 1
        figures.bytes += size
        if not path.name.startswith(UI_BUNDLES):
            figures.used_files += 1
            figures.used_bytes += size


def query_bytes(out: Path, search_url: str, q1: str, q2: str, figures: Figures) -> None:
    """Bytes and requests of a first query (cold tab) and of a second one in the same tab."""
    from playwright.sync_api import sync_playwright

    log: list[tuple[str, int]] = []
    with serve_folder(out) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context()
        context.on("requestfinished", lambda request: log.append(_size(request)))
        page = context.new_page()
        started = time.perf_counter()
        page.goto(f"{base}{search_url}?q={quote(q1)}")
        _wait_for_results(page)
        figures.first_s = time.perf_counter() - started
        first = list(log)
        log.clear()
        page.fill("#search-input", q2)
        page.press("#search-input", "Enter")
        page.wait_for_function(
            "q => document.getElementById('search-status').textContent.includes(q)", arg=q2
        )
        _wait_for_results(page)
        page.wait_for_timeout(300)  # late fragment requests
        browser.close()
    figures.first_query, figures.second_query = q1, q2
    figures.first_bytes = sum(size for _, size in first)
    figures.first_requests = len(first)
    figures.first_pagefind_bytes = sum(size for url, size in first if f"/{INDEX_DIR}/" in url)
    figures.second_bytes = sum(size for _, size in log)
    figures.second_requests = len(log)
    figures.log = ((q1, tuple(first)), (q2, tuple(log)))


def _size(request: Any) -> tuple[str, int]:
    sizes = request.sizes()
    return request.url, int(sizes["responseBodySize"] + sizes["responseHeadersSize"])


def _wait_for_results(page: Any) -> None:
    page.wait_for_function(
        "() => document.querySelectorAll('#search-results li').length > 0"
        " || document.getElementById('search-status').textContent.startsWith('Tidak')",
        timeout=60_000,
    )
    page.wait_for_load_state("networkidle")


def print_requests(figures: Figures) -> None:
    """Every request of each query, with its size (headers and body)."""
    for query, requests in figures.log:
        print(f"\n{figures.name}: {query}")
        for url, size in requests:
            print(f"  {size:>9,}  {url.split('/', 3)[-1]}")


def print_table(rows: list[Figures]) -> None:
    """One column per archive."""
    lines = [
        ("articles", lambda f: f"{f.articles:,}"),
        ("clean build, s (incl. index)", lambda f: f"{f.build_s:.1f}"),
        ("index step alone, s", lambda f: f"{f.index_s:.2f}"),
        ("index step, reuse, s", lambda f: f"{f.reuse_s:.2f}"),
        ("pagefind peak RSS, MB", lambda f: f"{f.pagefind_rss_mb:.0f}"),
        ("pagefind/ files", lambda f: f"{f.files:,}"),
        ("pagefind/ bytes", lambda f: f"{f.bytes:,}"),
        ("  without UI bundles: files", lambda f: f"{f.used_files:,}"),
        ("  without UI bundles: bytes", lambda f: f"{f.used_bytes:,}"),
        ("query 1 (cold tab)", lambda f: f.first_query),
        ("  bytes, all requests", lambda f: f"{f.first_bytes:,}"),
        ("  bytes from pagefind/", lambda f: f"{f.first_pagefind_bytes:,}"),
        ("  requests", lambda f: f"{f.first_requests}"),
        ("  seconds to results", lambda f: f"{f.first_s:.2f}"),
        ("query 2 (same tab)", lambda f: f.second_query),
        ("  bytes", lambda f: f"{f.second_bytes:,}"),
        ("  requests", lambda f: f"{f.second_requests}"),
    ]
    width = max(len(label) for label, _ in lines)
    columns = [[f.name] + [cell(f) for _, cell in lines] for f in rows]
    widths = [max(len(value) for value in column) for column in columns]
    header = " | ".join(c[0].rjust(w) for c, w in zip(columns, widths, strict=True))
    print(f"{'':{width}} | {header}")
    print("-" * (width + 3 + len(header)))
    for i, (label, _) in enumerate(lines, start=1):
        cells = " | ".join(c[i].rjust(w) for c, w in zip(columns, widths, strict=True))
        print(f"{label:{width}} | {cells}")


if __name__ == "__main__":
    main()
