"""Where the importer tests find the shared corpus (never copied into the repository)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"

SharedPath = Callable[..., Path]


@pytest.fixture
def shared() -> SharedPath:
    """A function giving a path under ../shared, or skipping the test saying what is missing."""

    def find(*parts: str) -> Path:
        path = SHARED.joinpath(*parts)
        if not path.exists():
            pytest.skip(f"../shared/{'/'.join(parts)} is absent (shared corpus not checked out)")
        return path

    return find
