"""The seed and the rmol text dumps: exactly what issue 4 item 2 demands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from archivegen.content.frontmatter import parse_front_matter, split_front_matter
from archivegen.errors import ImportError_
from archivegen.importers import Status, import_sources
from archivegen.importers.rmol_amp import read_rmol_amp
from archivegen.importers.rmol_read import read_rmol_read

SharedPath = Callable[..., Path]
SEED_NAME = "rmol-dunia-2022-10-04-warga-rusia-kazakhstan.txt"


def _read(path: Path) -> tuple[dict[str, object], str]:
    split = split_front_matter(path.read_text(encoding="utf-8"), str(path))
    return parse_front_matter(split.yaml_text, str(path)), split.body


def _seed_paragraphs(seed: Path) -> list[str]:
    lines = [x.strip() for x in seed.read_text("utf-8").splitlines()]
    start = next(i for i, x in enumerate(lines) if x.startswith("SELASA, 04 OKTOBER")) + 1
    end = lines.index("Populer")
    return [x for x in lines[start:end] if x]


def test_seed_imports_exactly(tmp_path: Path, shared: SharedPath) -> None:
    report = import_sources([shared("seed")], tmp_path)
    assert [o.status for o in report.outcomes] == [Status.NEW]
    target = Path(report.outcomes[0].target or "")
    assert target.parent == tmp_path / "dunia"
    fields, body = _read(target)
    assert fields["title"] == "Terus Bertambah, 200 Ribu Warga Rusia Sudah Kabur ke Kazakhstan"
    assert fields["date"] == "2022-10-04T18:23:00+07:00"
    assert fields["author"] == "Alifia Dwi Ramandhita"
    assert fields["category"] == "Dunia"
    assert fields["section"] == "Berita"
    assert fields["image_caption"] == "Ilustrasi/Net"
    paragraphs = body.strip().split("\n\n")
    assert paragraphs == _seed_paragraphs(shared("seed", SEED_NAME))
    assert len(paragraphs) == 7
    for chrome in ("Populer", "UPDATE", "Selengkapnya", "2024", "Telkom"):
        assert chrome not in body


def test_seed_date_line_is_written_unquoted(tmp_path: Path, shared: SharedPath) -> None:
    report = import_sources([shared("seed")], tmp_path)
    text = Path(report.outcomes[0].target or "").read_text("utf-8")
    assert "\ndate: 2022-10-04T18:23:00+07:00\n" in text


@pytest.mark.parametrize(
    ("name", "title", "date", "author"),
    [
        (
            "rmol-amp-548880.txt",
            "Kazakhstan Tampung Puluhan Ribu Warga Rusia yang Kabur dari Mobilisasi Perang Putin",
            "2022-09-27T19:16:00+07:00",
            "Hani Fatunnisa",
        ),
        (
            "rmol-amp-549179.txt",
            "Kazakhstan Menyambut Kedatangan Warga Rusia yang Lari dari Wajib Militer, "
            "Tokayev: Kita Harus Melindungi Mereka",
            "2022-09-30T07:13:00+07:00",
            "Reni Erina",
        ),
        (
            "rmol-amp-549688-full.txt",
            "Terus Bertambah, 200 Ribu Warga Rusia Sudah Kabur ke Kazakhstan",
            "2022-10-04T18:23:00+07:00",
            "Alifia Dwi Ramandhita",
        ),
    ],
)
def test_every_rmol_amp_dump(
    name: str, title: str, date: str, author: str, shared: SharedPath
) -> None:
    path = shared("corpus", "rmol", name)
    article = read_rmol_amp(path.read_text("utf-8"), str(path))
    assert (article.title, article.date.isoformat(), article.authors) == (title, date, (author,))
    assert article.category == "Dunia"
    assert "Populer" not in article.body
    assert not article.body.startswith(" ")


def test_truncated_amp_dump_stops_before_the_cut_chrome(shared: SharedPath) -> None:
    path = shared("corpus", "rmol", "rmol-amp-548880.txt")
    article = read_rmol_amp(path.read_text("utf-8"), str(path))
    assert "Mantan Jubir" not in article.body
    assert article.body.endswith("kecuali mereka memiliki paspor.")


def test_rmol_read_layout(shared: SharedPath) -> None:
    path = shared("corpus", "rmol", "rmol-read-549506.txt")
    article = read_rmol_read(path.read_text("utf-8"), str(path))
    assert article.title == (
        "Coba Kabur dari Mobilisasi Militer, 180 Pria Rusia Ditangkap di Perbatasan Georgia"
    )
    assert article.date.isoformat() == "2022-10-03T13:06:00+07:00"
    assert article.authors == ("Hani Fatunnisa",)
    assert article.image_caption == (
        "Pos pemeriksaan di perbatasan Verkhni Lars antara Georgia dan Rusia/Net"
    )
    paragraphs = article.body.split("\n\n")
    assert paragraphs[0].startswith("Setelah Presiden Vladimir Putin")
    assert len(paragraphs) == 7
    for chrome in ("Dimensy", "Farah.ID", "ARTIKEL LAINNYA", "LAPORAN"):
        assert chrome not in article.body


SEED_LIKE = """Berita

