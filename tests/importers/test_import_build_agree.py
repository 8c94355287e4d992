"""Hostile rows through the real `archivegen import`, then `archivegen build` (issue 18):
a bad row or line is refused alone, naming its file, line and field, the rest imports,
and whatever the import writes, the next build takes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml
from click.testing import CliRunner, Result

from archivegen.cli import main

HEADER = "title,date,content,category,url\n"
WHEN = "2024-01-05T10:00:00+07:00"


def run(*args: str | Path) -> Result:
    # exceptions are not caught: a traceback fails the test with its own stack
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def new_site(tmp_path: Path) -> Path:
    assert run("init", tmp_path / "site").exit_code == 0
    return tmp_path / "site"


def import_bytes(root: Path, name: str, data: bytes) -> tuple[Result, Path]:
    source = root.parent / name
    source.write_bytes(data)
    return run("import", source, "--config", root / "site.yaml", "--workers", "1"), source


def titles(root: Path) -> set[str]:
    """The titles of the imported articles (the example article of `init` left out)."""
    found = set()
    for path in (root / "content").rglob("*.md"):
        meta = yaml.safe_load(path.read_text("utf-8").split("---\n")[1])
        if "import_key" in meta:
            found.add(str(meta["title"]))
    return found


def assert_builds(root: Path, articles: int) -> None:
    result = run("build", "--config", root / "site.yaml", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert f"Built {articles + 1} articles" in result.stdout  # and the example article


def row(n: int, title: str | None = None, date: str = WHEN, url: str | None = None) -> str:
    return f"{title or f'Judul {n}'},{date},Isi berita nomor {n}.,Nasional,{url or f'https://ex.id/{n}'}\n"


def record(n: int, **fields: object) -> bytes:
    base = {"title": f"Judul — {n}", "date": WHEN, "content": f"Isi “{n}”.", "category": "Nasional"}
    return json.dumps({**base, **fields}, ensure_ascii=False).encode() + b"\n"


def test_a_latin1_row_in_an_ascii_csv_is_read_in_the_detected_encoding(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    data = (HEADER + row(1) + row(2)).encode() + row(3, "Café Kopi").encode("latin-1")
    result, source = import_bytes(root, "latin.csv", data)
    assert result.exit_code == 0, result.output
    assert f"note: {source}: not UTF-8: read as cp1252 (detected)" in result.stderr
    assert titles(root) == {"Judul 1", "Judul 2", "Café Kopi"}
    assert_builds(root, 3)


def test_a_utf16_export_with_its_bom_is_read_as_utf16(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    text = "title\tdate\tcontent\tcategory\n" + f"Café “Ünïcode”\t{WHEN}\tIsi.\tNasional\n"
    result, source = import_bytes(root, "unicode.tsv", text.encode("utf-16"))  # BOM first
    assert result.exit_code == 0, result.output
    assert f"note: {source}: not UTF-8: read as utf_16 (detected)" in result.stderr
    assert titles(root) == {"Café “Ünïcode”"}
    assert_builds(root, 1)


def test_a_bad_byte_after_400_utf8_lines_refuses_that_line_alone(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    data = b"".join(record(n) for n in range(1, 401))
    data += b'{"title": "Rusak \xff", "date": "' + WHEN.encode() + b'", "content": "x"}\n'
    data += record(402)
    result, source = import_bytes(root, "export.jsonl", data)
    assert result.exit_code == 2
    assert f"failed: {source}:401: not UTF-8 text (byte 0xFF at character 18)" in result.stderr
    assert "400 new, 1 failed" not in result.stdout and "401 new, 1 failed" in result.stdout
    assert titles(root) == {f"Judul — {n}" for n in (*range(1, 401), 402)}
    assert_builds(root, 401)


def test_a_bad_byte_in_a_utf8_csv_names_its_line_and_column(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    data = (HEADER + row(1, "Rp1.5 triliun — naik")).encode()
    data += row(2, "Rusak").replace("Rusak", "Rus\xe4k").encode("latin-1") + row(3).encode()
    result, source = import_bytes(root, "mixed.csv", data)
    assert result.exit_code == 2
    assert f"failed: {source}:3: title: not UTF-8 text (byte 0xE4 at character 4)" in result.stderr
    assert titles(root) == {"Rp1.5 triliun — naik", "Judul 3"}
    assert_builds(root, 2)


def test_a_line_nested_100000_deep_is_refused_alone(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    deep = b'{"title": "Dalam", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n"
    result, source = import_bytes(root, "deep.jsonl", record(1) + deep + record(3))
    assert result.exit_code == 2
    assert f"failed: {source}:2: not read: JSON nested too deep" in result.stderr
    assert titles(root) == {"Judul — 1", "Judul — 3"}
    assert_builds(root, 2)


def test_a_5000_digit_number_as_a_title_is_imported_as_text(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    digits = "9" * 5000
    number = record(1).replace(b'"Judul \xe2\x80\x94 1"', digits.encode())
    result, _ = import_bytes(root, "angka.jsonl", number + record(2))
    assert result.exit_code == 0, result.output
    assert titles(root) == {digits, "Judul — 2"}
    assert_builds(root, 2)


def test_an_offset_of_99_hours_refuses_its_row_naming_the_date(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    data = HEADER + row(1) + row(2, "Zona", "2024-01-03T10:00:00+99:00") + row(3)
    result, source = import_bytes(root, "zona.csv", data.encode())
    assert result.exit_code == 2
    assert (
        f"failed: {source}:3: date: no publication date ('+99:00' is not a UTC offset "
        "(they run -12:00 to +14:00), none in the URL)"
    ) in result.stderr
    assert titles(root) == {"Judul 1", "Judul 3"}
    assert_builds(root, 2)


def test_year_1_and_year_9999_are_refused_not_written(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    data = (
        HEADER
        + row(1)
        + row(2, "Awal", "0001-01-01")
        + row(3, "Akhir", "9999-12-31T23:59:00-07:00")
    )
    result, source = import_bytes(root, "tanggal.csv", data.encode())
    assert result.exit_code == 2
    assert (
        f"failed: {source}:3: date: no publication date (0001-01-01T00:00:00+07:00 is a placeholder"
        in result.stderr
    )
    assert (
        f"failed: {source}:4: date: no publication date (9999-12-31T23:59:00-07:00 is a placeholder"
        in result.stderr
    )
    assert titles(root) == {"Judul 1"}
    assert_builds(root, 1)


def test_a_placeholder_update_time_is_dropped_with_a_note(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    data = (
        f"title,date,content,category,updated\nUbah,{WHEN},Isi.,Nasional,9999-12-31 23:59 -07:00\n"
    )
    result, source = import_bytes(root, "ubah.csv", data.encode())
    assert result.exit_code == 0, result.output
    assert (
        f"note: {source}:2: updated: dropped 9999-12-31T23:59:00-07:00, a placeholder date\n"
        in result.stderr
    )
    (written,) = (p for p in (root / "content").rglob("*.md") if "ubah" in p.name)
    assert "updated:" not in written.read_text("utf-8")
    assert_builds(root, 1)


def test_a_body_over_max_article_bytes_and_a_50_mb_line_are_refused(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    body = "Kata " * 1_300_000  # 6.5 MB, over the default 5 MB of max_article_bytes
    data = HEADER + row(1) + f"Besar,{WHEN},{body},Nasional,https://ex.id/besar\n" + row(3)
    result, source = import_bytes(root, "besar.csv", data.encode())
    assert result.exit_code == 2
    assert f"failed: {source}:3 -> " in result.stderr
    assert (
        ": file: the file is 6.5 MB, over the 5.0 MB limit (max_article_bytes in site.yaml); "
        "the build would refuse it"
    ) in result.stderr
    line = record(2, content="Kata " * 10_500_000)  # 52 MB
    result, jsonl = import_bytes(root, "besar.jsonl", record(1) + line + record(3))
    assert result.exit_code == 2
    assert f"failed: {jsonl}:2: a line over 20 MB is too long for one record" in result.stderr
    assert titles(root) == {"Judul 1", "Judul 3", "Judul — 1", "Judul — 3"}
    assert_builds(root, 4)


def test_xml_forbidden_characters_are_dropped_with_a_note(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    data = HEADER + row(1, "Judul\x00NUL\x01 \ufffeBersih") + row(2)
    result, source = import_bytes(root, "kontrol.csv", data.encode())
    assert result.exit_code == 0, result.output
    assert (
        f"note: {source}:2: title: removed 3 character(s) XML does not allow "
        "(U+0000, U+0001, U+FFFE)"
    ) in result.stderr
    assert titles(root) == {"JudulNUL Bersih", "Judul 2"}
    assert_builds(root, 2)
    feed = ET.parse(root / "public" / "feed.xml")  # a real XML parser: well-formed
    assert "JudulNUL Bersih" in [t.text for t in feed.iter() if t.tag.endswith("title")]


def test_a_javascript_source_is_dropped_with_a_note(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    data = HEADER + row(1, "Skrip", url="javascript:alert(document.cookie)") + row(2)
    data += row(3, "Spasi", url="https://ex.id/kota/dua kata")
    result, source = import_bytes(root, "skrip.csv", data.encode())
    assert result.exit_code == 0, result.output
    assert (
        f"note: {source}:2: source: dropped 'javascript:alert(document.cookie)': it has the "
        "scheme javascript:, only http:, https: and mailto: links are allowed"
    ) in result.stderr
    texts = [p.read_text("utf-8") for p in (root / "content").rglob("*.md")]
    assert not any("javascript:" in t for t in texts)
    assert any("source: https://ex.id/kota/dua%20kata\n" in t for t in texts)  # encoded, kept
    assert titles(root) == {"Skrip", "Judul 2", "Spasi"}
    assert_builds(root, 3)
    pages = (p.read_text("utf-8") for p in (root / "public").rglob("*.html"))
    assert not any("javascript:alert" in page for page in pages)


def test_init_where_no_folder_can_be_made_is_an_error_naming_it(tmp_path: Path) -> None:
    result = run("init", "/proc/xyz")
    assert result.exit_code == 1
    assert result.stderr == "error: /proc/xyz: cannot create the site: No such file or directory\n"


def test_a_latin1_mapping_file_and_a_5000_digit_set_value_are_errors(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    source = root.parent / "ekspor.csv"
    source.write_text(HEADER + row(1), "utf-8")
    mapping = root.parent / "peta.yaml"
    mapping.write_bytes("title: judul\xe9\n".encode("latin-1"))
    config = ("--config", root / "site.yaml")
    result = run("import", source, "--mapping", mapping, *config)
    assert result.exit_code == 1
    assert result.stderr == f"error: {mapping}: cannot read the mapping: not UTF-8 text\n"
    result = run("import", source, "--set", "category=" + "9" * 5000, *config)
    assert result.exit_code == 1
    assert result.stderr == (
        "error: set: category: a number too long to read; quote it to give it as text\n"
    )
    assert titles(root) == set()
