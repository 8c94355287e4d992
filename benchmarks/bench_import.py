"""Figures for the importer, read from ../shared/corpus (never copied into the repository).

    python benchmarks/bench_import.py [--shared ../shared]
        [--only readability|listing|indonews|zyte] [--zyte-pages N]

readability: title exact match %, byline match %, publishedTime match % (same instant),
body token F1 against expected.html (median, 10th percentile), pages wrongly refused.
listing: how many home and listing pages are refused as "not an article".
indonews: rows imported with a date (and how many of those dates agree with the URL's date
and the printed day name), every failure with its reason.
zyte: Zyte's article-extraction benchmark, scored by its own evaluate.py (4-token shingle
precision, recall, F1): the end-to-end `archivegen import --set category=Berita` of every
page (the body of each written file, its Markdown rendered to text) against
`trafilatura.extract(html, include_comments=False)` (the benchmark's trafilatura runner), in
the same run; a page archivegen does not import counts as empty output.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.util
import json
import multiprocessing
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

import trafilatura
from markdown_it import MarkdownIt
from trafilatura.utils import load_html

from archivegen.content.frontmatter import split_front_matter
from archivegen.importers import Status, import_sources
from archivegen.importers.dates import WIB, DateParseError, parse_datetime
from archivegen.importers.defaults import FieldDefaults, ImportSettings
from archivegen.importers.html import HtmlExtract, extract_html
from archivegen.pipeline.workers import default_workers

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
                same_instant(got.dates.published, meta.get("publishedTime")),
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


# how many pages each import_sources call gets: small enough to spread over the cores
# as `archivegen import pages/ --set category=Berita`: the benchmark's pages have no category
# the site could take, and a site's articles need one
_ZYTE_SETTINGS = ImportSettings(
    defaults=FieldDefaults.from_pairs(["category=Berita"]), clock=datetime.now(UTC)
)


def bench_zyte(folder: Path, show_pages: int = 0) -> None:
    """Print archivegen's end-to-end import beside trafilatura.extract on Zyte's benchmark."""
    scorer = _load_scorer(folder / "evaluate.py")
    truth: dict[str, dict[str, Any]] = json.loads((folder / "ground-truth.json").read_text("utf-8"))
    ids = sorted(truth)
    started = time.perf_counter()
    ours = _zyte_import(folder, ids)  # as a user runs it: one import, on every core
    our_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with multiprocessing.Pool(default_workers()) as pool:
        theirs = dict(pool.imap_unordered(_zyte_trafilatura, [(folder, i) for i in ids], 4))
    their_seconds = time.perf_counter() - started
    imported = [i for i in ids if ours[i][0] == "ok"]
    systems = {
        "archivegen": {i: {"articleBody": ours[i][1] if ours[i][0] == "ok" else ""} for i in ids},
        "trafilatura": {i: {"articleBody": theirs[i]} for i in ids},
    }
    subset = {i: truth[i] for i in imported}
    version = trafilatura.__version__
    print(f"zyte article-extraction benchmark ({len(ids)} pages), trafilatura {version}")
    print(f"  {'':<12} {'pages':<6} {'F1':<14} {'precision':<14} {'recall':<14}")
    for label, gold in ((f"all {len(ids)}", truth), (f"imported {len(imported)}", subset)):
        print(f"  {label}")
        for name, pred in systems.items():
            m = scorer.evaluate(gold, {i: pred[i] for i in gold}, 1000)
            print(
                f"  {name:<12} {len(gold):<6} {m['f1']:.3f} ± {m['f1_std']:.3f}  "
                f"{m['precision']:.3f} ± {m['precision_std']:.3f}  "
                f"{m['recall']:.3f} ± {m['recall_std']:.3f}"
            )
    print(
        f"  seconds on {default_workers()} cores: archivegen import {our_seconds:.1f} (extraction,"
        f" dating, merging, writing), trafilatura.extract {their_seconds:.1f}"
    )
    not_imported = [i for i in ids if ours[i][0] != "ok"]
    print(f"  archivegen refused or failed: {len(not_imported)}")
    for i in not_imported:
        print(f"    {i[:12]} {ours[i][0]}: {ours[i][1][:110]}")
    if show_pages:
        _zyte_worst(scorer, truth, systems, show_pages)


def _zyte_worst(
    scorer: ModuleType,
    truth: dict[str, dict[str, Any]],
    systems: dict[str, dict[str, dict[str, str]]],
    count: int,
) -> None:
    """The pages where archivegen's shingle F1 falls furthest below trafilatura's."""
    rows = []
    for i, gold in truth.items():
        pair = [
            _page_f1(scorer, gold["articleBody"], systems[s][i]["articleBody"]) for s in systems
        ]
        rows.append((pair[0] - pair[1], i, pair))
    print("  pages where archivegen trails trafilatura most (F1 archivegen / trafilatura):")
    for delta, i, (a, t) in sorted(rows)[:count]:
        print(f"    {i[:12]} {a:.3f} / {t:.3f}  ({delta:+.3f})  {truth[i].get('url', '')[:70]}")


def _page_f1(scorer: ModuleType, true: str, pred: str) -> float:
    tp, fp, fn = scorer.string_shingle_matching(true=true, pred=pred)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _load_scorer(path: Path) -> ModuleType:
    """The benchmark's own evaluate.py, imported as a module."""
    spec = importlib.util.spec_from_file_location("zyte_evaluate", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _zyte_page(folder: Path, item_id: str) -> str:
    with gzip.open(folder / "html" / f"{item_id}.html.gz", "rt", encoding="utf8") as handle:
        return handle.read()


def _zyte_import(folder: Path, ids: list[str]) -> dict[str, tuple[str, str]]:
    """Import the pages end to end; each id maps to ("ok", body text) or (status, reason)."""
    found: dict[str, tuple[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        pages, into = Path(tmp) / "pages", Path(tmp) / "content"
        pages.mkdir()
        for item_id in ids:
            (pages / f"{item_id}.html").write_text(_zyte_page(folder, item_id), "utf-8")
        report = import_sources([pages], into, settings=_ZYTE_SETTINGS)
        for o in report.outcomes:
            item_id = Path(o.origin).stem
            if o.target and o.status in (Status.NEW, Status.DUPLICATE):
                text = Path(o.target).read_text("utf-8")
                found[item_id] = ("ok", markdown_text(split_front_matter(text, o.target).body))
            else:
                found[item_id] = (o.status.value, o.reason or "")
    return found


def _zyte_trafilatura(job: tuple[Path, str]) -> tuple[str, str]:
    folder, item_id = job
    html = _zyte_page(folder, item_id)
    return item_id, trafilatura.extract(html, include_comments=False) or ""


_MD = MarkdownIt("commonmark").enable("table")
_BLOCK_ENDS = frozenset({"paragraph_close", "heading_close", "list_item_close", "tr_close"})


def markdown_text(markdown: str) -> str:
    """The visible text of a Markdown body, a line per block (image alt text is not shown)."""
    out: list[str] = []
    for token in _MD.parse(markdown):
        if token.type == "inline":
            for child in token.children or ():
                if child.type in ("text", "code_inline"):
                    out.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    out.append("\n")
        elif token.type in ("fence", "code_block"):
            out.append(token.content + "\n")
        elif token.type in _BLOCK_ENDS or token.type in ("th_close", "td_close"):
            out.append("\n" if token.type in _BLOCK_ENDS else " ")
    return "".join(out)


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%  ({part}/{whole})" if whole else "n/a"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks whose corpus is present."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT / ".." / "shared")
    parser.add_argument("--only", choices=("readability", "listing", "indonews", "zyte"))
    parser.add_argument(
        "--zyte-pages", type=int, default=0, help="list the N pages archivegen trails most"
    )
    args = parser.parse_args(argv)
    corpus = args.shared / "corpus"
    runs: dict[str, Callable[[Path], None]] = {
        "readability": bench_readability,
        "listing": bench_listing,
        "indonews": bench_indonews,
        "zyte": partial(bench_zyte, show_pages=args.zyte_pages),
    }
    for name, run in runs.items():
        if args.only and name != args.only:
            continue
        folder = corpus / {"listing": "listing-pages", "zyte": "zyte-extraction"}.get(name, name)
        if not folder.is_dir():
            print(f"{name}: skipped, {folder} is absent")
            continue
        run(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
