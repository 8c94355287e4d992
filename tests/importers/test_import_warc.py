"""Crawls in: WARC (.warc, .warc.gz), ARC and WACZ files made with warcio, imported for real."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archivegen.cli import main
from archivegen.content.frontmatter import parse_front_matter, split_front_matter
from archivegen.digest import digest
from archivegen.importers import (
    Fallback,
    ImportOutcome,
    ImportReport,
    ImportSettings,
    Status,
    import_sources,
)
from archivegen.importers.defaults import FieldDefaults

SharedPath = Callable[..., Path]
SITE = "https://berita.example"
FILLER = " ".join(["Kalimat isi berita yang cukup panjang untuk dianggap teks utama."] * 8)
CAPTURED = "2026-11-30T10:00:00Z"
CLOCK = datetime.fromisoformat("2026-12-01T00:00:00+00:00")


def png(color: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, "PNG")
    return buffer.getvalue()


def article_page(title: str, dateline: str = "", extra_head: str = "") -> bytes:
    """A news page with a lead picture and one between its paragraphs, both on the site."""
    return f"""<!doctype html><html><head><title>{title}</title>
<meta property="og:image" content="/foto/lead.png">{extra_head}
</head><body><article><h1>{title}</h1><p>{dateline}</p><p>{FILLER}</p>
<p><img src="/foto/inline.png" alt="Peta banjir"></p><p>{FILLER} Penutup.</p>
</article></body></html>""".encode()


class Crawl:
    """A WARC being written with warcio, one gzip member (or plain record) at a time."""

    def __init__(self, compressed: bool = True) -> None:
        self.compressed = compressed
        self.members: list[bytes] = []

    def _add(self, make: Callable[[WARCWriter], object]) -> int:
        """Append one record; return its byte offset."""
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=self.compressed)
        writer.write_record(make(writer))
        self.members.append(buffer.getvalue())
        return sum(len(m) for m in self.members[:-1])

    def response(
        self,
        url: str,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        status: str = "200 OK",
        date: str = CAPTURED,
        headers: tuple[tuple[str, str], ...] = (),
    ) -> int:
        http = StatusAndHeaders(
            status, [("Content-Type", content_type), *headers], protocol="HTTP/1.1"
        )
        return self._add(
            lambda w: w.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),  # else warcio spools the payload to a file it never closes
                http_headers=http,
                warc_headers_dict={"WARC-Date": date},
            )
        )

    def request(self, url: str) -> int:
        http = StatusAndHeaders(
            "GET / HTTP/1.1", [("Host", "berita.example")], is_http_request=True
        )
        return self._add(
            lambda w: w.create_warc_record(
                url, "request", payload=io.BytesIO(b""), length=0, http_headers=http
            )
        )

    def revisit(self, url: str) -> int:
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        return self._add(
            lambda w: w.create_revisit_record(
                url, "sha1:AAAA", url, "2026-11-29T10:00:00Z", http_headers=http
            )
        )

    def truncate_last(self) -> None:
        """Cut the last record in half, as a crawler killed while writing it leaves it."""
        self.members[-1] = self.members[-1][: len(self.members[-1]) // 2]

    def write(self, path: Path) -> Path:
        path.write_bytes(b"".join(self.members))
        return path


def front(path: Path) -> dict[str, object]:
    return parse_front_matter(split_front_matter(path.read_text(), str(path)).yaml_text, "x")


def body(path: Path) -> str:
    return split_front_matter(path.read_text(), str(path)).body


def imported(
    sources: list[Path], into: Path, fallback: str | None = None, dry_run: bool = False
) -> ImportReport:
    settings = ImportSettings(
        defaults=FieldDefaults.from_pairs(("category=Berita",)),
        fallback=Fallback.parse(fallback) if fallback else None,
        clock=CLOCK,
    )
    return import_sources(sources, into, settings=settings, workers=1, dry_run=dry_run)


def written(report: ImportReport) -> dict[str, Path]:
    """The files written, by the source URL in their front matter."""
    found = {}
    for outcome in report.outcomes:
        if outcome.status is Status.NEW and outcome.target:
            path = Path(outcome.target)
            found[str(front(path)["source"])] = path
    return found


def readability(shared: SharedPath, name: str) -> tuple[bytes, dict[str, object]]:
    folder = shared("corpus", "readability", name)
    expected = json.loads((folder / "expected-metadata.json").read_text())
    return (folder / "source.html").read_bytes(), expected


def full_crawl(shared: SharedPath, compressed: bool = True) -> tuple[Crawl, dict[str, int]]:
    """Corpus pages, a listing page, our own page with pictures, and every kind to skip."""
    crawl, at = Crawl(compressed), {}
    crawl.request(f"{SITE}/bbc")
    at["bbc"] = crawl.response(f"{SITE}/bbc", readability(shared, "bbc-1")[0])
    at["ars"] = crawl.response(
        f"{SITE}/ars", readability(shared, "ars-1")[0], date="2026-11-30T11:00:00Z"
    )
    listing = shared("corpus", "listing-pages", "rmol_page_1.html").read_bytes()
    at["listing"] = crawl.response(f"{SITE}/", listing)
    stated = '<meta property="article:published_time" content="2026-11-02T08:00:00+07:00">'
    crawl.response(
        f"{SITE}/read/banjir", article_page("Banjir Besar Melanda Kota", extra_head=stated)
    )
    crawl.response(f"{SITE}/foto/lead.png", png("red"), "image/png")
    crawl.response(f"{SITE}/foto/inline.png", png("blue"), "image/png")
    crawl.response(f"{SITE}/style.css", b"body{}", "text/css")
    crawl.response(f"{SITE}/data.json", b"{}", "application/json")
    crawl.response(f"{SITE}/robots.txt", b"User-agent: *", "text/plain")
    crawl.response(f"{SITE}/lama", b"", status="301 Moved", headers=(("Location", f"{SITE}/"),))
    crawl.response(f"{SITE}/hilang", b"<html>not here</html>", status="404 Not Found")
    crawl.revisit(f"{SITE}/bbc")
    return crawl, at


SKIPPED = (
    "9 records skipped, not pages: 2 image, 1 HTTP 404, 1 asset, 1 not HTML, 1 redirect, "
    "1 request, 1 revisit, 1 robots.txt"
)


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_crawl_pages_import_field_by_field_and_the_rest_is_counted(
    tmp_path: Path, shared: SharedPath, name: str
) -> None:
    crawl, at = full_crawl(shared, compressed=name.endswith(".gz"))
    report = imported([crawl.write(tmp_path / name)], tmp_path / "content")
    files = written(report)
    assert set(files) == {f"{SITE}/bbc", f"{SITE}/ars", f"{SITE}/read/banjir"}

    bbc = front(files[f"{SITE}/bbc"])
    expected = readability(shared, "bbc-1")[1]
    assert bbc["title"] == expected["title"]
    assert bbc["date"] == expected["publishedTime"]
    assert bbc["captured"] == "2026-11-30T10:00:00+00:00"
    assert "date_source" not in bbc  # the page's own date
    ars = front(files[f"{SITE}/ars"])
    assert ars["title"] == readability(shared, "ars-1")[1]["title"]
    assert ars["captured"] == "2026-11-30T11:00:00+00:00"

    refused = [o for o in report.outcomes if o.status is Status.REFUSED]
    assert [o.origin for o in refused] == [f"{tmp_path / name}@{at['listing']} ({SITE}/)"]
    assert "home or listing page" in (refused[0].reason or "")
    assert report.notes == [f"{tmp_path / name}: {SKIPPED}"]
    assert report.count(Status.FAILED) == 0


def test_pictures_the_crawl_holds_become_local_images_beside_the_article(
    tmp_path: Path, shared: SharedPath
) -> None:
    crawl, _ = full_crawl(shared)
    report = imported([crawl.write(tmp_path / "crawl.warc.gz")], tmp_path / "content")
    path = written(report)[f"{SITE}/read/banjir"]
    fields = front(path)
    assert fields["title"] == "Banjir Besar Melanda Kota"
    assert fields["date"] == "2026-11-02T08:00:00+07:00"
    lead = str(fields["image"])
    assert fields["image_source"] == f"{SITE}/foto/lead.png"
    assert (path.parent / lead).read_bytes() == png("red")
    inline = [p for p in path.parent.glob("*.png") if p.name != lead]
    assert [p.read_bytes() for p in inline] == [png("blue")]
    assert f"![Peta banjir](<{inline[0].name}>)" in body(path)
    assert lead == f"{digest(png('red'))[:16]}.png"  # content-addressed


def test_a_dry_run_writes_no_picture(tmp_path: Path, shared: SharedPath) -> None:
    crawl, _ = full_crawl(shared)
    report = imported([crawl.write(tmp_path / "c.warc.gz")], tmp_path / "content", dry_run=True)
    assert report.count(Status.NEW) == 3
    assert not (tmp_path / "content").exists()


def test_the_capture_time_dates_relative_and_undated_pages(tmp_path: Path) -> None:
    crawl = Crawl()
    crawl.response(f"{SITE}/relatif", article_page("Gempa Kecil Pagi Ini", "3 jam yang lalu"))
    crawl.response(f"{SITE}/tanpa-tanggal", article_page("Harga Cabai Naik Lagi"))
    source = crawl.write(tmp_path / "c.warc.gz")

    without = imported([source], tmp_path / "a")
    assert [o.origin.split("(")[1] for o in report_failed(without)] == [f"{SITE}/tanpa-tanggal)"]
    relative = front(written(without)[f"{SITE}/relatif"])
    assert relative["date"] == "2026-11-30T07:00:00+00:00"  # three hours before the capture
    assert relative["date_source"] == "relative"

    undated = front(written(imported([source], tmp_path / "b", "capture"))[f"{SITE}/tanpa-tanggal"])
    assert undated["date"] == "2026-11-30T10:00:00+00:00"
    assert undated["date_source"] == "capture"
    assert undated["captured"] == "2026-11-30T10:00:00+00:00"


def report_failed(report: ImportReport) -> list[ImportOutcome]:
    return [o for o in report.outcomes if o.status is Status.FAILED]


@pytest.mark.parametrize("compressed", [True, False])
def test_a_truncated_record_is_reported_at_its_offset_and_the_rest_imports(
    tmp_path: Path, compressed: bool
) -> None:
    crawl = Crawl(compressed)
    crawl.response(f"{SITE}/satu", article_page("Berita Pertama", "Senin, 30 November 2026"))
    bad = crawl.response(f"{SITE}/dua", article_page("Berita Kedua", "Senin, 30 November 2026"))
    crawl.truncate_last()
    crawl.response(f"{SITE}/tiga", article_page("Berita Ketiga", "Senin, 30 November 2026"))
    end = crawl.response(f"{SITE}/empat", article_page("Berita Keempat", "30 November 2026"))
    crawl.truncate_last()  # and the file ends inside the last one
    source = crawl.write(tmp_path / ("c.warc.gz" if compressed else "c.warc"))

    report = imported([source], tmp_path / "content")
    assert set(written(report)) == {f"{SITE}/satu", f"{SITE}/tiga"}
    failed = report_failed(report)
    assert [o.origin for o in failed] == [f"{source}@{bad}", f"{source}@{end}"]
    assert all(
        f"corrupt or truncated record at byte offset {o.origin.split('@')[1]}" in (o.reason or "")
        for o in failed
    )


def test_the_cli_lists_the_corrupt_record_and_exits_2(tmp_path: Path) -> None:
    crawl = Crawl()
    crawl.response(f"{SITE}/satu", article_page("Berita Pertama", "Senin, 30 November 2026"))
    bad = crawl.response(f"{SITE}/dua", article_page("Berita Kedua"))
    crawl.truncate_last()
    source = crawl.write(tmp_path / "c.warc.gz")
    args = ["import", str(source), "--into", str(tmp_path / "content"), "--set", "category=B"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert f"{source}@{bad}: corrupt or truncated record at byte offset {bad}" in result.output
    assert "1 new, 1 failed" in result.output


def wacz(path: Path, crawl: Crawl, method: int = zipfile.ZIP_STORED) -> Path:
    """A WACZ as py-wacz writes one: the WARC stored under archive/, an index of pages."""
    pages = json.dumps({"url": f"{SITE}/read/banjir", "ts": CAPTURED}) + "\n"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("datapackage.json", json.dumps({"profile": "data-package"}))
        archive.writestr("pages/pages.jsonl", pages, zipfile.ZIP_DEFLATED)
        archive.writestr("archive/data.warc.gz", b"".join(crawl.members), method)
    return path


# stored, as WACZ writers store them (read in place), or deflated (read through zipfile)
@pytest.mark.parametrize("method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_a_wacz_imports_its_warcs_with_their_pictures(
    tmp_path: Path, shared: SharedPath, method: int
) -> None:
    crawl, at = full_crawl(shared)
    source = wacz(tmp_path / "site.wacz", crawl, method)
    report = imported([source], tmp_path / "content")
    files = written(report)
    assert set(files) == {f"{SITE}/bbc", f"{SITE}/ars", f"{SITE}/read/banjir"}
    assert front(files[f"{SITE}/bbc"])["captured"] == "2026-11-30T10:00:00+00:00"
    banjir = files[f"{SITE}/read/banjir"]
    assert (banjir.parent / str(front(banjir)["image"])).read_bytes() == png("red")
    member = f"{source}!archive/data.warc.gz"
    assert [o.origin for o in report.outcomes if o.status is Status.REFUSED] == [
        f"{member}@{at['listing']} ({SITE}/)"
    ]
    assert report.notes == [f"{source}: {SKIPPED}"]


def test_a_file_that_is_no_wacz_fails_with_its_reason(tmp_path: Path) -> None:
    source = tmp_path / "broken.wacz"
    source.write_bytes(b"not a zip")
    [outcome] = imported([source], tmp_path / "content").outcomes
    assert outcome.status is Status.FAILED
    assert (outcome.reason or "").startswith("not a readable WACZ (zip) file")


def test_every_capture_of_one_url_goes_through_the_writer(tmp_path: Path) -> None:
    crawl = Crawl()
    first = article_page("Banjir Surut", "Senin, 30 November 2026")
    crawl.response(f"{SITE}/banjir", first, date="2026-11-30T10:00:00Z")
    later = first.replace(b"Penutup.", b"Penutup, dengan koreksi.")
    crawl.response(f"{SITE}/banjir", later, date="2026-11-30T18:00:00Z")
    report = imported([crawl.write(tmp_path / "c.warc.gz")], tmp_path / "content")
    outcomes = [o for o in report.outcomes if o.target]
    assert len(outcomes) == 2
    assert outcomes[0].target == outcomes[1].target  # one article, met twice


def test_an_arc_file_imports_like_a_warc(tmp_path: Path) -> None:
    """ARC, the Internet Archive's format before WARC (warcio reads it; it writes none, so the
    test writes one by hand: a filedesc record, then a record per capture, each gzipped)."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    http += article_page("Berita Dari Arsip Lama", "Senin, 30 November 2026")
    fields = b"1 0 InternetArchive\nURL IP-address Archive-date Content-type Archive-length\n"
    filedesc = b"filedesc://old.arc 0.0.0.0 20261130100000 text/plain %d\n" % len(fields)
    record = b"%s/lama 127.0.0.1 20261130100000 text/html %d\n" % (SITE.encode(), len(http))
    source = tmp_path / "old.arc.gz"
    source.write_bytes(gzip.compress(filedesc + fields + b"\n") + gzip.compress(record + http))
    report = imported([source], tmp_path / "content")
    fields_written = front(written(report)[f"{SITE}/lama"])
    assert fields_written["title"] == "Berita Dari Arsip Lama"
    assert fields_written["captured"] == "2026-11-30T10:00:00+00:00"
    assert report.notes == [f"{source}: 1 records skipped, not pages: 1 warcinfo"]
