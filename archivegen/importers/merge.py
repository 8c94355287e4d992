"""Two imports of one article merged into one front matter, so that no field is lost.

A later import fills in and overrides the fields it carries and keeps the rest; its date
replaces the earlier one only when it is as good evidence (a page's own date beats one
read off the URL, which beats a fallback). A changed text gets `updated`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DATE_FIELDS = ("date", "date_source", "date_precision")
# lower is better evidence; None is the page's own statement of its date
_RANK: dict[object, int] = {None: 0, "relative": 1, "url": 2, "updated": 3, "capture": 3}
_WORST = 4  # mtime, given, or anything unknown


@dataclass(frozen=True, slots=True)
class TextChange:
    """An article's title and body before and after a re-import."""

    old_title: object
    old_body: str
    new_title: str
    new_body: str

    @property
    def changed(self) -> bool:
        """True when the words of the title or body differ (not only their spacing)."""
        return _words(self.old_body) != _words(self.new_body) or _words(
            str(self.old_title or "")
        ) != _words(self.new_title)


def merge_fields(
    old: Mapping[str, Any],
    incoming: Mapping[str, Any],
    fills: Mapping[str, Any],
    change: TextChange,
    when: str | None,
) -> dict[str, Any]:
    """The front matter after a re-import: fills < old fields < the fields incoming carries."""
    merged: dict[str, Any] = {**fills, **{k: v for k, v in old.items() if v is not None}}
    merged.update({k: v for k, v in incoming.items() if v is not None and k not in DATE_FIELDS})
    if incoming.get("date") and _rank(incoming.get("date_source")) <= _rank(old.get("date_source")):
        for name in DATE_FIELDS:
            merged[name] = incoming.get(name)  # None drops a source the new date does not have
    if change.changed and not incoming.get("updated") and when:
        merged["updated"] = when
    return {k: v for k, v in merged.items() if v is not None}


def _rank(date_source: object) -> int:
    """How good a `date_source` is as evidence: 0 for the page's own date, more for guesses."""
    return _RANK.get(date_source, _WORST)


def _words(text: str) -> list[str]:
    return text.split()
