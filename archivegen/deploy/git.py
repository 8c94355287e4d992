"""Deploy to a branch of a git remote (GitHub/GitLab Pages style).

No working tree is checked out: a bare cache repository in `.archivegen/deploy/<name>.git`
fetches the branch's last commit (depth 1), a private index starts from its tree, the
planned files go in as blobs, and one new commit whose parent is the old tip is pushed.
History is kept; the push is atomic, so an interrupted deploy changes nothing remote and a
concurrent one makes the push fail rather than overwrite it.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from archivegen.config import SiteConfig
from archivegen.deploy.remote import (
    REMOTE_MANIFEST,
    LocalSite,
    RemoteState,
    decode_manifest,
    encode_manifest,
)
from archivegen.deploy.targets import GitTarget
from archivegen.errors import DeployError

CACHE = Path(".archivegen") / "deploy"
BASE_REF = "refs/archivegen/base"
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://|^[^/]+:")  # a URL or scp-like host:path
_NO_SHA = "0" * 40


class GitRemote:
    """A branch of a git remote, written through a bare cache repository."""

    journaled = False  # one atomic push: a killed deploy changed nothing remote

    def __init__(self, target: GitTarget, config: SiteConfig, scratch: Path) -> None:
        self.target = target
        self.url = _remote_url(target.remote, config.root)
        self.repo = config.root / CACHE / f"{target.name}.git"
        self.env = _git_env(self.repo, scratch / "index")
        self.parent: str | None = None
        self.extra_files: Mapping[str, bytes] = _extra_files(target)

    @classmethod
    @contextmanager
    def open(cls, target: GitTarget, config: SiteConfig) -> Iterator[GitRemote]:
        """A remote with its cache repository ready and a private index."""
        with tempfile.TemporaryDirectory(prefix="archivegen-git-") as scratch:
            remote = cls(target, config, Path(scratch))
            if not (remote.repo / "HEAD").is_file():
                remote.repo.mkdir(parents=True, exist_ok=True)
                remote._git("init", "--bare", "--quiet")
            yield remote

    def describe(self) -> str:
        """Remote and branch."""
        return f"{self.target.remote} (branch {self.target.branch})"

    def state(self) -> RemoteState:
        """Fetch the branch tip (if the branch exists) and read our manifest from its tree."""
        branch = f"refs/heads/{self.target.branch}"
        if not self._git("ls-remote", "--heads", self.url, branch).strip():
            self._git("read-tree", "--empty")
            return RemoteState({}, frozenset())
        self._git("fetch", "--quiet", "--depth=1", "--no-tags", self.url, f"+{branch}:{BASE_REF}")
        self.parent = self._git("rev-parse", BASE_REF).strip()
        self._git("read-tree", self.parent)
        names = self._git("ls-tree", "-r", "-z", "--name-only", self.parent).split("\0")
        present = frozenset(n for n in names if n and n != REMOTE_MANIFEST)
        data = None
        if REMOTE_MANIFEST in names:
            data = self._git_bytes("cat-file", "blob", f"{self.parent}:{REMOTE_MANIFEST}")
        return RemoteState(decode_manifest(data, self.describe()), present)

    def upload(self, paths: Sequence[str], site: LocalSite) -> None:
        """Store the files as blobs and put them in the index."""
        if not paths:
            return
        site.verify(paths)  # git reads the files itself: check them against the build first
        names = "".join(f"{site.path(p)}\n" for p in paths)
        blobs = self._git("hash-object", "-w", "--stdin-paths", stdin=names).split()
        entries = "".join(f"100644 {sha}\t{p}\0" for sha, p in zip(blobs, paths, strict=True))
        self._git("update-index", "-z", "--index-info", stdin=entries)

    def delete(self, paths: Sequence[str]) -> None:
        """Take the files out of the index."""
        if paths:
            entries = "".join(f"0 {_NO_SHA}\t{p}\0" for p in paths)
            self._git("update-index", "-z", "--index-info", stdin=entries)

    def commit(self, manifest: Mapping[str, str]) -> None:
        """Add our manifest, commit the tree on top of the old tip, push."""
        blob = self._git("hash-object", "-w", "--stdin", stdin=encode_manifest(manifest).decode())
        self._git(
            "update-index",
            "-z",
            "--index-info",
            stdin=f"100644 {blob.strip()}\t{REMOTE_MANIFEST}\0",
        )
        tree = self._git("write-tree").strip()
        parents = ["-p", self.parent] if self.parent else []
        commit = self._git("commit-tree", tree, *parents, "-m", self.target.message).strip()
        self._git("push", "--quiet", self.url, f"{commit}:refs/heads/{self.target.branch}")
        self._git("update-ref", BASE_REF, commit)

    def _git(self, *args: str, stdin: str | None = None) -> str:
        return self._git_bytes(*args, stdin=stdin).decode()

    def _git_bytes(self, *args: str, stdin: str | None = None) -> bytes:
        try:
            done = subprocess.run(
                ["git", *args],
                input=stdin.encode() if stdin is not None else b"",
                capture_output=True,
                env=self.env,
                check=False,
            )
        except FileNotFoundError:
            raise DeployError("git is not installed (e.g. `apt-get install git`)") from None
        if done.returncode != 0:
            problem = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
            raise DeployError(
                f"git {args[0]} for {self.describe()} failed: {' / '.join(problem)}"
                + (" (the branch moved meanwhile? deploy again)" if args[0] == "push" else "")
            )
        return done.stdout


def _remote_url(remote: str, root: Path) -> str:
    """A URL as is; a local path resolved against the site folder."""
    if _URL.match(remote):
        return remote
    return str((root / Path(remote).expanduser()).resolve())


def _extra_files(target: GitTarget) -> dict[str, bytes]:
    """`.nojekyll` (serve folders starting with _ as they are) and CNAME (a custom domain)."""
    extras = {".nojekyll": b""} if target.nojekyll else {}
    if target.cname:
        extras["CNAME"] = target.cname.strip().encode() + b"\n"
    return extras


def _git_env(repo: Path, index: Path) -> dict[str, str]:
    """The environment of every git call: our cache repo, our index, never a prompt."""
    env = dict(os.environ, GIT_DIR=str(repo), GIT_INDEX_FILE=str(index), GIT_TERMINAL_PROMPT="0")
    # a deploy from CI often has no git identity; fall back to one rather than fail
    defaults = {"NAME": "archivegen", "EMAIL": "archivegen@localhost"}
    for part, value in defaults.items():
        if not _configured(f"user.{part.lower()}"):
            for role in ("AUTHOR", "COMMITTER"):
                env.setdefault(f"GIT_{role}_{part}", value)
    return env


def _configured(key: str) -> bool:
    try:
        done = subprocess.run(["git", "config", "--get", key], capture_output=True, check=False)
    except FileNotFoundError:
        return False
    return done.returncode == 0 and bool(done.stdout.strip())
