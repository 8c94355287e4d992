"""A deploy, start to end: choose the target, read both sides, plan, guard, send, commit.

Nothing here prints: the caller passes `confirm` (asked before any deletion) and gets a
DeployReport back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from archivegen.config import CONFIG_FILE, SiteConfig
from archivegen.deploy.plan import (
    DeployPlan,
    check_deletions,
    check_takeover,
    journal,
    plan_deploy,
)
from archivegen.deploy.remote import Remote, open_local_site
from archivegen.deploy.targets import (
    DirTarget,
    GitTarget,
    RsyncTarget,
    S3Target,
    Target,
    load_targets,
    select_target,
)
from archivegen.errors import DeployError
from archivegen.faults import reach


@dataclass(frozen=True, slots=True)
class DeployOptions:
    """What the command line may change about one deploy."""

    target: str | None = None
    dry_run: bool = False
    yes: bool = False  # delete without asking
    force: bool = False  # allow more deletions than the target's max_deletes
    adopt: bool = False  # replace files at the site's paths that archivegen did not write
    config_file: Path = Path(CONFIG_FILE)  # for error messages and line numbers


@dataclass(frozen=True, slots=True)
class DeployReport:
    """The outcome of a deploy (or of a dry run: `done` is False)."""

    target: str
    kind: str
    destination: str
    plan: DeployPlan
    done: bool
    seconds: float


Confirm = Callable[[DeployPlan, str], bool]


def deploy_site(config: SiteConfig, options: DeployOptions, confirm: Confirm) -> DeployReport:
    """Deploy the built site to one target; a dry run only plans."""
    started = time.perf_counter()
    targets = load_targets(config.deploy, options.config_file)
    target = select_target(targets, options.target, options.config_file)
    with open_local_site(config.output_path) as site, open_remote(target, config) as remote:
        site.add_extras(remote.extra_files)
        state = remote.state()
        plan = plan_deploy(site.files, state)
        destination = remote.describe()

        def report(done: bool) -> DeployReport:
            seconds = time.perf_counter() - started
            return DeployReport(target.name, target.kind, destination, plan, done, seconds)

        if options.dry_run or plan.is_empty:
            return report(done=False)
        check_takeover(plan, options.adopt, destination)
        check_deletions(plan, target.max_deletes, options.force)
        if plan.deleted and not options.yes and not confirm(plan, destination):
            raise DeployError("cancelled: nothing was changed (pass --yes to delete unasked)")
        if remote.journaled:
            remote.commit(journal(plan, state.owned))
            reach("deploy-journaled")
        remote.upload(plan.uploads, site)
        reach("deploy-uploaded")
        remote.delete(plan.deleted)
        reach("deploy-deleted")
        remote.commit(plan.manifest)
        return report(done=True)


@contextmanager
def open_remote(target: Target, config: SiteConfig) -> Iterator[Remote]:
    """Connect to a target of any kind (each kind's module is imported only when used)."""
    if isinstance(target, DirTarget):
        from archivegen.deploy.dir import DirRemote

        yield DirRemote(target, config)
    elif isinstance(target, RsyncTarget):
        from archivegen.deploy.rsync import RsyncRemote

        with RsyncRemote.open(target, config) as rsync:
            yield rsync
    elif isinstance(target, GitTarget):
        from archivegen.deploy.git import GitRemote

        with GitRemote.open(target, config) as git:
            yield git
    elif isinstance(target, S3Target):
        from archivegen.deploy.s3 import S3Remote

        yield S3Remote.open(target)
    else:  # pragma: no cover - load_targets knows every kind
        raise DeployError(f"unknown deploy kind {target.kind!r}")
