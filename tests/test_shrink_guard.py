"""The last good site is never replaced by a much smaller one by accident: a missing or
unreadable content folder is an error, and losing a large share of the articles stops the
build unless asked (the real command, its exit status and what it prints)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sitekit import filler_articles

ARCHIVEGEN = [sys.executable, "-m", "archivegen"]


def build(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ARCHIVEGEN, "build", *args], cwd=site, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text("title: Arsip Uji\nbase_url: https://arsip.example/\n")
    filler_articles(root / "content", 40)
    assert build(root).returncode == 0
    return root


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def remove_articles(site: Path, count: int) -> None:
    for path in sorted((site / "content" / "filler").glob("*.md"))[:count]:
        path.unlink()


def test_a_missing_content_folder_is_an_error_not_an_empty_site(site: Path) -> None:
    before = snapshot(site / "public")
    (site / "content").rename(site / "content-elsewhere")  # an unmounted disk, a typo
    result = build(site)
    assert result.returncode == 1
    assert f"the content folder {site / 'content'} is missing" in result.stderr
    assert "content_dir in site.yaml" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(site / "public") == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a folder whatever its mode")
def test_an_unreadable_folder_is_an_error_not_missing_articles(site: Path) -> None:
    before = snapshot(site / "public")
    folder = site / "content" / "filler"
    folder.chmod(0)
    try:
        result = build(site)
    finally:
        folder.chmod(0o755)
    assert result.returncode == 1
    assert f"{folder}: the folder cannot be read: Permission denied" in result.stderr
    assert snapshot(site / "public") == before


def test_losing_more_than_max_shrink_stops_the_build(site: Path) -> None:
    before = snapshot(site / "public")
    remove_articles(site, 12)  # 30% of 40: over the default 25%
    result = build(site)
    assert result.returncode == 1
    assert "the archive would shrink from 40 to 28 articles (-30%" in result.stderr
    assert "max_shrink, 25%, in site.yaml" in result.stderr and "--allow-shrink" in result.stderr
    assert snapshot(site / "public") == before
    allowed = build(site, "--allow-shrink")
    assert allowed.returncode == 0, allowed.stderr
    assert "Built 28 articles" in allowed.stdout


def test_a_small_loss_or_a_higher_limit_builds(site: Path) -> None:
    remove_articles(site, 8)  # 20%: within the limit
    assert build(site).returncode == 0
    remove_articles(site, 16)  # 16 of 32 more: 50%, allowed by a limit of 60%
    site_yaml = site / "site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "max_shrink: 0.6\n")
    result = build(site)
    assert result.returncode == 0, result.stderr
    assert "Built 16 articles" in result.stdout


def test_max_shrink_must_be_a_share(site: Path) -> None:
    site_yaml = site / "site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "max_shrink: 25\n")
    result = build(site)
    assert result.returncode == 1
    assert "site.yaml:3" in result.stderr and "max_shrink" in result.stderr
    assert "must be a share between 0 and 1" in result.stderr
