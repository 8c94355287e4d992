"""How long a name and a path in the output may be, asked of the filesystem that holds it.

A slug or an alias becomes a folder in public/: one longer than the filesystem's NAME_MAX
(255 bytes on ext4), or a path past PATH_MAX (4,096 on Linux) once the output folder is
in front of it, fails with ENAMETOOLONG in the middle of writing. Checked while the
article is read instead, so the error can name its file, line and field.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# the staging folder beside the output (`.public.staging-PID`) and a page's `index.html`
_STAGING_AND_INDEX = len(".staging-4294967295") + 1 + len("/index.html")


@dataclass(frozen=True, slots=True)
class PathLimits:
    """The longest folder name, and the longest site path (URL) below the output folder."""

    name_max: int
    url_max: int

    def problem(self, url: str) -> str | None:
        """Why `url` cannot be written below the output folder (None: it can)."""
        for segment in url.split("/"):
            if len(os.fsencode(segment)) > self.name_max:
                return (
                    f"has a segment of {len(os.fsencode(segment))} bytes; this filesystem "
                    f"allows {self.name_max} in a name"
                )
        if len(os.fsencode(url)) > self.url_max:
            return (
                f"is {len(os.fsencode(url))} bytes long; below the output folder this "
                f"filesystem allows {self.url_max} (PATH_MAX)"
            )
        return None


@lru_cache(maxsize=8)
def path_limits(output: Path) -> PathLimits:
    """The limits for pages written below `output` (which need not exist yet)."""
    probe = output
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    name_max = _pathconf(probe, "PC_NAME_MAX", 255)
    path_max = _pathconf(probe, "PC_PATH_MAX", 4096)
    room = path_max - len(os.fsencode(str(output))) - _STAGING_AND_INDEX
    return PathLimits(name_max=name_max, url_max=max(room, 0))


def _pathconf(folder: Path, name: str, usual: int) -> int:
    try:
        value = os.pathconf(folder, name)
    except (OSError, ValueError):  # no answer (some FUSE mounts): the usual Linux value
        return usual
    return value if value > 0 else usual  # -1: no limit to report
