"""The only writer of site files: a staged, all-or-nothing update of the output folder.

A build writes each changed file into a staging folder beside the output. Nothing in the
output changes until `commit`: a failed build leaves the last good site byte for byte.
- first build (or an unreadable manifest): the staging folder becomes the output by rename;
- later builds: only files whose bytes changed are staged, then moved in with os.replace,
  files the site no longer has are removed, and the manifest is replaced last. A crash in
  that short step heals on the next build, which compares against the old manifest.
The manifest (`.archivegen-manifest.json`, in the output) marks the folder as ours and
records each file's hash: deploys reuse it to send only what changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from archivegen.errors import OutputError
from archivegen.output.atomic import write_atomic

MANIFEST = ".archivegen-manifest.json"
MANIFEST_VERSION = 1


def content_hash(data: bytes) -> str:
    """The hash that decides whether a file changed."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class CommitReport:
    """What a commit did to the output folder."""

    written: int
    unchanged: int
    deleted: int


def check_output_dir(output: Path, root: Path, protected: list[Path]) -> None:
    """Refuse an output folder unsafe to replace: it must be ours and hold nothing of the user's."""
    output, root = output.resolve(), root.resolve()
    if output == root or output in root.parents:
        raise OutputError(
            f"{output} is the site folder or holds it; choose a subfolder such as public/"
        )
    for path in protected:
        path = path.resolve()
        if path == output or output in path.parents or path in output.parents:
            raise OutputError(f"{output} overlaps {path}; the output must be a folder of its own")
    if output.exists() and not output.is_dir():
        raise OutputError(f"{output} is a file, not a folder")
    if output.is_dir() and any(output.iterdir()) and not (output / MANIFEST).is_file():
        raise OutputError(
            f"{output} is not empty and was not made by archivegen (no {MANIFEST}); "
            "archivegen will not replace it: move it away or pass another --output"
        )


def manifest_file_digest(output: Path) -> str:
    """The digest of the output's manifest as it is on disk ('' when absent)."""
    try:
        return content_hash((output / MANIFEST).read_bytes())
    except OSError:
        return ""


def read_manifest(output: Path) -> dict[str, str] | None:
    """The file hashes of the last good build, or None when there is none we can trust."""
    try:
        data = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return None
    files = data.get("files")
    return files if isinstance(files, dict) else None


