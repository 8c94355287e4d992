"""An edit that changes an article's address keeps the old one: recorded in redirects.tsv
(content, not cache), so it survives `--clean` and a fresh copy of the site folder, in one
build and in the preview, and the preview's tabs are told where the article went."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sitekit import SiteFactory

from archivegen.build import Builder, BuildMode, BuildOptions, build_site
from archivegen.config import load_config
from archivegen.errors import ArchivegenError
from archivegen.pipeline.decide import RebuildKind
from archivegen.pipeline.moves import RECORD_FILE

NOW = BuildOptions(now=datetime(2024, 1, 1, tzinfo=UTC), workers=1)
OLD, NEW = "/2023/01/02/berita-nomor-30/", "/2023/01/02/judul-baru/"
ARTICLE = "filler/artikel-030.md"


def retitle(content: Path, title: str = "Judul Baru") -> Path:
    edited = content / ARTICLE
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("title: Berita Nomor 30", f"title: {title}"), encoding="utf-8")
    return edited


def redirects_to(public: Path, url: str, target: str) -> bool:
    page = public / url.strip("/") / "index.html"
    return page.is_file() and f'content="0; url={target}"' in page.read_text(encoding="utf-8")


def test_a_new_title_records_the_old_address_and_redirects_it(make_site: SiteFactory) -> None:
    config = make_site(fillers=40)
    build_site(config, NOW)
    assert not (config.root / RECORD_FILE).exists()  # no move, no record
    retitle(config.content_path)
    report = build_site(config, NOW)
    assert report.moves == ((OLD, NEW),)
    record = (config.root / RECORD_FILE).read_text(encoding="utf-8")
    assert f"{OLD}\tcontent/{ARTICLE}\n" in record
    assert redirects_to(config.output_path, OLD, NEW)
    nginx = (config.output_path / "redirects.nginx.conf").read_text(encoding="utf-8")
    assert f'"{OLD}" "{NEW}";' in nginx and f'"{OLD[:-1]}" "{NEW}";' in nginx
    assert f"{OLD} {NEW} 301" in (config.output_path / "_redirects").read_text(encoding="utf-8")
    files = [config.output_path / "sitemap.xml", *config.output_path.glob("sitemaps/*.xml")]
    sitemap = "".join(f.read_text(encoding="utf-8") for f in files)  # the index and its parts
    assert f"https://arsip.example{NEW}</loc>" in sitemap  # in its month's sitemap
    assert OLD not in sitemap and "redirects" not in sitemap and "htaccess" not in sitemap
    again = build_site(config, NOW)  # the record the build wrote is not taken for an edit
    assert again.up_to_date and again.moves == ()


def test_the_record_survives_clean_and_a_fresh_copy(make_site: SiteFactory, tmp_path: Path) -> None:
    config = make_site(fillers=40)
    build_site(config, NOW)
    retitle(config.content_path)
    build_site(config, NOW)
    build_site(config, dataclasses.replace(NOW, clean=True))
    assert redirects_to(config.output_path, OLD, NEW)
    # a fresh clone: the site folder without its output or cache
    clone = tmp_path / "clone"
    shutil.copytree(config.root, clone, ignore=shutil.ignore_patterns("public", ".*"))
    cloned = load_config(clone / "site.yaml")
    build_site(cloned, NOW)
    assert redirects_to(cloned.output_path, OLD, NEW)
    # and it moves again: both old addresses lead to the newest one
    edited = cloned.content_path / ARTICLE
    edited.write_text(edited.read_text().replace("title: Judul Baru", "title: Judul Ketiga"))
    assert build_site(cloned, NOW).moves == ((NEW, "/2023/01/02/judul-ketiga/"),)
    for old in (OLD, NEW):
        assert redirects_to(cloned.output_path, old, "/2023/01/02/judul-ketiga/")


def test_a_preview_records_the_move_and_tells_the_tabs(make_site: SiteFactory) -> None:
    config = make_site(fillers=40)
    builder = Builder(config, NOW, BuildMode.PREVIEW)
    builder.build()
    edited = retitle(config.content_path)
    report = builder.build(changed={str(edited)})
    assert report.rebuild.kind is RebuildKind.FULL
    assert "moves to a new address" in str(report.rebuild)
    assert report.moves == ((OLD, NEW),)
    assert redirects_to(config.output_path, OLD, NEW)
    assert OLD in (config.root / RECORD_FILE).read_text(encoding="utf-8")
    assert builder.build(changed={str(config.root / RECORD_FILE)}).up_to_date
    builder.save()
    # a later build (another process, after --clean) still has the redirect
    build_site(config, dataclasses.replace(NOW, clean=True))
    assert redirects_to(config.output_path, OLD, NEW)


def test_an_article_moved_back_has_no_redirect_to_itself(make_site: SiteFactory) -> None:
    config = make_site(fillers=40)
    build_site(config, NOW)
    edited = retitle(config.content_path)
    build_site(config, NOW)
    edited.write_text(edited.read_text().replace("title: Judul Baru", "title: Berita Nomor 30"))
    report = build_site(config, NOW)
    assert report.moves == ((NEW, OLD),)
    page = (config.output_path / OLD.strip("/") / "index.html").read_text(encoding="utf-8")
    assert "http-equiv" not in page  # the article itself, not a redirect
    assert redirects_to(config.output_path, NEW, OLD)
    assert not [w for w in report.warnings if OLD in w]


@pytest.mark.parametrize(
    "line, complaint",
    [
        ("/lama/\n", "old-address<TAB>article file"),
        ("lama/\tcontent/x.md\n", "starting with /"),
        ("/a/../b/\tcontent/x.md\n", "dot segments"),
        ("/a#b\tcontent/x.md\n", "fragment"),
    ],
)
def test_a_bad_record_line_is_an_error_naming_the_file_and_line(
    make_site: SiteFactory, line: str, complaint: str
) -> None:
    config = make_site(fillers=3)
    (config.root / RECORD_FILE).write_text("# header\n" + line, encoding="utf-8")
    with pytest.raises(ArchivegenError) as caught:
        build_site(config, NOW)
    assert complaint in str(caught.value)
    assert f"{RECORD_FILE}:2" in str(caught.value)


def test_a_line_added_by_hand_is_read_by_the_next_build(make_site: SiteFactory) -> None:
    config = make_site(fillers=40)
    build_site(config, NOW)
    record = config.root / RECORD_FILE
    record.write_text(f"/arsip-lama/30/\tcontent/{ARTICLE}\n", encoding="utf-8")
    report = build_site(config, NOW)
    assert not report.up_to_date
    assert redirects_to(config.output_path, "/arsip-lama/30/", OLD)
