"""site.yaml `deploy:` -> typed, validated deploy targets.

`SiteConfig.deploy` holds the raw mappings; this module turns each into a frozen dataclass
of its kind. Every field is declared once on its dataclass (type, default, required when it
has no default); the validator walks those declarations, reports every problem as
`site.yaml:LINE: deploy[N].field: what is wrong`, and refuses credentials outright: they
belong in the environment or an AWS profile, never in a file that is committed.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from archivegen.errors import ConfigError, raise_all

DEFAULT_MAX_DELETES = 0.25
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_SECRET_WORDS = ("secret", "password", "passwd", "token", "credential", "access_key")


@dataclass(frozen=True, slots=True)
class DirTarget:
    """A local folder, e.g. the root a web server (nginx) serves."""

    name: str
    path: str
    kind: str = "dir"
    max_deletes: float = DEFAULT_MAX_DELETES


@dataclass(frozen=True, slots=True)
class RsyncTarget:
    """rsync to a local path or over ssh (`user@host:path`)."""

    name: str
    dest: str
    kind: str = "rsync"
    port: int | None = None
    identity: str | None = None  # a private key file for ssh -i (its path, never its content)
    known_hosts: str | None = None  # pin the host key (CI has no ~/.ssh/known_hosts)
    max_deletes: float = DEFAULT_MAX_DELETES


@dataclass(frozen=True, slots=True)
class GitTarget:
    """A branch of a git remote (GitHub/GitLab Pages style): one new commit per deploy."""

    name: str
    remote: str
    kind: str = "git"
    branch: str = "gh-pages"
    cname: str | None = None
    nojekyll: bool = True
    message: str = "Deploy with archivegen"
    max_deletes: float = DEFAULT_MAX_DELETES


@dataclass(frozen=True, slots=True)
class S3Target:
    """An S3-compatible bucket; credentials come from the environment or an AWS profile."""

    name: str
    bucket: str
    kind: str = "s3"
    prefix: str = ""
    endpoint_url: str | None = None
    region: str | None = None
    profile: str | None = None  # the name of an AWS profile, not a secret
    cache_control: dict[str, str] = dataclasses.field(default_factory=dict)  # glob -> header
    gzip: bool = False
    max_deletes: float = DEFAULT_MAX_DELETES


Target = DirTarget | RsyncTarget | GitTarget | S3Target
KINDS: dict[str, type[Any]] = {
    "dir": DirTarget,
    "rsync": RsyncTarget,
    "git": GitTarget,
    "s3": S3Target,
}


def load_targets(raw: tuple[dict[str, Any], ...], config_file: Path) -> tuple[Target, ...]:
    """Validate every `deploy:` entry; report all problems of all entries together."""
    lines = _item_lines(config_file)
    errors: list[ConfigError] = []
    targets: list[Target] = []
    for index, item in enumerate(raw):
        where = _Where(str(config_file), index, lines.get(index, {}))
        target = _build_target(item, where, errors)
        if target is not None:
            targets.append(target)
    seen: set[str] = set()
    for index, target in enumerate(targets):
        if target.name in seen:
            where = _Where(str(config_file), index, lines.get(index, {}))
            errors.append(where.error("name", f"{target.name!r} names two targets"))
        seen.add(target.name)
    raise_all(errors)
    return tuple(targets)


def select_target(targets: tuple[Target, ...], name: str | None, config_file: Path) -> Target:
    """The target called `name`; without a name, the only one (several: the user must choose)."""
    names = ", ".join(t.name for t in targets)
    if not targets:
        raise ConfigError(
            "no deploy targets: add a `deploy:` list (see docs/deploying.md)",
            path=config_file,
            field="deploy",
        )
    if name is None:
        if len(targets) > 1:
            raise ConfigError(
                f"{len(targets)} targets ({names}): name the one to deploy to",
                path=config_file,
                field="deploy",
            )
        return targets[0]
    for target in targets:
        if target.name == name:
            return target
    raise ConfigError(
        f"no target named {name!r} (known: {names})", path=config_file, field="deploy"
    )


@dataclass(frozen=True, slots=True)
class _Where:
    path: str
    index: int
    lines: dict[str, int]

    def error(self, key: str | None, message: str) -> ConfigError:
        field = f"deploy[{self.index}]" + (f".{key}" if key else "")
        line = self.lines.get(key or "", self.lines.get(""))
        return ConfigError(message, path=self.path, line=line, field=field)


def _build_target(item: dict[str, Any], where: _Where, errors: list[ConfigError]) -> Target | None:
    kind = item.get("kind")
    if kind not in KINDS:
        found = f"{kind!r} is not" if kind is not None else "missing:"
        errors.append(where.error("kind", f"{found} one of {', '.join(KINDS)}"))
        return None
    cls = KINDS[kind]
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    before = len(errors)
    values: dict[str, Any] = {}
    for key, value in item.items():
        name = str(key)
        if _is_secret(name):
            errors.append(where.error(name, _SECRET_MESSAGE))
        elif name not in known:
            errors.append(where.error(name, f"unknown key for kind {kind} (known: {_list(cls)})"))
        else:
            values[name] = _coerce(hints[name], value, where, name, errors)
    for f in dataclasses.fields(cls):
        if _required(f) and f.name not in item:
            errors.append(where.error(f.name, f"missing (kind {kind} needs it)"))
    if len(errors) > before:
        return None
    target: Target = cls(**values)
    errors.extend(where.error(key, message) for key, message in _check_values(target))
    return target if len(errors) == before else None


_SECRET_MESSAGE = (
    "credentials are never read from site.yaml (it is usually committed); set them in the "
    "environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or name an AWS `profile`"
)


def _is_secret(key: str) -> bool:
    lowered = key.lower()
    return any(word in lowered for word in _SECRET_WORDS)


def _required(f: dataclasses.Field[Any]) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def _list(cls: type[Any]) -> str:
    return ", ".join(f.name for f in dataclasses.fields(cls))


def _coerce(hint: Any, value: Any, where: _Where, key: str, errors: list[ConfigError]) -> Any:
    optional = isinstance(hint, types.UnionType) and type(None) in typing.get_args(hint)
    if optional:
        if value is None:
            return None
        hint = next(a for a in typing.get_args(hint) if a is not type(None))
    if typing.get_origin(hint) is dict:
        if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            return {str(k): v for k, v in value.items()}
        errors.append(where.error(key, "must be a mapping of glob: text"))
        return {}
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, hint) and not (hint is int and isinstance(value, bool)):
        return value
    expected = {str: "text", int: "a whole number", bool: "true or false", float: "a number"}
    errors.append(where.error(key, f"must be {expected.get(hint, hint.__name__)}"))
    return value


def _check_values(target: Target) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if not _NAME.match(target.name):
        problems.append(("name", "use letters, digits, '.', '_' and '-' only"))
    if not 0.0 <= target.max_deletes <= 1.0:
        problems.append(("max_deletes", "must be a share between 0 and 1 (e.g. 0.25 for 25%)"))
    if isinstance(target, RsyncTarget) and target.port is not None and not 0 < target.port < 65536:
        problems.append(("port", "must be between 1 and 65535"))
    if isinstance(target, GitTarget) and not re.match(r"^[A-Za-z0-9._/-]+$", target.branch):
        problems.append(("branch", "is not a plain branch name"))
    if isinstance(target, S3Target):
        if not _BUCKET.match(target.bucket):
            problems.append(("bucket", "must be 3-63 lowercase letters, digits, '.' or '-'"))
        if ".." in target.prefix.split("/"):
            problems.append(("prefix", "must not contain `..`"))
        if target.endpoint_url and not target.endpoint_url.startswith(("http://", "https://")):
            problems.append(("endpoint_url", "must start with http:// or https://"))
    return problems


def _item_lines(config_file: Path) -> dict[int, dict[str, int]]:
    """Line numbers of each `deploy:` item's keys ('' for the item), for error messages."""
    try:
        root = yaml.compose(config_file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    if not isinstance(root, yaml.MappingNode):
        return {}
    found: dict[int, dict[str, int]] = {}
    for key, value in root.value:
        if key.value != "deploy" or not isinstance(value, yaml.SequenceNode):
            continue
        for index, item in enumerate(value.value):
            lines = {"": item.start_mark.line + 1}
            if isinstance(item, yaml.MappingNode):
                lines.update({k.value: k.start_mark.line + 1 for k, _ in item.value})
            found[index] = lines
    return found
