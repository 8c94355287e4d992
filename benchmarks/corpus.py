"""Generate a deterministic N-article archive from the real corpus in ../shared/corpus.

Real titles, bodies and reporters come from the indonews CSVs and the IndoSum JSONL; dates
are spread over ten years, ~12 categories, hundreds of authors, a few tags per article.
When N exceeds the corpus (~5,500 distinct articles), articles are reused with a numbered
title, so any N can be generated. Writes `site.yaml` and `content/` into the target folder.

    python benchmarks/corpus.py 10000 /tmp/archive-10k
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from archivegen.content.frontmatter import dump_front_matter
from archivegen.content.slug import slugify
from archivegen.importers.indosum import detokenize_paragraph

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
CATEGORIES = (
    "Politik", "Ekonomi", "Olahraga", "Teknologi", "Hiburan", "Dunia",
    "Hukum", "Kesehatan", "Pendidikan", "Otomotif", "Gaya Hidup", "Daerah",
)  # fmt: skip
WIB = timezone(timedelta(hours=7))
START = datetime(2015, 1, 1, 6, 0, tzinfo=WIB)
SPAN_MINUTES = 10 * 365 * 24 * 60


@dataclass(frozen=True, slots=True)
class Source:
    """One real article: title, paragraphs and (maybe) its reporter."""

    title: str
    paragraphs: tuple[str, ...]
    author: str | None


def read_sources() -> list[Source]:
    """Every usable article of the indonews CSVs and IndoSum dev folds, in a fixed order."""
    if not SHARED.is_dir():
        sys.exit(f"the shared corpus is missing: {SHARED}")
    sources = list(_indonews()) + list(_indosum())
    unique = {s.title: s for s in sources if s.title and len(s.paragraphs) >= 2}
    return [unique[t] for t in sorted(unique)]


def _indonews() -> Iterator[Source]:
    csv.field_size_limit(10_000_000)
    for path in sorted((SHARED / "indonews").glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                title = (row.get("judul") or row.get("title") or "").strip()
                body = row.get("isi_berita") or row.get("content") or row.get("isi") or ""
                paragraphs = tuple(p.strip() for p in body.splitlines() if len(p.strip()) > 40)
                author = (row.get("author") or row.get("penulis") or "").strip() or None
                yield Source(title[:200], paragraphs[:30], author)


def _indosum() -> Iterator[Source]:
    for path in sorted((SHARED / "indosum").glob("dev.*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            paragraphs = tuple(detokenize_paragraph(p) for p in record["paragraphs"])
            words = record["id"].split("-", 1)[-1].replace("-", " ")
            yield Source(words.capitalize(), paragraphs, None)


def generate(count: int, target: Path, seed: int = 2022) -> None:
    """Write `count` articles and a site.yaml into `target` (which must not exist)."""
    target.mkdir(parents=True)
    rng = random.Random(seed)
    sources = read_sources()
    reporters = sorted({s.author for s in sources if s.author})[:400] or ["Redaksi"]
    vocabulary = sorted(
        {w for s in sources[:2000] for w in slugify(s.title).split("-") if len(w) > 5}
    )
    (target / "site.yaml").write_text(
        "title: Arsip Benchmark\nbase_url: https://arsip.example/\nlanguage: id\n", encoding="utf-8"
    )
    for n in range(count):
        source = sources[n % len(sources)]
        round_ = n // len(sources)
        title = source.title if round_ == 0 else f"{source.title} ({round_ + 1})"
        date = START + timedelta(minutes=rng.randrange(SPAN_MINUTES))
        category = CATEGORIES[rng.randrange(len(CATEGORIES))]
        fields = {
            "title": title,
            "date": date.isoformat(),
            "author": source.author or reporters[rng.randrange(len(reporters))],
            "category": category,
            "tags": sorted(set(rng.sample(vocabulary, 3))),
            "image_caption": "Ilustrasi/Net" if n % 3 == 0 else None,
        }
        folder = target / "content" / slugify(category) / f"{date.year}"
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{date:%Y-%m-%d}-{n:06d}-{slugify(title, max_length=50)}.md"
        (folder / name).write_text(
            dump_front_matter(fields, "\n\n".join(source.paragraphs)), encoding="utf-8"
        )


def main() -> None:
    """Command line: COUNT TARGET."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("target", type=Path)
    args = parser.parse_args()
    generate(args.count, args.target)
    print(f"wrote {args.count} articles into {args.target}")


if __name__ == "__main__":
    main()
