"""Where a capture of a known page goes among the versions its article already has.

An article is its newest capture; its `revisions:` list names the earlier captures whose
text differed, each with the time it was first seen. A capture older than the article
(an old crawl imported after a newer one) is placed by its time: it adds nothing when it
reads like the version just before it (seen again later), it moves a version's time back
when it reads like the version just after it (seen earlier than thought), and otherwise it
is a new revision between the two. Texts are compared by their words (NFC), so spacing and
line breaks alone are no revision.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archivegen.content.frontmatter import parse_front_matter, split_front_matter
from archivegen.content.revisions import FOLDER
from archivegen.errors import ArchivegenError

RevisionItem = dict[str, str]  # {"captured": ISO 8601, "file": ".revisions/...md"}


@dataclass(frozen=True, slots=True)
class Revision:
    """A file to keep under .revisions/ and its text; `replaces`: a revision file it
    supersedes (the same words, seen earlier), removed once it is written."""

    path: Path
    text: str
    replaces: Path | None = None


def revision_path(into: Path, path: Path, text: str, stamp: str) -> Path:
    """Where a file's earlier text is kept: `.revisions/<its path>/<its time>-<digest>.md`
    (names sort by time, and the same text is kept once). In one folder for the whole
    archive, not beside each article: the `revisions:` list names each file from the
    content folder, so an article moved by hand still finds its revisions."""
    relative = path.resolve().relative_to(into.resolve()).with_suffix("")
    when = re.sub(r"[^0-9T+]", "", stamp)[:20] or "undated"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
    return into / FOLDER / relative / f"{when}-{digest}.md"


@dataclass(frozen=True, slots=True)
class Placement:
    """What an older capture does: nothing, move a version's time back, or add a revision."""

    adds_nothing: bool = False
    moves: int | None = None  # the version (an index of the list; its length: the article)
    new: bool = False


def words(title: object, body: str) -> list[str]:
    """A version's text as compared: the words of its title and body, NFC-normalised."""
    return unicodedata.normalize("NFC", f"{title or ''}\n{body}").split()


def moment(value: object) -> datetime | None:
    """A front matter time (`captured`, `updated`) as an aware datetime; None if it is none."""
    if isinstance(value, datetime):
        found = value
    elif isinstance(value, str):
        try:
            found = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def listed(value: object) -> list[RevisionItem]:
    """The well-formed items of a `revisions:` list, oldest first (the build reports the rest)."""
    items = value if isinstance(value, list) else []
    kept = [
        {"captured": str(item["captured"]), "file": item["file"]}
        for item in items
        if isinstance(item, dict) and isinstance(item.get("file"), str)
        if moment(item.get("captured")) is not None
    ]
    return sorted(kept, key=lambda item: moment(item["captured"]) or datetime.min)


def with_item(items: Sequence[RevisionItem], captured: str, file: str) -> list[RevisionItem]:
    """The list with one more revision, in its place by time."""
    return listed([*items, {"captured": captured, "file": file}])


def version_words(into: Path, item: RevisionItem) -> list[str] | None:
    """The words of a listed revision's file (None if it cannot be read: it matches nothing)."""
    path = into / item["file"]
    try:
        parts = split_front_matter(path.read_text(encoding="utf-8"), str(path))
        fields = parse_front_matter(parts.yaml_text, str(path))
    except (OSError, UnicodeDecodeError, ArchivegenError):
        return None
    return words(fields.get("title"), parts.body)


def place(
    into: Path,
    items: Sequence[RevisionItem],
    article: tuple[datetime, list[str]],
    capture: tuple[datetime, list[str]],
) -> Placement:
    """Where a capture older than the article goes among its revisions (`items`, oldest
    first) and the article itself, each given as (first seen, words)."""
    when, text = capture
    times = [moment(item["captured"]) for item in items] + [article[0]]
    after = next(i for i, t in enumerate(times) if t is None or t > when)
    if after > 0 and (
        times[after - 1] == when or _words_of(into, items, article, after - 1) == text
    ):
        return Placement(
            adds_nothing=True
        )  # seen again (or a second text at one time: the first stays)
    if _words_of(into, items, article, after) == text:
        return Placement(moves=after)
    return Placement(new=True)


def _words_of(
    into: Path, items: Sequence[RevisionItem], article: tuple[datetime, list[str]], index: int
) -> list[str] | None:
    return article[1] if index == len(items) else version_words(into, items[index])


def older_fields(
    old: Mapping[str, Any], incoming: Mapping[str, Any], fills: Mapping[str, Any]
) -> dict[str, Any]:
    """An article's fields after an older capture: its own, the older one filling only what
    it lacks (an older capture never replaces what a newer one said)."""
    late = ("captured", "updated", "date", "date_source", "date_precision")
    merged = {k: v for k, v in old.items() if v is not None}  # in its order: no needless rewrite
    for name, value in [*incoming.items(), *fills.items()]:
        if value is not None and name not in late:
            merged.setdefault(name, value)
    return merged
