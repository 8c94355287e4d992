"""The only writer of site files: a staged, all-or-nothing update of the output folder.

A build stages each changed file into a staging folder beside the output. Nothing in the
output changes until `commit`: a failed build leaves the last good site byte for byte.
- first build (or an unreadable manifest): the staging folder becomes the output by rename;
- later builds: only files whose bytes changed are staged, then moved in with os.replace,
  files the site no longer has are removed, and the manifest is replaced last. Before the
  first move, every folder it writes into is checked (a read-only one stops the build with
  nothing changed) and a journal is written; it is removed after the manifest. A build
  that finds it (the last commit was killed, or the disk filled) trusts no manifest and
  replaces the whole site, which removes whatever the broken commit left.

Two halves: a `StagingArea` is the fork-safe value that stages files (render workers and
the search step each hold one, in their own process); the `StagedOutput` of the build
records what they staged and commits it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from archivegen import faults
from archivegen.digest import digest
from archivegen.errors import OutputError
from archivegen.output.atomic import write_atomic
from archivegen.output.manifest import (
    JOURNAL,
    MANIFEST,
    begin_commit,
    commit_interrupted,
    end_commit,
    manifest_bytes,
    manifest_problem,
    read_manifest,
)


@dataclass(frozen=True, slots=True)
class CommitReport:
    """What a commit did to the output folder."""

    written: int
    unchanged: int
    deleted: int


@dataclass(frozen=True, slots=True)
class Staged:
    """One file of the site being built: its hash, and whether it waits in staging."""

    relative: str
    digest: str
    staged: bool  # False: the live output holds these very bytes


@dataclass(frozen=True, slots=True)
class StagingArea:
    """Where a build's changed files wait for the commit, and what the live output holds.

    A plain value, safe to fork or send: whoever holds it stages files into the folder and
    says what it staged (a `Staged`); the build's `StagedOutput` records it.
    """

    output: Path
    folder: Path
    live: Mapping[str, str]  # the live output's hashes, by the manifest ({} when untrusted)

    def is_current(self, relative: str, file_digest: str) -> bool:
        """True when the live output already holds a file with this digest."""
        return self.live.get(relative) == file_digest and (self.output / relative).is_file()

    def stage(self, relative: str, data: bytes) -> Staged:
        """Stage one file's bytes, unless the live output holds them already."""
        file_digest = digest(data)
        if self.is_current(relative, file_digest):
            return Staged(relative, file_digest, staged=False)
        target = self.folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return Staged(relative, file_digest, staged=True)

    def stage_file(self, relative: str, path: Path, file_digest: str) -> Staged:
        """Stage a finished file (of this digest) by moving it in, no copy, unless the output
        holds it."""
        if self.is_current(relative, file_digest):
            return Staged(relative, file_digest, staged=False)
        target = self.folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(path, target)
        except OSError:
            shutil.copyfile(path, target)  # another file system
        return Staged(relative, file_digest, staged=True)

    def scratch(self, label: str) -> Path:
        """A new scratch folder beside the staging folder: same file system, so what is
        made there can be hard-linked or moved in."""
        return Path(tempfile.mkdtemp(prefix=f"{self.folder.name}-{label}-", dir=self.folder.parent))


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
    # a commit killed half-way inside a mount point leaves its journal: the folder is ours
    problem = None
    if output.is_dir() and any(output.iterdir()) and not commit_interrupted(output):
        problem = manifest_problem(output)
    if problem:
        raise OutputError(
            f"{output} is not empty and was not made by archivegen ({problem}); "
            "archivegen will not replace it: move it away or pass another --output"
        )


