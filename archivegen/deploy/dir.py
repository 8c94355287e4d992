"""Deploy to a local folder, such as the root an nginx server serves.

Changed files are first copied into a staging folder inside the target (same filesystem),
then moved into place with os.replace: a reader sees each file old or new, never half
written, and the site is mixed old/new only for the few milliseconds of the renames.
os.replace onto a symlink replaces the link, not the file it points to; a symlinked folder
on the way to a file is refused by the plan (`plan.refuse_links_above`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

from archivegen.config import SiteConfig
from archivegen.deploy.remote import (
    PRIVATE_PREFIX,
    REMOTE_MANIFEST,
    LocalSite,
    RemoteState,
    decode_manifest,
    encode_manifest,
)
from archivegen.deploy.targets import DirTarget
from archivegen.errors import ArchivegenError, DeployError
from archivegen.faults import reach
from archivegen.output.atomic import write_atomic
from archivegen.output.cache import CACHE_DIR
from archivegen.render.theme import theme_dirs

STAGING = f"{PRIVATE_PREFIX}staging"


class DirRemote:
    """A folder on this machine."""

    extra_files: Mapping[str, bytes] = {}
    journaled = True

    def __init__(self, target: DirTarget, config: SiteConfig) -> None:
        self.root = (config.root / Path(target.path).expanduser()).resolve()
        refuse_overlap(self.root, config)

    def describe(self) -> str:
        """The folder's absolute path."""
        return str(self.root)

    def state(self) -> RemoteState:
        """Our manifest in the folder, and every file the folder holds."""
        manifest = self.root / REMOTE_MANIFEST
        data = manifest.read_bytes() if manifest.is_file() else None
        files, links = self._walk()
        return RemoteState(decode_manifest(data, str(manifest)), files | links, links)

    def upload(self, paths: Sequence[str], site: LocalSite) -> None:
        """Stage every file, then move them all into place."""
        staging = self.root / STAGING
        if staging.is_symlink():  # our private name, planted: never stage through it
            staging.unlink()
        shutil.rmtree(staging, ignore_errors=True)  # left by an interrupted deploy
        try:
            for relative in paths:
                target = staging / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(site.read(relative))
            for relative in paths:
                destination = self.root / relative
                if destination.is_dir():  # a folder of someone else's where our file goes
                    raise DeployError(f"{destination} is a folder; cannot put a file there")
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / relative, destination)
                reach("deploy-upload")
        except OSError as exc:
            raise DeployError(f"cannot write into {self.root}: {exc}") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def delete(self, paths: Sequence[str]) -> None:
        """Remove our files, and the folders they leave empty."""
        for relative in paths:
            path = self.root / relative
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                raise DeployError(f"cannot delete {path}: {exc}") from None
            _prune_empty_parents(path, self.root)
            reach("deploy-delete")

    def commit(self, manifest: Mapping[str, str]) -> None:
        """Write our manifest last."""
        write_atomic(self.root / REMOTE_MANIFEST, encode_manifest(manifest))

    def _walk(self) -> tuple[frozenset[str], frozenset[str]]:
        """The files and the symlinks (to files or folders: never descended) in the folder."""
        if not self.root.is_dir():
            return frozenset(), frozenset()
        files: list[str] = []
        links: list[str] = []
        for folder, dirs, names in os.walk(self.root):
            base = Path(folder).relative_to(self.root)
            links += [(base / d).as_posix() for d in dirs if (Path(folder) / d).is_symlink()]
            dirs[:] = [
                d
                for d in dirs
                if not d.startswith(PRIVATE_PREFIX) and not (Path(folder) / d).is_symlink()
            ]
            for name in names:
                if name.startswith(PRIVATE_PREFIX):
                    continue
                kind = links if (Path(folder) / name).is_symlink() else files
                kind.append((base / name).as_posix())
        return frozenset(files), frozenset(links)


def refuse_overlap(root: Path, config: SiteConfig) -> None:
    """The target must not hold the site folder, nor overlap a folder the build reads or
    writes: a target inside static/ is copied back into every build, doubling the site."""
    site = config.root.resolve()
    if root == site or root in site.parents:
        raise DeployError(f"{root} holds the site folder {site}; deploy into a folder of its own")
    for own in site_folders(config):
        if root == own or root in own.parents or own in root.parents:
            raise DeployError(
                f"{root} overlaps {own}; deploy into a folder of its own (e.g. /var/www/archive)"
            )


def site_folders(config: SiteConfig) -> list[Path]:
    """The folders of the site a build reads or writes (resolved)."""
    root = config.root.resolve()
    try:
        theme = theme_dirs(config)
    except ArchivegenError:
        theme = []  # no theme to protect (the build would report it)
    own = [config.output_path, config.content_path, root / config.templates_dir]
    own += [root / config.static_dir, root / CACHE_DIR, *theme]
    return [folder.resolve() for folder in own]


def _prune_empty_parents(path: Path, root: Path) -> None:
    parent = path.parent
    while parent != root and root in parent.parents:
        try:
            parent.rmdir()
        except OSError:  # not empty (someone else's files, or more of ours): stop here
            return
        parent = parent.parent
