"""Saved pages extracted on several cores import exactly as on one, in the inputs' order."""

from __future__ import annotations

import zipfile
from pathlib import Path

from archivegen.importers import FieldDefaults, ImportSettings, import_sources

FILLER = " ".join(["Kalimat isi berita yang cukup panjang untuk dianggap teks utama."] * 8)
SETTINGS = ImportSettings(defaults=FieldDefaults.from_pairs(["category=Umum"]))


def _page(n: int) -> str:
    # pages 3 and 7 are the same article (same canonical URL): the second merges into the first
    url = (
        f"https://contoh.id/read/2024/01/{n % 5 + 1:02d}/{n}"
        if n not in (3, 7)
        else "https://contoh.id/read/2024/01/03/x"
    )
    return f"""<!doctype html><html><head><title>Berita Nomor {n} Tentang Jembatan Desa</title>
<link rel="canonical" href="{url}"></head><body><article><h1>Berita Nomor {n} Tentang Jembatan Desa</h1>
<p>Diterbitkan 0{n % 9 + 1} Januari 2024, 10:{n:02d} WIB</p><p>{FILLER} {n}</p><p>{FILLER}</p>
</article></body></html>"""


def _inputs(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    for n in range(12):
        (src / f"p{n:02d}.html").write_text(_page(n), "utf-8")
    with zipfile.ZipFile(src / "more.zip", "w") as archive:
        archive.writestr("z/p20.html", _page(20))
    (src / "export.csv").write_text(
        "judul,tanggal,isi\nDari Ekspor,02/01/2024 09:00,Isi ekspor.\n", "utf-8"
    )
    return src


def _written(content: Path) -> dict[str, str]:
    return {
        str(p.relative_to(content)): p.read_text("utf-8") for p in sorted(content.rglob("*.md"))
    }


def test_two_workers_write_what_one_writes(tmp_path: Path) -> None:
    src = _inputs(tmp_path)
    seen: list[tuple[int, int]] = []
    one = import_sources([src], tmp_path / "one", settings=SETTINGS, workers=1)
    two = import_sources(
        [src],
        tmp_path / "two",
        settings=SETTINGS,
        workers=2,
        progress=lambda d, t: seen.append((d, t)),
    )
    strip = lambda o: (Path(o.origin).name, o.status, o.reason)  # noqa: E731
    assert [strip(o) for o in two.outcomes] == [strip(o) for o in one.outcomes]
    assert _written(tmp_path / "two") == _written(tmp_path / "one")
    articles = [name for name in _written(tmp_path / "one") if not name.startswith(".")]
    assert len(articles) == 13  # 12 pages (two of them one article), the zip's page, the row
    assert seen == [(n, 14) for n in range(1, 15)]
