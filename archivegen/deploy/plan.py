"""Pure: the built site's hashes + a target's state -> what to upload and delete.

Ownership is the rule that keeps a deploy from destroying what it did not make: a file is
deleted only when our own remote manifest lists it, the target still has it, and the site
no longer does. Files the target holds that we never deployed are counted and left alone;
one at a path the site also has (a hand-made `robots.txt`) is replaced only when the user
says so (`--adopt`), and is then listed. A symlink is never ours (we write none): one at a
site path is such a foreign file, and one where the site needs a folder is refused, since
writing through it would write outside the target.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from archivegen.deploy.remote import LocalFile, RemoteState
from archivegen.errors import DeployError


@dataclass(frozen=True, slots=True)
class DeployPlan:
    """What one deploy will do: N new, N changed, N deleted, and the bytes to send."""

    new: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    unchanged: int = 0
    foreign: int = 0  # files at the target that are not ours: never touched
    adopted: tuple[str, ...] = ()  # files not ours at the site's paths: replaced with --adopt
    upload_bytes: int = 0
    owned_before: int = 0  # files of ours the target held (the base of the deletion share)
    manifest: Mapping[str, str] = field(default_factory=dict)  # the remote manifest afterwards
    manifest_changed: bool = False

    @property
    def uploads(self) -> tuple[str, ...]:
        """New, changed and adopted files, in path order."""
        return tuple(sorted(self.new + self.changed + self.adopted))

    @property
    def is_empty(self) -> bool:
        """True when the target already holds exactly the site."""
        return not (self.uploads or self.deleted or self.manifest_changed)

    @property
    def delete_share(self) -> float:
        """Deleted files as a share of the files of ours the target held."""
        return len(self.deleted) / self.owned_before if self.owned_before else 0.0


# the hash a journal records for a file being sent: matches no file, so a rerun sends it again
PENDING = "pending"


def plan_deploy(local: Mapping[str, LocalFile], remote: RemoteState) -> DeployPlan:
    """Compare the site's hashes with the target's: upload what differs, delete what we left."""
    present = remote.present
    owned = {p: h for p, h in remote.owned.items() if p not in remote.links}
    new, changed, adopted, unchanged = [], [], [], 0
    for path, file in local.items():
        # a target that cannot be listed is trusted to hold what our manifest says
        exists = path in present if present is not None else path in owned
        if not exists:
            new.append(path)
        elif path not in owned:
            adopted.append(path)  # someone else's file (or symlink) where ours goes
        elif owned[path] == file.hash:
            unchanged += 1
        else:
            changed.append(path)  # ours, with another hash (or half sent: PENDING)
    ours_there = [p for p in owned if present is None or p in present]
    deleted = sorted(p for p in ours_there if p not in local)
    refuse_links_above([*local, *deleted], remote.links)
    foreign = len(present - set(owned) - set(local)) if present is not None else 0
    manifest = {path: file.hash for path, file in local.items()}
    return DeployPlan(
        new=tuple(sorted(new)),
        changed=tuple(sorted(changed)),
        deleted=tuple(deleted),
        unchanged=unchanged,
        foreign=foreign,
        adopted=tuple(sorted(adopted)),
        upload_bytes=sum(local[p].size for p in new + changed + adopted),
        owned_before=len(ours_there),
        manifest=manifest,
        manifest_changed=manifest != dict(remote.owned),
    )


def refuse_links_above(paths: list[str], links: frozenset[str]) -> None:
    """Refuse when a folder the deploy writes or deletes in is a symlink at the target."""
    if not links:
        return
    for path in paths:
        for parent in reversed(PurePosixPath(path).parents[:-1]):  # outermost first
            if str(parent) in links:
                raise DeployError(
                    f"{parent} at the target is a symlink, and the site has files under it "
                    f"({path}); a deploy never writes through symlinks (it would write outside "
                    "the target): replace it with a real folder, or remove it"
                )


def journal(plan: DeployPlan, owned: Mapping[str, str]) -> dict[str, str]:
    """The manifest written before anything is sent: what we own now, plus every upload as
    PENDING. A deploy killed midway leaves it in force, so the next one knows the files it
    sent are ours (to send again, or to delete when the site no longer has them)."""
    return {**owned, **dict.fromkeys(plan.uploads, PENDING)}


def check_takeover(plan: DeployPlan, adopt: bool, destination: str) -> None:
    """Refuse to replace files we did not write, unless the user said --adopt."""
    if adopt or not plan.adopted:
        return
    shown = ", ".join(plan.adopted[:10]) + (" ..." if len(plan.adopted) > 10 else "")
    raise DeployError(
        f"{len(plan.adopted)} file(s) at {destination} were not written by archivegen but the "
        f"site has files of the same name: {shown}; nothing was changed. Move them away, or "
        "rerun with --adopt to replace them with the site's (they then count as archivegen's)"
    )


def check_deletions(plan: DeployPlan, max_share: float, force: bool) -> None:
    """Refuse a deploy that would delete more than `max_share` of our files, unless forced.

    A site that suddenly loses most of its pages is far more often a broken build (wrong
    content folder, a filter gone wrong) than an intended purge.
    """
    if force or not plan.deleted or plan.delete_share <= max_share:
        return
    raise DeployError(
        f"refusing to delete {len(plan.deleted)} of {plan.owned_before} files "
        f"({plan.delete_share:.0%}, more than the {max_share:.0%} allowed by max_deletes); "
        "check the build, then rerun with --force if this is intended"
    )
