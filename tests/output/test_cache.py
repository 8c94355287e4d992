"""The build cache on disk: a base snapshot, small deltas against it, never half-applied."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

from sitekit import SiteFactory

from archivegen.build import BuildOptions, build_site
from archivegen.output.cache import (
    CACHE_FILE,
    DELTA_FILE,
    BuildCache,
    CacheWriter,
    cache_folder,
    load_cache,
    load_state,
)

NOW = BuildOptions(now=datetime(2024, 1, 1, tzinfo=UTC), workers=1)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and not p.relative_to(folder).as_posix().startswith(("pagefind/", "."))
    }


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text().replace(old, new))


def test_an_edit_writes_a_small_delta_and_leaves_the_base(make_site: SiteFactory) -> None:
    # 40 fillers: artikel-012 is past the home's first page, on one page of each listing
    # (among a listing's newest 20 it is on two: its first page and its newest numbered one)
    config = make_site(fillers=40, search="false")
    build_site(config, NOW)
    folder = cache_folder(config.root, config.output_path)
    base = (folder / CACHE_FILE).read_bytes()
    assert not (folder / DELTA_FILE).exists()
    edit(config.content_path / "filler/artikel-012.md", "Paragraf kedua.", "Paragraf baru.")
    assert not build_site(config, NOW).up_to_date
    assert (folder / CACHE_FILE).read_bytes() == base  # untouched
    assert (folder / DELTA_FILE).stat().st_size < len(base) // 5
    cache, snapshot = load_cache(config.root, config.output_path)
    assert snapshot is not None and len(cache.articles) == 41
    edited = cache.articles[str(config.content_path / "filler/artikel-012.md")][1].article
    assert edited is not None and "Paragraf baru" in edited.excerpt
    assert build_site(config, NOW).up_to_date


def test_an_edit_and_its_revert_give_the_site_a_clean_build_gives(
    make_site: SiteFactory,
) -> None:
    config = make_site(fillers=30, search="false")
    build_site(config, NOW)
    article = config.content_path / "filler/artikel-020.md"
    original = article.read_text()
    edit(article, "title: Berita Nomor 20", "title: Judul Lain")
    build_site(config, NOW)  # a delta
    article.write_text(original)
    report = build_site(config, NOW)  # a delta again, fingerprints back to the base's
    assert report.rendered > 0
    incremental = tree(config.output_path)
    build_site(config, dataclasses.replace(NOW, clean=True))
    assert incremental == tree(config.output_path)


def test_a_big_change_writes_a_new_base_and_drops_the_delta(make_site: SiteFactory) -> None:
    config = make_site(fillers=40, search="false")
    build_site(config, NOW)
    folder = cache_folder(config.root, config.output_path)
    edit(config.content_path / "filler/artikel-003.md", "Paragraf kedua.", "Lain.")
    build_site(config, NOW)
    assert (folder / DELTA_FILE).exists()
    for path in sorted((config.content_path / "filler").glob("*.md"))[:20]:
        edit(path, "Paragraf kedua.", "Semua berubah.")
    build_site(config, NOW)
    assert not (folder / DELTA_FILE).exists()
    assert build_site(config, NOW).up_to_date


def test_a_delta_of_another_base_makes_the_cache_unreadable(make_site: SiteFactory) -> None:
    config = make_site(fillers=40, search="false")
    build_site(config, NOW)
    edit(config.content_path / "filler/artikel-003.md", "Paragraf kedua.", "Lain.")
    build_site(config, NOW)
    folder = cache_folder(config.root, config.output_path)
    assert (folder / DELTA_FILE).exists()
    delta = (folder / DELTA_FILE).read_bytes()
    # another base takes the place of the one the delta was written against
    other = CacheWriter(config.root, config.output_path, BuildCache(), None, background=False)
    assert other.land(load_state(config.root, config.output_path))
    (folder / DELTA_FILE).write_bytes(delta)
    cache, snapshot = load_cache(config.root, config.output_path)
    assert cache == BuildCache() and snapshot is None
