"""site.yaml `deploy:` validation, the pure planner, and the deploy command line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from deploykit import DeployKit

from archivegen.cli import main
from archivegen.config import load_config
from archivegen.console import LISTED
from archivegen.deploy.plan import PENDING, DeployPlan, check_deletions, journal, plan_deploy
from archivegen.deploy.remote import LocalFile, RemoteState
from archivegen.deploy.targets import (
    DirTarget,
    GitTarget,
    S3Target,
    Target,
    load_targets,
    select_target,
)
from archivegen.errors import ConfigError, DeployError, ErrorGroup

SITE = """title: Arsip
deploy:
  - name: www
    kind: dir
    path: /var/www/arsip
  - name: pages
    kind: git
    remote: git@github.com:redaksi/arsip.git
    cname: arsip.example
  - name: cdn
    kind: s3
    bucket: arsip
    prefix: situs/
    cache_control:
      "*.html": max-age=300
"""


def targets_of(tmp_path: Path, text: str) -> tuple[Target, ...]:
    path = tmp_path / "site.yaml"
    path.write_text(text, encoding="utf-8")
    return load_targets(load_config(path).deploy, path)


def test_targets_become_typed_records(tmp_path: Path) -> None:
    www, pages, cdn = targets_of(tmp_path, SITE)
    assert www == DirTarget(name="www", path="/var/www/arsip")
    assert isinstance(pages, GitTarget) and pages.branch == "gh-pages" and pages.nojekyll
    assert isinstance(cdn, S3Target) and cdn.cache_control == {"*.html": "max-age=300"}
    assert cdn.max_deletes == 0.25 and not cdn.gzip


def test_every_problem_names_file_line_and_key(tmp_path: Path) -> None:
    text = """deploy:
  - name: www
    kind: ftp
  - name: pages
    kind: git
    branch: 3
  - name: cdn
    kind: s3
    bucket: arsip
    aws_secret_access_key: hunter2
    max_deletes: 2
  - kind: dir
    path: x
    paht: y
