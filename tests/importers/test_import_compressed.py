"""Compressed inputs: .gz of every format and .zip archives, as safe as plain files."""

from __future__ import annotations

import csv
import functools
import gzip
import io
import json
import os
import struct
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from archivegen.importers import ColumnMapping, ImportReport, Status, import_sources, sources
from archivegen.importers.sources import CsvLines, RawFile, plain_file, with_format
from archivegen.importers.tabular import read_csv

SharedPath = Callable[..., Path]
SEED_NAME = "rmol-dunia-2022-10-04-warga-rusia-kazakhstan.txt"
_MB = 1024 * 1024

TEXT = """Berita

Dunia

Judul Baik Dari Arsip

SELASA, 04 OKTOBER 2022 | 18:23 WIB

Isi yang baik dari arsip.
"""
FILLER = " ".join(["Kalimat isi berita yang cukup panjang untuk dianggap teks utama."] * 8)
HTML = f"""<!doctype html><html><head><title>Banjir Besar Melanda Jakarta Pagi Ini</title>
<meta property="article:published_time" content="2024-03-01T08:00:00+07:00">
<meta property="article:section" content="Nasional"></head>
<body><article><h1>Banjir Besar Melanda Jakarta Pagi Ini</h1>
<p>Paragraf pertama. {FILLER}</p><p>Paragraf kedua. {FILLER}</p></article></body></html>"""
CSV = """judul,tanggal,isi,url,kategori
Satu Judul,18 Juni 2025 | 20.04 WITA,Isi satu.,https://contoh.id/1,Nasional
,18 Juni 2025,Tanpa judul.,https://contoh.id/2,Nasional
Dua Judul,2024-05-01 10:00,"Isi dua.
Paragraf dua.",https://contoh.id/3,Dunia
"""
INDOSUM = {
    "id": "1490674536-mustahil-transportasi-tradisional-dan-online-bersa",
    "category": "tajuk utama",
    "source": "kumparan",
    "source_url": "https://kumparan.com/x/ketua-mpr-mustahil-transportasi-online-bersaing-bebas",
    "paragraphs": [[["Ketua", "MPR", "menilai", "transportasi", "online", "."]]],
}
JSONL = [
    {"title": "Satu", "date": "2024-05-01T10:00:00+07:00", "content": "Isi.", "category": "X"},
    {"title": "Dua", "date": "2024-05-02T10:00:00+07:00", "content": "Isi dua.", "category": "X"},
]
SAMPLES = {
    "page.txt": TEXT.encode(),
    "page.html": HTML.encode(),
    "export.csv": CSV.encode(),
    "export.tsv": CSV.replace(",", "\t").encode(),
    "data.jsonl": "".join(json.dumps(r) + "\n" for r in JSONL).encode(),
    "indosum.jsonl": (json.dumps(INDOSUM) + "\n").encode(),
}


def _import(tmp_path: Path, *sources: Path, into: str = "content") -> ImportReport:
    return import_sources(list(sources), tmp_path / into)


def _articles(folder: Path) -> dict[str, str]:
    """Every .md file written under folder, by relative path."""
    return {str(p.relative_to(folder)): p.read_text("utf-8") for p in folder.rglob("*.md")}


def _by_origin(report: ImportReport) -> dict[str, tuple[Status, str]]:
    return {o.origin: (o.status, o.reason or "") for o in report.outcomes}


def _written(report: ImportReport) -> list[str]:
    return [o.origin for o in report.outcomes if o.target and o.status is not Status.FAILED]


def _gz(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=1, mtime=0)


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _raw_zip(
    path: Path, name: str, data: bytes, size: int, crc: int, method: int = 8, flags: int = 0
) -> Path:
    """A one-member zip of data already compressed (or flagged), which zipfile cannot write."""
    fname = name.encode()
    head = (method, 0, 0x21, crc, len(data), size, len(fname))
    local = struct.pack("<4s2H", b"PK\x03\x04", 20, flags) + struct.pack("<3H3L2H", *head, 0)
    central = struct.pack("<4s3H", b"PK\x01\x02", 20, 20, flags) + struct.pack(
        "<3H3L5H2L", *head, 0, 0, 0, 0, 0, 0
    )
    directory = central + fname
    end = struct.pack(
        "<4s4H2LH",
        b"PK\x05\x06",
        0,
        0,
        1,
        1,
        len(directory),
        len(local) + len(fname) + len(data),
        0,
    )
    path.write_bytes(local + fname + data + directory + end)
    return path


