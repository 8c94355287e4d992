"""Site mirrors in: a `wget --mirror` folder and an HTTrack project, built by the test."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from PIL import Image

from archivegen.content.frontmatter import parse_front_matter, split_front_matter
from archivegen.importers import ImportReport, ImportSettings, Status, import_sources
from archivegen.importers.defaults import FieldDefaults

FILLER = " ".join(["Kalimat isi berita yang cukup panjang untuk dianggap teks utama."] * 8)


def png(color: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, "PNG")
    return buffer.getvalue()


def page(title: str, picture: str, head: str = "") -> str:
    return f"""<!doctype html><html>{head}<head><title>{title}</title>
<meta property="article:published_time" content="2026-11-02T08:00:00+07:00">
</head><body><article><h1>{title}</h1><p>{FILLER}</p>
<p><img src="{picture}" alt="Foto"></p><p>{FILLER} Penutup.</p></article></body></html>"""


def put(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def imported(source: Path, into: Path) -> ImportReport:
    settings = ImportSettings(
        defaults=FieldDefaults.from_pairs(("category=Berita",)),
        clock=datetime.fromisoformat("2026-12-01T00:00:00+00:00"),
    )
    return import_sources([source], into, settings=settings, workers=1)


def articles(report: ImportReport) -> dict[str, tuple[dict[str, object], str, Path]]:
    """What was written, by source URL: front matter, body and file."""
    found = {}
    for outcome in report.outcomes:
        if outcome.status is Status.NEW and outcome.target:
            path = Path(outcome.target)
            parts = split_front_matter(path.read_text(), str(path))
            fields = parse_front_matter(parts.yaml_text, str(path))
            found[str(fields["source"])] = (fields, parts.body, path)
    return found


def test_a_wget_mirror_imports_with_urls_from_its_paths_and_its_own_pictures(
    tmp_path: Path,
) -> None:
    site = tmp_path / "mirror" / "www.berita.example"
    # wget --convert-links: a relative link; without it, the site's own root-relative one
    put(site / "read" / "banjir" / "index.html", page("Banjir Besar", "../../foto/a.png"))
    put(site / "berita.php?id=5.html", page("Gempa Kecil", "/foto/b.png"))
    put(site / "foto" / "a.png", png("red"))
    put(site / "foto" / "b.png", png("blue"))
    put(site / "style.css", "body { margin: 0 }")
    report = imported(tmp_path / "mirror", tmp_path / "content")

    found = articles(report)
    assert set(found) == {
        "https://www.berita.example/read/banjir/",
        "https://www.berita.example/berita.php?id=5",
    }
    fields, body, path = found["https://www.berita.example/read/banjir/"]
    assert fields["title"] == "Banjir Besar"
    assert fields["date"] == "2026-11-02T08:00:00+07:00"
    [red] = [p for p in path.parent.glob("*.png") if p.read_bytes() == png("red")]
    assert f"![Foto](<{red.name}>)" in body
    _, body, path = found["https://www.berita.example/berita.php?id=5"]
    [blue] = [p for p in path.parent.glob("*.png") if p.read_bytes() == png("blue")]
    assert f"![Foto](<{blue.name}>)" in body
    # pictures and style sheets are there for the pages: passed over, not failed
    assert report.count(Status.FAILED) == 0
    assert any("3 mirror files skipped, not pages" in n for n in report.notes)


def test_an_httrack_project_takes_its_comment_s_address_and_capture_time(tmp_path: Path) -> None:
    project = tmp_path / "proyek"
    put(project / "hts-cache" / "new.txt", "cache")
    put(project / "hts-log.txt", "HTTrack log")
    put(
        project / "index.html",
        "<html><body><a href='www.berita.example/a.html'>a</a></body></html>",
    )
    comment = (
        "<!-- Mirrored from www.berita.example/a?id=7 by HTTrack Website Copier/3.x "
        "[XR&CO'2014], Mon, 30 Nov 2026 10:00:00 GMT -->"
    )
    put(project / "www.berita.example" / "a4f2.html", page("Harga Naik", "foto/c.png", comment))
    put(project / "www.berita.example" / "foto" / "c.png", png("green"))
    report = imported(project, tmp_path / "content")

    found = articles(report)
    assert list(found) == ["https://www.berita.example/a?id=7"]
    fields, body, path = found["https://www.berita.example/a?id=7"]
    assert fields["captured"] == "2026-11-30T10:00:00+00:00"
    assert fields["title"] == "Harga Naik"
    [copy] = list(path.parent.glob("*.png"))
    assert copy.read_bytes() == png("green")
    assert f"![Foto](<{copy.name}>)" in body
    assert [o.status for o in report.outcomes] == [Status.NEW]  # HTTrack's own files unread
