"""The commit under faults, through the real command: a kill inside it, a second build at
once, a read-only folder. After each, the site must be one a clean build would write."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sitekit import filler_articles, tmpfs_mounted

from archivegen.output.lock import build_lock
from archivegen.output.manifest import JOURNAL

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from compare_sites import differences

ARCHIVEGEN = [sys.executable, "-m", "archivegen"]
BODY = "Paragraf pertama berita nomor 3.\n\nParagraf kedua."


def run(site: Path, *args: str, fault: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("ARCHIVEGEN_FAULT", None)
    if fault:
        env["ARCHIVEGEN_FAULT"] = fault
    return subprocess.run(
        [*ARCHIVEGEN, "build", *args], cwd=site, env=env, capture_output=True, text=True
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text("title: Arsip Uji\nbase_url: https://arsip.example/\n")
    filler_articles(root / "content", 24)
    assert run(root).returncode == 0
    return root


def edit(site: Path, body: str) -> str:
    """Give one article a new body; its text before."""
    path = site / "content" / "filler" / "artikel-003.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(BODY, body), encoding="utf-8")
    return text


def reference(site: Path, tmp_path: Path) -> Path:
    """The same site built clean into a folder of its own."""
    copy = tmp_path / "reference"
    ignore = shutil.ignore_patterns("public", ".archivegen", ".public*")
    shutil.copytree(site, copy, ignore=ignore, dirs_exist_ok=True)
    assert run(copy).returncode == 0
    return copy / "public"


def leftovers(site: Path) -> list[str]:
    """Staging and old-site folders beside the output (removed in the background: waited for)."""
    for _ in range(50):
        found = sorted(p.name for p in site.iterdir() if p.name.startswith(".public."))
        if not found:
            return []
        time.sleep(0.1)
    return found


def test_a_kill_inside_the_commit_then_an_undo_is_repaired(site: Path, tmp_path: Path) -> None:
    # the edit renames nothing: the commit moves its page and the listings showing it in,
    # and is killed after the second file; the editor's undo then restores the old text
    original = edit(site, "Paragraf pertama yang baru, jauh lebih panjang dari sebelumnya.")
    killed = run(site, fault="commit-move:2")
    assert killed.returncode == -9, killed.stderr
    assert (site / "public" / JOURNAL).exists()
    assert any(p.name.startswith(".public.staging-") for p in site.iterdir())
    # back to the text the manifest describes
    (site / "content" / "filler" / "artikel-003.md").write_text(original, encoding="utf-8")
    repaired = run(site, "-v")
    assert repaired.returncode == 0, repaired.stderr
    assert "the last build stopped inside its commit" in repaired.stdout
    assert not (site / "public" / JOURNAL).exists()
    assert differences(reference(site, tmp_path), site / "public") == []
    assert leftovers(site) == []


def test_a_kill_between_the_renames_of_a_cold_build_is_repaired(site: Path, tmp_path: Path) -> None:
    # --clean swaps the whole folder: killed after the old site is moved away
    killed = run(site, "--clean", fault="commit-swap:1")
    assert killed.returncode == -9
    assert not (site / "public").exists()
    assert run(site).returncode == 0
    assert differences(reference(site, tmp_path), site / "public") == []
    assert leftovers(site) == []


def test_a_second_build_at_once_is_refused(site: Path) -> None:
    edit(site, "Paragraf pertama yang diubah.")
    before = (site / "public" / ".archivegen-manifest.json").read_bytes()
    with build_lock(site, site / "public"):  # this test process is the build running
        second = run(site)
    assert second.returncode == 1
    assert "another archivegen build is writing" in second.stderr
    assert f"(process {os.getpid()})" in second.stderr
    assert "Traceback" not in second.stderr
    assert (site / "public" / ".archivegen-manifest.json").read_bytes() == before
    assert run(site).returncode == 0  # the lock went with the holder


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """A folder nothing may be written into, even by root (the immutable attribute)."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here (needed to make a folder read-only to root)")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_read_only_folder_stops_the_build_before_anything_moves(site: Path) -> None:
    public = site / "public"
    before = {p: p.read_bytes() for p in public.rglob("*") if p.is_file()}
    edit(site, "Paragraf pertama yang diubah.")
    page = next(p.parent for p in public.rglob("index.html") if b"nomor 3." in p.read_bytes())
    with read_only(page):
        result = run(site)
    assert result.returncode == 1
    assert f"{page} is not writable" in result.stderr and "nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in public.rglob("*") if p.is_file()} == before
    assert run(site).returncode == 0  # writable again: the edit goes in


def test_an_output_folder_that_is_a_mount_point_is_built_into(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text("title: Arsip Uji\nbase_url: https://arsip.example/\n")
    filler_articles(root / "content", 12)
    with tmpfs_mounted(root / "public"):
        cold = run(root)  # the old site's folder cannot be renamed: its entries are swapped
        assert cold.returncode == 0, cold.stderr
        edit(root, "Paragraf pertama yang diubah.")
        assert run(root).returncode == 0  # files moved in within the mount
        # Pagefind numbers pages in the order the folder lists them, which differs between
        # file systems: the reference is built on a tmpfs too
        with tmpfs_mounted(tmp_path / "reference" / "public"):
            expected = reference(root, tmp_path)
            assert differences(expected, root / "public") == []
            killed = run(root, "--clean", fault="commit-swap:1")
            assert killed.returncode == -9
            assert run(root).returncode == 0  # the journal said: repaired
            assert differences(expected, root / "public") == []
        time.sleep(0.5)  # the old site's entries are removed in the background
        ours = [p.name for p in (root / "public").iterdir() if p.name.startswith(".archivegen")]
        assert ours == [".archivegen-manifest.json"]  # no journal, staging or old site left
