"""Dates never invented silently: metadata, then text, then URL, then a fallback the user asks for."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archivegen.errors import ImportError_
from archivegen.importers import Fallback, FieldDefaults, ImportSettings, Status, import_sources
from archivegen.importers.date_evidence import (
    date_in_text,
    date_in_url,
    plausible,
    settle_date,
    updated_in_text,
)
from archivegen.importers.dates import WIB, format_datetime
from archivegen.importers.defaults import category_from_url
from archivegen.importers.model import DateSource, ImportedArticle

FILLER = " ".join(["Kalimat isi berita yang cukup panjang untuk dianggap teks utama."] * 8)
UMUM = ImportSettings(defaults=FieldDefaults.from_pairs(["category=Umum"]))


def page(dateline: str, meta: str = "", canonical: str = "") -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return f"""<!doctype html><html><head><title>Warga Desa Membangun Jembatan Baru</title>
{meta}{link}</head><body><header><p>Selasa, 1 Desember 2026</p></header>
<article><h1>Warga Desa Membangun Jembatan Baru</h1><p class="meta">{dateline}</p>
<p>{FILLER}</p><p>{FILLER}</p></article></body></html>"""


@pytest.mark.parametrize(
    ("text", "expected", "has_time"),
    [
        ("Veröffentlicht am 25. September 2018, 14:05 Uhr", "2018-09-25T14:05:00+07:00", True),
        ("By Jane Roe | September 25, 2018 at 2:05 pm EDT", "2018-09-25T14:05:00-04:00", True),
        ("25 de septiembre de 2018", "2018-09-25T00:00:00+07:00", False),
        ("le 1er janvier 2019 à 08h30", "2019-01-01T08:30:00+07:00", True),
        ("2017年3月9日 10:30", "2017-03-09T10:30:00+07:00", True),
        ("Selasa, 04 Oktober 2022 | 18:23 WITA", "2022-10-04T18:23:00+08:00", True),
        # a publication date beats an update printed before it
        (
            "Diperbarui 18 Jun 2025 Diterbitkan 17 Jun 2025, 10:00",
            "2025-06-17T10:00:00+07:00",
            True,
        ),
    ],
)
def test_dates_written_in_text(text: str, expected: str, has_time: bool) -> None:
    found = date_in_text(text, WIB)
    assert found is not None and format_datetime(found.moment) == expected
    assert found.has_time is has_time


def test_updated_is_not_a_publication_date() -> None:
    assert date_in_text("Diperbarui 18 Jun 2025, 14:05 WIB", WIB) is None
    updated = updated_in_text("Diperbarui 18 Jun 2025, 14:05 WIB", WIB)
    assert updated is not None and format_datetime(updated.moment) == "2025-06-18T14:05:00+07:00"


def test_relative_dates_need_a_capture_time() -> None:
    assert date_in_text("3 jam yang lalu", WIB) is None
    captured = datetime(2025, 6, 20, 12, 0, tzinfo=WIB)
    found = date_in_text("3 jam yang lalu", WIB, captured)
    assert found is not None and found.moment == datetime(2025, 6, 20, 9, 0, tzinfo=WIB)


def test_placeholders_and_dates_after_the_capture_are_no_evidence() -> None:
    captured = datetime(2024, 1, 1, tzinfo=UTC)
    assert not plausible(datetime(1, 1, 1, tzinfo=UTC), None)
    assert not plausible(datetime(1970, 1, 1, tzinfo=UTC), None)
    assert not plausible(datetime(1970, 1, 1, 7, 0, tzinfo=WIB), None)
    assert not plausible(datetime(2024, 3, 1, tzinfo=UTC), captured)
    assert plausible(datetime(2023, 12, 31, tzinfo=UTC), captured)
    assert plausible(datetime(2030, 1, 1, tzinfo=UTC), None)  # an embargo, without a capture
    assert date_in_text("01.01.1970", WIB) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://nasional.kompas.com/read/2025/06/10/21233191/x", "2025-06-10"),
        ("https://contoh.id/berita/20221004-judul", "2022-10-04"),
        ("http://headlines.yahoo.co.jp/hl?a=20170309-35097838-cnetj-sci", "2017-03-09"),
        ("https://contoh.id/2022/13/45/bukan-tanggal", None),
        ("https://www.liputan6.com/news/read/6055023/judul", None),
        ("https://20221004.contoh.id/judul", None),  # the host is no date
    ],
)
def test_dates_in_urls(url: str, expected: str | None) -> None:
    found = date_in_url(url, WIB)
    assert (found.moment.date().isoformat() if found else None) == expected
    assert found is None or found.has_time is False


@pytest.mark.parametrize(
    ("url", "category"),
    [
        ("https://www.liputan6.com/bisnis/read/6055023/judul", "Bisnis"),
        ("https://nasional.kompas.com/read/2025/06/10/21233191/judul", "Nasional"),
        ("https://travel.detik.com/travel-news/d-7957306/judul", "Travel News"),
        ("https://news.detik.com/berita/d-7971101/judul", None),
        ("https://ekonomi.republika.co.id/berita/sxnctt282/judul", "Ekonomi"),
        ("https://www.kompas.co.id/judul", None),
        ("https://contoh.id/judul-saja", None),
        ("javascript:alert(1)", None),
        ("https://www.liputan6.com/oto/read/6055023/judul", "Oto"),
        ("https://www.mozilla.org/en-US/firefox/desktop/customize/", None),
        ("https://en.wikipedia.org/wiki/Mozilla", None),
    ],
)
def test_categories_named_by_urls(url: str, category: str | None) -> None:
    assert category_from_url(url) == category


def test_fallback_values() -> None:
    assert Fallback.parse("mtime").source is DateSource.MTIME
    given = Fallback.parse("2020-01-02")
    assert given.source is DateSource.GIVEN and given.day is not None
    with pytest.raises(ImportError_, match="not mtime, updated, capture or a day"):
        Fallback.parse("kemarin")


def test_settle_date_tries_the_url_then_the_fallback_and_says_why_not() -> None:
    undated = ImportedArticle("T", None, "Isi.", "x.csv:2", source="https://contoh.id/a/x")
    refused = settle_date(undated, None, None, WIB)
    assert isinstance(refused, str) and "--fallback-date" in refused
    mtime = datetime(2021, 5, 6, 1, 2, tzinfo=UTC)
    by_mtime = settle_date(undated, Fallback.parse("mtime"), mtime, WIB)
    assert isinstance(by_mtime, ImportedArticle)
    assert by_mtime.date == mtime and by_mtime.date_source is DateSource.MTIME
    with_url = ImportedArticle("T", None, "Isi.", "o", source="https://contoh.id/2019/02/03/x")
    by_url = settle_date(with_url, Fallback.parse("mtime"), mtime, WIB)
    assert isinstance(by_url, ImportedArticle) and by_url.date_source is DateSource.URL
    placeholder = ImportedArticle("T", datetime(1970, 1, 1, tzinfo=UTC), "Isi.", "o")
    assert isinstance(settle_date(placeholder, None, None, WIB), str)


def _import_one(tmp_path: Path, html: str, **kwargs: object) -> str:
    source = tmp_path / "page.html"
    source.write_text(html, "utf-8")
    report = import_sources([source], tmp_path / "content", settings=UMUM, **kwargs)  # type: ignore[arg-type]
    assert report.outcomes[0].status is Status.NEW, report.outcomes[0].reason
    return Path(report.outcomes[0].target or "").read_text("utf-8")


def test_a_labelled_date_above_the_headline_dates_the_page(tmp_path: Path) -> None:
    html = page("").replace(
        "<h1>", "<p>Von Moritz Bachmann publiziert am 25. September 2018</p><h1>", 1
    )
    text = _import_one(tmp_path, html)
    assert "date: 2018-09-25T00:00:00+07:00\ndate_precision: day\n" in text


def test_a_date_printed_under_the_headline_dates_the_page(tmp_path: Path) -> None:
    # the header's "today" (1 Desember 2026) comes before the headline: it is not the date
    text = _import_one(tmp_path, page("Oleh Budi, 25. September 2018"))
    assert "date: 2018-09-25T00:00:00+07:00\ndate_precision: day\n" in text
    assert "date_source" not in text  # the page itself states it


def test_placeholder_metadata_gives_way_to_the_text(tmp_path: Path) -> None:
    meta = '<meta property="article:published_time" content="1970-01-01T00:00:00Z">'
    text = _import_one(tmp_path, page("Kamis, 5 Maret 2020 | 09:15 WIB", meta))
    assert "date: 2020-03-05T09:15:00+07:00\n" in text and "date_precision" not in text


def test_an_updated_only_page_is_dated_by_its_url(tmp_path: Path) -> None:
    html = page(
        "Diperbarui 18 Jun 2025, 14:05 WIB", canonical="https://contoh.id/read/2025/06/17/x"
    )
    text = _import_one(tmp_path, html)
    assert "date: 2025-06-17T00:00:00+07:00\nupdated: 2025-06-18T14:05:00+07:00\n" in text
    assert "date_source: url\ndate_precision: day\n" in text


def test_a_relative_date_counts_back_from_the_capture_column(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text(
        "judul,tanggal,isi,scraped_at\nJudul Berita,2 jam yang lalu,Isi.,2025-06-20T12:00:00+07:00\n",
        "utf-8",
    )
    report = import_sources([export], tmp_path / "content", settings=UMUM)
    text = Path(report.outcomes[0].target or "").read_text("utf-8")
    assert "date: 2025-06-20T10:00:00+07:00\ndate_source: relative\n" in text
    assert "captured: 2025-06-20T12:00:00+07:00\n" in text


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "archivegen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


@pytest.mark.slow
def test_cli_defaults_fallback_and_the_approximate_date_on_the_page(tmp_path: Path) -> None:
    assert run("init", "arsip", cwd=tmp_path).returncode == 0
    site = tmp_path / "arsip"
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "tanpa-tanggal.html").write_text(page("Oleh Budi"), "utf-8")
    refused = run("import", str(pages), cwd=site)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "fix: 1 article without a publication date" in refused.stderr
    # site.yaml's defaults, then a day given on the command line
    config = site / "site.yaml"
    config.write_text(config.read_text("utf-8") + "import:\n  defaults:\n    category: Daerah\n")
    done = run(
        "import", str(pages), "--fallback-date", "2020-01-02", "--set", "section=Arsip", cwd=site
    )
    assert done.returncode == 0, done.stderr
    assert "1 new" in done.stdout
    article = next((site / "content" / "daerah").glob("*.md")).read_text("utf-8")
    assert "date_source: given\n" in article and "section: Arsip\n" in article
    built = run("build", cwd=site)
    assert built.returncode == 0, built.stderr
    html = next((site / "public" / "2020" / "01" / "02").glob("*/index.html")).read_text("utf-8")
    assert "Kamis, 02 Januari 2020</time>" in html  # the day, no invented time
    assert "tanggal perkiraan: ditetapkan saat impor" in html
    bad = run("import", str(pages), "--set", "date=2020-01-01", cwd=site)
    assert bad.returncode == 1 and "set: date: is read from each source" in bad.stderr


def test_a_singlefile_capture_dates_a_relative_dateline(tmp_path: Path) -> None:
    saved = "<!--\n Page saved with SingleFile\n url: https://contoh.id/a\n saved date: Tue Dec 01 2026 18:49:47 GMT+0700 (Western Indonesia Time)\n-->"
    html = page("Oleh Budi | 3 jam yang lalu").replace("<html>", "<html>" + saved, 1)
    text = _import_one(tmp_path, html)
    assert "date: 2026-12-01T15:49:47+07:00\ndate_source: relative\n" in text
    assert "captured: 2026-12-01T18:49:47+07:00\n" in text


def test_mtime_fallback_of_a_zip_member_is_its_own_date(tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "pages.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(
            zipfile.ZipInfo("a/tanpa-tanggal.html", (2019, 5, 6, 7, 8, 10)), page("Oleh Budi")
        )
    settings = ImportSettings(defaults=UMUM.defaults, fallback=Fallback.parse("mtime"))
    report = import_sources([archive], tmp_path / "content", settings=settings)
    text = Path(report.outcomes[0].target or "").read_text("utf-8")
    assert "date: 2019-05-06T14:08:10+07:00\ndate_source: mtime\n" in text  # in the import zone
