"""An import's likely copies: each article it wrote that copies one already in the content
folder, or one written before it in the same import, gets a note naming the original.

Notes only: a syndicated copy is still an article of the archive, so it is written like any
other; the note gives the `duplicate_of:` line that marks it (content/copies.py). The content
folder's articles are read and compared as `archivegen check --duplicates` does.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from archivegen.content.frontmatter import split_front_matter
from archivegen.content.loader import find_article_files
from archivegen.duplicates import DuplicateFinder
from archivegen.errors import ContentError
from archivegen.importers.model import ImportOutcome, ImportReport, Status

WRITTEN = (Status.NEW, Status.UPDATED)


def note_copies(report: ImportReport, into: Path) -> ImportReport:
    """The report with a note on each written article that copies an earlier one."""
    written = {
        Path(o.target).resolve(): o for o in report.outcomes if o.status in WRITTEN and o.target
    }
    if not written or not into.is_dir():
        return report
    finder = DuplicateFinder()
    root = into.resolve()
    for path in find_article_files(root):  # what was there before, oldest first by name
        if path.resolve() not in written:
            finder.add(path.relative_to(root).as_posix(), _body(path))
    notes: dict[int, str] = {}
    for path, outcome in written.items():
        if not path.is_file() or not path.is_relative_to(root):  # a dry run wrote nothing
            continue
        matches = finder.add(path.relative_to(root).as_posix(), _body(path))
        if matches:
            original, similarity = matches[0]
            notes[id(outcome)] = (
                f"likely a copy of {into.name}/{original} (similarity {similarity:.2f}); "
                f"if so, add duplicate_of: {original}"
            )
    return dataclasses.replace(report, outcomes=tuple(_noted(o, notes) for o in report.outcomes))


def _noted(outcome: ImportOutcome, notes: dict[int, str]) -> ImportOutcome:
    note = notes.get(id(outcome))
    return dataclasses.replace(outcome, notes=(*outcome.notes, note)) if note else outcome


def _body(path: Path) -> str:
    """An article file's body; "" (never compared) for one the build would refuse."""
    try:
        return split_front_matter(path.read_text(encoding="utf-8"), str(path)).body
    except (ContentError, UnicodeDecodeError, OSError):
        return ""