def _zeros_deflated(megabytes: int, wbits: int = -15) -> bytes:
    """A deflate stream of that many MB of zeros, built in milliseconds: one flushed MB, repeated."""
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    one = packer.compress(bytes(_MB)) + packer.flush(zlib.Z_FULL_FLUSH)
    return one * megabytes + packer.flush()


@functools.cache
def _zeros_crc(megabytes: int) -> int:
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(bytes(_MB), crc)
    return crc


def _zeros_gzip(megabytes: int) -> bytes:
    crc = _zeros_crc(megabytes)
    body = _zeros_deflated(megabytes)
    return (
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
        + body
        + struct.pack("<2L", crc, (megabytes * _MB) & 0xFFFFFFFF)
    )


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_format_imports_the_same_from_gz_and_zip(tmp_path: Path, name: str) -> None:
    data = SAMPLES[name]
    (tmp_path / "plain").mkdir()
    plain = tmp_path / "plain" / name
    plain.write_bytes(data)
    gz = tmp_path / f"{name}.gz"
    gz.write_bytes(_gz(data))
    archive = _zip(tmp_path / "a.zip", {f"folder/deep/{name}": data})
    archive_gz = _zip(tmp_path / "b.zip", {f"{name}.gz": _gz(data)})
    expected = _articles_of(tmp_path, plain, "c_plain")
    assert expected
    for source, into in ((gz, "c_gz"), (archive, "c_zip"), (archive_gz, "c_zip_gz")):
        assert _articles_of(tmp_path, source, into) == expected, source.name


def _articles_of(tmp_path: Path, source: Path, into: str) -> dict[str, str]:
    report = _import(tmp_path, source, into=into)
    assert _written(report), report.outcomes
    return _articles(tmp_path / into)


def test_origins_name_the_member_and_row(tmp_path: Path) -> None:
    archive = _zip(
        tmp_path / "export.zip", {"a/export.csv": CSV.encode(), "b.csv.gz": _gz(CSV.encode())}
    )
    gz = tmp_path / "export.csv.gz"
    gz.write_bytes(_gz(CSV.encode()))
    outcomes = _by_origin(_import(tmp_path, archive, gz))
    for origin in (f"{archive}!a/export.csv:3", f"{archive}!b.csv.gz:3", f"{gz}:3"):
        assert outcomes[origin] == (Status.FAILED, "title: empty"), origin
    assert f"{archive}!a/export.csv:2" in outcomes and f"{archive}!a/export.csv:4" in outcomes


def test_format_is_sniffed_from_decompressed_bytes(tmp_path: Path) -> None:
    (tmp_path / "page.gz").write_bytes(_gz(HTML.encode()))
    (tmp_path / "records.gz").write_bytes(_gz(SAMPLES["data.jsonl"]))
    archive = _zip(tmp_path / "a.zip", {"notes": TEXT.encode()})
    raws = [with_format(plain_file(tmp_path / n)) for n in ("page.gz", "records.gz")]
    assert [r.format.value for r in raws if isinstance(r, RawFile)] == ["html", "jsonl"]
    report = _import(tmp_path, tmp_path / "page.gz", tmp_path / "records.gz", archive)
    assert len(_written(report)) == 4, report.outcomes


def test_seed_gz_imports_like_the_seed(tmp_path: Path, shared: SharedPath) -> None:
    seed = shared("seed", SEED_NAME)
    gz = tmp_path / f"{SEED_NAME}.gz"
    gz.write_bytes(_gz(seed.read_bytes()))
    archive = _zip(tmp_path / "seed.zip", {f"rmol/{SEED_NAME}.gz": gz.read_bytes()})
    expected = _articles_of(tmp_path, seed, "c_plain")
    assert len(expected) == 1
    assert _articles_of(tmp_path, gz, "c_gz") == expected
    assert _articles_of(tmp_path, archive, "c_zip") == expected


