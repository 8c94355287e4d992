"""Copies of one story: `archivegen check --duplicates` over a content folder, the note an
import gives a copy, and `duplicate_of:` in a build (canonical link, sitemap, search)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sitekit import SHARED, SiteFactory, write_article

from archivegen.cli import main
from archivegen.config import SiteConfig

INDONEWS = SHARED / "corpus" / "indonews" / "Dataset_new-scrapping_news_2025-06-18.csv"
HEADER = (
    "Duplicates: estimated Jaccard of 5-word shingles (MinHash) >= 0.45; measured precision "
    "0.81, recall 0.76 on 62 hand-labelled pairs"
)
# written for these tests: an original, and a re-published copy with a new first sentence
STORY = (
    "Pemerintah Kota Bandar Lampung menyiapkan tiga puluh bus listrik untuk melayani warga "
    "mulai bulan depan. Kepala Dinas Perhubungan mengatakan armada baru itu akan melintasi "
    "enam koridor utama, dari Terminal Rajabasa hingga Pelabuhan Panjang, dengan tarif yang "
    "sama seperti bus kota lama. Menurut dia, setiap bus dapat menampung empat puluh "
    "penumpang dan dilengkapi pendingin udara serta kamera pengawas. Pemerintah juga "
    "membangun dua belas halte baru yang ramah bagi penyandang disabilitas. Warga yang "
    "ingin mencoba layanan ini dapat membayar dengan kartu uang elektronik atau kode QR. "
    "Uji coba akan berlangsung selama dua pekan sebelum layanan dibuka penuh untuk umum."
)
COPY = "BANDAR LAMPUNG - Warga akan segera menikmati bus listrik. " + STORY
OTHER = (
    "Harga cabai merah di Pasar Tugu naik menjadi enam puluh ribu rupiah per kilogram "
    "setelah hujan deras merusak panen di Lampung Barat. Pedagang berharap pasokan dari Jawa "
    "segera datang agar harga kembali normal sebelum hari raya."
)


def run(config: SiteConfig, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--config", str(config.root / "site.yaml")])


def indonews(row: int) -> dict[str, str]:
    """One record of the 2025-06-18 indonews CSV (1-based), or skip without the corpus."""
    if not INDONEWS.is_file():
        pytest.skip("../shared/corpus/indonews is absent (shared corpus not checked out)")
    csv.field_size_limit(10_000_000)
    with INDONEWS.open(encoding="utf-8-sig", newline="") as handle:
        for number, record in enumerate(csv.DictReader(handle), start=1):
            if number == row:
                return record
    raise AssertionError(f"no record {row}")


def corpus_article(content: Path, name: str, row: int, date: str) -> None:
    record = indonews(row)
    body = record["isi_berita"]
    write_article(content, name, body=body, title=record["judul"], date=date, category="Berita")


@pytest.fixture
def corpus_site(make_site: SiteFactory) -> SiteConfig:
    """The seed article, a press release run by okezone and by detik (a syndicated copy),
    and liputan6's and detik's own stories under one headline (not copies)."""
    config = make_site(search="false")
    content = config.content_path
    corpus_article(content, "okezone/cukai.md", 1079, "2025-06-17T10:00:00+07:00")
    corpus_article(content, "detik/cukai-petani.md", 1611, "2025-06-18T09:00:00+07:00")
    corpus_article(content, "liputan6/zarof.md", 636, "2025-06-18T12:00:00+07:00")
    corpus_article(content, "detik/zarof.md", 1748, "2025-06-18T13:00:00+07:00")
    return config


def test_check_duplicates_reports_the_syndicated_copy(corpus_site: SiteConfig) -> None:
    assert indonews(636)["judul"] == "Eks Pejabat MA Zarof Ricar Divonis 16 Tahun Penjara"
    assert indonews(1748)["judul"] == "Eks Pejabat MA Zarof Ricar Divonis 16 Tahun Penjara!"
    result = run(corpus_site, "check", "--duplicates")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        HEADER,
        "content/okezone/cukai.md and content/detik/cukai-petani.md: similarity 0.77; "
        "if content/detik/cukai-petani.md is the copy, add duplicate_of: okezone/cukai.md",
        "Checked 5 articles: 1 likely copy, 0 marked with duplicate_of",
    ]


def test_a_marked_copy_is_counted_not_listed(corpus_site: SiteConfig) -> None:
    copy = corpus_site.content_path / "detik" / "cukai-petani.md"
    copy.write_text(
        copy.read_text().replace(
            "category: Berita\n", "category: Berita\nduplicate_of: okezone/cukai.md\n"
        )
    )
    result = run(corpus_site, "check", "--duplicates")
    assert result.output.splitlines() == [
        HEADER,
        "Checked 5 articles: 0 likely copies, 1 marked with duplicate_of",
    ]


def test_check_duplicates_needs_no_build_and_no_corpus(make_site: SiteFactory) -> None:
    config = make_site(seed=False)
    content = config.content_path
    write_article(
        content, "a/asli.md", STORY, title="Bus Listrik", date="2024-03-01", category="Kota"
    )
    write_article(
        content, "b/salinan.md", COPY, title="Bus Baru", date="2024-03-02", category="Kota"
    )
    write_article(content, "c/cabai.md", OTHER, title="Cabai", date="2024-03-02", category="Pasar")
    result = run(config, "check", "--duplicates")
    assert not config.output_path.exists()
    lines = result.output.splitlines()
    assert lines[0] == HEADER
    assert re.fullmatch(
        r"content/a/asli\.md and content/b/salinan\.md: similarity 0\.(8\d|9\d); if "
        r"content/b/salinan\.md is the copy, add duplicate_of: a/asli\.md",
        lines[1],
    ), lines[1]
    assert lines[2:] == ["Checked 3 articles: 1 likely copy, 0 marked with duplicate_of"]


def test_import_notes_a_copy_and_writes_it(make_site: SiteFactory) -> None:
    config = make_site(seed=False)
    write_article(
        config.content_path,
        "kota/asli.md",
        STORY,
        title="Bus Listrik",
        date="2024-03-01",
        category="Kota",
    )
    export = config.root / "ekspor.csv"
    with export.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "date", "category", "body"])
        writer.writerow(["Bus Baru untuk Warga", "2024-03-02T08:00:00+07:00", "Kota", COPY])
        writer.writerow(["Harga Cabai Naik", "2024-03-02T09:00:00+07:00", "Pasar", OTHER])
        writer.writerow(["Bus Listrik Datang", "2024-03-03T09:00:00+07:00", "Kota", COPY + " Ok."])
    result = run(config, "import", str(export))
    assert result.exit_code == 0, result.output
    notes = [line for line in result.output.splitlines() if "likely a copy" in line]
    assert len(notes) == 2, result.output
    assert re.fullmatch(
        r"note: .*ekspor\.csv:2: likely a copy of content/kota/asli\.md \(similarity 0\.\d\d\); "
        r"if so, add duplicate_of: kota/asli\.md",
        notes[0],
    ), notes[0]
    # the second copy matches the original best (both copy it), never refused
    assert "ekspor.csv:4: likely a copy of content/" in notes[1]
    assert "3 new" in result.output
    assert len(list(config.content_path.rglob("*.md"))) == 4


def marked_site(make_site: SiteFactory, duplicate_of: object) -> SiteConfig:
    config = make_site(seed=False, search="false")
    content = config.content_path
    write_article(
        content, "kota/asli.md", STORY, title="Bus Listrik", date="2024-03-01", category="Kota"
    )
    write_article(
        content,
        "kota/salinan.md",
        COPY,
        title="Bus Baru",
        date="2024-03-02",
        category="Kota",
        duplicate_of=duplicate_of,
    )
    write_article(
        content, "pasar/cabai.md", OTHER, title="Cabai", date="2024-03-02", category="Pasar"
    )
    return config


def page(config: SiteConfig, url: str) -> str:
    return (config.output_path / url.strip("/") / "index.html").read_text(encoding="utf-8")


def test_duplicate_of_points_canonical_at_the_original(make_site: SiteFactory) -> None:
    config = marked_site(make_site, "kota/asli.md")
    result = run(config, "build")
    assert result.exit_code == 0, result.output
    original, copy = "/2024/03/01/bus-listrik/", "/2024/03/02/bus-baru/"
    copy_html = page(config, copy)
    assert f'<link rel="canonical" href="https://arsip.example{original}">' in copy_html
    assert "data-pagefind-body" not in copy_html
    assert "Warga akan segera menikmati bus listrik" in copy_html  # still built
    assert f'<link rel="canonical" href="https://arsip.example{original}">' in page(
        config, original
    )
    assert "data-pagefind-body" in page(config, original)
    index = (config.output_path / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://arsip.example/sitemaps/2024-03.xml</loc>" in index
    month = (config.output_path / "sitemaps" / "2024-03.xml").read_text(encoding="utf-8")
    assert f"<loc>https://arsip.example{original}</loc>" in month
    sitemaps = [
        index,
        *(p.read_text(encoding="utf-8") for p in config.output_path.glob("sitemaps/*.xml")),
    ]
    assert len(sitemaps) == 3  # the index, the listings' and March 2024's
    assert not any(copy in sitemap for sitemap in sitemaps)
    assert 'href="/2024/03/02/bus-baru/"' in page(config, "/kategori/kota/")  # still listed


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "kota/tidak-ada.md",
            "'kota/tidak-ada.md': there is no such article in the content folder",
        ),
        ("../luar.md", "'../luar.md' must be the original's file, relative to the content folder"),
        ("kota/salinan.md", "'kota/salinan.md' is this article itself; name the original"),
        (["kota/asli.md"], "must be the original's file, relative to the content folder"),
    ],
)
def test_a_wrong_duplicate_of_names_file_line_and_field(
    make_site: SiteFactory, value: object, message: str
) -> None:
    config = marked_site(make_site, value)
    result = run(config, "build")
    assert result.exit_code == 1
    lines = (config.content_path / "kota" / "salinan.md").read_text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("duplicate_of:"))
    assert f"content/kota/salinan.md:{line}: duplicate_of: {message}" in result.output
    assert "Traceback" not in result.output