"""
    with pytest.raises(ErrorGroup) as info:
        targets_of(tmp_path, text)
    messages = [str(e) for e in info.value.errors]
    expected = [
        "site.yaml:3: deploy[0].kind: 'ftp' is not one of dir, rsync, git, s3",
        "site.yaml:6: deploy[1].branch: must be text",
        "site.yaml:4: deploy[1].remote: missing (kind git needs it)",
        "site.yaml:10: deploy[2].aws_secret_access_key: credentials are never read from site.yaml",
        "site.yaml:14: deploy[3].paht: unknown key for kind dir",
        "site.yaml:12: deploy[3].name: missing (kind dir needs it)",
    ]
    for fragment in expected:
        assert any(fragment in m for m in messages), (fragment, messages)
    assert "hunter2" not in "\n".join(messages)


def test_values_are_checked(tmp_path: Path) -> None:
    text = "deploy:\n  - {name: a, kind: dir, path: x, max_deletes: 2}\n  - {name: a, kind: rsync, dest: y, port: 70000}\n"
    with pytest.raises(ErrorGroup) as info:
        targets_of(tmp_path, text)
    fields = {e.field for e in info.value.errors}
    assert fields == {"deploy[0].max_deletes", "deploy[1].port"}
    with pytest.raises(ConfigError, match=r"deploy\[0\]\.bucket: must be 3-63 lowercase"):
        targets_of(tmp_path, "deploy:\n  - {name: a, kind: s3, bucket: Arsip_Saya}\n")
    with pytest.raises(ConfigError, match="names two targets"):
        targets_of(
            tmp_path,
            "deploy:\n  - {name: a, kind: dir, path: x}\n  - {name: a, kind: dir, path: y}\n",
        )


def test_select_target(tmp_path: Path) -> None:
    targets = targets_of(tmp_path, SITE)
    assert select_target(targets, "cdn", tmp_path / "site.yaml").name == "cdn"
    with pytest.raises(ConfigError, match=r"3 targets .*name the one"):
        select_target(targets, None, tmp_path / "site.yaml")
    with pytest.raises(ConfigError, match=r"no target named 'cnd' \(known: www, pages, cdn\)"):
        select_target(targets, "cnd", tmp_path / "site.yaml")
    with pytest.raises(ConfigError, match="no deploy targets"):
        select_target((), None, tmp_path / "site.yaml")


def files(**hashes: str) -> dict[str, LocalFile]:
    return {name.replace("_", "/") + ".html": LocalFile(h, 10) for name, h in hashes.items()}


def test_plan_compares_hashes_and_owns_only_its_files() -> None:
    local = files(a="1", b="2", c="3")
    remote = RemoteState(
        owned={"a.html": "1", "b.html": "old", "gone.html": "9", "lost.html": "8"},
        present=frozenset({"a.html", "b.html", "gone.html", "theirs.html", "c.html"}),
    )
    plan = plan_deploy(local, remote)
    assert plan.new == ()
    assert plan.changed == ("b.html",)
    assert plan.adopted == ("c.html",)  # someone else's file: replaced only with --adopt
    assert plan.deleted == ("gone.html",)  # lost.html is no longer there; theirs.html not ours
    assert (plan.unchanged, plan.foreign, plan.upload_bytes) == (1, 1, 20)
    assert plan.manifest == {"a.html": "1", "b.html": "2", "c.html": "3"}
    assert plan.delete_share == pytest.approx(1 / 3)


def test_journal_marks_every_upload_pending_and_keeps_what_we_own() -> None:
    local = files(a="1", b="2", c="3")
    owned = {"a.html": "1", "b.html": "old", "gone.html": "9"}
    plan = plan_deploy(local, RemoteState(owned, frozenset({"a.html", "b.html", "gone.html"})))
    entry = journal(plan, owned)
    assert entry == {"a.html": "1", "b.html": PENDING, "c.html": PENDING, "gone.html": "9"}
    # killed right after it: the next plan sends b and c again and still deletes gone
    halfway = RemoteState(entry, frozenset({"a.html", "b.html", "c.html", "gone.html"}))
    again = plan_deploy(local, halfway)
    assert (again.changed, again.adopted, again.deleted) == (
        ("b.html", "c.html"),
        (),
        ("gone.html",),
    )


def test_symlinks_are_never_ours_nor_written_through() -> None:
    local = files(a="1", kategori_x="2")
    owned = {"a.html": "1"}
    plan = plan_deploy(local, RemoteState(owned, frozenset({"a.html"}), frozenset({"a.html"})))
    assert plan.adopted == ("a.html",) and plan.unchanged == 0  # a link where our file was
    with pytest.raises(DeployError, match=r"^kategori at the target is a symlink"):
        plan_deploy(local, RemoteState({}, frozenset({"kategori"}), frozenset({"kategori"})))


def test_plan_for_an_unlisted_target_trusts_the_manifest() -> None:
    plan = plan_deploy(files(a="1", b="2"), RemoteState(owned={"a.html": "1", "x.html": "5"}))
    assert (plan.new, plan.changed, plan.deleted) == (("b.html",), (), ("x.html",))


def test_an_up_to_date_target_has_an_empty_plan() -> None:
    remote = RemoteState(owned={"a.html": "1"}, present=frozenset({"a.html"}))
    assert plan_deploy(files(a="1"), remote).is_empty


def test_deletion_share_guard() -> None:
    plan = DeployPlan(deleted=("a", "b"), owned_before=4)
    check_deletions(plan, 0.5, force=False)
    with pytest.raises(DeployError, match=r"refusing to delete 2 of 4 files \(50%"):
        check_deletions(plan, 0.25, force=False)
    check_deletions(plan, 0.25, force=True)


def test_cli_dry_run_and_unconfirmed_deletions(
    kit: DeployKit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    www = tmp_path / "www"
    kit.set_targets({"name": "www", "kind": "dir", "path": str(www)})
    first = kit.build()
    monkeypatch.chdir(kit.root)
    runner = CliRunner()
    result = runner.invoke(main, ["deploy", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"Dry run for www (dir, {www}): {len(first)} new, 0 changed, 0 deleted" in result.output
    shown = sorted(first)[:LISTED]  # the first new files by path, then how many more
    assert all(f"  + {path}\n" in result.output for path in shown) and not www.exists()
    assert f"  + ... and {len(first) - LISTED} more" in result.output
    result = runner.invoke(main, ["deploy", "www"])
    assert (
        result.exit_code == 0 and f"Deployed to www (dir, {www}): {len(first)} new" in result.output
    )
    kit.change_one_article(first)
    result = runner.invoke(main, ["deploy"])  # no terminal to ask on: no deletions
    assert result.exit_code == 1
    assert "rerun with --yes" in result.output and "cancelled" in result.output
    result = runner.invoke(main, ["deploy", "--yes"])
    assert result.exit_code == 0 and re.search(r"[1-9][0-9]* deleted", result.output)
    result = runner.invoke(main, ["deploy", "nope"])
    assert result.exit_code == 1 and "no target named 'nope'" in result.output


def test_cli_adopt_lists_the_files_it_takes_over(
    kit: DeployKit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    www = tmp_path / "www"
    www.mkdir()
    (www / "robots.txt").write_text("User-agent: *\n")
    kit.set_targets({"name": "www", "kind": "dir", "path": str(www)})
    first = kit.build()
    monkeypatch.chdir(kit.root)
    runner = CliRunner()
    result = runner.invoke(main, ["deploy", "--yes"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"1 file(s) at {www} were not written by archivegen" in result.output
    assert "rerun with --adopt" in result.output
    assert (www / "robots.txt").read_text() == "User-agent: *\n"
    result = runner.invoke(main, ["deploy", "--yes", "--adopt"])
    assert result.exit_code == 0, result.output
    assert f"Deployed to www (dir, {www}): 1 adopted, {len(first) - 1} new" in result.output
    assert "Replaced files archivegen had not written (now its own):\n  ! robots.txt\n" in (
        result.output
    )
    assert (www / "robots.txt").read_bytes() == (kit.output / "robots.txt").read_bytes()