def test_zip_bomb_is_refused_fast(tmp_path: Path) -> None:
    crc = _zeros_crc(1024)
    bomb = _raw_zip(tmp_path / "bomb.zip", "big.html", _zeros_deflated(1024), 1024 * _MB, crc)
    assert bomb.stat().st_size < 2 * _MB
    with zipfile.ZipFile(bomb) as check:  # a well-formed zip: zipfile would inflate it all
        assert check.infolist()[0].file_size == 1024 * _MB
    good = tmp_path / "good.txt"
    good.write_text(TEXT, "utf-8")
    started = time.monotonic()
    outcomes = _by_origin(_import(tmp_path, bomb, good))
    assert time.monotonic() - started < 10
    status, reason = outcomes[f"{bomb}!big.html"]
    assert status is Status.FAILED and "zip bomb" in reason and "100:1" in reason
    assert outcomes[str(good)][0] is not Status.FAILED


def test_gzip_bomb_stops_at_the_ratio_without_trusting_headers(tmp_path: Path) -> None:
    bomb = _zeros_gzip(1024)  # 1 GB of zeros in 1 MB: no header declares it
    (tmp_path / "bomb.jsonl.gz").write_bytes(bomb)
    inner = tmp_path / "a.zip"
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_STORED) as archive:  # declares 1 MB from 1 MB
        archive.writestr("x/bomb.jsonl.gz", bomb)
    started = time.monotonic()
    outcomes = _by_origin(_import(tmp_path, tmp_path / "bomb.jsonl.gz", inner))
    assert time.monotonic() - started < 20
    for origin in (f"{tmp_path / 'bomb.jsonl.gz'}", f"{inner}!x/bomb.jsonl.gz"):
        status, reason = outcomes[origin]
        assert status is Status.FAILED and "zip bomb" in reason, (origin, reason)


def test_archive_total_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_ARCHIVE_BYTES", _MB)
    page = (TEXT + "\n" + os.urandom(300 * 1024).hex() + "\n").encode()  # 600 kB, 2:1
    declared = _zip(tmp_path / "declared.zip", {"a.txt": page, "b.txt": page})
    hidden = _zip(tmp_path / "hidden.zip", {"a.txt.gz": _gz(page), "b.txt.gz": _gz(page)})
    outcomes = _by_origin(_import(tmp_path, declared, hidden))
    status, reason = outcomes[str(declared)]
    assert status is Status.FAILED and "more than 1 MB" in reason
    assert outcomes[f"{hidden}!a.txt.gz"][0] is not Status.FAILED
    status, reason = outcomes[f"{hidden}!b.txt.gz"]
    assert status is Status.FAILED and "decompresses to more than 1 MB" in reason


def test_page_over_the_limit_inside_gz_is_refused(tmp_path: Path) -> None:
    big = os.urandom(13 * _MB).hex().encode()  # 26 MB of text that compresses only 2:1
    (tmp_path / "huge.html.gz").write_bytes(_gz(big))
    _zip(tmp_path / "huge.zip", {"huge.html": big})
    good = tmp_path / "good.txt"
    good.write_text(TEXT, "utf-8")
    outcomes = _by_origin(_import(tmp_path, tmp_path / "huge.html.gz", tmp_path / "huge.zip", good))
    for origin in (str(tmp_path / "huge.html.gz"), f"{tmp_path / 'huge.zip'}!huge.html"):
        status, reason = outcomes[origin]
        assert status is Status.FAILED and "too big" in reason, origin
    assert outcomes[str(good)][0] is not Status.FAILED


def test_unsafe_member_names_are_refused_and_nothing_leaves_into(tmp_path: Path) -> None:
    src = tmp_path / "deep" / "src"
    src.mkdir(parents=True)
    evil = [
        "../evil.html",
        "/abs.html",
        "C:\\x.html",
        "a/../../evil2.html",
        "a\\..\\..\\evil3.html",
    ]
    archive = _zip(
        src / "evil.zip", {**{n: HTML.encode() for n in evil}, "ok/page.txt": TEXT.encode()}
    )
    before = {p for p in tmp_path.rglob("*")}
    report = _import(tmp_path, archive, into="deep/content")
    outcomes = _by_origin(report)
    for name in evil:
        status, reason = outcomes[f"{archive}!{name}"]
        assert status is Status.FAILED and "unsafe member name" in reason, name
    assert _written(report) == [f"{archive}!ok/page.txt"]
    after = {p for p in tmp_path.rglob("*")} - before
    assert after and all(p.is_relative_to(tmp_path / "deep" / "content") for p in after)


