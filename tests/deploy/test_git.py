"""The git target, into a real bare repository: one commit per deploy, history kept."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from deploykit import DeployKit, assert_plan

from archivegen.errors import DeployError

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git (Debian)")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout


def show(repo: Path, rev: str) -> bytes:
    done = subprocess.run(
        ["git", "--git-dir", str(repo), "show", rev], capture_output=True, check=True
    )
    return done.stdout


@pytest.fixture
def bare(tmp_path: Path) -> Path:
    repo = tmp_path / "pages.git"
    subprocess.run(["git", "init", "--bare", "--quiet", str(repo)], check=True)
    return repo


def test_git_deploy_commits_only_changes(kit: DeployKit, bare: Path) -> None:
    kit.set_targets(
        {
            "name": "pages",
            "kind": "git",
            "remote": str(bare),
            "branch": "gh-pages",
            "cname": "arsip.example",
        }
    )
    first = kit.build()
    report = kit.deploy()
    assert report.plan.new == tuple(sorted([*first, ".nojekyll", "CNAME"]))
    tip = git(bare, "rev-parse", "gh-pages").strip()
    tree = set(git(bare, "ls-tree", "-r", "--name-only", "gh-pages").split("\n")) - {""}
    assert tree == {*first, ".nojekyll", "CNAME", ".archivegen-deploy.json"}
    assert show(bare, "gh-pages:CNAME") == b"arsip.example\n"

    changes = kit.change_one_article(first)
    report = kit.deploy()
    assert_plan(report.plan, changes)
    # the new commit's diff against the old tip is exactly the plan (and our manifest)
    status = git(bare, "diff", "--name-status", tip, "gh-pages").splitlines()
    diff = {line.split("\t")[1]: line.split("\t")[0] for line in status}
    expected = {p: "M" for p in changes.changed} | {p: "D" for p in changes.deleted}
    expected |= {p: "A" for p in changes.new} | {".archivegen-deploy.json": "M"}
    assert diff == expected
    assert git(bare, "rev-parse", "gh-pages^").strip() == tip  # history kept
    page = kit.page_of("berita-nomor-2", kit.build())
    assert show(bare, f"gh-pages:{page}") == (kit.output / page).read_bytes()

    kit.deploy()  # nothing changed: no empty commit
    assert git(bare, "rev-list", "--count", "gh-pages").strip() == "2"


def test_files_committed_by_others_stay(kit: DeployKit, bare: Path, tmp_path: Path) -> None:
    kit.set_targets({"name": "pages", "kind": "git", "remote": str(bare), "nojekyll": False})
    first = kit.build()
    kit.deploy()
    work = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "--quiet", "--branch", "gh-pages", str(bare), str(work)], check=True
    )
    (work / "README.md").write_text("Published by archivegen.\n")
    env = ["-c", "user.name=Someone", "-c", "user.email=someone@example.org"]
    subprocess.run(["git", "-C", str(work), "add", "README.md"], check=True)
    subprocess.run(["git", "-C", str(work), *env, "commit", "--quiet", "-m", "readme"], check=True)
    subprocess.run(["git", "-C", str(work), "push", "--quiet"], check=True)
    changes = kit.change_one_article(first)
    report = kit.deploy()
    assert report.plan.deleted == changes.deleted and report.plan.foreign == 1
    assert show(bare, "gh-pages:README.md") == b"Published by archivegen.\n"
    assert git(bare, "rev-list", "--count", "gh-pages").strip() == "3"


def test_unreachable_remote_is_a_deploy_error(kit: DeployKit, tmp_path: Path) -> None:
    kit.set_targets({"name": "pages", "kind": "git", "remote": str(tmp_path / "nowhere.git")})
    kit.build()
    with pytest.raises(DeployError, match="git ls-remote"):
        kit.deploy()


def test_files_on_the_branch_that_are_not_ours_need_adopt(
    kit: DeployKit, bare: Path, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    subprocess.run(["git", "init", "--quiet", "-b", "gh-pages", str(work)], check=True)
    (work / "robots.txt").write_text("User-agent: *\n")
    (work / "README.md").write_text("the branch's own notes\n")
    ident = ["-c", "user.name=t", "-c", "user.email=t@localhost"]
    subprocess.run(["git", "-C", str(work), "add", "."], check=True)
    subprocess.run(["git", "-C", str(work), *ident, "commit", "-qm", "by hand"], check=True)
    subprocess.run(["git", "-C", str(work), "push", "-q", str(bare), "gh-pages"], check=True)
    tip = git(bare, "rev-parse", "gh-pages").strip()
    kit.set_targets({"name": "pages", "kind": "git", "remote": str(bare), "branch": "gh-pages"})
    kit.build()
    with pytest.raises(DeployError, match=r"^1 file\(s\) at .* same name: robots.txt; nothing"):
        kit.deploy()
    assert git(bare, "rev-parse", "gh-pages").strip() == tip  # nothing pushed
    report = kit.deploy(adopt=True)
    assert report.plan.adopted == ("robots.txt",) and report.plan.foreign == 1
    assert show(bare, "gh-pages:robots.txt") == (kit.output / "robots.txt").read_bytes()
    assert show(bare, "gh-pages:README.md") == b"the branch's own notes\n"
