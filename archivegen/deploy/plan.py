"""Pure: the built site's hashes + a target's state -> what to upload and delete.

Ownership is the rule that keeps a deploy from destroying what it did not make: a file is
deleted only when our own remote manifest lists it, the target still has it, and the site
no longer does. Files the target holds that we never deployed are counted and left alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

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
    upload_bytes: int = 0
    owned_before: int = 0  # files of ours the target held (the base of the deletion share)
    manifest: Mapping[str, str] = field(default_factory=dict)  # the remote manifest afterwards
    manifest_changed: bool = False

    @property
    def uploads(self) -> tuple[str, ...]:
        """New and changed files, in path order."""
        return tuple(sorted(self.new + self.changed))

    @property
    def is_empty(self) -> bool:
        """True when the target already holds exactly the site."""
        return not (self.new or self.changed or self.deleted or self.manifest_changed)

    @property
    def delete_share(self) -> float:
        """Deleted files as a share of the files of ours the target held."""
        return len(self.deleted) / self.owned_before if self.owned_before else 0.0


def plan_deploy(local: Mapping[str, LocalFile], remote: RemoteState) -> DeployPlan:
    """Compare the site's hashes with the target's: upload what differs, delete what we left."""
    present = remote.present
    new, changed, unchanged = [], [], 0
    for path, file in local.items():
        # a target that cannot be listed is trusted to hold what our manifest says
        exists = path in present if present is not None else path in remote.owned
        if not exists:
            new.append(path)
        elif remote.owned.get(path) == file.hash:
            unchanged += 1
        else:
            changed.append(path)  # ours with another hash, or someone else's file we replace
    ours_there = [p for p in remote.owned if present is None or p in present]
    deleted = sorted(p for p in ours_there if p not in local)
    foreign = len(present - set(remote.owned) - set(local)) if present is not None else 0
    manifest = {path: file.hash for path, file in local.items()}
    return DeployPlan(
        new=tuple(sorted(new)),
        changed=tuple(sorted(changed)),
        deleted=tuple(deleted),
        unchanged=unchanged,
        foreign=foreign,
        upload_bytes=sum(local[p].size for p in new + changed),
        owned_before=len(ours_there),
        manifest=manifest,
        manifest_changed=manifest != dict(remote.owned),
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
