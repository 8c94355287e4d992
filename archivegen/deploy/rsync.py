"""Deploy with rsync, to a local path or over ssh (`user@host:path`).

Only rsync runs on the far side (no shell commands), so a key restricted to rsync works:
- state: `rsync --list-only -r` lists the target; our manifest is fetched by rsync too;
- upload: `--files-from` sends exactly the planned files, `--delay-updates` puts them all
  in place at the end of the transfer (from a `.~tmp~` holding folder in each folder: an
  rsync killed midway leaves those behind, and the next upload removes them first);
- delete: `--delete-missing-args` with the planned paths, sent from an empty scratch tree,
  removes exactly those files (and then the folders they leave empty; rsync itself refuses
  to remove a folder that still holds anything).
"""

from __future__ import annotations

import re
import shlex
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from archivegen.config import SiteConfig
from archivegen.deploy.dir import refuse_overlap
from archivegen.deploy.remote import (
    PRIVATE_PREFIX,
    REMOTE_MANIFEST,
    LocalSite,
    RemoteState,
    decode_manifest,
    encode_manifest,
)
from archivegen.deploy.targets import RsyncTarget
from archivegen.errors import DeployError
from archivegen.faults import reach

_REMOTE = re.compile(r"^(?:[^@/:]+@)?[^@/:]+:(?P<path>.*)$")
_MISSING = "No such file or directory"
HOLDING = ".~tmp~"  # where --delay-updates keeps a folder's files until the end


class RsyncRemote:
    """A folder reached by rsync."""

    extra_files: Mapping[str, bytes] = {}
    journaled = True

    def __init__(self, target: RsyncTarget, config: SiteConfig, scratch: Path) -> None:
        self.target = target
        self.dest = _destination(target, config)
        self.ssh = _ssh_options(target, config.root)
        self.scratch = scratch
        self.files: set[str] = set()  # non-folder entries at the target, from state()
        self.leftovers: list[str] = []  # files in holding folders of a killed rsync

    @classmethod
    @contextmanager
    def open(cls, target: RsyncTarget, config: SiteConfig) -> Iterator[RsyncRemote]:
        """A remote with a scratch folder for file lists and the manifest."""
        with tempfile.TemporaryDirectory(prefix="archivegen-rsync-") as scratch:
            yield cls(target, config, Path(scratch))

    def describe(self) -> str:
        """The rsync destination as written in site.yaml."""
        return self.dest

    def state(self) -> RemoteState:
        """List the target; fetch our manifest when it is there."""
        listing = self._run(["--list-only", "-r", self.dest], missing_ok=True)
        entries, links = _parse_listing(listing)
        self.leftovers = sorted(p for p in entries if HOLDING in p.split("/"))
        self.files = {p for p in entries if not _is_private(p)} - set(self.leftovers)
        data = None
        if REMOTE_MANIFEST in entries:
            self._run([self.dest + REMOTE_MANIFEST, str(self.scratch / "fetched.json")])
            data = (self.scratch / "fetched.json").read_bytes()
        ours = frozenset(self.files)
        return RemoteState(decode_manifest(data, self.dest), ours, links & ours)

    def upload(self, paths: Sequence[str], site: LocalSite) -> None:
        """Send the files by name; rsync reads them from the built site."""
        if not paths:
            return
        site.verify(paths)  # rsync reads the files itself: check them against the build first
        if self.leftovers:  # served as they are by most web servers: never keep them
            self._remove(self.leftovers)
        listed = self._file_list("upload", paths)
        self._run(
            [
                *("-r", "--times", "--ignore-times", "--delay-updates", "--mkpath"),
                *(f"--files-from={listed}", "--from0", f"{site.root}/", self.dest),
            ]
        )

    def delete(self, paths: Sequence[str]) -> None:
        """Delete the files, then (deepest first) the folders left empty."""
        if paths:
            self._remove(paths)

    def _remove(self, paths: Sequence[str]) -> None:
        self._delete_missing(paths)
        reach("deploy-delete")
        for level in _emptied_folders(self.files, paths):
            self._delete_missing(level)

    def commit(self, manifest: Mapping[str, str]) -> None:
        """Send our manifest last (rsync writes it under a temporary name, then renames)."""
        local = self.scratch / "manifest" / REMOTE_MANIFEST
        local.parent.mkdir(exist_ok=True)
        local.write_bytes(encode_manifest(manifest))
        self._run(["--mkpath", str(local), self.dest])

    def _delete_missing(self, paths: Sequence[str]) -> None:
        # the source holds the paths' folders but not the paths: rsync deletes them there
        empty = Path(tempfile.mkdtemp(prefix="empty-", dir=self.scratch))
        for relative in paths:
            (empty / relative).parent.mkdir(parents=True, exist_ok=True)
        listed = self._file_list("delete", paths)
        self._run(
            [
                "-r",
                "--delete-missing-args",
                f"--files-from={listed}",
                "--from0",
                f"{empty}/",
                self.dest,
            ]
        )

    def _file_list(self, name: str, paths: Sequence[str]) -> Path:
        listed = self.scratch / f"{name}.list"
        listed.write_bytes(b"".join(p.encode() + b"\0" for p in paths))
        return listed

    def _run(self, args: list[str], missing_ok: bool = False) -> str:
        command = ["rsync", *self.ssh, *args]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False
            )
        except FileNotFoundError:
            raise DeployError("rsync is not installed (e.g. `apt-get install rsync`)") from None
        if done.returncode == 0:
            return done.stdout
        if missing_ok and done.returncode == 23 and _MISSING in done.stderr:
            return ""  # the destination folder does not exist yet: nothing deployed there
        problem = done.stderr.strip().splitlines()[-3:] or [f"exit status {done.returncode}"]
        raise DeployError(f"rsync to {self.dest} failed: {' / '.join(problem)}")