class StagedOutput:
    """Collects a build's files and swaps them into the output folder only on `commit`.

    Used as a context manager, it aborts (removes the staging folder) if the block fails.
    """

    def __init__(
        self, output: Path, clean: bool = False, previous: dict[str, str] | None = None
    ) -> None:
        """`previous`: the live manifest's hashes when the caller holds them (else read)."""
        output = output.resolve()
        if previous is None and not clean:
            previous = read_manifest(output)
        self.incremental = previous is not None
        self.previous: dict[str, str] = previous or {}
        # a mount point (a Docker volume, a mounted web root) cannot be renamed, nor files
        # moved into it from another file system: its staging folder lives inside it
        self.mounted = output.is_mount()
        where = output / ".archivegen" if self.mounted else output.parent / f".{output.name}"
        folder = where.with_name(f"{where.name}.staging-{os.getpid()}")
        self.area = StagingArea(output, folder, self.previous)
        self.output = output
        self.hashes: dict[str, str] = {}
        self.staged: list[str] = []
        self._manifest: bytes | None = None
        self._manifest_size = 0
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)

    def __enter__(self) -> StagedOutput:
        return self

    def __exit__(self, error: type[BaseException] | None, *_: object) -> None:
        """A block that fails throws the staged files away."""
        if error is not None:
            self.abort()

    def write(self, relative: str, data: bytes) -> bool:
        """Stage one file; return False when the output already holds exactly these bytes."""
        self._claim(relative)
        return self.record(self.area.stage(relative, data))

    def write_file(self, relative: str, path: Path, file_digest: str) -> bool:
        """Stage a finished file (of this digest) by moving it in; False when the output
        holds its bytes."""
        self._claim(relative)
        return self.record(self.area.stage_file(relative, path, file_digest))

    def record(self, staged: Staged) -> bool:
        """Note a file staged through the area (by this process or another); True if staged."""
        self._claim(staged.relative)
        self.hashes[staged.relative] = staged.digest
        if staged.staged:
            self.staged.append(staged.relative)
        return staged.staged

    def keep(self, relative: str) -> bool:
        """Carry a file over from the last build unrendered; False if it cannot be (re-render).

        The manifest is trusted, as the up-to-date check trusts it: a stat per page would
        cost more than the rest of a one-article rebuild. A file deleted by hand comes back
        with `--clean` (or when its page changes).
        """
        file_digest = self.previous.get(relative)
        if not self.incremental or file_digest is None or relative in self.hashes:
            return False
        self.hashes[relative] = file_digest
        return True

    def can_keep(self, relative: str, file_digest: str) -> bool:
        """True when the live output holds this file with this digest, by the manifest
        (trusted, as `keep` trusts it)."""
        return (
            self.incremental
            and relative not in self.hashes
            and self.previous.get(relative) == file_digest
        )

    def scratch(self, label: str) -> Path:
        """A new scratch folder beside the staging folder (see `StagingArea.scratch`)."""
        return self.area.scratch(label)

    def path_of(self, relative: str) -> Path:
        """Where a file of the site being built is now: in staging if it changed, else live."""
        staged = self.area.folder / relative
        return staged if staged.is_file() else self.output / relative

    def manifest_digest(self) -> str:
        """The digest of the manifest the commit writes (to notice later edits of the output)."""
        # the commit writes these very bytes, unless a file is added after (files are only
        # ever added to `hashes`, so its size tells)
        self._manifest = manifest_bytes(self.hashes)
        self._manifest_size = len(self.hashes)
        return digest(self._manifest)

    def commit(self) -> CommitReport:
        """Make the staged site the live one."""
        removed = sorted(set(self.previous) - set(self.hashes)) if self.incremental else []
        try:
            if self.incremental:
                self._move_staged_in(removed)
            elif self.mounted:
                self._swap_contents()
            else:
                self._swap_whole_folder()
        except OSError as exc:
            where = exc.filename or self.output
            raise OutputError(
                f"writing {where} failed: {exc.strerror or exc}; the next build repairs "
                f"{self.output}"
            ) from None
        return CommitReport(
            written=len(self.staged),
            unchanged=len(self.hashes) - len(self.staged),
            deleted=len(removed),
        )

    def abort(self) -> None:
        """Forget the staged files; the output folder was never touched."""
        shutil.rmtree(self.area.folder, ignore_errors=True)

    def _claim(self, relative: str) -> None:
        if relative in self.hashes:
            raise OutputError(f"two pages write the same file {relative}")

    def _manifest_bytes(self) -> bytes:
        if self._manifest is not None and self._manifest_size == len(self.hashes):
            return self._manifest
        return manifest_bytes(self.hashes)

    def _swap_whole_folder(self) -> None:
        staging = self.area.folder
        (staging / MANIFEST).write_bytes(self._manifest_bytes())
        trash = self.output.parent / f".{self.output.name}.old-{os.getpid()}"
        _check_writable([self.output.parent])
        if self.output.exists():
            os.replace(self.output, trash)
            faults.reach("commit-swap")
        os.replace(staging, self.output)
        remove_in_background(trash)

    def _swap_contents(self) -> None:
        """The whole-folder swap inside a mount point: the old site's entries are moved
        aside and the new one's moved in, under the journal (not atomic, but repaired)."""
        staging = self.area.folder
        (staging / MANIFEST).write_bytes(self._manifest_bytes())
        trash = staging.with_name(f".archivegen.old-{os.getpid()}")
        _check_writable([self.output])
        begin_commit(self.output)
        trash.mkdir()
        for name in os.listdir(self.output):
            if name not in (JOURNAL, staging.name, trash.name):
                os.replace(self.output / name, trash / name)
        faults.reach("commit-swap")
        for name in os.listdir(staging):
            os.replace(staging / name, self.output / name)
        end_commit(self.output)
        staging.rmdir()
        remove_in_background(trash)

    def _move_staged_in(self, removed: list[str]) -> None:
        staging = self.area.folder
        _check_writable({(self.output / p).parent for p in (*self.staged, *removed, MANIFEST)})
        begin_commit(self.output)
        for relative in self.staged:
            faults.reach("commit-move")
            target = self.output / relative
            try:  # the folder is usually there already: one system call, not three
                os.replace(staging / relative, target)
            except FileNotFoundError:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / relative, target)
        for relative in removed:
            (self.output / relative).unlink(missing_ok=True)
            _prune_empty_parents(self.output / relative, self.output)
        write_atomic(self.output / MANIFEST, self._manifest_bytes())
        end_commit(self.output)
        # its emptied folders are hundreds of rmdir calls: renamed out of the way of the
        # next build (same process, same staging name), then removed in the background
        trash = staging.with_name(f"{staging.name}.done-{time.time_ns()}")
        try:
            os.replace(staging, trash)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
            return
        remove_in_background(trash)


def _check_writable(folders: Collection[Path]) -> None:
    """Refuse, before anything moves, a commit that could not finish: a folder it writes
    into (or the nearest one that exists, where it must make one) is not writable."""
    for folder in sorted(folders):
        existing = folder
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if not os.access(existing, os.W_OK | os.X_OK):
            raise OutputError(
                f"{existing} is not writable, so the build cannot update it; "
                "nothing was changed (make it writable and build again)"
            )


def remove_leftovers(output: Path) -> None:
    """Remove what builds of this output that are no longer running left beside it: staging
    and scratch folders, and old sites not yet deleted (the caller holds the build lock)."""
    beside = (output.parent, (f".{output.name}.staging-", f".{output.name}.old-"))
    inside = (output, (".archivegen.staging-", ".archivegen.old-"))  # a mount point's
    for folder, prefixes in (beside, inside):
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(prefixes) and entry.is_dir() and not entry.is_symlink():
                remove_in_background(entry)


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
