"""The index step of a build: what it writes, when it reuses, and that it fails cleanly."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest

from archivegen.build import BuildOptions, BuildReport, build_site
from archivegen.config import SiteConfig
from archivegen.digest import digest
from archivegen.errors import SearchError
from archivegen.search import SearchIndexer, runner

# the fixture's years: each has far fewer articles than a quarter-split year
SHARDS = ["2019", "2020", "2021", "2022", "2023", "2023-09"]  # the newest month apart

ARTICLES = 6  # the seed and the five OTHER_ARTICLES of conftest
SiteFactory = Callable[..., SiteConfig]
SEED_PAGE = "2022/10/04/terus-bertambah-200-ribu-warga-rusia-sudah-kabur-ke-kazakhstan/index.html"


def build(config: SiteConfig, clean: bool = False) -> BuildReport:
    return build_site(config, BuildOptions(now=datetime(2024, 1, 1, tzinfo=UTC), clean=clean))


def entries(output: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    """Each shard's pagefind-entry.json, by shard name."""
    return {
        path.parent.name: json.loads(path.read_bytes())
        for path in sorted((output / "pagefind").glob("*/pagefind-entry.json"))
    }


def states(output: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    """Each shard's reuse state, by shard name."""
    return {
        path.parent.name: json.loads(path.read_bytes())
        for path in sorted((output / "pagefind").glob("*/archivegen-index.json"))
    }


def index_files(output: Path) -> dict[str, bytes]:
    folder = output / "pagefind"
    return {
        p.relative_to(output).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def mtimes(output: Path) -> dict[str, int]:
    return {p.as_posix(): p.stat().st_mtime_ns for p in (output / "pagefind").rglob("*")}


def html(output: Path, relative: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((output / relative).read_bytes())


def touch_static(config: SiteConfig, text: str) -> None:
    """Change an input that no article page depends on (a static file of the site)."""
    static = config.root / "static"
    static.mkdir(exist_ok=True)
    (static / "extra.txt").write_text(text, encoding="utf-8")


def test_build_writes_an_index_of_the_articles(make_search_site: SiteFactory) -> None:
    config = make_search_site()
    report = build(config)
    out = config.output_path
    assert report.search is not None and not report.search.reused
    assert report.search.pages == ARTICLES
    assert (report.search.shards, report.search.rebuilt_shards) == (len(SHARDS), len(SHARDS))
    shard_entries = entries(out)
    assert list(shard_entries) == SHARDS  # one bundle per shard
    assert sum(e["languages"]["id"]["page_count"] for e in shard_entries.values()) == ARTICLES
    assert all((out / "pagefind" / shard / "pagefind.js").is_file() for shard in SHARDS)
    files = index_files(out)
    state_files = [f for f in files if f.endswith("/archivegen-index.json")]
    assert len(state_files) == len(SHARDS)
    assert report.search.files == len(files) - len(state_files)
    assert report.search.bytes == sum(len(d) for f, d in files.items() if f not in state_files)
    manifest = json.loads((out / ".archivegen-manifest.json").read_bytes())["files"]
    assert set(files) <= set(manifest)  # written through the staged output, tracked
    assert not list(out.parent.glob(".*staging*"))


def test_only_article_pages_carry_the_search_body(make_search_site: SiteFactory) -> None:
    config = make_search_site()
    build(config)
    out = config.output_path
    for listing in (
        "index.html",
        "kategori/dunia/index.html",
        "arsip/index.html",
        "cari/index.html",
    ):
        assert html(out, listing).cssselect("[data-pagefind-body]") == [], listing
    doc = html(out, SEED_PAGE)
    bodies = doc.cssselect("[data-pagefind-body]")
    assert [b.tag for b in bodies] == ["article"]
    assert bodies[0].get("data-pagefind-filter") == "shard:2022"  # its year's bundle
    filters = {
        el.get("data-pagefind-filter"): el.text_content()
        for el in doc.cssselect("[data-pagefind-filter]")
        if el.tag != "article"
    }
    assert filters == {
        "category": "Dunia",
        "year:2022": "Selasa, 04 Oktober 2022 | 18:23 WIB",
        "author": "Alifia Dwi Ramandhita",
    }
    time = doc.cssselect("time[data-pagefind-sort]")[0]
    assert time.get("data-pagefind-sort") == "date:2022-10-04T11:23:00Z"  # UTC sorts as text
    assert time.get("data-pagefind-meta") == "date"
    metas = {el.get("data-pagefind-meta") for el in doc.cssselect("[data-pagefind-meta]")}
    # the seed's caption has no image to go with: no figure, so no image_caption meta
    assert metas == {"title", "date", "category", "byline"}
    # the category and the reporters are searched as words too, a reporter's name first
    weights = {el.text_content(): el.get("data-pagefind-weight")
               for el in doc.cssselect("[data-pagefind-weight]")}  # fmt: skip
    assert weights == {"Dunia": "2", "Alifia Dwi Ramandhita": "5"}


def test_tags_become_a_filter(make_search_site: SiteFactory) -> None:
    config = make_search_site()
    build(config)
    doc = html(
        config.output_path, "2021/03/10/ekspor-batu-bara-ke-asia-tengah-naik-tajam/index.html"
    )
    tags = [el.text_content() for el in doc.cssselect('[data-pagefind-filter="tag"]')]
    assert tags == ["ekspor", "batu bara"]


def test_search_page_in_indonesian_and_english(make_search_site: SiteFactory) -> None:
    config = make_search_site()
    build(config)
    doc = html(config.output_path, "cari/index.html")
    strings = json.loads(doc.get_element_by_id("search-strings").text)
    assert strings["none"].startswith("Tidak ada hasil untuk “{query}”")
    assert strings["filters"]["category"] == "Kategori"
    assert doc.get_element_by_id("search").get("data-bundle") == "/pagefind/"
    shards = doc.get_element_by_id("search").get("data-shards")
    assert shards == "2023-09 2023 2022 2021 2020 2019"  # newest first
    assert "memerlukan JavaScript" in doc.cssselect("body noscript")[0].text_content()

    english = make_search_site(language="en")
    build(english)
    doc = html(english.output_path, "cari/index.html")
    strings = json.loads(doc.get_element_by_id("search-strings").text)
    assert strings["none"].startswith("No results for “{query}”")
    assert strings["results_one"] == "{count} result for “{query}”"
    for entry in entries(english.output_path).values():
        assert list(entry["languages"]) == ["en"]


def test_a_rebuild_without_article_changes_reuses_the_index(make_search_site: SiteFactory) -> None:
    config = make_search_site()
    build(config)
    before, stamps = index_files(config.output_path), mtimes(config.output_path)
    touch_static(config, "one")
    report = build(config)
    assert report.search is not None and report.search.reused
    assert report.search.pages == ARTICLES
    assert index_files(config.output_path) == before
    assert mtimes(config.output_path) == stamps  # not even rewritten with the same bytes


def test_an_article_edit_rebuilds_the_index(make_search_site: SiteFactory) -> None:
    config = make_search_site()
    build(config)
    before = index_files(config.output_path)
    story = config.content_path / "politik" / "sidang.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nKata baru: zamrud.\n", "utf-8")
    report = build(config)
    assert report.search is not None and not report.search.reused
    assert report.search.rebuilt_shards == 1  # only the edited article's year
    after = index_files(config.output_path)
    assert after != before
    changed = [
        shard
        for shard in SHARDS
        if json.loads(before[f"pagefind/{shard}/archivegen-index.json"])["fingerprint"]
        != json.loads(after[f"pagefind/{shard}/archivegen-index.json"])["fingerprint"]
    ]
    assert changed == ["2023"]  # politik/sidang.md is dated February 2023


def test_a_clean_build_reindexes(make_search_site: SiteFactory) -> None:
    config = make_search_site()
    build(config)
    before = index_files(config.output_path)
    report = build(config, clean=True)
    assert report.search is not None and not report.search.reused
    assert report.search.pages == ARTICLES
    after = index_files(config.output_path)
    # Pagefind 1.5 writes its filter chunks in a run-dependent order, so a reindex of the
    # same pages is not byte-identical: one more reason to reuse the index when possible
    fragments = {name for name in before if "/fragment/" in name}
    assert fragments and fragments == {name for name in after if "/fragment/" in name}


def test_search_false_turns_it_off(make_search_site: SiteFactory) -> None:
    config = make_search_site(search="false")
    report = build(config)
    out = config.output_path
    assert report.search is None
    assert not (out / "pagefind").exists()
    assert not (out / "cari").exists()
    assert html(out, "index.html").cssselect("form.search-box") == []


def test_search_page_url_is_configurable(make_search_site: SiteFactory) -> None:
    config = make_search_site(permalinks="{search: /search/}")
    build(config)
    out = config.output_path
    assert (out / "search/index.html").is_file()
    assert not (out / "cari").exists()
    assert html(out, "index.html").cssselect("form.search-box")[0].get("action") == "/search/"


def built_then_edited(config: SiteConfig) -> tuple[Path, dict[Path, bytes]]:
    """Build, remember every output file, then edit an article: the next build must index."""
    build(config)
    out = config.output_path
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    story = config.content_path / "politik" / "sidang.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nTambahan.\n", "utf-8")
    return out, before


def test_failed_indexing_leaves_the_last_good_site(
    make_search_site: SiteFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = make_search_site()
    out, before = built_then_edited(config)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(SearchError, match="Pagefind binary was not found"):
        build(config)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not list(out.parent.glob(".*staging*"))


def test_a_first_build_that_fails_to_index_writes_nothing(
    make_search_site: SiteFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = make_search_site()
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(SearchError):
        build(config)
    assert not config.output_path.exists() or not any(config.output_path.iterdir())


def fake_pagefind(folder: Path, script: str) -> Path:
    """An executable shell script to stand in for Pagefind (named by PAGEFIND_BINARY_PATH)."""
    path = folder / "fake-pagefind"
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(0o755)
    return path


def test_a_failing_pagefind_gives_its_message_and_leaves_the_last_good_site(
    make_search_site: SiteFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = make_search_site()
    out, before = built_then_edited(config)
    broken = fake_pagefind(tmp_path, "echo 'Error: the index exploded' >&2\nexit 3\n")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    with pytest.raises(SearchError, match=r"exit status 3.*the index exploded"):
        build(config)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not list(out.parent.glob(".*staging*"))  # staging and the search scratch


def test_without_the_pagefind_package_the_error_says_how_to_install_it(
    make_search_site: SiteFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_package(name: str) -> None:
        raise ImportError(f"No module named {name!r}")

    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    monkeypatch.setattr(runner, "import_module", no_package)
    with pytest.raises(SearchError, match=r"pip install 'pagefind\[bin\]'") as caught:
        build(make_search_site())
    assert caught.value.field == "search"


def test_pages_are_linked_into_pagefind_and_its_files_moved_into_the_site(
    make_search_site: SiteFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No page is copied for Pagefind, no index file is copied into the site: same inodes."""
    config = make_search_site()
    build(config)
    out = config.output_path
    story = config.content_path / "politik" / "sidang.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nKata baru: zamrud.\n", "utf-8")
    seen = tmp_path / "inodes.txt"
    # the real Pagefind, and the inode of each page it reads and of each file it writes
    # (called as: pagefind --site SITE --output-path BUNDLE …)
    spy = fake_pagefind(
        tmp_path,
        f'(cd "$2" && find . -type f -exec stat -c "%i site %n" {{}} +) > "{seen}"\n'
        f'"{runner.pagefind_binary()}" "$@" || exit $?\n'
        f'(cd "$4" && find . -type f -exec stat -c "%i bundle %n" {{}} +) >> "{seen}"\n',
    )
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(spy))
    before = mtimes(out)
    report = build(config)
    assert report.search is not None and report.search.rebuilt_shards == 1
    inodes: dict[str, dict[str, int]] = {"site": {}, "bundle": {}}
    for line in seen.read_text(encoding="utf-8").splitlines():
        inode, kind, name = line.split(" ", 2)
        inodes[kind][name.removeprefix("./")] = int(inode)

    shard_pages = [
        p.relative_to(out).as_posix()
        for p in out.rglob("index.html")
        if html(out, p.relative_to(out).as_posix()).cssselect('[data-pagefind-filter="shard:2023"]')
    ]
    assert sorted(inodes["site"]) == sorted(shard_pages)
    for relative, inode in inodes["site"].items():
        assert (out / relative).stat().st_ino == inode, relative  # a link, not a copy

    folder = out / "pagefind" / "2023"
    moved = {n for n, inode in inodes["bundle"].items() if (folder / n).stat().st_ino == inode}
    kept = set(inodes["bundle"]) - moved
    assert "pagefind-entry.json" in moved  # new bytes: moved into staging, then the site
    assert "pagefind-ui.js" in kept  # same bytes as the live file: recorded, not staged
    for name in kept:
        assert mtimes(out)[(folder / name).as_posix()] == before[(folder / name).as_posix()]

    state = states(out)["2023"]
    on_disk = {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != "archivegen-index.json"
    }
    assert len(on_disk) == len(inodes["bundle"])
    assert state["files"] == {name: digest(data) for name, data in on_disk.items()}
    assert state["sizes"] == {name: len(data) for name, data in on_disk.items()}


class DictSink:
    """A FileSink that keeps what it is given."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def write(self, relative: str, data: bytes) -> bool:
        self.files[relative] = data
        return True

    def write_file(self, relative: str, path: Path, digest: str) -> bool:
        return self.write(relative, path.read_bytes())

    def scratch(self, label: str) -> Path:
        return Path(tempfile.mkdtemp(prefix=f"archivegen-{label}-"))

    def can_keep(self, relative: str, digest: str) -> bool:
        return False  # it has no previous build: bundles are read back and checked instead

    def keep(self, relative: str) -> bool:
        return False


def publish(output: Path, files: dict[str, bytes]) -> None:
    for relative, data in files.items():
        (output / relative).parent.mkdir(parents=True, exist_ok=True)
        (output / relative).write_bytes(data)


PAGE = b"<html><body><article data-pagefind-body><h1>Judul</h1><p>Isi zamrud.</p></article>"


def test_indexer_reuses_only_an_intact_index(tmp_path: Path) -> None:
    first = SearchIndexer(tmp_path, "id")
    first.add("a/index.html", PAGE)
    sink = DictSink()
    assert not first.write(sink).reused
    publish(tmp_path, sink.files)

    again = SearchIndexer(tmp_path, "id")
    again.add("a/index.html", PAGE)
    sink2 = DictSink()
    assert again.write(sink2).reused
    assert sink2.files == sink.files

    (tmp_path / "pagefind/pagefind-entry.json").write_bytes(b"{}")  # edited by hand
    tampered = SearchIndexer(tmp_path, "id")
    tampered.add("a/index.html", PAGE)
    sink3 = DictSink()
    assert not tampered.write(sink3).reused
    assert sink3.files == sink.files  # rebuilt, byte for byte


def test_fingerprint_covers_pages_and_language(tmp_path: Path) -> None:
    def fingerprint(language: str, page: bytes) -> str:
        indexer = SearchIndexer(tmp_path, language)
        indexer.add("a/index.html", page)
        return indexer.fingerprint()

    base = fingerprint("id", PAGE)
    assert fingerprint("id", PAGE) == base
    assert fingerprint("en", PAGE) != base
    assert fingerprint("id", PAGE + b" ") != base


@pytest.mark.parametrize("bad", ["../x.html", "/etc/passwd", ""])
def test_indexer_refuses_paths_outside_the_output(tmp_path: Path, bad: str) -> None:
    with pytest.raises(SearchError):
        SearchIndexer(tmp_path, "id").add(bad, PAGE)


def test_indexer_refuses_a_page_twice(tmp_path: Path) -> None:
    indexer = SearchIndexer(tmp_path, "id")
    indexer.add("a/index.html", PAGE)
    with pytest.raises(SearchError, match="twice"):
        indexer.add("a/index.html", PAGE)
