"""`duplicate_of:`, the front-matter field that marks an article as a copy of another one.

Its value is the original's file, relative to the content folder (`2022/10/asli.md`), the
same spelling `archivegen check --duplicates` suggests. A path, not the original's source
URL: every article has a file, not every one a `source`, and a path names one article
where two imports may share a URL. The copy is still built and listed; its canonical link
names the original's page, and it stays out of the sitemaps and the search index
(graph/articles.py, graph/feeds.py, the article template).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

EXAMPLE = "the original's file, relative to the content folder, e.g. 2022/10/asli.md"


def original_file(value: object, content_path: Path) -> Path | str:
    """The original's file that `duplicate_of: value` names, or why it names none."""
    if not isinstance(value, str) or not value.strip():
        return f"must be {EXAMPLE}"
    relative = PurePosixPath(value.strip())
    if relative.is_absolute() or ".." in relative.parts or relative.suffix != ".md":
        return f"{value!r} must be {EXAMPLE}"
    found = content_path / relative
    if not found.is_file():
        return f"{value!r}: there is no such article in the content folder ({EXAMPLE})"
    return found
