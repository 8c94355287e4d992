"""`archivegen import --fetch-images`: remote lead images downloaded into the content folder.

An importer keeps a page's image as the URL it found (the build shows it from that site,
marked external). This step, asked for by its flag and never otherwise (an offline import
makes no request), downloads each such image once per run, checks that it is an image
Pillow reads (JPEG, PNG, GIF or WebP, within size limits), and saves it beside the article
under a name made of its digest: the same picture in two articles of a folder is one file.
The article's `image` then names that file, and `image_source` keeps the URL it came from.
Only files still as their import wrote them are rewritten (a hand edit is left alone), and
through the importer's own writer, so the next import still sees them as pristine.
"""

from __future__ import annotations

import io
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.error import URLError

from PIL import Image, UnidentifiedImageError

from archivegen.content.frontmatter import parse_front_matter, split_front_matter
from archivegen.content.images import is_remote
from archivegen.digest import digest
from archivegen.importers.writer import KEY_FIELD, is_pristine, render_file
from archivegen.output.atomic import write_atomic

MAX_BYTES = 20_000_000  # a news photo is well under; more is refused, not half read
MAX_PIXELS = 50_000_000
TIMEOUT = 20.0  # seconds per request
_SUFFIX = {"jpeg": "jpg", "png": "png", "gif": "gif", "webp": "webp"}
Fetch = Callable[[str], bytes]


@dataclass(slots=True)
class FetchReport:
    """What the fetch step did: files rewritten, downloads made, and each failure's reason."""

    rewritten: list[str] = field(default_factory=list)
    downloads: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (article file, reason)


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to another http(s) URL (urllib would follow one to ftp:)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if not is_remote(newurl):
            raise ValueError(f"redirected to {newurl!r}, not an http(s) URL")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def download(url: str) -> bytes:
    """The bytes at an http(s) URL, at most MAX_BYTES; raises OSError/ValueError."""
    if not is_remote(url):
        raise ValueError("not an http(s) URL")
    request = urllib.request.Request(url, headers={"User-Agent": "archivegen-import"})
    opener = urllib.request.build_opener(_HttpOnlyRedirects)
    with opener.open(request, timeout=TIMEOUT) as response:
        data: bytes = response.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError(f"larger than {MAX_BYTES:,} bytes")
    return data


def fetch_images(files: Iterable[Path], fetch: Fetch = download) -> FetchReport:
    """Download the remote `image` of each article file and point the file at the copy."""
    report = FetchReport()
    saved: dict[str, tuple[bytes, str] | str] = {}  # URL -> (bytes, suffix) or why not
    for path in files:
        try:
            _fetch_one(path, fetch, saved, report)
        except (OSError, ValueError, URLError) as exc:
            report.failures.append((str(path), str(exc)))
    return report


def _fetch_one(
    path: Path, fetch: Fetch, saved: dict[str, tuple[bytes, str] | str], report: FetchReport
) -> None:
    text = path.read_text(encoding="utf-8")
    parts = split_front_matter(text, str(path))
    fields = parse_front_matter(parts.yaml_text, str(path))
    url = fields.get("image")
    if not isinstance(url, str) or not is_remote(url) or not is_pristine(text):
        return
    if url not in saved:
        report.downloads += 1
        try:
            saved[url] = checked_image(fetch(url))
        except (OSError, ValueError, URLError, Image.DecompressionBombError) as exc:
            saved[url] = f"{url}: {exc}"
    got = saved[url]
    if isinstance(got, str):
        raise ValueError(got)
    data, suffix = got
    name = f"{digest(data)[:16]}.{suffix}"
    target = path.parent / name
    if not target.is_file():
        write_atomic(target, data)
    fields.update(image=name, image_source=url)
    write_atomic(path, render_file(fields, parts.body, str(fields.get(KEY_FIELD, ""))).encode())
    report.rewritten.append(str(path))


def checked_image(data: bytes) -> tuple[bytes, str]:
    """The bytes and their file suffix, if Pillow reads them as a JPEG, PNG, GIF or WebP."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = (image.format or "").lower()
            width, height = image.size
            image.verify()
    except UnidentifiedImageError:
        raise ValueError("not an image Pillow can read") from None
    if kind not in _SUFFIX:
        raise ValueError(f"{kind} is not a JPEG, PNG, GIF or WebP")
    if width * height > MAX_PIXELS:
        raise ValueError(f"{width}×{height} pixels is over the {MAX_PIXELS:,} limit")
    return data, _SUFFIX[kind]
