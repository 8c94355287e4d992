"""The rsync target: to a local path, and over real ssh to an sshd on 127.0.0.1."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from deploykit import (
    DeployKit,
    SshServer,
    assert_only_planned_files_replaced,
    assert_plan,
    inodes,
)

from archivegen.errors import DeployError

pytestmark = pytest.mark.skipif(shutil.which("rsync") is None, reason="needs rsync (Debian)")


def deploy_twice(kit: DeployKit, www: Path) -> None:
    """First deploy, one article changed, second deploy: exactly the changes move."""
    first = kit.build()
    report = kit.deploy()
    assert report.done and report.plan.new == tuple(sorted(first))
    before = inodes(www, list(first))
    changes = kit.change_one_article(first)
    report = kit.deploy()
    assert_plan(report.plan, changes)
    # rsync writes each sent file under a temporary name and renames it: a new inode
    assert_only_planned_files_replaced(www, first, before, changes)
    assert (www / ".archivegen-deploy.json").is_file()
    assert kit.deploy().plan.is_empty


def test_rsync_to_a_local_path(kit: DeployKit, tmp_path: Path) -> None:
    www = tmp_path / "srv" / "www"
    kit.set_targets({"name": "mirror", "kind": "rsync", "dest": str(www)})
    deploy_twice(kit, www)
    page = kit.page_of("berita-nomor-2", kit.build())
    assert (www / page).read_bytes() == (kit.output / page).read_bytes()


def test_rsync_over_ssh(kit: DeployKit, tmp_path: Path, sshd: SshServer) -> None:
    www = tmp_path / "remote" / "www"
    (www / "other").mkdir(parents=True)
    (www / "other" / "keep.html").write_text("someone else's page")
    kit.set_targets(
        {
            "name": "server",
            "kind": "rsync",
            "dest": f"{sshd.user}@127.0.0.1:{www}",
            "port": sshd.port,
            "identity": str(sshd.identity),
            "known_hosts": str(sshd.known_hosts),
        }
    )
    deploy_twice(kit, www)
    assert (www / "other" / "keep.html").read_text() == "someone else's page"
    # fetch a page back over the same ssh transport and compare bytes
    page = kit.page_of("berita-nomor-2", kit.build())
    fetched = tmp_path / "fetched.html"
    ssh = (
        f"ssh -p {sshd.port} -i {sshd.identity} -o BatchMode=yes "
        f"-o UserKnownHostsFile={sshd.known_hosts}"
    )
    subprocess.run(
        ["rsync", "-e", ssh, f"{sshd.user}@127.0.0.1:{www / page}", str(fetched)], check=True
    )
    assert fetched.read_bytes() == (kit.output / page).read_bytes()


def test_unknown_host_key_is_refused(kit: DeployKit, tmp_path: Path, sshd: SshServer) -> None:
    strangers = tmp_path / "known_hosts"
    strangers.write_text("")
    kit.set_targets(
        {
            "name": "server",
            "kind": "rsync",
            "dest": f"{sshd.user}@127.0.0.1:{tmp_path / 'www'}",
            "port": sshd.port,
            "identity": str(sshd.identity),
            "known_hosts": str(strangers),
        }
    )
    kit.build()
    with pytest.raises(DeployError, match=r"rsync to .* failed"):
        kit.deploy()
    assert not (tmp_path / "www").exists()