class StagedOutput:
    """Collects a build's files and swaps them into the output folder only on `commit`."""

    def __init__(
        self, output: Path, clean: bool = False, previous: dict[str, str] | None = None
    ) -> None:
        """`previous`: the live manifest's hashes when the caller holds them (else read)."""
        self.output = output.resolve()
        self.staging = self.output.parent / f".{self.output.name}.staging-{os.getpid()}"
        if previous is None and not clean:
            previous = read_manifest(self.output)
        self.previous: dict[str, str] = previous or {}
        self.incremental = previous is not None
        self.hashes: dict[str, str] = {}
        self.staged: list[str] = []
        self._manifest: bytes | None = None
        self._manifest_size = 0
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)

    def write(self, relative: str, data: bytes) -> bool:
        """Stage one file; return False when the output already holds exactly these bytes."""
        if relative in self.hashes:
            raise OutputError(f"two pages write the same file {relative}")
        digest = content_hash(data)
        self.hashes[relative] = digest
        if self.is_current(relative, digest):
            return False
        target = self.staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.staged.append(relative)
        return True

    def keep(self, relative: str) -> bool:
        """Carry a file over from the last build unrendered; False if it cannot be (re-render).

        The manifest is trusted, as the up-to-date check trusts it: a stat per page would
        cost more than the rest of a one-article rebuild. A file deleted by hand comes back
        with `--clean` (or when its page changes).
        """
        digest = self.previous.get(relative)
        if not self.incremental or digest is None or relative in self.hashes:
            return False
        self.hashes[relative] = digest
        return True

    def can_keep(self, relative: str, digest: str) -> bool:
        """True when the live output holds this file with this digest, by the manifest
        (trusted, as `keep` trusts it)."""
        return (
            self.incremental
            and relative not in self.hashes
            and self.previous.get(relative) == digest
        )

    def record(self, relative: str, digest: str, staged: bool) -> None:
        """Note a file another process rendered: staged into `staging`, or found unchanged."""
        if relative in self.hashes:
            raise OutputError(f"two pages write the same file {relative}")
        self.hashes[relative] = digest
        if staged:
            self.staged.append(relative)

    def is_current(self, relative: str, digest: str) -> bool:
        """True when the live output already holds a file with this digest."""
        return (
            self.incremental
            and self.previous.get(relative) == digest
            and (self.output / relative).is_file()
        )

    def read(self, relative: str) -> bytes:
        """A file of the site being built: staged if it changed, else the live one."""
        return self.path_of(relative).read_bytes()

    def path_of(self, relative: str) -> Path:
        """Where a file of the site being built is now: in staging if it changed, else live."""
        staged = self.staging / relative
        return staged if staged.is_file() else self.output / relative

    def manifest_digest(self) -> str:
        """The digest of the manifest the commit writes (to notice later edits of the output)."""
        # the commit writes these very bytes, unless a file is added after (files are only
        # ever added to `hashes`, so its size tells)
        self._manifest = self._manifest_bytes()
        self._manifest_size = len(self.hashes)
        return content_hash(self._manifest)

    def commit(self) -> CommitReport:
        """Make the staged site the live one."""
        removed = sorted(set(self.previous) - set(self.hashes)) if self.incremental else []
        if self.incremental:
            self._move_staged_in(removed)
        else:
            self._swap_whole_folder()
        return CommitReport(
            written=len(self.staged),
            unchanged=len(self.hashes) - len(self.staged),
            deleted=len(removed),
        )

    def abort(self) -> None:
        """Forget the staged files; the output folder was never touched."""
        shutil.rmtree(self.staging, ignore_errors=True)

    def _manifest_bytes(self) -> bytes:
        if self._manifest is not None and self._manifest_size == len(self.hashes):
            return self._manifest
        data = {"version": MANIFEST_VERSION, "generator": "archivegen", "files": self.hashes}
        return json.dumps(data, sort_keys=True, separators=(",", ":")).encode()

    def _swap_whole_folder(self) -> None:
        (self.staging / MANIFEST).write_bytes(self._manifest_bytes())
        trash = self.output.parent / f".{self.output.name}.old-{os.getpid()}"
        if self.output.exists():
            os.replace(self.output, trash)
        os.replace(self.staging, self.output)
        remove_in_background(trash)

    def _move_staged_in(self, removed: list[str]) -> None:
        for relative in self.staged:
            target = self.output / relative
            try:  # the folder is usually there already: one system call, not three
                os.replace(self.staging / relative, target)
            except FileNotFoundError:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.staging / relative, target)
        for relative in removed:
            (self.output / relative).unlink(missing_ok=True)
            _prune_empty_parents(self.output / relative, self.output)
        write_atomic(self.output / MANIFEST, self._manifest_bytes())
        # its emptied folders are hundreds of rmdir calls: renamed out of the way of the
        # next build (same process, same staging name), then removed in the background
        trash = self.staging.with_name(f"{self.staging.name}.done-{time.time_ns()}")
        try:
            os.replace(self.staging, trash)
        except OSError:
            shutil.rmtree(self.staging, ignore_errors=True)
            return
        remove_in_background(trash)


def remove_in_background(folder: Path) -> None:
    """Delete a folder the site no longer uses without making the user wait for it.

    Deleting a tree of 30,000 files costs seconds on many disks, several times more than
    writing a new one; the old site is already out of sight, so a detached `rm` does it.
    """
    if not folder.exists():
        return
    try:
        # `sh` starts rm in the background and returns at once; rm outlives this process
        subprocess.run(
            ["sh", "-c", 'rm -rf -- "$1" >/dev/null 2>&1 &', "sh", str(folder)],
            check=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        shutil.rmtree(folder, ignore_errors=True)


def _prune_empty_parents(path: Path, root: Path) -> None:
    parent = path.parent
    while parent != root and root in parent.parents:
        try:
            parent.rmdir()
        except OSError:
            return
        parent = parent.parent
