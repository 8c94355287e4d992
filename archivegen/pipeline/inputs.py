"""Everything a build reads, stamped, so a build with nothing changed can stop at once."""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from archivegen import __version__
from archivegen.config import SiteConfig
from archivegen.content.files import FileStamp, scan_article_files
from archivegen.content.images import IMAGE_SUFFIXES
from archivegen.digest import digest_parts
from archivegen.pipeline.moves import RECORD_FILE

# The inputs in groups, each with its digest: a full build names the group that changed
PARTS = ("archivegen", "the build options", "site.yaml", "content", "theme")


@dataclass(frozen=True, slots=True)
class BuildInputs:
    """The article files with their stamps, and one digest of every input of the build."""

    articles: list[tuple[str, FileStamp]]
    head: tuple[bytes, bytes, bytes]  # archivegen's code digest, the options, the config
    theme: tuple[bytes, ...]  # one stamp line per template, static, locale or theme file
    lines: list[bytes]  # one stamp line per article
    parts: tuple[str, ...]  # a digest per group of PARTS
    digest: str

    def restamped(self, stamps: dict[str, FileStamp]) -> BuildInputs:
        """The same inputs with some article files' stamps replaced (a preview's edits)."""
        articles, lines = list(self.articles), list(self.lines)
        for position, (path, _) in enumerate(articles):
            stamp = stamps.get(path)
            if stamp is not None:
                articles[position] = (path, stamp)
                lines[position] = _stamp_line(path, stamp)
        return _inputs(articles, self.head, self.theme, lines)

    def changed_part(self, parts: tuple[str, ...]) -> str:
        """The first of PARTS whose digest differs from `parts` ("inputs" if none can tell)."""
        for name, before, now in zip(PARTS, parts, self.parts, strict=False):
            if before != now:
                return name
        return "inputs"

    def theme_change(self, theme: tuple[bytes, ...], root: Path) -> str:
        """A theme file added, removed or changed since a build of these theme stamps."""
        changed = sorted(set(theme) ^ set(self.theme))
        if not changed:
            return ""
        path = Path(changed[0].decode(errors="replace").split("\t")[0])
        return str(path.relative_to(root) if path.is_relative_to(root) else path)


def scan_inputs(config: SiteConfig, theme: list[Path], options_key: str) -> BuildInputs:
    """Stamp every input: articles, theme and site templates/static/locale, config, options."""
    articles = scan_article_files(config.content_path)
    head = (code_digest().encode(), options_key.encode(), pickle.dumps(config, protocol=5))
    tail: list[bytes] = record_stamp(config)  # first: `with_record_restamped` replaces it
    for folder in [config.root / config.templates_dir, config.root / config.static_dir, *theme]:
        tail += [_stamp_line(path, stamp) for path, stamp in _walk(folder)]
    # the content's images too: a page shows one's size and digest (pipeline/images.py)
    tail += [_stamp_line(path, stamp) for path, stamp in _walk_images(config.content_path)]
    lines = [_stamp_line(path, stamp) for path, stamp in articles]
    return _inputs(articles, head, tuple(tail), lines)


def record_stamp(config: SiteConfig) -> list[bytes]:
    """The stamp of the moved articles' old addresses (their aliases), if there are any."""
    record = config.root / RECORD_FILE
    try:
        stat = record.stat()
    except FileNotFoundError:
        return []
    return [_stamp_line(record, (stat.st_size, stat.st_mtime_ns))]


def with_record_restamped(inputs: BuildInputs, config: SiteConfig) -> BuildInputs:
    """The inputs with the record stamped as it is now: the build that appended to it read
    what it wrote, so the next build must not take the write for an edit."""
    prefix = f"{config.root / RECORD_FILE}\t".encode()
    rest = (
        inputs.theme[1:]
        if inputs.theme[:1] and inputs.theme[0].startswith(prefix)
        else inputs.theme
    )
    return _inputs(inputs.articles, inputs.head, (*record_stamp(config), *rest), inputs.lines)


def _inputs(
    articles: list[tuple[str, FileStamp]],
    head: tuple[bytes, bytes, bytes],
    theme: tuple[bytes, ...],
    lines: list[bytes],
) -> BuildInputs:
    parts = (*(digest_parts(part) for part in head), digest_parts(*lines), digest_parts(*theme))
    return BuildInputs(articles, head, theme, lines, parts, digest_parts(*map(str.encode, parts)))


def config_digest(config: SiteConfig, theme: list[Path]) -> str:
    """What every page depends on besides templates: config, theme catalogs, archivegen itself."""
    catalogs = [p.read_bytes() for t in theme for p in sorted(t.glob("locale/*/LC_MESSAGES/*.po"))]
    return digest_parts(code_digest().encode(), pickle.dumps(config, protocol=5), *catalogs)


@lru_cache(maxsize=1)
def code_digest() -> str:
    """archivegen's version and the stamps of its own source files.

    A release changes the version; an edited checkout (an editable install) changes the
    stamps: either way, caches made by other code are not trusted, so no page survives a
    change in the code that rendered it.
    """
    package = Path(__file__).resolve().parents[1]
    stamps = [_stamp_line(path, stamp) for path, stamp in _walk(package) if path.suffix == ".py"]
    return digest_parts(__version__.encode(), *stamps)


def _stamp_line(path: Path | str, stamp: FileStamp) -> bytes:
    return f"{path}\t{stamp[0]}\t{stamp[1]}".encode()


def _walk(folder: Path) -> list[tuple[Path, FileStamp]]:
    found = []
    for base, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            stat = os.stat(os.path.join(base, name))
            found.append((Path(base, name), (stat.st_size, stat.st_mtime_ns)))
    return found


def _walk_images(folder: Path) -> list[tuple[Path, FileStamp]]:
    # only the image files are stat'ed: the article files already were, by their scan
    found = []
    for base, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.lower().endswith(IMAGE_SUFFIXES):
                stat = os.stat(os.path.join(base, name))
                found.append((Path(base, name), (stat.st_size, stat.st_mtime_ns)))
    return found
