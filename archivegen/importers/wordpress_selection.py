"""Which items of a WordPress export become articles (`--wp-types`, `--wp-status`).

Apart from the reader (wordpress.py) so that the command line and the importer's
dispatcher name it without loading the XML stack: a text dump or CSV import loads no lxml.
"""

from __future__ import annotations

from dataclasses import dataclass

from archivegen.errors import ImportError_

# WordPress's statuses (wp-includes/post.php); `inherit` is an attachment's or revision's
STATUSES = frozenset({"publish", "future", "draft", "pending", "private", "trash", "inherit"})


@dataclass(frozen=True, slots=True)
class WordPressSelection:
    """Which items of an export become articles: their post types and statuses."""

    types: frozenset[str] = frozenset({"post"})
    statuses: frozenset[str] = frozenset({"publish"})

    @classmethod
    def parse(cls, types: str | None, statuses: str | None) -> WordPressSelection:
        """From `--wp-types post,page` and `--wp-status publish,draft` (None: the default)."""
        chosen = cls()
        type_set = _words(types, "wp-types") if types else chosen.types
        if "attachment" in type_set:
            message = "attachment: attachments are imported as the images of their posts"
            raise ImportError_(message, field="wp-types")
        status_set = _words(statuses, "wp-status") if statuses else chosen.statuses
        unknown = sorted(status_set - STATUSES)
        if unknown:
            known = ", ".join(sorted(STATUSES))
            raise ImportError_(f"{', '.join(unknown)}: not a status ({known})", field="wp-status")
        return cls(type_set, status_set)


def _words(value: str, name: str) -> frozenset[str]:
    words = frozenset(w.strip().lower() for w in value.split(",") if w.strip())
    if not words:
        raise ImportError_(f"{value!r}: give a comma-separated list", field=name)
    return words


DEFAULT_SELECTION = WordPressSelection()  # posts, published
