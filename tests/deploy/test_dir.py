"""The dir target, on this machine's filesystem: only changes move, only our files go."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from deploykit import DeployKit, assert_only_planned_files_replaced, assert_plan, inodes

from archivegen.errors import DeployError
from archivegen.render.theme import BUNDLED_THEMES


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_deploy_change_redeploy(kit: DeployKit, tmp_path: Path) -> None:
    www = tmp_path / "www"
    kit.set_targets({"name": "www", "kind": "dir", "path": str(www)})
    first = kit.build()
    report = kit.deploy()
    assert report.done and report.plan.new == tuple(sorted(first))
    assert not report.plan.changed and not report.plan.deleted
    assert not (www / ".archivegen-manifest.json").exists()  # the build's manifest stays home
    recorded = json.loads((www / ".archivegen-deploy.json").read_text())["files"]
    assert recorded == first
    before = inodes(www, list(first))

    changes = kit.change_one_article(first)
    report = kit.deploy()
    assert_plan(report.plan, changes)
    # os.replace gives every sent file a new inode: exactly the planned ones changed on disk
    assert_only_planned_files_replaced(www, first, before, changes)
    page = kit.page_of("berita-nomor-2", kit.build())
    assert (www / page).read_bytes() == (kit.output / page).read_bytes()

    again = kit.deploy()
    assert again.plan.is_empty and not again.done


def test_target_mirrors_site_after_deploys(kit: DeployKit, tmp_path: Path) -> None:
    www = tmp_path / "www"
    kit.set_targets({"name": "www", "kind": "dir", "path": str(www)})
    first = kit.build()
    kit.deploy()
    kit.change_one_article(first)
    kit.deploy()
    site = {k: v for k, v in snapshot(kit.output).items() if not k.startswith(".archivegen-")}
    there = {k: v for k, v in snapshot(www).items() if not k.startswith(".archivegen-")}
    assert there == site


def test_dry_run_changes_nothing(kit: DeployKit, tmp_path: Path) -> None:
    www = tmp_path / "www"
    kit.set_targets({"name": "www", "kind": "dir", "path": str(www)})
    first = kit.build()
    report = kit.deploy(dry_run=True)
    assert not report.done and len(report.plan.new) == len(first)
    assert report.plan.upload_bytes == sum((kit.output / p).stat().st_size for p in first)
    assert not www.exists()


def test_foreign_files_are_never_deleted(kit: DeployKit, tmp_path: Path) -> None:
    www = tmp_path / "www"
    (www / "docs").mkdir(parents=True)
    (www / "docs" / "keep.txt").write_text("not archivegen's")
    kit.set_targets({"name": "www", "kind": "dir", "path": str(www)})
    first = kit.build()
    report = kit.deploy()
    assert report.plan.foreign == 1 and report.plan.adopted == ()
    changes = kit.change_one_article(first)
    report = kit.deploy()
    assert report.plan.deleted == changes.deleted
    assert (www / "docs" / "keep.txt").read_text() == "not archivegen's"


def test_too_many_deletions_are_refused_unless_forced(kit: DeployKit, tmp_path: Path) -> None:
    www = tmp_path / "www"
    kit.set_targets({"name": "www", "kind": "dir", "path": str(www), "max_deletes": 0.01})
    first = kit.build()
    kit.deploy()
    changes = kit.change_one_article(first)
    with pytest.raises(DeployError, match=r"refusing to delete .* --force"):
        kit.deploy()
    assert all((www / p).exists() for p in changes.deleted)  # nothing was touched
    assert kit.deploy(force=True).plan.deleted == changes.deleted


def test_deletions_wait_for_confirmation(kit: DeployKit, tmp_path: Path) -> None:
    www = tmp_path / "www"
    kit.set_targets({"name": "www", "kind": "dir", "path": str(www)})
    first = kit.build()
    kit.deploy()
    changes = kit.change_one_article(first)
    asked: list[int] = []

    def no(plan: object, where: str) -> bool:
        asked.append(1)
        return False

    with pytest.raises(DeployError, match="cancelled"):
        kit.deploy(yes=False, confirm=no)
    assert asked and all((www / p).exists() for p in changes.deleted)
    report = kit.deploy(yes=False, confirm=lambda plan, where: True)
    assert report.done and all(not (www / p).exists() for p in changes.deleted)


def test_unsafe_targets_and_unbuilt_sites_are_refused(kit: DeployKit) -> None:
    kit.set_targets({"name": "www", "kind": "dir", "path": "public"})
    with pytest.raises(DeployError, match="run `archivegen build` first"):
        kit.deploy()
    kit.build()
    with pytest.raises(DeployError, match="overlaps"):
        kit.deploy()
    # the folders a build reads: a target there is copied back into every build
    (kit.root / "static").mkdir()
    theme = BUNDLED_THEMES / "default" / "static" / "www"
    for inside in ("static/www", "content/www", ".archivegen/www", "templates/www", str(theme)):
        kit.set_targets({"name": "www", "kind": "dir", "path": inside})
        with pytest.raises(DeployError, match=r"overlaps .*deploy into a folder of its own"):
            kit.deploy()
        assert not (kit.root / inside).exists()
    kit.set_targets({"name": "www", "kind": "dir", "path": "."})
    with pytest.raises(DeployError, match="holds the site folder"):
        kit.deploy()


def test_tampered_manifest_cannot_steer_deletes(kit: DeployKit, tmp_path: Path) -> None:
    www = tmp_path / "www"
    kit.set_targets({"name": "www", "kind": "dir", "path": str(www)})
    kit.build()
    kit.deploy()
    (tmp_path / "precious.txt").write_text("outside the target")
    manifest = www / ".archivegen-deploy.json"
    data = json.loads(manifest.read_text())
    data["files"]["../precious.txt"] = "0" * 32
    manifest.write_text(json.dumps(data))
    with pytest.raises(DeployError, match="unsafe paths"):
        kit.deploy()
    assert (tmp_path / "precious.txt").exists()


def test_site_edited_after_build_is_refused(kit: DeployKit, tmp_path: Path) -> None:
    www = tmp_path / "www"
    kit.set_targets({"name": "www", "kind": "dir", "path": str(www)})
    kit.build()
    (kit.output / "index.html").write_text("edited by hand")
    with pytest.raises(DeployError, match="changed since the build"):
        kit.deploy()
