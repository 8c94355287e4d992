"""The one interface every deploy target implements, and the files it is handed.

    Remote            a destination: its state, then upload, delete, commit (in that order)
    RemoteState       what the destination holds: the files we own (with hashes) and all present
    LocalSite         the built site: file hashes from the build manifest, bytes on demand

The order is what makes an interrupted deploy safe to rerun: files are uploaded and
deleted first; the remote manifest, which says what we own and what it holds, is written
last. Until then the old manifest is in force, so a rerun sees the unfinished files as
changed or new and sends them again.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Protocol

from archivegen.digest import digest
from archivegen.errors import DeployError
from archivegen.output.manifest import MANIFEST, read_manifest

REMOTE_MANIFEST = ".archivegen-deploy.json"
REMOTE_MANIFEST_VERSION = 1
PRIVATE_PREFIX = ".archivegen-"  # archivegen's own files: never deployed, never deleted


@dataclass(frozen=True, slots=True)
class RemoteState:
    """What a target holds now.

    `owned`: the files our last finished deploy left there (path -> content hash).
    `present`: every file found there, ours or not; None when the target cannot be listed.
    `links`: the symlinks among them (to a file or to a folder), never ours.
    """

    owned: Mapping[str, str] = field(default_factory=dict)
    present: frozenset[str] | None = None
    links: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class LocalFile:
    """One file of the built site."""

    hash: str
    size: int


class Remote(Protocol):
    """A deploy destination. `commit` is called last, once uploads and deletes succeeded
    (and, when `journaled`, first too, with the journal: see `plan.journal`)."""

    journaled: bool  # False where a deploy is one atomic step (a git push)

    @property
    def extra_files(self) -> Mapping[str, bytes]:
        """Files this kind adds to the site (git: `.nojekyll`, `CNAME`), path -> bytes."""
        ...

    def describe(self) -> str:
        """Where the files go, for the report (never a credential)."""
        ...

    def state(self) -> RemoteState:
        """List what the target holds and what our last deploy left there."""
        ...

    def upload(self, paths: Sequence[str], site: LocalSite) -> None:
        """Send these files of the site (new or changed)."""
        ...

    def delete(self, paths: Sequence[str]) -> None:
        """Remove these files, all of them ours, from the target; missing ones are fine."""
        ...

    def commit(self, manifest: Mapping[str, str]) -> None:
        """Record what the target now holds (written last: see the module docstring)."""
        ...


class LocalSite:
    """The built site as the build manifest describes it, plus a target's extra files."""

    def __init__(self, root: Path, files: dict[str, LocalFile], extras_dir: Path) -> None:
        self.root = root
        self.files = files
        self.extras_dir = extras_dir
        self._extras: set[str] = set()

    def add_extras(self, extras: Mapping[str, bytes]) -> None:
        """Add a target's own files (they win over site files of the same name)."""
        for relative, data in extras.items():
            target = self.extras_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            self.files[relative] = LocalFile(digest(data), len(data))
            self._extras.add(relative)

    def path(self, relative: str) -> Path:
        """Where a file's bytes are on disk."""
        base = self.extras_dir if relative in self._extras else self.root
        return base / relative

    def read(self, relative: str) -> bytes:
        """A file's bytes, refused when they are not what the build recorded."""
        try:
            data = self.path(relative).read_bytes()
        except OSError as exc:
            raise DeployError(f"cannot read {relative}: {exc}; rebuild the site") from None
        if digest(data) != self.files[relative].hash:
            raise DeployError(
                f"{relative} changed since the build (its hash differs from the build "
                "manifest); run `archivegen build` again before deploying",
                path=self.root,
            )
        return data

    def verify(self, paths: Sequence[str]) -> None:
        """Check these files against the build manifest (for targets that send files by path)."""
        for relative in paths:
            self.read(relative)


@contextmanager
def open_local_site(output: Path) -> Iterator[LocalSite]:
    """The built site in `output`; refused when it has no build manifest (not built yet)."""
    hashes = read_manifest(output)
    if hashes is None:
        raise DeployError(
            f"{output} has no build manifest ({MANIFEST}); run `archivegen build` first",
            path=output,
        )
    files: dict[str, LocalFile] = {}
    for relative, file_digest in hashes.items():
        if not is_deployable(relative):
            continue
        try:
            size = (output / relative).stat().st_size
        except OSError:
            raise DeployError(
                f"{relative} is in the build manifest but missing; run `archivegen build` again",
                path=output,
            ) from None
        files[relative] = LocalFile(file_digest, size)
    with tempfile.TemporaryDirectory(prefix="archivegen-deploy-") as scratch:
        yield LocalSite(output, files, Path(scratch))


def is_deployable(relative: str) -> bool:
    """A plain relative path, not one of archivegen's own files (manifests, staging)."""
    return is_safe_path(relative) and not PurePosixPath(relative).name.startswith(PRIVATE_PREFIX)


def is_safe_path(relative: str) -> bool:
    """True for a relative path that stays inside its root (no `..`, no absolute path)."""
    parts = relative.split("/")
    return (
        bool(relative)
        and not relative.startswith("/")
        and all(p not in ("", ".", "..") and "\\" not in p and "\x00" not in p for p in parts)
    )


def encode_manifest(files: Mapping[str, str]) -> bytes:
    """The remote manifest's bytes: what this deploy left at the target."""
    data = {"version": REMOTE_MANIFEST_VERSION, "generator": "archivegen", "files": dict(files)}
    return json.dumps(data, sort_keys=True, indent=0).encode() + b"\n"


def decode_manifest(data: bytes | None, where: str) -> dict[str, str]:
    """Parse a remote manifest; an absent one means we own nothing there yet."""
    if data is None:
        return {}
    try:
        parsed = json.loads(data)
    except ValueError:
        raise DeployError(
            f"{REMOTE_MANIFEST} at {where} is not valid JSON; fix or remove it"
        ) from None
    if not isinstance(parsed, dict):
        parsed = {}
    files = parsed.get("files")
    if parsed.get("version") != REMOTE_MANIFEST_VERSION or not isinstance(files, dict):
        raise DeployError(f"{REMOTE_MANIFEST} at {where} has an unknown format")
    unsafe = [p for p in files if not is_safe_path(str(p))]
    if unsafe:
        # a tampered manifest must never steer a delete outside the target
        raise DeployError(f"{REMOTE_MANIFEST} at {where} lists unsafe paths: {unsafe[:3]}")
    return {str(p): str(h) for p, h in files.items()}
