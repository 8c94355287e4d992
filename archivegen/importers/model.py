"""The values the importers pass around: an article read from a raw page, and the report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from archivegen.errors import ImportError_


@dataclass(frozen=True, slots=True)
class ImportedArticle:
    """One article read from a raw page, before it becomes a Markdown file."""

    title: str
    date: datetime
    body: str  # Markdown, one paragraph per block
    origin: str  # the raw file (and row) it came from, for messages
    authors: tuple[str, ...] = ()
    category: str | None = None
    tags: tuple[str, ...] = ()
    image_caption: str | None = None
    source: str | None = None
    section: str | None = None
    # further front matter fields (site name, licence, credit...), kept in order
    extra: tuple[tuple[str, str], ...] = ()


class Status(Enum):
    """What happened to one raw page."""

    IMPORTED = "imported"
    UPDATED = "updated"  # re-imported over an unedited earlier import (or with --force)
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"  # the same article was met earlier in this run
    KEPT = "kept"  # the file was edited by hand; not overwritten without --force
    REFUSED = "refused"  # not an article (home or listing page)
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """The fate of one raw page (or one row of a CSV/JSONL file)."""

    origin: str  # "path" or "path:line"
    status: Status
    target: str | None = None  # the .md file written, kept or matched
    reason: str | None = None  # why it was refused, failed or kept


@dataclass(frozen=True, slots=True)
class ImportReport:
    """Everything one import did (or, in a dry run, would do)."""

    outcomes: tuple[ImportOutcome, ...]
    dry_run: bool = False

    def count(self, status: Status) -> int:
        """How many raw pages ended with this status."""
        return sum(1 for o in self.outcomes if o.status is status)

    @property
    def problems(self) -> tuple[ImportOutcome, ...]:
        """The refused and failed pages, each with its reason."""
        bad = (Status.FAILED, Status.REFUSED)
        return tuple(o for o in self.outcomes if o.status in bad)

    @property
    def is_partial(self) -> bool:
        """True when some pages were not imported (failed or refused): the CLI exits 2."""
        return bool(self.problems)

    @property
    def exit_code(self) -> int:
        """0 when every page was handled, 2 for a partial import."""
        return 2 if self.is_partial else 0

    def summary(self) -> str:
        """One line: counts of every status that occurred."""
        counts = ((s, self.count(s)) for s in Status)
        parts = [f"{n} {s.value}" for s, n in counts if n]
        prefix = "dry run: " if self.dry_run else ""
        return prefix + (", ".join(parts) if parts else "nothing to import")


class NotAnArticle(ImportError_):
    """The page is a home or listing page: refused, never imported."""