Ilustrasi/Net

Ekonomi

Judul Berita

{dateline}

Paragraf pertama.

Populer

Judul lain

Rabu, 24 April 2024 | 02:12
"""


def test_dump_without_reporter_imports_without_author() -> None:
    text = SEED_LIKE.format(dateline="kamis, 1 des 2022 | 09.05 wita")
    article = read_rmol_amp(text, "x.txt")
    assert article.authors == ()
    assert article.date.isoformat() == "2022-12-01T09:05:00+08:00"


def test_dump_without_dateline_is_an_error_naming_the_file() -> None:
    # the list dates after "Populer" must never stand in for the missing dateline
    text = SEED_LIKE.format(dateline="")
    with pytest.raises(ImportError_) as caught:
        read_rmol_amp(text, "lost/dateline.txt")
    assert caught.value.path == "lost/dateline.txt"
    assert "no dateline" in str(caught.value)


def test_directory_import_reports_the_dump_without_dateline(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_text(SEED_LIKE.format(dateline="JUMAT, 02 AGU 2024 | 10:00 WIT"))
    (src / "bad.txt").write_text(SEED_LIKE.format(dateline=""))
    report = import_sources([src], tmp_path / "content")
    by_name = {Path(o.origin).name: o for o in report.outcomes}
    assert by_name["good.txt"].status is Status.NEW
    assert by_name["bad.txt"].status is Status.FAILED
    assert "no dateline" in (by_name["bad.txt"].reason or "")
    assert report.is_partial and report.exit_code == 2


def test_text_dumps_and_csv_import_without_trafilatura(tmp_path: Path) -> None:
    # a user without lxml's HTML cleaner (an old pip) can still import dumps and exports
    import subprocess
    import sys

    export = tmp_path / "export.csv"
    export.write_text("judul,tanggal,isi,kategori\nJudul,01/01/2024 10:00,Isi.,Dunia\n", "utf-8")
    dump = tmp_path / "dump.txt"
    dump.write_text(
        "Berita\n\nDunia\n\nJudul Dua\n\nSELASA, 04 OKTOBER 2022 | 18:23 WIB | LAPORAN: ANI\n\nIsi.\n",
        "utf-8",
    )
    script = (
        "import sys; from pathlib import Path; from archivegen.importers import import_sources; "
        f"r = import_sources([Path({str(export)!r}), Path({str(dump)!r})], Path({str(tmp_path / 'c')!r})); "
        "print(r.summary(), sorted(m for m in ('trafilatura', 'lxml', 'justext') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "2 new []", result.stderr
