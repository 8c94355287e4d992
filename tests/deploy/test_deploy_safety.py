"""A deploy never writes outside its target and never takes over what it did not write, and
after a kill -9 at any point the next deploy leaves the target byte-identical to the site.

For the `dir` target and `rsync` to a local path (the same rules apply over ssh: the plan
is made from rsync's listing either way).
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from deploykit import EDITED, REMOVED, DeployKit

from archivegen.errors import DeployError

ARCHIVEGEN = [sys.executable, "-m", "archivegen"]
KINDS = ["dir", "rsync"]


def target(kind: str, www: Path) -> dict[str, Any]:
    if kind == "rsync" and shutil.which("rsync") is None:
        pytest.skip("needs rsync (Debian)")
    key = "path" if kind == "dir" else "dest"
    return {"name": "www", "kind": kind, key: str(www)}


def entries(folder: Path) -> dict[str, bytes | str]:
    """Every entry under `folder` but archivegen's private ones: file bytes, or a link's target
    (`->` prefixed); folders by what they hold."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if any(part.startswith(".archivegen-") for part in relative.split("/")):
            continue
        if path.is_symlink():
            found[relative] = "-> " + os.readlink(path)
        elif path.is_file():
            found[relative] = path.read_bytes()
    return found


def site_files(kit: DeployKit) -> dict[str, bytes | str]:
    return entries(kit.output)


@pytest.mark.parametrize("kind", KINDS)
def test_foreign_files_at_site_paths_need_adopt(kit: DeployKit, tmp_path: Path, kind: str) -> None:
    www = tmp_path / "www"
    www.mkdir()
    elsewhere = tmp_path / "elsewhere.html"
    elsewhere.write_text("a file outside the target")
    (www / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    (www / "404.html").symlink_to(elsewhere)
    kit.set_targets(target(kind, www))
    kit.build()
    before = entries(www)
    with pytest.raises(DeployError) as refused:
        kit.deploy()
    assert str(refused.value) == (
        f"2 file(s) at {www}{'/' if kind == 'rsync' else ''} were not written by archivegen but "
        "the site has files of the same name: 404.html, robots.txt; nothing was changed. Move "
        "them away, or rerun with --adopt to replace them with the site's (they then count as "
        "archivegen's)"
    )
    assert entries(www) == before  # nothing written, not even our manifest
    assert not (www / ".archivegen-deploy.json").exists()
    dry = kit.deploy(dry_run=True)
    assert dry.plan.adopted == ("404.html", "robots.txt") and dry.plan.changed == ()

    report = kit.deploy(adopt=True)
    assert report.done and report.plan.adopted == ("404.html", "robots.txt")
    assert report.plan.changed == ()
    assert entries(www) == site_files(kit)  # the link itself replaced by a file
    assert not (www / "404.html").is_symlink()
    assert elsewhere.read_text() == "a file outside the target"
    assert kit.deploy().plan.is_empty  # ours from now on


@pytest.mark.parametrize("kind", KINDS)
def test_a_symlinked_folder_in_the_target_is_never_written_through(
    kit: DeployKit, tmp_path: Path, kind: str
) -> None:
    www = tmp_path / "www"
    www.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "mine.txt").write_text("kept")
    (www / "kategori").symlink_to(outside, target_is_directory=True)
    kit.set_targets(target(kind, www))
    manifest = kit.build()
    first = next(p for p in sorted(manifest) if p.startswith("kategori/"))
    for adopt in (False, True):
        with pytest.raises(DeployError) as refused:
            kit.deploy(adopt=adopt)
        assert str(refused.value) == (
            "kategori at the target is a symlink, and the site has files under it "
            f"({first}); a deploy never writes through symlinks (it would write outside the "
            "target): replace it with a real folder, or remove it"
        )
    assert entries(outside) == {"mine.txt": b"kept"}
    assert entries(www) == {"kategori": f"-> {outside}"}

    (www / "kategori").unlink()
    assert kit.deploy().done
    assert entries(www) == site_files(kit)
    assert entries(outside) == {"mine.txt": b"kept"}


