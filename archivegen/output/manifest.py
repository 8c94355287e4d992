"""The output's manifest: `.archivegen-manifest.json`, the hash of every file of the site.

Written last by each commit, it marks the folder as archivegen's and vouches for its
bytes: a build compares against it to write only what changed, a deploy to send only what
changed. It carries a check (the digest of its file list), so that a stray, truncated or
hand-made file of that name does not make a user's folder look like archivegen's.

While a commit moves files in, a journal (`.archivegen-commit`) says so: if the commit
stops half-way (killed, disk full), the manifest no longer describes the bytes, and
`read_manifest` trusts nothing until a build has replaced the whole site.
"""

from __future__ import annotations

import json
from pathlib import Path

from archivegen.digest import digest
from archivegen.output.atomic import write_atomic

MANIFEST = ".archivegen-manifest.json"
MANIFEST_VERSION = 1
JOURNAL = ".archivegen-commit"


def manifest_bytes(hashes: dict[str, str]) -> bytes:
    """The manifest of a site whose files have these hashes."""
    data = {
        "version": MANIFEST_VERSION,
        "generator": "archivegen",
        "files": hashes,
        "check": _check(hashes),
    }
    return json.dumps(data, sort_keys=True, separators=(",", ":")).encode()


def _check(hashes: dict[str, str]) -> str:
    return digest(json.dumps(hashes, sort_keys=True, separators=(",", ":")).encode())


def manifest_file_digest(output: Path) -> str:
    """The digest of the output's manifest as it is on disk ('' when absent)."""
    try:
        return digest((output / MANIFEST).read_bytes())
    except OSError:
        return ""


def read_manifest(output: Path) -> dict[str, str] | None:
    """The file hashes of the last good build, or None when there is none we can trust
    (no manifest, not archivegen's, or a commit that stopped half-way)."""
    if commit_interrupted(output):
        return None
    files, _ = _parse(output)
    return files


def manifest_problem(output: Path) -> str | None:
    """Why the output's manifest does not mark the folder as archivegen's (None: it does)."""
    return _parse(output)[1]


def _parse(output: Path) -> tuple[dict[str, str] | None, str | None]:
    try:
        data = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, f"no {MANIFEST}"
    except (OSError, ValueError) as exc:
        return None, f"{MANIFEST} cannot be read ({exc})"
    if not isinstance(data, dict) or data.get("generator") != "archivegen":
        return None, f"{MANIFEST} was not written by archivegen"
    files = data.get("files")
    if data.get("version") != MANIFEST_VERSION or not _is_file_map(files):
        return None, f"{MANIFEST} has an unknown format"
    assert isinstance(files, dict)
    check = data.get("check")
    if check is not None and check != _check(files):  # None: written before the check was
        return None, f"{MANIFEST} fails its check (edited or damaged)"
    return files, None


def _is_file_map(files: object) -> bool:
    return isinstance(files, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in files.items()
    )


def begin_commit(output: Path) -> None:
    """Say that a commit is about to change files of the output (before it does)."""
    write_atomic(output / JOURNAL, b"a commit is moving files in: the manifest is not theirs\n")


def end_commit(output: Path) -> None:
    """The commit is complete: its manifest (written just before) vouches for the files."""
    (output / JOURNAL).unlink(missing_ok=True)


def commit_interrupted(output: Path) -> bool:
    """True when a commit began and did not end: the output is part old, part new."""
    return (output / JOURNAL).exists()
