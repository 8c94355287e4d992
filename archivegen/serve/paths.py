"""Map a request path to a file of the output folder, and never to anything outside it.

Refused: `..` and `.` segments (raw or percent-encoded), backslashes, NUL bytes, hidden
segments (the build manifest is not part of the site) and any file whose real path, symlinks
resolved, lies outside the output folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from urllib.parse import quote, unquote


class Outcome(Enum):
    """What a request path turned out to name."""

    FILE = "file"
    REDIRECT = "redirect"  # a folder asked for without its trailing slash
    NOT_FOUND = "not found"
    FORBIDDEN = "forbidden"


@dataclass(frozen=True, slots=True)
class Resolved:
    """The outcome, the file to send (FILE) or the location to redirect to (REDIRECT)."""

    outcome: Outcome
    file: Path | None = None
    location: str = ""


FORBIDDEN = Resolved(Outcome.FORBIDDEN)
NOT_FOUND = Resolved(Outcome.NOT_FOUND)


def request_segments(raw_path: str) -> list[str] | None:
    """The decoded path segments of a request target, or None when it tries to escape.

    Both the raw and the decoded forms are checked, so `%2e%2e`, `%2f..` and `%5c` are
    refused exactly like `..`, `/` tricks and backslashes.
    """
    path = target_path(raw_path)
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    if not decoded.startswith("/"):
        return None
    for form in (path, decoded):
        if "\\" in form or "\x00" in form:
            return None
        if any(segment in (".", "..") for segment in form.split("/")):
            return None
    return [segment for segment in decoded.split("/") if segment]


def target_path(raw_path: str) -> str:
    """The path part of a request target (`/a/b?q=1#x` -> `/a/b`), still percent-encoded.

    Not `urlsplit`: it would read `//host/x` as a host and a path.
    """
    return raw_path.split("?", 1)[0].split("#", 1)[0]


def resolve_request(root: Path, raw_path: str) -> Resolved:
    """Decide what `raw_path` (as sent by the client) names inside the output folder `root`."""
    segments = request_segments(raw_path)
    if segments is None:
        return FORBIDDEN
    if any(segment.startswith(".") for segment in segments):
        return NOT_FOUND  # hidden files (the manifest, staging leftovers) are not the site's
    root = root.resolve()
    candidate = root.joinpath(*segments)
    try:
        is_dir = candidate.is_dir()
    except OSError:  # a segment or path too long for the filesystem (ENAMETOOLONG)
        return NOT_FOUND
    if is_dir:
        if not target_path(raw_path).endswith("/"):
            # built from the segments, never from the raw target: `//host/x` must not redirect away
            location = "/" + "".join(quote(segment) + "/" for segment in segments)
            return Resolved(Outcome.REDIRECT, location=location)
        candidate = candidate / "index.html"
    return contained_file(root, candidate)


def contained_file(root: Path, candidate: Path) -> Resolved:
    """FILE when `candidate` is a regular file whose real path is inside `root` (resolved)."""
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a symlink loop
        return FORBIDDEN if candidate.is_symlink() else NOT_FOUND
    if root not in real.parents:
        return FORBIDDEN  # a symlink pointing out of the output folder
    if not real.is_file():
        return NOT_FOUND
    return Resolved(Outcome.FILE, file=real)
