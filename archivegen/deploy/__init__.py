"""Deploy: publish the built site to a target, sending only what changed.

One interface (`remote.Remote`), one module per kind (dir, rsync, git, s3), a pure planner
(`plan.plan_deploy`) and the orchestration (`run.deploy_site`).
"""

from archivegen.deploy.plan import DeployPlan, plan_deploy
from archivegen.deploy.run import DeployOptions, DeployReport, deploy_site
from archivegen.deploy.targets import Target, load_targets

__all__ = [
    "DeployOptions",
    "DeployPlan",
    "DeployReport",
    "Target",
    "deploy_site",
    "load_targets",
    "plan_deploy",
]
