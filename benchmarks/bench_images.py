"""Image benchmark: what the image step costs cold, and that a warm build processes nothing.

    python benchmarks/bench_images.py                # 200 articles with a 2000×1333 JPEG each
    python benchmarks/bench_images.py --images 50 --articles 1000

Builds a site (in --workdir, a temp folder by default) of --articles articles, --images of
them with their own photo (made by Pillow: noise over a gradient, so the encoders work as
on a photograph), with search off so that only the build and the image step are timed.
Prints, per build: seconds, the image step's lap, copies processed and reused, and the
bytes of the originals against those of the copies a phone (480 w WebP) and a desktop
(1200 w) load. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from PIL import Image

from archivegen.build import BuildOptions, build_site
from archivegen.config import load_config


def make_site(root: Path, articles: int, images: int) -> None:
    """site.yaml and the articles; every article of the first `images` has its own JPEG."""
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(
        "title: Arsip Foto\nbase_url: https://arsip.example/\nsearch: false\n"
    )
    rng = random.Random(17)
    for i in range(articles):
        folder = root / "content" / f"{i // 100:03d}"
        folder.mkdir(exist_ok=True)
        image = ""
        if i < images:
            photo(folder / f"foto-{i}.jpg", rng)
            image = f"image: foto-{i}.jpg\nimage_caption: Foto nomor {i}\n"
        (folder / f"berita-{i}.md").write_text(
            f"---\ntitle: Berita Foto {i}\ndate: 2023-01-01T08:00:00+07:00\n"
            f"category: Foto\n{image}---\n\nParagraf berita nomor {i}.\n"
        )


def photo(path: Path, rng: random.Random) -> None:
    base = Image.linear_gradient("L").resize((2000, 1333)).convert("RGB")
    noise = Image.effect_noise((2000, 1333), 40 + rng.random() * 20).convert("RGB")
    Image.blend(base, noise, 0.5).save(path, "JPEG", quality=90)


def build(root: Path, label: str) -> None:
    config = load_config(root / "site.yaml")
    started = time.perf_counter()
    report = build_site(config, BuildOptions())
    seconds = time.perf_counter() - started
    lap = dict(report.timings).get("images", 0.0)
    done = report.images
    made, reused = (done.processed, done.reused) if done else (0, 0)
    print(
        f"{label:<28} {seconds:7.2f} s   image step {lap:6.2f} s   "
        f"processed {made:5d}   reused {reused:5d}   ({report.rebuild})"
    )


def sizes(root: Path) -> None:
    media = root / "public" / "media"
    originals = sum(p.stat().st_size for p in (root / "content").rglob("*.jpg"))
    count = len(list((root / "content").rglob("*.jpg")))
    for pattern in ("*-480.webp", "*-480.jpg", "*-1200.webp", "*-1200.jpg"):
        found = list(media.rglob(pattern))
        total = sum(p.stat().st_size for p in found)
        print(
            f"  {pattern:<12} {len(found):5d} files, {total / max(1, len(found)) / 1000:7.1f} kB "
            f"each (originals: {originals / max(1, count) / 1000:.1f} kB each)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--images", type=int, default=200)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = (args.workdir or Path(temp)) / "site"
        make_site(root, args.articles, args.images)
        print(f"{args.articles} articles, {args.images} with a 2000×1333 JPEG")
        build(root, "cold")
        build(root, "no change")
        (root / "content" / "000" / "berita-0.md").write_text(
            (root / "content" / "000" / "berita-0.md").read_text().replace("Paragraf", "Alinea")
        )
        build(root, "one article edited")
        photo(root / "content" / "000" / "foto-1.jpg", random.Random(99))
        build(root, "one image replaced")
        sizes(root)


if __name__ == "__main__":
    main()
