"""Page weights of the default theme: what a first visit downloads, raw and gzip-compressed.

    python benchmarks/bench_pages.py                # the bundled sample (site.yaml)
    python benchmarks/bench_pages.py --archive DIR  # an archive folder with site.yaml

Builds the archive into a temporary folder, then for a few pages adds up the HTML and every
stylesheet, script and icon the HTML names (`<link rel=stylesheet|icon>`, `<script src>`), each
compressed alone with gzip level 6 (a common server setting). The search page's figure is
its own HTML, CSS and JS only: the Pagefind bundle it loads is measured by bench_search.py.
Also the spread over every article page of the archive. The theme's budget: an article page
under 30 KB compressed.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

from archivegen.build import BuildOptions, build_site
from archivegen.config import load_config
from archivegen.graph.urls import output_path

ROOT = Path(__file__).resolve().parents[1]
SEED_URL = "/2022/10/04/terus-bertambah-200-ribu-warga-rusia-sudah-kabur-ke-kazakhstan/"
BUDGET = 30_000  # bytes, compressed, for an article page with its CSS (and JS, if any)


class Assets(HTMLParser):
    """The stylesheets, scripts and icons an HTML page makes the browser fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        rel = set((found.get("rel") or "").split())
        if tag == "link" and rel & {"stylesheet", "icon"} and found.get("href"):
            self.urls.append(str(found["href"]))
        elif tag == "script" and found.get("src"):
            self.urls.append(str(found["src"]))


@dataclass
class Weight:
    """One page's HTML and assets, raw and compressed."""

    html: int = 0
    html_gz: int = 0
    assets: int = 0
    assets_gz: int = 0

    @property
    def total_gz(self) -> int:
        return self.html_gz + self.assets_gz


def gz(data: bytes) -> int:
    """Bytes after gzip at level 6."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def page_weight(site: Path, url: str) -> Weight:
    """The weight of the page at `url` of the built site in `site`."""
    html = (site / output_path(url)).read_bytes()
    parser = Assets()
    parser.feed(html.decode("utf-8"))
    weight = Weight(html=len(html), html_gz=gz(html))
    for asset in dict.fromkeys(parser.urls):
        if asset.startswith("/") and not asset.startswith("//"):
            data = (site / asset.lstrip("/").split("?")[0]).read_bytes()
            weight.assets += len(data)
            weight.assets_gz += gz(data)
    return weight


def kb(size: int) -> str:
    return f"{size / 1000:.1f}"


def main() -> None:
    """Build the archive and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=ROOT, help="folder with site.yaml")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(args.archive / "site.yaml", {"output_dir": str(Path(tmp) / "out")})
        report = build_site(config, BuildOptions(clean=True, now=datetime.now(UTC)))
        site = config.output_path
        articles = sorted(
            "/" + p.parent.relative_to(site).as_posix() + "/"
            for p in site.glob("[0-9][0-9][0-9][0-9]/*/*/*/index.html")
        )
        pages = {"home": "/", "article (seed)": SEED_URL if SEED_URL in articles else None}
        if pages["article (seed)"] is None and articles:
            pages["article (first)"] = articles[0]
        pages |= {"category index": "/kategori/", "archive": "/arsip/", "search": "/cari/"}
        print(f"{report.articles} articles; sizes in KB (1000 bytes), gzip -6 per file\n")
        print(
            f"{'page':<18}{'HTML':>8}{'HTML gz':>9}{'CSS/JS':>8}{'CSS/JS gz':>11}{'total gz':>10}"
        )
        for name, url in pages.items():
            if url is None or not (site / output_path(url)).exists():
                continue
            w = page_weight(site, url)
            print(
                f"{name:<18}{kb(w.html):>8}{kb(w.html_gz):>9}{kb(w.assets):>8}"
                f"{kb(w.assets_gz):>11}{kb(w.total_gz):>10}"
            )
        totals = [page_weight(site, url).total_gz for url in articles]
        if totals:
            print(
                f"\nevery article page, total gz: median {kb(int(statistics.median(totals)))} KB,"
                f" max {kb(max(totals))} KB over {len(totals)} pages;"
                f" budget {kb(BUDGET)} KB: {'met' if max(totals) < BUDGET else 'EXCEEDED'}"
            )


if __name__ == "__main__":
    main()
