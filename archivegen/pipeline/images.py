"""The image step: measure each article's local images, then make their copies for the site.

Two halves around the render. Before the layout, `attach_images` reads each local image
named by an article's `image` or its body's `![](…)` (its digest, size and format,
remembered by file stamp so an unchanged file is not read again) and puts the measurement
on the Article: the pages then
depend on it, and so do their fingerprints. After the render, `stage_images` gives the
staging area every copy that `render/images.py` plans, resizing with Pillow on the build's
workers only the copies the cache folder lacks. The cache is keyed by (source digest,
width, format) in a folder per Pillow version: an unchanged image is never processed again.
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import PIL
from PIL import Image

from archivegen.config import SiteConfig
from archivegen.content.frontmatter import FrontMatterText, field_lines, split_front_matter
from archivegen.content.images import MeasuredImage, is_remote, local_image_path
from archivegen.content.loader import article_folder
from archivegen.content.markdown import render_markdown
from archivegen.content.model import Article
from archivegen.digest import digest
from archivegen.errors import ContentError, raise_all
from archivegen.output.atomic import write_atomic
from archivegen.output.cache import cache_folder
from archivegen.output.staging import StagedOutput
from archivegen.pipeline.workers import map_chunks
from archivegen.render.images import Variant, variants

MEASURED_FILE = "images.json"
DIGESTS_FILE = "digests.json"  # cache name -> digest of the copy's bytes
MAX_PIXELS = 50_000_000  # a larger image is refused (a decompression bomb, or a mistake)
# sizes a reader will not see the loss in, ~a third of a camera JPEG's bytes at one width
ENCODER_OPTIONS: dict[str, dict[str, object]] = {
    "jpeg": {"quality": 82, "optimize": True, "progressive": True},
    "webp": {"quality": 80, "method": 4},
    "png": {"optimize": True},
}


@dataclass(frozen=True, slots=True)
class ImageReport:
    """What the image step did: copies made now, and copies the cache already held."""

    processed: int = 0
    reused: int = 0


def attach_images(articles: Sequence[Article], config: SiteConfig) -> list[Article]:
    """The articles, each local image measured onto them (`image` onto `lead_image`, the
    body's onto `body_images`); raises every missing or unreadable image, naming the
    article file, line and field."""
    memo_path = cache_folder(config.root, config.output_path) / MEASURED_FILE
    memo = _read_memo(memo_path)
    fresh: dict[str, list[object]] = {}
    errors: list[ContentError] = []
    out = []
    for article in articles:
        lead = article.image if article.image and not is_remote(article.image) else None
        if lead is None and not article.body_image_paths:
            out.append(article)
            continue
        measure = _Measurer(article, config, memo, fresh)
        folder = article_folder(article.source_path, config)
        found = measure(local_image_path(lead, folder), lead) if lead else None
        measured = [measure(path) for path in article.body_image_paths]
        if measure.errors:
            errors.extend(measure.errors)
            continue
        body = tuple(image for image in measured if image is not None)  # all, without errors
        out.append(dataclasses.replace(article, lead_image=found, body_images=body))
    raise_all(errors)
    if fresh != memo:
        write_atomic(memo_path, json.dumps(fresh, sort_keys=True).encode())
    return out


class _Measurer:
    """Measures one article's images, remembering each by its file stamp; a failure is
    kept as an error naming the article's line (`errors`) and measures as None."""

    def __init__(
        self,
        article: Article,
        config: SiteConfig,
        memo: dict[str, list[object]],
        fresh: dict[str, list[object]],
    ) -> None:
        self.article, self.config, self.memo, self.fresh = article, config, memo, fresh
        self.errors: list[ContentError] = []

    def __call__(self, relative: str | None, lead: str | None = None) -> MeasuredImage | None:
        """The image at `relative` (in the content folder); `lead`: the front matter's
        `image` it was written as, for a body image None."""
        try:
            return self._measure(relative)
        except (OSError, ValueError, Image.DecompressionBombError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            if lead is not None:
                error = _lead_error(self.article, self.config, lead, reason)
            else:
                error = _body_error(self.article, self.config, relative or "", reason)
            self.errors.append(error)
            return None

    def _measure(self, relative: str | None) -> MeasuredImage:
        path = (self.config.content_path / relative) if relative else None
        if path is None or not path.resolve().is_relative_to(self.config.content_path):
            raise OSError("it points outside the content folder (through a link?)")
        stat = path.stat()
        key = f"{relative}\t{stat.st_size}\t{stat.st_mtime_ns}"
        known = self.memo.get(key) or self.fresh.get(key)  # a picture in many articles
        if known is None:
            known = _read_image(path)
        self.fresh[key] = known
        image_digest, width, height, kind = known
        return MeasuredImage(
            str(relative), str(image_digest), int(str(width)), int(str(height)), str(kind)
        )


def _read_image(path: Path) -> list[object]:
    data = path.read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        kind = (image.format or "").lower()
        width, height = image.size
        if kind not in ("jpeg", "png", "gif", "webp"):
            raise ValueError(f"{kind or 'an unknown format'} is not a JPEG, PNG, GIF or WebP")
        if width * height > MAX_PIXELS:
            raise ValueError(f"{width}×{height} pixels is over the {MAX_PIXELS:,} limit")
    return [digest(data), width, height, kind]


def _lead_error(article: Article, config: SiteConfig, value: str, reason: str) -> ContentError:
    """The error naming the article's `image:` line (the file is read again, rarely)."""
    line = 1
    try:
        parts = _article_text(article, config)
        line = field_lines(parts.yaml_text).get("image", 1)
    except (OSError, UnicodeDecodeError, ContentError):
        pass
    message = f"{value!r} cannot be used: {reason}"
    return ContentError(message, path=article.source_path, line=line, field="image")


def _body_error(article: Article, config: SiteConfig, path: str, reason: str) -> ContentError:
    """The error naming the line of the body's first `![](…)` of the image at `path`."""
    line, src = 1, path
    try:
        parts = _article_text(article, config)
        folder = article_folder(article.source_path, config)
        images = render_markdown(parts.body, html=False, folder=folder).images
        first = next(image for image in images if image.path == path)
        line, src = parts.body_line + first.line - 1, first.src
    except (OSError, UnicodeDecodeError, ContentError, StopIteration):
        pass
    message = f"image {src!r} cannot be used: {reason}"
    return ContentError(message, path=article.source_path, line=line, field="body")


def _article_text(article: Article, config: SiteConfig) -> FrontMatterText:
    text = (config.root / article.source_path).read_text(encoding="utf-8")
    return split_front_matter(text, article.source_path)


def _read_memo(path: Path) -> dict[str, list[object]]:
    found = _read_json(path)
    kinds = [str, int, int, str]  # digest, width, height, format: any other entry is dropped
    return {
        key: value
        for key, value in found.items()
        if isinstance(value, list)
        and len(value) == 4
        and all(type(v) is kind for v, kind in zip(value, kinds, strict=True))
    }


def _read_json(path: Path) -> dict[str, object]:
    # a memo that does not read as a mapping is ignored: the price is work, never a wrong site
    try:
        found = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


# (source file, the copies it needs) per image; the cache folder in the context
_Job = tuple[str, tuple[Variant, ...]]


def stage_images(
    articles: Sequence[Article], config: SiteConfig, out: StagedOutput, workers: int
) -> tuple[tuple[str, ...], ImageReport]:
    """Stage every copy of every measured image; (their output paths, what was done)."""
    store = image_cache(config)
    jobs: dict[str, _Job] = {}
    for article in articles:
        lead = (article.lead_image,) if article.lead_image is not None else ()
        for image in (*lead, *article.body_images):
            if image.digest not in jobs:  # equal bytes, one set of copies
                jobs[image.digest] = (str(config.content_path / image.path), variants(image))
    missing = [job for job in jobs.values() if any(not _cached(store, v) for v in job[1])]
    processed = sum(map_chunks(_make_copies, store, missing, workers, 4))
    paths = [copy.path for _, copies in jobs.values() for copy in copies]
    _stage_copies([copy for _, copies in jobs.values() for copy in copies], store, out)
    return tuple(paths), ImageReport(processed=processed, reused=len(paths) - processed)


def _stage_copies(copies: Sequence[Variant], store: Path, out: StagedOutput) -> None:
    """Stage each copy from the cache; one the live output holds (by the digest remembered
    beside the cache) is kept without reading it: a warm build reads no image."""
    memo_path = store / DIGESTS_FILE
    known = _read_json(memo_path)
    digests: dict[str, object] = {}
    for copy in copies:
        name = _cache_name(copy)
        remembered = known.get(name)
        if isinstance(remembered, str) and out.can_keep(copy.path, remembered):
            out.keep(copy.path)
            digests[name] = remembered
            continue
        data = (store / name).read_bytes()
        digests[name] = digest(data)
        out.write(copy.path, data)
    if digests != known:
        write_atomic(memo_path, json.dumps(digests, sort_keys=True).encode())


def image_cache(config: SiteConfig) -> Path:
    """The folder of finished copies, one per Pillow version (its encoders make the bytes)."""
    return cache_folder(config.root, config.output_path) / f"images-pillow{PIL.__version__}"


def _cache_name(copy: Variant) -> str:
    return copy.path.rsplit("/", 1)[1]  # <digest>-<width>.<ext>: the key, as a name


def _cached(store: Path, copy: Variant) -> bool:
    return (store / _cache_name(copy)).is_file()


def _make_copies(store: Path, jobs: Sequence[_Job]) -> list[int]:
    """Resize each source to the copies the cache lacks (in a forked worker); the counts."""
    made = []
    for source, copies in jobs:
        count = 0
        with Image.open(source) as original:
            original.load()
            for copy in copies:
                if not _cached(store, copy):
                    write_atomic(store / _cache_name(copy), encode(original, copy))
                    count += 1
        made.append(count)
    return made


def encode(original: Image.Image, copy: Variant) -> bytes:
    """One copy's bytes: resized with Lanczos, colours kept, metadata (EXIF, GPS) dropped."""
    image = original.convert("RGBA" if _has_alpha(original) else "RGB")
    if image.size != (copy.width, copy.height):
        image = image.resize((copy.width, copy.height), Image.Resampling.LANCZOS)
    if copy.format == "jpeg" and image.mode == "RGBA":
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format=copy.format.upper(), **ENCODER_OPTIONS[copy.format])
    return buffer.getvalue()


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
