"""Hostile inputs: each fails alone, with a reason naming the file, while the rest import."""

from __future__ import annotations

import os
from pathlib import Path

from archivegen.importers import Status, import_sources

GOOD = """Berita

Dunia

Judul Baik

SELASA, 04 OKTOBER 2022 | 18:23 WIB

Isi yang baik.
"""


def _import_with_good(tmp_path: Path, name: str, data: bytes) -> dict[str, str]:
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_text(GOOD, "utf-8")
    (src / name).write_bytes(data)
    report = import_sources([src], tmp_path / "content")
    by_name = {Path(o.origin.split(":")[0]).name: o for o in report.outcomes}
    assert by_name["good.txt"].status is Status.NEW
    assert by_name[name].status is Status.FAILED
    assert report.is_partial and report.exit_code == 2
    return {"reason": by_name[name].reason or "", "origin": by_name[name].origin}


def test_binary_file(tmp_path: Path) -> None:
    got = _import_with_good(tmp_path, "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    assert "binary" in got["reason"]


def test_binary_csv(tmp_path: Path) -> None:
    got = _import_with_good(tmp_path, "dump.csv", b"\x00\x01\x02" * 100)
    assert "binary" in got["reason"]


def test_empty_file(tmp_path: Path) -> None:
    assert "empty" in _import_with_good(tmp_path, "empty.txt", b"")["reason"]


def test_whitespace_file(tmp_path: Path) -> None:
    assert "whitespace" in _import_with_good(tmp_path, "blank.html", b"  \n\t\n")["reason"]


def test_not_utf8(tmp_path: Path) -> None:
    got = _import_with_good(tmp_path, "latin1.txt", "Judul\n\ncaf\xe9".encode("latin-1"))
    assert "not UTF-8" in got["reason"]
    assert got["origin"].endswith("latin1.txt:3")


def test_fifty_megabyte_file(tmp_path: Path) -> None:
    data = os.urandom(1024).hex().encode() + b"\n"
    big = data * (50 * 1024 * 1024 // len(data) + 1)
    got = _import_with_good(tmp_path, "huge.html", big)
    assert "too big" in got["reason"]


def test_text_without_layout(tmp_path: Path) -> None:
    got = _import_with_good(tmp_path, "notes.txt", b"Just some notes.\n\nNo dateline here.\n")
    assert "no dateline" in got["reason"]
