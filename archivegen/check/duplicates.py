"""`archivegen check --duplicates`: likely copies of one story among the content folder's
articles, read from the Markdown files themselves (no build needed).

Each article's body is compared (archivegen/duplicates.py), oldest first, so in each pair
the older article comes first: the likely original. A pair already marked, one naming the
other (or both naming one original) in `duplicate_of:`, is counted, not listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from archivegen.config import SiteConfig
from archivegen.content.dates import DateProblem, parse_date
from archivegen.content.frontmatter import parse_front_matter, split_front_matter
from archivegen.content.loader import find_article_files
from archivegen.duplicates import (
    LABELLED_PAIRS,
    MEASURED_PRECISION,
    MEASURED_RECALL,
    SHINGLE_WORDS,
    THRESHOLD,
    DuplicatePair,
    find_duplicates,
)
from archivegen.errors import ContentError


@dataclass(frozen=True, slots=True)
class _Text:
    key: str  # the file, relative to the content folder (what duplicate_of names)
    date: datetime | None
    duplicate_of: str | None
    body: str


@dataclass(frozen=True, slots=True)
class DuplicateReport:
    """The likely copies among a content folder's articles."""

    content_dir: str  # as site.yaml names it: the report shows paths under it
    articles: int
    pairs: tuple[DuplicatePair, ...]  # not marked yet, most similar first
    marked: int  # pairs already marked with duplicate_of

    @staticmethod
    def header() -> str:
        """The measure, the threshold and what it was measured to be worth."""
        return (
            f"Duplicates: estimated Jaccard of {SHINGLE_WORDS}-word shingles (MinHash) >= "
            f"{THRESHOLD:.2f}; measured precision {MEASURED_PRECISION:.2f}, recall "
            f"{MEASURED_RECALL:.2f} on {LABELLED_PAIRS} hand-labelled pairs"
        )

    def lines(self) -> list[str]:
        """One line per pair: both files, the similarity, and the field that marks the copy."""
        return [
            f"{self.shown(p.first)} and {self.shown(p.second)}: similarity {p.similarity:.2f}; "
            f"if {self.shown(p.second)} is the copy, add duplicate_of: {p.first}"
            for p in self.pairs
        ]

    def shown(self, key: str) -> str:
        return f"{self.content_dir.rstrip('/')}/{key}"

    def summary(self) -> str:
        copies = f"{len(self.pairs)} likely cop{'y' if len(self.pairs) == 1 else 'ies'}"
        return f"Checked {self.articles} articles: {copies}, {self.marked} marked with duplicate_of"


def check_duplicates(config: SiteConfig) -> DuplicateReport:
    """Compare every article of the content folder with every other (through LSH)."""
    content = config.content_path
    texts = [_read(path, content, config.timezone) for path in find_article_files(content)]
    readable = sorted(
        (t for t in texts if t is not None),
        key=lambda t: (t.date is None, t.date.timestamp() if t.date else 0, t.key),
    )
    marks = {t.key: t.duplicate_of for t in readable if t.duplicate_of}
    pairs = find_duplicates((t.key, t.body) for t in readable)
    unmarked = tuple(p for p in pairs if not _marked(p, marks))
    return DuplicateReport(config.content_dir, len(readable), unmarked, len(pairs) - len(unmarked))


def _marked(pair: DuplicatePair, marks: dict[str, str]) -> bool:
    first, second = marks.get(pair.first), marks.get(pair.second)
    return second == pair.first or first == pair.second or (first is not None and first == second)


def _read(path: Path, content: Path, timezone: str) -> _Text | None:
    """A file's body, date and duplicate_of; None for a file the build would refuse anyway
    (not UTF-8, no front matter: `archivegen build` names its problem)."""
    key = path.relative_to(content).as_posix()
    try:
        parts = split_front_matter(path.read_text(encoding="utf-8"), key)
        meta = parse_front_matter(parts.yaml_text, key)
    except (ContentError, UnicodeDecodeError):
        return None
    try:
        date: datetime | None = parse_date(meta.get("date"), timezone)[0]
    except DateProblem:
        date = None
    original = meta.get("duplicate_of")
    marked = PurePosixPath(original.strip()).as_posix() if isinstance(original, str) else None
    return _Text(key, date, marked, parts.body)
