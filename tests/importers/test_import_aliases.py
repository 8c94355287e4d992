"""`archivegen import --alias-source-paths`: an archive that takes over the source site's
domain records each article's source path (and query) as an alias, so the old site's
links redirect to the imported articles once built."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from archivegen.build import BuildOptions, build_site
from archivegen.cli import main
from archivegen.config import load_config
from archivegen.content.loader import load_content

CSV = """judul,waktu,isi,tautan,kategori
Warga Eksodus,2022-10-04T18:23:00+07:00,Isi satu.,https://rmol.id/read/2022/10/04/549506/warga-eksodus,Dunia
Berita Lama,2021-01-05T08:00:00+07:00,Isi dua.,http://koran.example/berita.php?id=5,Nasional
Kota Medan,2021-01-06T08:00:00+07:00,Isi tiga.,https://koran.example/kota/médan dan "x",Nasional
Beranda,2021-01-07T08:00:00+07:00,Isi empat.,https://koran.example/,Nasional
"""
MAP = ["--map", "title=judul", "--map", "date=waktu", "--map", "body=isi"]
MAP += ["--map", "source=tautan", "--map", "category=kategori"]


def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text(
        "title: Arsip\nbase_url: https://arsip.example/\nlanguage: id\n", encoding="utf-8"
    )
    (tmp_path / "export.csv").write_text(CSV, encoding="utf-8")
    return root


def run_import(root: Path, *flags: str) -> None:
    args = ["import", str(root.parent / "export.csv"), *MAP, *flags]
    result = CliRunner().invoke(main, [*args, "--config", str(root / "site.yaml")])
    assert result.exit_code == 0, result.output


def test_source_paths_become_aliases_that_redirect(tmp_path: Path) -> None:
    root = site(tmp_path)
    run_import(root, "--alias-source-paths")
    config = load_config(root / "site.yaml")
    aliases = {a.title: a.aliases for a in load_content(config).articles}
    assert aliases == {
        "Warga Eksodus": ("/read/2022/10/04/549506/warga-eksodus",),
        "Berita Lama": ("/berita.php?id=5",),
        "Kota Medan": ("/kota/m%C3%A9dan%20dan%20%22x%22",),  # encoded, as a browser asks
        "Beranda": (),  # the home page is the archive's own
    }
    build_site(config, BuildOptions(now=datetime(2024, 1, 1, tzinfo=UTC), workers=1))
    nginx = (config.output_path / "redirects.nginx.conf").read_text(encoding="ascii")
    assert '"/berita.php?id=5" "/2021/01/05/berita-lama/";' in nginx
    page = config.output_path / "read/2022/10/04/549506/warga-eksodus/index.html"
    assert "url=/2022/10/04/warga-eksodus/" in page.read_text(encoding="utf-8")


def test_without_the_flag_no_alias_is_recorded(tmp_path: Path) -> None:
    root = site(tmp_path)
    run_import(root)
    config = load_config(root / "site.yaml")
    assert all(a.aliases == () for a in load_content(config).articles)
    assert not any("aliases" in p.read_text("utf-8") for p in root.rglob("*.md"))
