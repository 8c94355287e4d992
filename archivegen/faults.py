"""Fault injection for the robustness tests: kill this process at a named point.

`ARCHIVEGEN_FAULT=<point>:<n>` sends SIGKILL (what a power cut, the OOM killer or `kill -9`
does: no cleanup runs) the n-th time the process reaches `<point>`. Unset, a point costs
one environment lookup.
"""

from __future__ import annotations

import os
import signal

_reached: dict[str, int] = {}


def reach(point: str) -> None:
    """Mark a point of the build where a kill must be survivable."""
    spec = os.environ.get("ARCHIVEGEN_FAULT")
    if not spec:
        return
    name, _, count = spec.partition(":")
    if name != point:
        return
    _reached[point] = _reached.get(point, 0) + 1
    if _reached[point] == int(count or 1):
        os.kill(os.getpid(), signal.SIGKILL)