def _destination(target: RsyncTarget, config: SiteConfig) -> str:
    """The destination folder with a trailing slash; a local one resolved and checked."""
    match = _REMOTE.match(target.dest)
    if match:
        if not match["path"].strip("/"):
            raise DeployError(
                f"{target.dest}: name a folder after the colon (e.g. user@host:/var/www/archive)"
            )
        return target.dest.rstrip("/") + "/"
    local = (config.root / target.dest).resolve()
    refuse_overlap(local, config)
    return f"{local}/"


def _ssh_options(target: RsyncTarget, root: Path) -> list[str]:
    """`-e ssh ...` for a remote destination; BatchMode: fail rather than ask for a password.

    Key and known_hosts paths are taken from the site folder when relative, like every path
    in site.yaml.
    """
    if not _REMOTE.match(target.dest):
        return []
    ssh = ["ssh", "-o", "BatchMode=yes"]
    if target.port is not None:
        ssh += ["-p", str(target.port)]
    if target.identity:
        ssh += ["-i", str(root / Path(target.identity).expanduser()), "-o", "IdentitiesOnly=yes"]
    if target.known_hosts:
        known = root / Path(target.known_hosts).expanduser()
        ssh += ["-o", f"UserKnownHostsFile={known}", "-o", "StrictHostKeyChecking=yes"]
    return ["-e", shlex.join(ssh)]


def _parse_listing(listing: str) -> tuple[set[str], frozenset[str]]:
    """Non-folder entries of `rsync --list-only -r` (perms, size, date, time, name), and the
    symlinks among them (rsync lists a link to a folder as a link, and never descends it)."""
    found, links = set(), set()
    for line in listing.splitlines():
        fields = line.split(None, 4)
        if len(fields) < 5 or fields[0].startswith("d"):
            continue
        name = fields[4]
        if fields[0].startswith("l"):
            name = name.split(" -> ", 1)[0]
            links.add(name)
        found.add(name)
    return found, frozenset(links)


def _is_private(relative: str) -> bool:
    return any(part.startswith(PRIVATE_PREFIX) for part in relative.split("/"))


def _emptied_folders(files: set[str], deleted: Sequence[str]) -> list[list[str]]:
    """Folders with no file left once `deleted` is gone, grouped by depth, deepest first."""
    remaining = files - set(deleted)
    occupied = {str(parent) for path in remaining for parent in PurePosixPath(path).parents}
    candidates = {str(parent) for path in deleted for parent in PurePosixPath(path).parents}
    emptied = candidates - occupied - {"."}
    by_depth: dict[int, list[str]] = {}
    for folder in emptied:
        by_depth.setdefault(folder.count("/"), []).append(folder)
    return [sorted(by_depth[depth]) for depth in sorted(by_depth, reverse=True)]
