"""An article's earlier versions: the files its `revisions:` list names, read and compared.

`archivegen import` keeps each earlier capture of a page whose text differs as a file under
`content/.revisions/` (hidden: never loaded as an article) and lists it in the article's
front matter with its capture time. Each version is compared with the one that followed it
(the newest with the article itself), word by word: the diff is kept as runs of plain text
marked equal, deleted or inserted, so the template writes <del>/<ins> around text it
escapes like any other.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath

from archivegen.content.markdown import plain_paragraphs

FOLDER = ".revisions"  # under the content folder; hidden, so no walk reads it as articles
_CORRECTION = re.compile(r"^\W*(koreksi|ralat|correction)\s*:", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RevisionEntry:
    """One item of `revisions:` as written: when that version was captured, and its file."""

    captured: datetime
    file: str  # relative to the content folder, under .revisions/


# a run of the diff: " " equal, "-" only in the earlier version, "+" only in the later
DiffRun = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Revision:
    """An earlier version of an article, as its page shows it."""

    captured: datetime
    stamp: str  # its address under the article's: the capture time in UTC
    title: str
    paragraphs: tuple[str, ...]  # its text, plain
    diff: tuple[tuple[DiffRun, ...], ...]  # against the next version, a paragraph each
    correction: str | None  # the correction note the next version carried, if any


def entry_problem(file: str) -> str | None:
    """Why a `file:` of `revisions:` may not be read (None if it may)."""
    path = PurePosixPath(file)
    if path.is_absolute() or ".." in path.parts or path.parts[:1] != (FOLDER,):
        return f"must be a path under {FOLDER}/ in the content folder"
    if path.suffix != ".md":
        return "must be a .md file"
    return None


def stamp_of(moment: datetime) -> str:
    """A capture time as an address segment: `20240101-030000`, in UTC."""
    return moment.astimezone(UTC).strftime("%Y%m%d-%H%M%S")


def compare_versions(
    versions: Sequence[tuple[datetime, str, str]], current: tuple[str, str]
) -> tuple[Revision, ...]:
    """Revisions from (captured, title, Markdown body) of the earlier versions, oldest first,
    each compared with the next one; `current` is the article's own (title, body)."""
    if not versions:
        return ()  # most articles: their text is not parsed a second time
    texts = [(title, plain_paragraphs(body)) for _, title, body in versions]
    texts.append((current[0], plain_paragraphs(current[1])))
    found = []
    for position, (captured, title, _) in enumerate(versions):
        old, new = texts[position], texts[position + 1]
        found.append(
            Revision(
                captured=captured,
                stamp=stamp_of(captured),
                title=title,
                paragraphs=old[1],
                diff=_diff(old, new),
                correction=correction_note(new[1]),
            )
        )
    return tuple(found)


def _diff(
    old: tuple[str, tuple[str, ...]], new: tuple[str, tuple[str, ...]]
) -> tuple[tuple[DiffRun, ...], ...]:
    # the titles lead the diff only when they differ
    if old[0].split() == new[0].split():
        return word_diff(old[1], new[1])
    return word_diff((old[0], *old[1]), (new[0], *new[1]))


def correction_note(paragraphs: Sequence[str]) -> str | None:
    """A leading or trailing "Koreksi:", "Ralat:" or "Correction:" paragraph, if there is one."""
    for paragraph in (paragraphs[:1], paragraphs[-1:]):
        if paragraph and _CORRECTION.match(paragraph[0]):
            return paragraph[0]
    return None


def word_diff(old: Sequence[str], new: Sequence[str]) -> tuple[tuple[DiffRun, ...], ...]:
    """The paragraphs of both versions, each as runs of words marked equal, deleted or
    inserted. Paragraphs are matched first, then the words of each changed pair: a word
    diff over the whole text would pair a sentence's words with a far paragraph's."""
    found: list[tuple[DiffRun, ...]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            found += [((" ", paragraph),) for paragraph in new[j1:j2]]
            continue
        pairs = list(zip(old[i1:i2], new[j1:j2], strict=False))
        found += [_paragraph_diff(before, after) for before, after in pairs]
        found += [(("-", paragraph),) for paragraph in old[i1 + len(pairs) : i2]]
        found += [(("+", paragraph),) for paragraph in new[j1 + len(pairs) : j2]]
    return tuple(found)


def _paragraph_diff(old: str, new: str) -> tuple[DiffRun, ...]:
    before, after = old.split(), new.split()
    runs: list[DiffRun] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            _add(runs, " ", after[j1:j2])
            continue
        _add(runs, "-", before[i1:i2])
        _add(runs, "+", after[j1:j2])
    return tuple(runs)


def _add(runs: list[DiffRun], op: str, words: list[str]) -> None:
    """Append words to the last run if it has the same mark, else as a new run."""
    if not words:
        return
    text = " ".join(words)
    if runs and runs[-1][0] == op:
        runs[-1] = (op, f"{runs[-1][1]} {text}")
    else:
        runs.append((op, text))
