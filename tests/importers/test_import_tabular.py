"""CSV and JSONL exports: column mapping, indonews dates and boilerplate, IndoSum JSONL."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from archivegen.errors import ImportError_
from archivegen.importers import (
    ColumnMapping,
    Fallback,
    FieldDefaults,
    ImportSettings,
    Status,
    import_sources,
    load_mapping,
)
from archivegen.importers.boilerplate import scraped_paragraphs
from archivegen.importers.indosum import detokenize, indosum_article

SharedPath = Callable[..., Path]
# these exports name no category; the build needs one
NASIONAL = ImportSettings(defaults=FieldDefaults.from_pairs(["category=Nasional"]))

CSV = """judul_berita,waktu_terbit,isi,tautan
"Kata ""Kunci"": #1 --- tes",18 Juni 2025 | 20.04 WITA,"Paragraf satu.
Baca juga:
Judul Lain Yang Ditautkan
ADVERTISEMENT
Paragraf dua.",https://contoh.id/a
Tanpa Tanggal,Tidak Ditemukan,Isi.,https://contoh.id/b
"""


def test_mapping_by_flags_and_boilerplate(tmp_path: Path) -> None:
    src = tmp_path / "export.csv"
    src.write_text(CSV, "utf-8")
    mapping = ColumnMapping.from_pairs(
        ["title=judul_berita", "date=waktu_terbit", "body=isi", "source=tautan"]
    )
    report = import_sources([src], tmp_path / "content", mapping=mapping, settings=NASIONAL)
    ok, bad = report.outcomes
    assert ok.status is Status.NEW
    text = Path(ok.target or "").read_text("utf-8")
    assert "title: 'Kata \"Kunci\": #1 --- tes'" in text
    assert "date: 2025-06-18T20:04:00+08:00" in text
    assert "Paragraf satu.\n\nParagraf dua." in text
    for junk in ("Baca juga", "Judul Lain", "ADVERTISEMENT"):
        assert junk not in text
    assert bad.status is Status.FAILED
    assert bad.origin == f"{src}:7"  # the row starts on line 7, after a 5-line body
    assert "Tidak Ditemukan" in (bad.reason or "") and "--fallback-date" in (bad.reason or "")
    assert report.exit_code == 2


def test_mapping_file_and_unknown_columns(tmp_path: Path) -> None:
    mapping_file = tmp_path / "map.yaml"
    mapping_file.write_text("title: judul_berita\ndate: waktu_terbit\nbody: isi\n", "utf-8")
    assert load_mapping(mapping_file).title == "judul_berita"
    mapping_file.write_text("judul: x\n", "utf-8")
    with pytest.raises(ImportError_, match="unknown field 'judul'"):
        load_mapping(mapping_file)
    src = tmp_path / "export.csv"
    src.write_text(CSV, "utf-8")
    report = import_sources([src], tmp_path / "c", mapping=ColumnMapping(title="nope"))
    assert report.outcomes[0].status is Status.FAILED
    assert "no column 'nope'" in (report.outcomes[0].reason or "")


def test_unmapped_csv_says_which_flag_to_use(tmp_path: Path) -> None:
    src = tmp_path / "export.csv"
    src.write_text(CSV, "utf-8")
    report = import_sources([src], tmp_path / "c")
    assert "--map title=COLUMN" in (report.outcomes[0].reason or "")


def test_scraper_line_breaks_are_mended() -> None:
    body = "JAKARTA, KOMPAS.com\n- Direktur ILRC,\nSiti Aminah\nmendesak agar\nPolsek X\n, Sumba.\nLalu."
    assert scraped_paragraphs(body) == [
        "JAKARTA, KOMPAS.com - Direktur ILRC, Siti Aminah mendesak agar Polsek X, Sumba.",
        "Lalu.",
    ]


def test_generic_jsonl_with_lists(tmp_path: Path) -> None:
    src = tmp_path / "export.jsonl"
    rows = [
        {
            "title": "Satu",
            "date": "2024-05-01T10:00:00+07:00",
            "content": "Isi.",
            "tags": ["a", "b"],
        },
        {"title": "Dua", "date": "kemarin", "content": "Isi."},
    ]
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n", "utf-8")
    report = import_sources([src], tmp_path / "c", settings=NASIONAL)
    assert [o.status for o in report.outcomes] == [Status.NEW, Status.FAILED, Status.FAILED]
    assert "tags:\n- a\n- b\n" in Path(report.outcomes[0].target or "").read_text("utf-8")
    assert report.outcomes[2].origin.endswith(":3")


@pytest.mark.slow
def test_indonews_dates(tmp_path: Path, shared: SharedPath) -> None:
    folder = shared("corpus", "indonews")
    files = sorted(folder.glob("*.csv"))
    report = import_sources(files, tmp_path, dry_run=True, settings=NASIONAL)
    rows = len(report.outcomes)
    undated = [o for o in report.problems if o.missing == "date"]
    # rows without a publication date are those whose scraper wrote none, or only the
    # time the page was updated (liputan6 prints "Diperbarui 18 Jun 2025, 14:05 WIB")
    assert all(
        "'Tidak Ditemukan'" in (o.reason or "")
        or "column is empty" in (o.reason or "")
        or "only an update time ('Diperbarui" in (o.reason or "")
        for o in undated
    )
    assert report.count(Status.NEW) >= 1600
    assert all(o.reason for o in report.problems)
    assert any("--fallback-date" in fix for fix in report.fixes())
    # the update time, when asked for, dates them and says so
    dated = import_sources(
        files,
        tmp_path,
        dry_run=True,
        settings=replace(NASIONAL, fallback=Fallback.parse("updated")),
    )
    assert dated.count(Status.NEW) >= 2500
    assert (rows - len([o for o in dated.problems if o.missing == "date"])) / rows >= 0.975


def test_detokenize() -> None:
    tokens = [
        '"',
        "Tidak",
        "hanya",
        "tarif",
        ",",
        '"',
        "ucap",
        "Zulkifli",
        "di",
        "Senayan",
        ",",
        "Senin",
        "(",
        "27",
        "/",
        "3",
        ")",
        ".",
    ]
    assert detokenize(tokens) == '"Tidak hanya tarif," ucap Zulkifli di Senayan, Senin (27/3).'
    assert detokenize(["bentrokan", "-", "bentrokan", "itu", ",", "skor", "3", "-", "0", "."]) == (
        "bentrokan-bentrokan itu, skor 3-0."
    )
    assert detokenize(
        [
            "“",
            "Jika",
            "dia",
            "tak",
            "datang",
            "”",
            ",",
            "kata",
            "nature",
            "-nya",
            ",",
            "$",
            "799",
            ".",
        ]
    ) == ("“Jika dia tak datang”, kata nature-nya, $799.")


def test_indosum_record() -> None:
    record = {
        "id": "1490674536-mustahil-transportasi-tradisional-dan-online-bersa",
        "category": "tajuk utama",
        "source": "kumparan",
        "source_url": "https://kumparan.com/x/ketua-mpr-mustahil-transportasi-online-bersaing-bebas",
        "paragraphs": [
            [["Ketua", "MPR", "menilai", "transportasi", "online", "."]],
            [["Oke", "."]],
        ],
        "summary": [["Ketua", "MPR", "bicara", "."]],
    }
    article = indosum_article(record, "dev.jsonl:1")
    assert article.title == "Ketua MPR Mustahil Transportasi Online Bersaing Bebas"
    assert article.date.isoformat() == "2017-03-28T11:15:36+07:00"
    assert article.category == "Tajuk Utama"
    assert article.body == "Ketua MPR menilai transportasi online.\n\nOke."
    extra = dict(article.extra)
    assert extra["license"] == "CC BY-SA 4.0"
    assert "IndoSum" in extra["credit"] and "kumparan" in extra["credit"]


def test_bundled_sample_is_attributed() -> None:
    content = Path(__file__).resolve().parents[2] / "content"
    files = sorted(content.rglob("*.md"))
    if not files:
        pytest.skip("content/ is not generated (run make sample)")
    indosum = [f for f in files if "license: CC BY-SA 4.0" in f.read_text("utf-8")]
    assert len(indosum) >= 200
    assert all("credit: IndoSum" in f.read_text("utf-8") for f in indosum)
    assert (content / "dunia").is_dir()
