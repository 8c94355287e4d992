"""Figures for the importer, read from ../shared/corpus (never copied into the repository).

    python benchmarks/bench_import.py [--shared ../shared] [--only readability|listing|indonews]

readability: title exact match %, byline match %, publishedTime match % (same instant),
body token F1 against expected.html (median, 10th percentile), pages wrongly refused.
listing: how many home and listing pages are refused as "not an article".
indonews: rows imported with a date (and how many of those dates agree with the URL's date
and the printed day name), every failure with its reason.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from markdown_it import MarkdownIt
from trafilatura.utils import load_html

from archivegen.importers import Status, import_sources
from archivegen.importers.dates import WIB, DateParseError, parse_datetime
from archivegen.importers.html import HtmlExtract, extract_html

ROOT = Path(__file__).resolve().parents[1]
_TOKEN = re.compile(r"\w+", re.UNICODE)
_DAY_NUMBERS = {
    "senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "sabtu": 5,
    "minggu": 6,
}  # fmt: skip


def tokens(text: str) -> Counter[str]:
    """Lower-case word tokens of a text, as a multiset."""
    return Counter(t.lower() for t in _TOKEN.findall(text))


def f1(found: Counter[str], expected: Counter[str]) -> float:
    """Token-bag F1 of found against expected."""
    overlap = sum((found & expected).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(found.values())
    recall = overlap / sum(expected.values())
    return 2 * precision * recall / (precision + recall)


def html_text(html: str) -> str:
    """The visible text of an HTML fragment."""
    tree = load_html(f"<html><body>{html}</body></html>")
    return " ".join(tree.itertext()) if tree is not None else ""


def same_instant(found: datetime | None, expected: str | None) -> bool:
    """True when both are absent, or both name the same moment (wall time if one is naive)."""
    if not expected:
        return found is None
    if found is None:
        return False
    try:
        want = datetime.fromisoformat(expected.strip())
    except ValueError:
        return False
    if (want.tzinfo is None) != (found.tzinfo is None):
        return want.replace(tzinfo=None) == found.replace(tzinfo=None)
    return want == found


def same_text(found: str | None, expected: str | None) -> bool:
    """Whitespace- and case-insensitive equality; both absent counts as equal."""
    return _byline_key(found) == _byline_key(expected)


def _byline_key(text: str | None) -> str:
    # readability keeps a leading "By" of the page's byline; that word is not part of the name
    norm = " ".join((text or "").split()).lower()
    return re.sub(r"^(?:written\s+)?by:?\s+", "", norm)


def bench_readability(folder: Path) -> None:
    """Print metadata rates and body F1 over the readability test pages."""
    md = MarkdownIt("commonmark").enable("table")
    rows: list[tuple[str, bool, bool, bool, float, HtmlExtract]] = []
    for page in sorted(p for p in folder.iterdir() if (p / "source.html").is_file()):
        meta = json.loads((page / "expected-metadata.json").read_text("utf-8"))
        got = extract_html((page / "source.html").read_text("utf-8", errors="replace"))
        expected = tokens(html_text((page / "expected.html").read_text("utf-8")))
        score = f1(tokens(html_text(md.render(got.body))), expected)
        rows.append(
            (
                page.name,
                " ".join((got.title or "").split()) == " ".join((meta.get("title") or "").split()),
                same_text(got.byline, meta.get("byline")),
                same_instant(got.published, meta.get("publishedTime")),
                score,
                got,
            )
        )
    n = len(rows)
    scores = sorted(r[4] for r in rows)
    print(f"readability ({n} pages)")
    print(f"  title exact        {_pct(sum(r[1] for r in rows), n)}")
    metas = [
        json.loads((folder / r[0] / "expected-metadata.json").read_text("utf-8")) for r in rows
    ]
    with_by = [r for r, m in zip(rows, metas, strict=True) if m.get("byline")]
    with_time = [r for r, m in zip(rows, metas, strict=True) if m.get("publishedTime")]
    print(f"  byline match       {_pct(sum(r[2] for r in rows), n)} (absent = absent)")
    print(f"    where expected   {_pct(sum(r[2] for r in with_by), len(with_by))}")
    print(f"  publishedTime      {_pct(sum(r[3] for r in rows), n)} (absent = absent)")
    print(f"    where expected   {_pct(sum(r[3] for r in with_time), len(with_time))}")
    print(f"  body F1 median     {statistics.median(scores):.3f}")
    print(f"  body F1 p10        {scores[max(0, int(0.1 * n) - 1)]:.3f}")
    print(f"  wrongly refused    {sum(1 for r in rows if r[5].not_article)}")
    for name, title_ok, _, _, score, got in rows:
        if not title_ok or score < 0.8:
            print(f"    {name}: title_ok={title_ok} f1={score:.2f} title={got.title!r}")


def bench_listing(folder: Path) -> None:
    """Print which listing pages are refused, with the reason."""
    pages = sorted(folder.glob("*.html"))
    with tempfile.TemporaryDirectory() as tmp:
        report = import_sources(pages, Path(tmp), dry_run=True)
    refused = [o for o in report.outcomes if o.status is Status.REFUSED]
    print(f"listing pages: {len(refused)}/{len(pages)} refused as not an article")
    for o in report.outcomes:
        print(f"  {Path(o.origin).name}: {o.status.value}: {o.reason}")


def bench_indonews(folder: Path) -> None:
    """Print the date rate of the indonews CSVs and every failure reason."""
    files = sorted(folder.glob("*.csv"))
    with tempfile.TemporaryDirectory() as tmp:
        report = import_sources(files, Path(tmp), dry_run=True)
        rows = len(report.outcomes)
        date_failures = [o for o in report.problems if (o.reason or "").startswith("date:")]
        other = [o for o in report.problems if o not in date_failures]
    dated = rows - len(date_failures)
    print(f"indonews ({rows} rows in {len(files)} CSV files)")
    print(f"  rows with a date read  {_pct(dated, rows)}")
    print(f"  imported               {report.summary()}")
    agree, checked = check_dates(files)
    print(f"  dates checked against the URL or day name: {agree}/{checked} agree")
    reasons = Counter((o.reason or "")[:70] for o in date_failures + other)
    for reason, count in reasons.most_common():
        print(f"  {count:5d} x {reason}")


def check_dates(files: list[Path]) -> tuple[int, int]:
    """Compare each parsed date with the date in its URL (/2025/06/18/) and its day name."""
    csv.field_size_limit(sys.maxsize)
    agree = checked = 0
    for path in files:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                raw = row.get("tanggal_publikasi") or row.get("date") or ""
                try:
                    moment = parse_datetime(raw, time_text=row.get("time") or "", default_zone=WIB)
                except DateParseError:
                    continue
                for ok in _date_checks(moment, raw, row.get("url") or ""):
                    checked += 1
                    agree += ok
    return agree, checked


def _date_checks(moment: datetime, raw: str, url: str) -> list[bool]:
    checks = []
    if m := re.search(r"/(20\d\d)/(\d\d)/(\d\d)/", url):
        # okezone dates its URLs in UTC: a story of 00:05 WIB has the previous day's URL
        utc = moment.astimezone(UTC)
        days = {(moment.year, moment.month, moment.day), (utc.year, utc.month, utc.day)}
        checks.append(tuple(int(g) for g in m.groups()) in days)
    day = re.match(
        r"\W*(?:[\w.]+-)?\s*([A-Za-z']+),", raw.replace("\xa0", " ").split("Jurnalis-")[-1]
    )
    if day and day.group(1).lower() in _DAY_NUMBERS:
        checks.append(moment.weekday() == _DAY_NUMBERS[day.group(1).lower()])
    return checks


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%  ({part}/{whole})" if whole else "n/a"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks whose corpus is present."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT / ".." / "shared")
    parser.add_argument("--only", choices=("readability", "listing", "indonews"))
    args = parser.parse_args(argv)
    corpus = args.shared / "corpus"
    runs = {
        "readability": bench_readability,
        "listing": bench_listing,
        "indonews": bench_indonews,
    }
    for name, run in runs.items():
        if args.only and name != args.only:
            continue
        folder = corpus / ("listing-pages" if name == "listing" else name)
        if not folder.is_dir():
            print(f"{name}: skipped, {folder} is absent")
            continue
        run(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
