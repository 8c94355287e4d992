"""Figures for the importer, read from ../shared/corpus (never copied into the repository).

    python benchmarks/bench_import.py [--shared ../shared]
        [--only readability|listing|indonews|zyte|warc] [--zyte-pages N] [--warc-gb G]

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
warc: records per second of `import_sources` on a .warc.gz made here with warcio (each
readability page under several URLs, with a request record and an image for each), and,
with --warc-gb G, the peak memory (RSS, the import and its workers) of `archivegen import`
on a G GB crawl of the same pages among incompressible video records, written uncompressed
(warcio gzips at level 9, 9 MB/s for random bytes) into a temporary folder, never kept.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.util
import io
import json
import multiprocessing
import os
import re
import resource
import statistics
import subprocess
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
from archivegen.importers import Fallback, Status, import_sources
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


def write_crawl(path: Path, pages: list[bytes], copies: int, filler_bytes: int = 0) -> int:
    """A WARC made with warcio: each page `copies` times under its own URL, each with its
    request and an image record, then `filler_bytes` of video records; the record count."""
    from PIL import Image
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), "navy").save(buffer, "PNG")
    picture_bytes = buffer.getvalue()
    records = 0
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=path.name.endswith(".gz"))

        def add(url: str, kind: str, body: bytes, http: StatusAndHeaders) -> None:
            nonlocal records
            record = writer.create_warc_record(
                url, kind, payload=io.BytesIO(body), length=len(body), http_headers=http
            )
            writer.write_record(record)
            records += 1

        for n in range(copies):
            for k, page in enumerate(pages):
                url = f"https://bench.example/{n}/{k}/"
                get = StatusAndHeaders(f"GET /{n}/{k}/ HTTP/1.1", [], is_http_request=True)
                add(url, "request", b"", get)
                html = [("Content-Type", "text/html; charset=utf-8")]
                add(url, "response", page, StatusAndHeaders("200 OK", html, "HTTP/1.1"))
                png = [("Content-Type", "image/png")]
                ok = StatusAndHeaders("200 OK", png, "HTTP/1.1")
                add(f"{url}foto.png", "response", picture_bytes, ok)
        video = os.urandom(8 * 1024 * 1024)
        for n in range(filler_bytes // len(video)):
            mp4 = StatusAndHeaders("200 OK", [("Content-Type", "video/mp4")], "HTTP/1.1")
            add(f"https://bench.example/video/{n}.mp4", "response", video, mp4)
    return records


def bench_warc(folder: Path, gigabytes: float = 0) -> None:
    """Print WARC import records per second (and, asked, peak memory on a big crawl)."""
    pages = [p.read_bytes() for p in sorted(folder.glob("*/source.html"))]
    with tempfile.TemporaryDirectory() as tmp:
        crawl = Path(tmp) / "bench.warc.gz"
        records = write_crawl(crawl, pages, copies=3)
        settings = ImportSettings(  # every page imported: undated ones at their capture time
            defaults=FieldDefaults.from_pairs(("category=Bench",)),
            fallback=Fallback.parse("capture"),
            clock=datetime.now(UTC),
        )
        start = time.perf_counter()
        report = import_sources([crawl], Path(tmp) / "content", settings=settings)
        took = time.perf_counter() - start
    print(f"warc ({records} records, {3 * len(pages)} pages, {default_workers()} workers)")
    print(f"  records/s          {records / took:.1f}  ({took:.1f} s; {report.summary()})")
    print(f"  pages/s            {3 * len(pages) / took:.1f}")
    if gigabytes:
        mb, crawl_mb = _warc_peak_memory(pages, gigabytes)
        print(f"  peak RSS           {mb:.0f} MB importing a {crawl_mb / 1024:.2f} GB .warc")


def _warc_peak_memory(pages: list[bytes], gigabytes: float) -> tuple[float, float]:
    """The peak RSS of `archivegen import` (its largest process) on a crawl of that size."""
    with tempfile.TemporaryDirectory() as tmp:
        crawl = Path(tmp) / "big.warc"
        write_crawl(crawl, pages, copies=3, filler_bytes=int(gigabytes * 1024**3))
        command = [sys.executable, "-m", "archivegen", "import", str(crawl)]
        command += ["--into", str(Path(tmp) / "content"), "--set", "category=Bench"]
        command += ["--fallback-date", "capture"]
        start = time.perf_counter()
        subprocess.run(command, check=False, capture_output=True)
        print(f"  big crawl import   {time.perf_counter() - start:.1f} s")
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        return peak_kb / 1024, crawl.stat().st_size / 1024**2


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%  ({part}/{whole})" if whole else "n/a"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks whose corpus is present."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT / ".." / "shared")
    parser.add_argument("--only", choices=("readability", "listing", "indonews", "zyte", "warc"))
    parser.add_argument(
        "--zyte-pages", type=int, default=0, help="list the N pages archivegen trails most"
    )
    parser.add_argument(
        "--warc-gb", type=float, default=0, help="also measure peak memory on a crawl this big"
    )
    args = parser.parse_args(argv)
    corpus = args.shared / "corpus"
    runs: dict[str, Callable[[Path], None]] = {
        "readability": bench_readability,
        "listing": bench_listing,
        "indonews": bench_indonews,
        "zyte": partial(bench_zyte, show_pages=args.zyte_pages),
        "warc": partial(bench_warc, gigabytes=args.warc_gb),
    }
    for name, run in runs.items():
        if args.only and name != args.only:
            continue
        folder = corpus / {
            "listing": "listing-pages",
            "zyte": "zyte-extraction",
            "warc": "readability",
        }.get(name, name)
        if not folder.is_dir():
            print(f"{name}: skipped, {folder} is absent")
            continue
        run(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
