"""`archivegen build` after adding or editing articles makes only the pages that show them,
and the site equals, byte for byte, a clean build of the same content; whatever it cannot
place that way (an article gone or moved, a torn or stale state) is built whole."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sitekit import SiteFactory, write_article

from archivegen.build import BuildOptions, BuildReport, build_site
from archivegen.config import SiteConfig, load_config
from archivegen.output.cache import CACHE_FILE, DELTA_FILE, cache_folder
from archivegen.pipeline.decide import RebuildKind

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from compare_sites import differences

NOW = BuildOptions(now=datetime(2024, 1, 1, tzinfo=UTC), workers=1)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def clean_build(config: SiteConfig, tmp_path: Path) -> Path:
    """The same content built clean, into a site folder of its own."""
    copy = tmp_path / "reference"
    shutil.rmtree(copy, ignore_errors=True)
    ignore = shutil.ignore_patterns("public", ".archivegen", ".public*")
    shutil.copytree(config.root, copy, ignore=ignore)
    reference = load_config(copy / "site.yaml")
    build_site(reference, NOW)
    return reference.output_path


def add(config: SiteConfig, name: str, date: str, **fields: object) -> None:
    settings: dict[str, object] = {
        "title": f"Kabar {name}",
        "date": date,
        "author": "Budi Santoso",
        "category": "Dunia",
        "tags": ["ekonomi-rakyat", "topik-1"],
        **fields,
    }
    write_article(config.content_path, f"baru/{name}.md", body=f"Isi kabar {name}.", **settings)


def retitle(config: SiteConfig, number: int, title: str) -> None:
    """A new title and body for a filler article, its address kept (a slug of its own)."""
    path = config.content_path / f"filler/artikel-{number:03d}.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        f"title: Berita Nomor {number}", f"title: {title}\nslug: berita-nomor-{number}"
    )
    path.write_text(text.replace("Paragraf kedua.", "Paragraf kedua, diperbaiki."), "utf-8")


def built(config: SiteConfig) -> BuildReport:
    return build_site(config, NOW)


def test_additions_and_edits_equal_a_clean_build_byte_for_byte(
    make_site: SiteFactory, tmp_path: Path
) -> None:
    config = make_site(fillers=40, page_size=4, related_count=3, search="false")
    assert built(config).rebuild.kind is RebuildKind.FULL
    steps = [
        lambda: add(config, "pagi", "2023-01-03T07:00:00+07:00"),  # the newest
        lambda: add(config, "lama", "2022-12-31T21:00:00+07:00", tags=["baru"]),  # backdated
        lambda: add(config, "bulan", "2023-03-01T09:00:00+07:00", category="Politik"),
        lambda: retitle(config, 12, "Judul Yang Diperbaiki"),  # shown anew, in its place
    ]
    for step in steps:
        step()
        report = built(config)
        assert report.rebuild.kind is RebuildKind.CHANGES, report.rebuild
        assert report.rendered < report.pages // 3
        assert tree(config.output_path) == tree(clean_build(config, tmp_path))


def test_with_search_the_site_equals_a_clean_build(make_site: SiteFactory, tmp_path: Path) -> None:
    config = make_site(fillers=30, page_size=4)
    built(config)
    # not the seed's category (its page would change too), nor one that would lead the
    # navigation (a tie broken anew changes every page)
    add(config, "pagi", "2023-01-03T07:00:00+07:00", category="Ekonomi")
    report = built(config)
    assert report.rebuild.kind is RebuildKind.CHANGES
    assert report.search is not None and report.search.rebuilt_shards == 1  # 2023's, not 2022's
    assert differences(clean_build(config, tmp_path), config.output_path) == []


MORNING = "2023-01-03T07:00:00+07:00"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda c: (c.content_path / "baru/awal-1.md").unlink(), "no longer published"),
        (lambda c: add(c, "pagi", MORNING, aliases=["/lama/pagi/"]), "old addresses"),
        (lambda c: add(c, "pagi", MORNING, tags=["bola"]), "is now spelled"),  # 2 to 1
        (
            lambda c: add(c, "x", "2023-01-01T09:00:00+07:00", slug="kabar-awal-0"),
            "address another article has",  # the same slug on the same day
        ),
        (lambda c: add(c, "x", MORNING, duplicate_of="baru/awal-0.md"), "copy"),
    ],
)
def test_what_moves_other_articles_is_laid_out_whole(
    make_site: SiteFactory, tmp_path: Path, change, reason: str
) -> None:  # type: ignore[no-untyped-def]
    config = make_site(search="false", seed=False)
    for n, tag in enumerate(["Bola", "bola", "Pasar", "Pasar"]):  # "Bola": a tie, by name
        date = f"2023-01-0{n + 1}T07:00:00+07:00"
        add(config, f"awal-{n}", date, tags=[tag], slug=f"kabar-awal-{n}")
    built(config)
    change(config)
    report = built(config)
    assert report.rebuild.kind is RebuildKind.FULL
    assert reason in report.rebuild.reason
    assert tree(config.output_path) == tree(clean_build(config, tmp_path))


def test_a_torn_or_stale_state_is_built_whole(make_site: SiteFactory, tmp_path: Path) -> None:
    config = make_site(fillers=20, search="false")
    built(config)
    folder = cache_folder(config.root, config.output_path)
    before = tmp_path / "state-before"
    shutil.copytree(folder, before)
    add(config, "pagi", "2023-01-03T07:00:00+07:00")
    assert built(config).rebuild.kind is RebuildKind.CHANGES
    # stale: the state of an older build put back (a restored backup) no longer describes
    # the output, whose manifest it names
    shutil.rmtree(folder)
    shutil.copytree(before, folder)
    add(config, "siang", "2023-01-03T12:00:00+07:00")
    report = built(config)
    assert report.rebuild.kind is RebuildKind.FULL
    assert "output folder changed" in report.rebuild.reason
    assert tree(config.output_path) == tree(clean_build(config, tmp_path))
    # torn: a cache cut short (a full disk, a killed writer) is not read at all
    for name in (CACHE_FILE, DELTA_FILE):
        path = folder / name
        if path.exists():
            path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    add(config, "sore", "2023-01-03T17:00:00+07:00")
    report = built(config)
    assert report.rebuild.kind is RebuildKind.FULL
    assert tree(config.output_path) == tree(clean_build(config, tmp_path))


def test_two_builds_at_once_leave_the_site_a_clean_build_would(
    make_site: SiteFactory, tmp_path: Path
) -> None:
    config = make_site(fillers=200, search="false")
    built(config)
    add(config, "pagi", "2023-01-03T07:00:00+07:00")
    command = [sys.executable, "-m", "archivegen", "build"]
    runs = [
        subprocess.Popen(command, cwd=config.root, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [(run.wait(), run.communicate()[1]) for run in runs]
    assert any(code == 0 for code, _ in results)
    for code, stderr in results:  # the other either came second, or was refused clearly
        assert code == 0 or "another archivegen build is writing" in stderr
        assert "Traceback" not in stderr
    assert built(config).up_to_date
    assert tree(config.output_path) == tree(clean_build(config, tmp_path))
