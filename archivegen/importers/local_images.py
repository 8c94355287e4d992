"""Pictures an imported article uses that the input itself holds (a crawl's image records, a
mirror's image files), saved beside the article as local images.

The article's Markdown and its `image` field then name the copy, `<digest[:16]>.<ext>` as
--fetch-images names a download (the same picture in two articles of a folder is one file),
and the build turns it into resized copies like any local image (docs/images.md). A picture
the input does not hold, or holds as something Pillow does not read, stays a remote URL.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from archivegen.digest import digest
from archivegen.importers.images import checked_image
from archivegen.importers.model import ImportedArticle, ImportOutcome, Status
from archivegen.output.atomic import write_atomic

# the bytes an input holds for a picture's URL (as the article spells it), or None
Lookup = Callable[[str], bytes | None]
# how html_markdown writes a picture: ![alt](<url>)
_PICTURE = re.compile(r"(!\[(?:[^\]\\]|\\.)*\]\(<)([^>\n]+)(>\))")
_WRITTEN = (Status.NEW, Status.UPDATED, Status.UNCHANGED, Status.DUPLICATE)


@dataclass(frozen=True, slots=True)
class WithImages:
    """An article whose pictures point at local files, and those files' (name, bytes)."""

    article: ImportedArticle
    files: tuple[tuple[str, bytes], ...]


def localize(article: ImportedArticle, lookup: Lookup) -> WithImages:
    """The article with every picture the input holds pointing at a local copy."""
    files: dict[str, str] = {}  # url -> local name
    data: dict[str, bytes] = {}  # local name -> bytes

    def local(url: str) -> str | None:
        if url not in files:
            found = _image(lookup(url))
            if found is None:
                return None
            name = f"{digest(found[0])[:16]}.{found[1]}"
            files[url], data[name] = name, found[0]
        return files[url]

    def swap(m: re.Match[str]) -> str:
        name = local(m.group(2))
        return m.group(0) if name is None else f"{m.group(1)}{name}{m.group(3)}"

    body = _PICTURE.sub(swap, article.body)
    extra = list(article.extra)
    lead = next((value for key, value in extra if key == "image"), None)
    name = local(lead) if isinstance(lead, str) else None
    if lead and name:
        extra = [(k, name if k == "image" else v) for k, v in extra]
        extra.append(("image_source", lead))
    changed = dataclasses.replace(article, body=body, extra=tuple(extra))
    return WithImages(changed, tuple(data.items()))


def _image(data: bytes | None) -> tuple[bytes, str] | None:
    if data is None:
        return None
    try:
        return checked_image(data)
    except (ValueError, OSError):  # a truncated record, a page served as image/jpeg
        return None


def save_beside(outcome: ImportOutcome, files: tuple[tuple[str, bytes], ...]) -> None:
    """Write an article's local pictures into the folder of the file it was written to."""
    if outcome.target is None or outcome.status not in _WRITTEN:
        return
    folder = Path(outcome.target).parent
    for name, data in files:
        target = folder / name
        if not target.is_file():  # content-addressed: a file of that name holds these bytes
            write_atomic(target, data)
