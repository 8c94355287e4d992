"""Regenerate the bundled sample archive in content/ with the importer itself.

The sample is the seed article plus a deterministic choice of IndoSum articles (CC BY-SA 4.0)
spread over their categories. Run from the repository root:

    python scripts/make_sample.py [--shared ../shared] [--into content] [--per-category 57]

Re-running changes nothing (the import is idempotent); files of an earlier sample that are no
longer chosen are removed, but only when they are untouched imports.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from archivegen.importers import Status, import_sources
from archivegen.importers.writer import article_files, is_pristine

ROOT = Path(__file__).resolve().parents[1]


def choose_indosum(folder: Path, per_category: int) -> list[str]:
    """The JSONL lines of the chosen IndoSum records: per category, the first by URL hash."""
    by_category: dict[str, dict[str, str]] = defaultdict(dict)
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            if len(record["paragraphs"]) >= 3:  # a real article, not a one-paragraph brief
                by_category[record["category"]].setdefault(record["source_url"], line)
    chosen: list[str] = []
    for category in sorted(by_category):
        lines = by_category[category]
        ranked = sorted(lines, key=lambda url: hashlib.sha256(url.encode()).hexdigest())
        chosen.extend(lines[url] for url in ranked[:per_category])
    return chosen


def remove_stale(into: Path, keep: set[Path]) -> int:
    """Delete untouched imported files that this run did not produce."""
    removed = 0
    for path in article_files(into):
        if path.resolve() not in keep and is_pristine(path.read_text(encoding="utf-8")):
            path.unlink()
            removed += 1
    return removed


def main(argv: list[str] | None = None) -> int:
    """Build the sample; exit 0 when every chosen article imported cleanly."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT / ".." / "shared")
    parser.add_argument("--into", type=Path, default=ROOT / "content")
    parser.add_argument("--per-category", type=int, default=57)
    args = parser.parse_args(argv)
    seed = args.shared / "seed"
    indosum = args.shared / "corpus" / "indosum"
    if not seed.is_dir() or not indosum.is_dir():
        print(f"make_sample: {args.shared} lacks seed/ or corpus/indosum/", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        subset = Path(tmp) / "indosum-sample.jsonl"
        subset.write_text("\n".join(choose_indosum(indosum, args.per_category)) + "\n", "utf-8")
        report = import_sources([seed, subset], args.into)
    keep = {Path(o.target).resolve() for o in report.outcomes if o.target}
    removed = remove_stale(args.into, keep)
    print(f"make_sample: {report.summary()}; {removed} stale file(s) removed")
    for problem in report.problems:
        print(f"  {problem.origin}: {problem.reason}", file=sys.stderr)
    return report.exit_code if report.count(Status.FAILED) == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