def test_a_planted_staging_link_is_not_followed(kit: DeployKit, tmp_path: Path) -> None:
    www = tmp_path / "www"
    www.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (www / ".archivegen-staging").symlink_to(outside, target_is_directory=True)
    kit.set_targets(target("dir", www))
    kit.build()
    assert kit.deploy().done
    assert list(outside.iterdir()) == []
    assert entries(www) == site_files(kit)


# --- kill -9 anywhere in a deploy, then deploy again ---------------------------------------


def deploy_killed(kit: DeployKit, fault: str) -> int:
    """`archivegen deploy --yes` in a process of its own, SIGKILLed at `fault`."""
    env = dict(os.environ, ARCHIVEGEN_FAULT=fault)
    done = subprocess.run(
        [*ARCHIVEGEN, "deploy", "www", "--yes"],
        cwd=kit.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, -9), done.stderr
    return done.returncode


def fault_points(kind: str, uploads: int, deletes: int, count: int) -> list[str]:
    """`count` (point, n) pairs drawn with a fixed seed from every point a deploy reaches
    (dir: after each file moved and each deleted; rsync: after its delete pass)."""
    points = ["deploy-journaled:1", "deploy-uploaded:1", "deploy-deleted:1"]
    if kind == "dir":
        points += [f"deploy-upload:{n}" for n in range(1, uploads + 1)]
        points += [f"deploy-delete:{n}" for n in range(1, deletes + 1)]
    else:
        points.append("deploy-delete:1")
    return random.Random(18).sample(sorted(points), min(count, len(points)))


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "count"), [("dir", 20), ("rsync", 4)])
def test_a_killed_deploy_converges_on_the_next(
    kit: DeployKit, tmp_path: Path, kind: str, count: int
) -> None:
    www = tmp_path / "www"
    kit.set_targets(target(kind, www))
    content = kit.root / "content"
    originals = {name: (content / name).read_bytes() for name in (EDITED, REMOVED)}
    first = kit.build()
    kit.deploy()
    changes = kit.change_one_article(first)
    for name, data in originals.items():  # back to the first site, for the loop below
        (content / name).write_bytes(data)
    kit.build()
    uploads = len(changes.new) + len(changes.changed)
    points = fault_points(kind, uploads, len(changes.deleted), count)
    rng = random.Random(18)
    killed = 0
    for fault in points:
        kit.change_one_article(first)
        killed += deploy_killed(kit, fault) == -9
        if rng.random() < 0.5:  # the edit undone before the next deploy (an editor's undo)
            for name, data in originals.items():
                (content / name).write_bytes(data)
        kit.build()
        report = kit.deploy()
        assert entries(www) == site_files(kit), fault  # no orphan, no stale page, no gap
        assert kit.deploy().plan.is_empty, fault
        for name, data in originals.items():
            (content / name).write_bytes(data)
        kit.build()
        kit.deploy()
        assert entries(www) == site_files(kit), fault
        assert report.plan.adopted == ()  # what the killed deploy sent was known to be ours
    assert killed == len(points)  # every point was reached


def test_holding_folders_of_a_killed_rsync_are_removed(kit: DeployKit, tmp_path: Path) -> None:
    www = tmp_path / "www"
    kit.set_targets(target("rsync", www))
    first = kit.build()
    kit.deploy()
    changes = kit.change_one_article(first)
    # what an rsync killed inside its transfer leaves: --delay-updates' holding folders
    page = next(p for p in changes.changed if "berita-nomor-2/" in p)
    holding = (www / page).parent / ".~tmp~"
    holding.mkdir()
    (holding / "index.html").write_text("half of a page")
    (www / "kategori" / ".~tmp~").mkdir(parents=True)
    (www / "kategori" / ".~tmp~" / "x.html").write_text("")
    report = kit.deploy()
    assert report.plan.foreign == 0  # rsync's, not someone else's
    assert entries(www) == site_files(kit)
    assert not holding.exists() and not (www / "kategori" / ".~tmp~").exists()
