"""Screenshots of the default theme in headless Debian Chromium, for docs/ and the README.

    python benchmarks/screenshots.py             # writes docs/screenshot-*.png
    python benchmarks/screenshots.py --out DIR   # somewhere else

Builds the bundled sample archive (site.yaml) into a temporary folder, serves it over HTTP on
127.0.0.1 and photographs the home page, the seed article and a search for "Kazakhstan" at
1280 px (`screenshot-NAME.png`) and 375 px (`screenshot-NAME-375.png`) wide, plus the article
in dark mode at 375 px. The viewport is photographed, not the whole page: what a reader sees
first.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archivegen.build import BuildOptions, build_site
from archivegen.config import load_config

# the test kit's static server: one HTTP fixture for tests, screenshots and benchmarks
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from browserkit import serve_folder

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SEED_URL = "/2022/10/04/terus-bertambah-200-ribu-warga-rusia-sudah-kabur-ke-kazakhstan/"
SHOTS = {"home": "/", "article": SEED_URL, "search": "/cari/?q=Kazakhstan"}
SIZES = {1280: 860, 375: 812}  # width: height (a laptop; a common phone)


def shoot(browser: Any, url: str, target: Path, width: int, scheme: str = "light") -> None:
    """One viewport screenshot of `url`, once its fonts and (on /cari/) results are in."""
    context = browser.new_context(
        viewport={"width": width, "height": SIZES[width]}, color_scheme=scheme
    )
    page = context.new_page()
    page.goto(url)
    if "/cari/" in url:
        page.wait_for_selector("#search-results li", timeout=15_000)
    page.evaluate("document.fonts.ready")
    page.screenshot(path=str(target))
    context.close()
    print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")


def main() -> None:
    """Build the sample, serve it, take every screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(ROOT / "site.yaml", {"output_dir": str(Path(tmp) / "public")})
        build_site(config, BuildOptions(clean=True, now=datetime(2030, 1, 1, tzinfo=UTC)))
        with serve_folder(config.output_path) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for name, path in SHOTS.items():
                for width in SIZES:
                    suffix = "" if width == 1280 else f"-{width}"
                    shoot(browser, base + path, args.out / f"screenshot-{name}{suffix}.png", width)
            shoot(
                browser, base + SEED_URL, args.out / "screenshot-article-dark-375.png", 375, "dark"
            )
            browser.close()


if __name__ == "__main__":
    main()
