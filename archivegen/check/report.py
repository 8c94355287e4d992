"""What a check found: problems with file and line, and the counts for the summary."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One problem in one file of the built site (line 0: the file as a whole)."""

    path: str
    line: int
    message: str
    is_error: bool = True

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class CheckReport:
    """All problems of a check, sorted by file and line."""

    pages: int
    links: int
    feeds: int
    problems: tuple[Problem, ...]
    external: int = 0  # distinct external URLs requested (0 without --external)

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems that fail the check."""
        return tuple(p for p in self.problems if p.is_error)

    def summary(self) -> str:
        """One closing line."""
        warnings = len(self.problems) - len(self.errors)
        checked = f"{self.pages} pages, {self.links} links, {self.feeds} feeds/sitemaps"
        if self.external:
            checked += f", {self.external} external URLs"
        verdict = "OK" if not self.errors else f"{len(self.errors)} error(s)"
        return f"Checked {checked}: {verdict}, {warnings} warning(s)"
