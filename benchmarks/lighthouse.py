"""Lighthouse scores of the built sample archive: home, an article, a category and search.

    python benchmarks/lighthouse.py                  # the bundled sample (site.yaml)
    python benchmarks/lighthouse.py --form-factor desktop

Lighthouse comes from npm (`npm install --prefix .cache/npm lighthouse@12`, done on first
use) and drives Debian's Chromium (`/usr/bin/chromium`, headless); the site is built into a
temporary folder and served over HTTP on 127.0.0.1 by the test kit's server (no
compression, no cache headers: what a plain static host gives). Prints the four category
scores per page, and the layout shift and largest contentful paint behind the performance
score. Scores vary a little between runs (simulated throttling): run it twice before
reading a point's difference.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from archivegen.build import BuildOptions, build_site
from archivegen.config import load_config

# the test kit's static server: one HTTP fixture for tests, screenshots and benchmarks
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from browserkit import serve_folder

ROOT = Path(__file__).resolve().parents[1]
NPM_PREFIX = ROOT / ".cache" / "npm"
LIGHTHOUSE = NPM_PREFIX / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {
    "home": "/",
    "article": "/2022/10/04/terus-bertambah-200-ribu-warga-rusia-sudah-kabur-ke-kazakhstan/",
    "category": "/kategori/dunia/",
    "search": "/cari/?q=Kazakhstan",
}


def ensure_lighthouse() -> Path:
    if not LIGHTHOUSE.exists():
        subprocess.run(
            ["npm", "install", "--prefix", str(NPM_PREFIX), "--no-audit", "--no-fund",
             "--loglevel=error", "lighthouse@12"],
            check=True,
        )  # fmt: skip
    return LIGHTHOUSE


def audit(url: str, form_factor: str, report: Path) -> dict[str, float]:
    """One Lighthouse run: the category scores (0-100), CLS and LCP (ms)."""
    command = [
        str(ensure_lighthouse()), url, "--quiet", "--output=json", f"--output-path={report}",
        f"--form-factor={form_factor}", "--chrome-flags=--headless --no-sandbox --disable-gpu",
        f"--only-categories={','.join(CATEGORIES)}",
    ]  # fmt: skip
    if form_factor == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
    data = json.loads(report.read_text(encoding="utf-8"))
    scores = {name: round(100 * (data["categories"][name]["score"] or 0)) for name in CATEGORIES}
    audits = data["audits"]
    scores["CLS"] = audits["cumulative-layout-shift"]["numericValue"]
    scores["LCP ms"] = audits["largest-contentful-paint"]["numericValue"]
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=ROOT / "site.yaml")
    parser.add_argument("--form-factor", choices=("mobile", "desktop"), default="mobile")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="archivegen-lighthouse-") as scratch:
        config = dataclasses.replace(load_config(args.config), output_dir=f"{scratch}/public")
        build_site(config, BuildOptions(now=datetime.now(UTC)))
        print(f"{'page':<10}" + "".join(f"{name:>16}" for name in (*CATEGORIES, "CLS", "LCP ms")))
        with serve_folder(config.output_path) as site:
            for name, path in PAGES.items():
                scores = audit(site + path, args.form_factor, Path(scratch) / f"{name}.json")
                cells = "".join(
                    f"{value:>16.3f}" if key == "CLS" else f"{value:>16.0f}"
                    for key, value in scores.items()
                )
                print(f"{name:<10}{cells}", flush=True)


if __name__ == "__main__":
    main()
