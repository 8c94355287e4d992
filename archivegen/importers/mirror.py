"""Site mirrors (`wget --mirror`, HTTrack): each page's URL rebuilt from its path, and the
pictures saved next to the pages used as the articles' local images.

Both tools write one folder per host, `www.example.com/berita/a.html`, in the folder the
import is given or as that folder itself. A page's address is `https://` + its path below
the host folder (a mirror does not say whether it was fetched over http or https; an
`index.html` is its folder's address, and the `.html` that `wget --adjust-extension` adds
after a query, `page.php?id=5.html`, is taken off). HTTrack writes the address it fetched
and when into a comment at the top of each page (`<!-- Mirrored from www.example.com/a by
HTTrack Website Copier/3.x [XR&CO'2014], Tue, 01 Dec 2026 10:00:00 GMT -->`): that comment
wins, and its time is the capture time.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from archivegen.importers.html_markdown import encode_url
from archivegen.importers.images import MAX_BYTES
from archivegen.importers.local_images import WithImages, localize
from archivegen.importers.model import FileNote, ImportedArticle, ImportOutcome
from archivegen.importers.sources import Format, RawFile, read_head

# a host folder: example.com, www.example.co.id, with wget's `:8080` (`+8080` on Windows)
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?:[:+]\d{1,5})?$", re.I)
_HTTRACK = re.compile(
    r"<!--\s*Mirrored from (\S+) by HTTrack Website Copier/[^,]*,\s*([^>]*?)\s*-->"
)
# what HTTrack writes beside the host folders: its cache, logs, start page and its pictures
_HTTRACK_OWN = re.compile(r"^(?:hts-.*|index\.html?|backblue\.gif|fade\.gif|cookies\.txt)$", re.I)
_INDEX = frozenset({"index.html", "index.htm"})
_HEAD_CHARS = 4096


@dataclass(frozen=True, slots=True)
class MirroredPage:
    """Where a page of a mirror was fetched from, and the folder of its hosts."""

    path: Path
    address: str
    hosts: Path  # the folder holding the host folders

    def apply(self, article: ImportedArticle, head: str) -> ImportedArticle:
        """The article with its mirror address as source (and HTTrack's capture time)."""
        address, captured = self.address, article.captured
        m = _HTTRACK.search(head[:_HEAD_CHARS])
        if m:
            found = m.group(1)
            address = encode_url(found if "://" in found else f"https://{found}")
            captured = _http_date(m.group(2)) or captured
        return dataclasses.replace(article, source=address, captured=captured)

    def image(self, url: str) -> bytes | None:
        """The bytes of a picture the mirror holds, by its URL as the article spells it."""
        parts = urlsplit(url)
        if parts.scheme and parts.scheme not in ("http", "https"):
            return None
        if parts.netloc:
            base = self.hosts / parts.netloc.lower()
        elif parts.path.startswith("/"):
            base = self.hosts / urlsplit(self.address).netloc
        else:
            base = self.path.parent
        path = unquote(parts.path.lstrip("/"))
        names = [f"{path}?{unquote(parts.query)}", path] if parts.query else [path]
        for name in names:
            found = _inside(base / name, self.hosts)
            if found is not None and found.stat().st_size <= MAX_BYTES:
                return found.read_bytes()
        return None


def _inside(path: Path, root: Path) -> Path | None:
    """The file, if it is one and lies inside root (a `../..` in a URL leaves nothing)."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        return None
    if not resolved.is_relative_to(root.resolve()) or not resolved.is_file():
        return None
    return resolved


def _http_date(text: str) -> datetime | None:
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None


def mirrored_pages(
    sources: Sequence[str | Path], files: Sequence[Path]
) -> dict[Path, MirroredPage]:
    """The files below a host folder of a folder given (pages, pictures, styles), by path."""
    roots = [Path(s) for s in sources if Path(s).is_dir()]
    found: dict[Path, MirroredPage] = {}
    for path in files:
        for root in roots:
            page = _page(path, root)
            if page is not None:
                found[path] = page
                break
    return found


def httrack_files(sources: Sequence[str | Path], files: Sequence[Path]) -> set[Path]:
    """HTTrack's own files in a project folder given (its cache, log and start page)."""
    projects = [Path(s).resolve() for s in sources if (Path(s) / "hts-cache").is_dir()]
    return {
        path
        for path in files
        for project in projects
        if path.resolve().is_relative_to(project)
        and _HTTRACK_OWN.match(path.resolve().relative_to(project).parts[0])
    }


def _page(path: Path, root: Path) -> MirroredPage | None:
    try:
        parts = path.resolve().relative_to(root.resolve()).parts
    except ValueError:
        return None
    if _HOST.match(root.resolve().name):
        hosts, host, rest = root.resolve().parent, root.resolve().name, parts
    elif len(parts) > 1 and _HOST.match(parts[0]):
        hosts, host, rest = root.resolve(), parts[0], parts[1:]
    else:
        return None
    return MirroredPage(path, _address(host, rest), hosts)


def _address(host: str, rest: tuple[str, ...]) -> str:
    *folders, name = rest
    if name.lower() in _INDEX:
        name = ""
    elif "?" in name and name.lower().endswith(".html"):
        name = name[: -len(".html")]
    path = "/".join([*folders, name])
    return encode_url(f"https://{host.replace('+', ':').lower()}/{path}")


@dataclass(slots=True)
class Mirror:
    """The mirror folders among an import's inputs: which files are their pages, and how
    many of their files were passed over (pictures, styles, HTTrack's own files)."""

    inputs: list[Path]  # the files to read (without HTTrack's own)
    pages: dict[Path, MirroredPage]
    skipped: int = 0

    @classmethod
    def of(cls, sources: Sequence[str | Path], files: Sequence[Path]) -> Mirror:
        """The mirrors among the folders given, and the files to read."""
        own = httrack_files(sources, files)
        inputs = [f for f in files if f not in own]
        return cls(inputs, mirrored_pages(sources, inputs), len(own))

    def keeps(self, raw: RawFile | ImportOutcome) -> bool:
        """False for a mirror's file that is no page (a picture, a style sheet, a script):
        it is there for the pages, not to import."""
        if isinstance(raw, RawFile) and raw.path in self.pages and raw.format is not Format.HTML:
            self.skipped += 1
            return False
        return True

    def localize(
        self, article: ImportedArticle, raw: RawFile | ImportOutcome
    ) -> ImportedArticle | WithImages:
        """A mirror page's article with its address, and its pictures from the mirror."""
        page = self.pages.get(raw.path) if isinstance(raw, RawFile) else None
        if page is None or not isinstance(raw, RawFile):
            return article
        head = read_head(raw).decode("utf-8", errors="replace")
        return localize(page.apply(article, head), page.image)

    def notes(self) -> list[FileNote]:
        """What the report says of the files passed over."""
        if not self.skipped:
            return []
        folders = ", ".join(sorted({str(p.hosts) for p in self.pages.values()})) or "mirror"
        return [FileNote(folders, f"{self.skipped} mirror files skipped, not pages")]