def test_corrupt_inputs_fail_alone(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_text(TEXT, "utf-8")
    (src / "cut.txt.gz").write_bytes(_gz(TEXT.encode() * 50)[:-40])
    (src / "notgzip.txt.gz").write_bytes(b"plain text, not gzip at all")
    (src / "garbage.zip").write_bytes(os.urandom(4096))
    data = TEXT.encode() * 20
    good_zip = _zip(tmp_path / "crc.zip", {"page.txt": data})
    raw = bytearray(good_zip.read_bytes())
    at = raw.find(b"page.txt") + len("page.txt") + 10  # inside the member's deflated data
    raw[at] ^= 0xFF
    (src / "crc.zip").write_bytes(bytes(raw))
    (src / "cut.zip").write_bytes(good_zip.read_bytes()[:100])
    outcomes = _by_origin(_import(tmp_path, src))
    assert outcomes[str(src / "good.txt")][0] is not Status.FAILED
    expected = {
        "cut.txt.gz": "truncated compressed data",
        "notgzip.txt.gz": "not valid gzip data",
        "garbage.zip": "not a readable zip archive",
        "cut.zip": "not a readable zip archive",
        "crc.zip!page.txt": "corrupt",
    }
    for name, why in expected.items():
        status, reason = outcomes[str(src / name)]
        assert status is Status.FAILED and why in reason, (name, reason)


def test_encrypted_and_nested_archives_are_refused(tmp_path: Path) -> None:
    data = TEXT.encode()
    locked = _raw_zip(
        tmp_path / "locked.zip", "page.txt", data, len(data), zlib.crc32(data), method=0, flags=1
    )
    nested = _zip(
        tmp_path / "nested.zip",
        {
            "inner.zip": _zip(tmp_path / "inner.zip", {"p.txt": data}).read_bytes(),
            "inner.zip.gz": b"x",
            "p.txt.gz.gz": b"x",
        },
    )
    (tmp_path / "a.zip.gz").write_bytes(_gz(b"PK"))
    outcomes = _by_origin(_import(tmp_path, locked, nested, tmp_path / "a.zip.gz"))
    status, reason = outcomes[f"{locked}!page.txt"]
    assert status is Status.FAILED and "encrypted" in reason
    for origin in (
        f"{nested}!inner.zip",
        f"{nested}!inner.zip.gz",
        f"{nested}!p.txt.gz.gz",
        str(tmp_path / "a.zip.gz"),
    ):
        status, reason = outcomes[origin]
        assert status is Status.FAILED and "archive inside an archive" in reason, origin


def test_archiver_litter_is_skipped(tmp_path: Path) -> None:
    archive = _zip(
        tmp_path / "mac.zip",
        {
            "dir/": b"",
            "dir/page.txt": TEXT.encode(),
            "__MACOSX/dir/._page.txt": b"\x00\x05",
            "dir/.DS_Store": b"\x00",
            ".hidden/x.txt": TEXT.encode(),
        },
    )
    empty = _zip(tmp_path / "empty.zip", {"__MACOSX/x": b"\x00"})
    outcomes = _by_origin(_import(tmp_path, archive, empty))
    assert set(outcomes) == {f"{archive}!dir/page.txt", str(empty)}
    assert outcomes[str(empty)] == (Status.FAILED, "the archive holds no files")


def test_binary_check_sees_decompressed_bytes(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10
    (tmp_path / "photo.txt.gz").write_bytes(_gz(png))
    (tmp_path / "dump.csv.gz").write_bytes(_gz(b"\x00\x01\x02" * 100))
    outcomes = _by_origin(_import(tmp_path, tmp_path / "photo.txt.gz", tmp_path / "dump.csv.gz"))
    assert all(s is Status.FAILED and "binary" in r for s, r in outcomes.values()), outcomes


def test_long_rows_and_lines_fail_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_ROW_CHARS", 2000)
    rows = [
        json.dumps(JSONL[0]),
        json.dumps({**JSONL[1], "content": "x" * 5000}),
        json.dumps(JSONL[1]),
    ]
    (tmp_path / "d.jsonl.gz").write_bytes(_gz("\n".join(rows).encode()))
    long_csv = (
        CSV + f'Tiga,2024-05-01,"{"y " * 3000}",https://contoh.id/4,X\nEmpat,2024-05-01,Isi.,u,X\n'
    )
    (tmp_path / "e.csv").write_text(long_csv, "utf-8")
    outcomes = _by_origin(_import(tmp_path, tmp_path / "d.jsonl.gz", tmp_path / "e.csv"))
    jsonl = str(tmp_path / "d.jsonl.gz")
    assert outcomes[f"{jsonl}:2"][0] is Status.FAILED and "too long" in outcomes[f"{jsonl}:2"][1]
    assert outcomes[f"{jsonl}:1"][0] is not Status.FAILED
    assert outcomes[f"{jsonl}:3"][0] is not Status.FAILED
    csv_path = str(tmp_path / "e.csv")
    assert outcomes[f"{csv_path}:2"][0] is not Status.FAILED  # rows before it imported
    status, reason = outcomes[f"{csv_path}:6"]
    assert status is Status.FAILED and "too long" in reason


def test_not_utf8_csv_is_read_in_its_detected_encoding(tmp_path: Path) -> None:
    (tmp_path / "latin.csv.gz").write_bytes(
        _gz("judul,tanggal,isi,kategori\nCaf\xe9,2024-05-01,Isi.,Umum\n".encode("latin-1"))
    )
    report = _import(tmp_path, tmp_path / "latin.csv.gz")
    (outcome,) = report.outcomes
    assert outcome.status is Status.NEW
    assert "title: Café\n" in Path(outcome.target or "").read_text("utf-8")
    assert report.notes == [f"{tmp_path / 'latin.csv.gz'}: not UTF-8: read as cp1252 (detected)"]


def _big_csv(path: Path, megabytes: int) -> int:
    """A gzipped CSV of about that many MB of low-redundancy rows; the number of rows."""
    rows = megabytes * 100
    lines = [b"judul,tanggal,isi\n"]
    lines += [
        b"Judul %d,2024-05-01,%s\n" % (i, os.urandom(5200).hex().encode()) for i in range(rows)
    ]
    path.write_bytes(_gz(b"".join(lines)))
    return rows


class _Counting(io.RawIOBase):
    def __init__(self, inner: io.BufferedReader, seen: list[int]) -> None:
        self._inner, self._seen = inner, seen

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = self._inner.readinto(buffer)
        self._seen[0] += count
        return count


def test_big_csv_gz_streams_rows(tmp_path: Path) -> None:
    gz = tmp_path / "big.csv.gz"
    rows = _big_csv(gz, 50)
    raw = with_format(plain_file(gz))
    assert isinstance(raw, RawFile) and raw.format.value == "csv"
    seen = [0]
    counted = replace(raw, opener=lambda: io.BufferedReader(_Counting(raw.open(), seen)))
    first = next(iter(read_csv(counted, ColumnMapping())))
    assert first.origin == f"{gz}:2"
    assert 0 < seen[0] < 2 * _MB  # of 50 MB: the row came before the file was read
    tracemalloc.start()
    try:
        with closing(CsvLines(raw)) as lines:
            count = 0
            for _ in csv.reader(lines):
                lines.row_done()
                count += 1
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == rows + 1
    assert peak < 8 * _MB


def test_members_still_open_after_the_listing_moved_on(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "a.zip", {"a.txt": TEXT.encode(), "b.csv.gz": _gz(CSV.encode())})
    raws = list(sources.iter_raw_files([archive], sources.Format.AUTO))  # the archive is closed
    assert [r.origin for r in raws if isinstance(r, RawFile)] == [
        f"{archive}!a.txt",
        f"{archive}!b.csv.gz",
    ]
    assert [r.format.value for r in raws if isinstance(r, RawFile)] == ["text", "csv"]
    for raw in raws:
        assert isinstance(raw, RawFile)
        with raw.open() as stream:
            assert stream.read()
