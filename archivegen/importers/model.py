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
    date: datetime | None  # None: the page states none (date_evidence decides, or refuses)
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
    updated: datetime | None = None  # "Diperbarui ..." / "Updated ..."
    captured: datetime | None = None  # when the page was fetched, if the source says
    date_source: DateSource | None = None  # None: the date is the page's own
    date_has_time: bool = True  # False for a day without a time (a URL, "25 September 2018")
    date_problem: str | None = None  # why the page's own date evidence was not taken
    # True: not to be published (a WordPress draft or private post); False: the source says
    # it is published (a re-import of a draft since published clears the flag); None: silent
    draft: bool | None = None


class DateSource(Enum):
    """Where a date that the page does not state came from (`date_source:` in front matter)."""

    URL = "url"  # /2022/10/04/ in the source URL
    MTIME = "mtime"  # the raw file's modification time (--fallback-date mtime)
    GIVEN = "given"  # --fallback-date YYYY-MM-DD
    UPDATED = "updated"  # the page's "updated" date (--fallback-date updated)
    CAPTURE = "capture"  # the page's capture time (--fallback-date capture)
    RELATIVE = "relative"  # "3 jam yang lalu", counted back from the capture time


class Status(Enum):
    """What happened to one raw page."""

    NEW = "new"
    UPDATED = "updated"  # merged into an unedited earlier import (or with --force)
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"  # met earlier in this run, and adds nothing to it
    KEPT = "kept by hand"  # the file was edited by hand; not overwritten without --force
    REFUSED = "refused"  # not an article (home or listing page)
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """The fate of one raw page (or one row of a CSV/JSONL file)."""

    origin: str  # "path" or "path:line"
    status: Status
    target: str | None = None  # the .md file written, kept or matched
    reason: str | None = None  # why it was refused, failed or kept
    missing: str | None = None  # the required field it lacks, for one summary line with the fix
    notes: tuple[str, ...] = ()  # what the import changed to make it build (a field dropped)


@dataclass(frozen=True, slots=True)
class FileNote:
    """What an import did to a whole input file that the user should know (its encoding)."""

    origin: str
    message: str


@dataclass(frozen=True, slots=True)
class ImportReport:
    """Everything one import did (or, in a dry run, would do)."""

    outcomes: tuple[ImportOutcome, ...]
    dry_run: bool = False
    file_notes: tuple[FileNote, ...] = ()

    @property
    def notes(self) -> list[str]:
        """Every note, `origin: message`: the files' first, then the articles'."""
        found = [f"{n.origin}: {n.message}" for n in self.file_notes]
        return found + [f"{o.origin}: {note}" for o in self.outcomes for note in o.notes]

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

    def fixes(self) -> list[str]:
        """One line per field that articles lacked, saying how to give it."""
        lacking: dict[str, int] = {}
        for outcome in self.outcomes:
            if outcome.missing:
                lacking[outcome.missing] = lacking.get(outcome.missing, 0) + 1
        return [_fix(name, count) for name, count in lacking.items()]

    def summary(self) -> str:
        """One line: counts of every status that occurred."""
        counts = ((s, self.count(s)) for s in Status)
        parts = [f"{n} {s.value}" for s, n in counts if n]
        prefix = "dry run: " if self.dry_run else ""
        return prefix + (", ".join(parts) if parts else "nothing to import")


def _fix(name: str, count: int) -> str:
    articles = f"{count} article{'s' if count != 1 else ''}"
    if name == "date":
        return (
            f"{articles} without a publication date: date them with --fallback-date "
            "mtime|updated|capture|YYYY-MM-DD (their pages then say the date is approximate)"
        )
    if name == "category":
        return (
            f"{articles} without a category, which the build requires: give one with "
            "--set category=NAME, or `import: {defaults: {category: NAME}}` in site.yaml"
        )
    return f"{articles} with a bad {name}: give one with --set {name}=VALUE"


# what reading one input file yields, in order
ReadItem = ImportedArticle | ImportOutcome | FileNote


class NotAnArticle(ImportError_):
    """The page is a home or listing page: refused, never imported."""
