"""Faults at random points, through the real command: after each, the next build must give
the site a clean build gives, byte for byte (Pagefind's run-dependent chunks by count).

- kill -9 at seeded random moments of a cold build and of a rebuild (20 moments each);
- the disk filling up at several levels (a small tmpfs mounted as the output);
- a folder of the output made read-only while a build runs.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sitekit import filler_articles, tmpfs_mounted

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from compare_sites import differences

pytestmark = pytest.mark.slow

ARCHIVEGEN = [sys.executable, "-m", "archivegen", "build"]
KILLS = 20
SEED = 18


def run(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ARCHIVEGEN, *args], cwd=site, capture_output=True, text=True, timeout=300
    )


def make_site(root: Path, articles: int = 40) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text("title: Arsip Uji\nbase_url: https://arsip.example/\n")
    filler_articles(root / "content", articles)
    return root


def edit_articles(site: Path) -> None:
    """A day's changes: two bodies edited, one article removed, one added."""
    folder = site / "content" / "filler"
    for name in ("artikel-005.md", "artikel-030.md"):
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8") + "\nParagraf tambahan.\n")
    (folder / "artikel-039.md").unlink()
    shutil.copyfile(folder / "artikel-001.md", folder / "artikel-baru.md")
    path = folder / "artikel-baru.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Berita Nomor 1", "Berita Baru"))


def reference_of(site: Path, where: Path) -> Path:
    """The site's content built clean in a folder of its own: the expected output."""
    copy = where / "reference"
    shutil.copytree(site / "content", copy / "content")
    shutil.copyfile(site / "site.yaml", copy / "site.yaml")
    assert run(copy).returncode == 0
    return copy / "public"


def timed(site: Path, *args: str) -> float:
    started = time.perf_counter()
    assert run(site, *args).returncode == 0
    return time.perf_counter() - started


def killed_at(site: Path, delay: float) -> int:
    """Start a build, SIGKILL it after `delay` seconds; its exit status (0 if it finished)."""
    process = subprocess.Popen(
        ARCHIVEGEN, cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
    return process.returncode


def assert_repaired(site: Path, expected: Path, what: str) -> None:
    result = run(site)
    assert result.returncode == 0, f"{what}: {result.stderr}"
    assert differences(expected, site / "public") == [], what
    for _ in range(50):  # what the killed build left beside the output goes in the background
        left = [p.name for p in site.iterdir() if p.name.startswith(".public.")]
        if not left:
            break
        time.sleep(0.1)
    assert left == [], what


def test_kill_at_random_moments_of_a_cold_build(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    expected = reference_of(site, tmp_path)
    duration = timed(site, "--clean")
    rng = random.Random(SEED)
    statuses = []
    for moment in sorted(rng.uniform(0.05, duration) for _ in range(KILLS)):
        shutil.rmtree(site / "public", ignore_errors=True)
        shutil.rmtree(site / ".archivegen", ignore_errors=True)
        statuses.append(killed_at(site, moment))
        assert_repaired(site, expected, f"cold build killed at {moment:.2f} s")
    assert statuses.count(-signal.SIGKILL) >= KILLS // 2  # most kills landed mid-build


def test_kill_at_random_moments_of_a_rebuild(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    pristine = tmp_path / "pristine"
    shutil.copytree(site / "content", pristine)
    edit_articles(site)
    expected = reference_of(site, tmp_path)
    edited = tmp_path / "edited"
    shutil.copytree(site / "content", edited)

    def day_before() -> None:  # the archive as it was built yesterday
        shutil.rmtree(site / "content")
        shutil.copytree(pristine, site / "content")
        assert run(site).returncode == 0
        shutil.rmtree(site / "content")
        shutil.copytree(edited, site / "content")

    day_before()
    duration = timed(site)
    rng = random.Random(SEED + 1)
    statuses = []
    for moment in sorted(rng.uniform(0.05, duration) for _ in range(KILLS)):
        day_before()
        statuses.append(killed_at(site, moment))
        assert_repaired(site, expected, f"rebuild killed at {moment:.2f} s")
    assert statuses.count(-signal.SIGKILL) >= KILLS // 2


def used_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def test_a_full_disk_is_a_message_and_the_next_build_repairs(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", articles=30)
    # the reference on a tmpfs too: Pagefind numbers pages in the order a folder lists them
    with tmpfs_mounted(tmp_path / "reference" / "public"):
        expected = reference_of(site, tmp_path)
        needed = used_bytes(expected)
        for share in (0.1, 0.5, 0.9):
            with tmpfs_mounted(site / "public", f"{int(needed * share) // 4096 * 4096 or 4096}"):
                full = run(site)
                assert full.returncode == 1, share
                assert "disk full while writing" in full.stderr, full.stderr
                assert "Traceback" not in full.stderr
                remount = ["mount", "-o", "remount,size=64m", str(site / "public")]
                subprocess.run(remount, check=True)
                assert_repaired(site, expected, f"disk full at {share:.0%}")
            shutil.rmtree(site / ".archivegen", ignore_errors=True)


def test_a_folder_made_read_only_mid_build(tmp_path: Path) -> None:
    if os.geteuid() == 0 and shutil.which("chattr") is None:
        pytest.skip("chattr is needed to make a folder read-only to root")
    site = make_site(tmp_path / "site")
    assert run(site).returncode == 0
    edit_articles(site)
    expected = reference_of(site, tmp_path)
    folder = site / "public" / "kategori"
    process = subprocess.Popen(ARCHIVEGEN, cwd=site, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.5)
    lock = ["chattr", "+i", str(folder)] if os.geteuid() == 0 else None
    if lock and subprocess.run(lock, capture_output=True).returncode != 0:
        process.kill()
        process.wait()
        pytest.skip("chattr +i is not supported on this file system")
    if not lock:
        folder.chmod(0o555)
    try:
        _, stderr = process.communicate(timeout=300)
    finally:
        if lock:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(0o755)
    if process.returncode != 0:  # the commit came after the folder turned read-only
        assert b"is not writable" in stderr and b"nothing was changed" in stderr
        assert b"Traceback" not in stderr
    assert_repaired(site, expected, "read-only folder mid-build")
