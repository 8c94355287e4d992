"""The one error tree of archivegen: every user-facing error says where and what.

    ArchivegenError            path, line, field, message
     ├── ConfigError           site.yaml
     ├── ContentError          one article of content/
     ├── TemplateError         a theme or site template
     ├── OutputError           the output directory (refused, unsafe path)
     ├── ImportError_          one raw page given to `archivegen import`
     ├── DeployError           a deploy target
     └── SearchError           the Pagefind search index

`ErrorGroup` carries many of them at once, so a build reports every broken article,
not only the first. The CLI renders them; nothing below it prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path


class ArchivegenError(Exception):
    """An error a user can act on: where (path, line, field) and what (message)."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.field = field

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        what = f"{self.field}: " if self.field else ""
        return f"{where}{what}{self.message}"

    def __reduce__(self) -> tuple[object, ...]:
        # keyword-only arguments do not survive the default pickling (process pools)
        return (_rebuild, (type(self), self.message, self.path, self.line, self.field))


def _rebuild(
    cls: type[ArchivegenError], message: str, path: str | None, line: int | None, field: str | None
) -> ArchivegenError:
    return cls(message, path=path, line=line, field=field)


class ConfigError(ArchivegenError):
    """site.yaml is missing, malformed or holds a wrong key or value."""


class ContentError(ArchivegenError):
    """An article cannot be read: bad encoding, front matter, field or date."""


class TemplateError(ArchivegenError):
    """A template failed to load or render."""


class OutputError(ArchivegenError):
    """The output directory is unsafe to write or a path would leave it."""


class ImportError_(ArchivegenError):
    """A raw page could not be turned into an article."""


class DeployError(ArchivegenError):
    """A deploy target refused or failed."""


class SearchError(ArchivegenError):
    """The search index could not be built (Pagefind missing or failing)."""


class ErrorGroup(ArchivegenError):
    """Several errors found in one pass, reported together."""

    def __init__(self, errors: Sequence[ArchivegenError]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.path or "", e.line or 0, e.field or ""))
        super().__init__(f"{len(self.errors)} error(s)")

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)

    def __reduce__(self) -> tuple[object, ...]:
        return (ErrorGroup, (self.errors,))


def raise_all(errors: Iterable[ArchivegenError]) -> None:
    """Raise one error as itself, several as an ErrorGroup, none not at all."""
    found = list(errors)
    if len(found) == 1:
        raise found[0]
    if found:
        raise ErrorGroup(found)
