"""Which copies of an article's images the site holds, and how a page asks for them (pure).

A `MeasuredImage` (the lead image, or one of the body's) decides everything: the widths (a
few up to the original's, never larger), the formats (WebP beside the original's, GIF as
PNG), and where each copy lives, named by the source's digest
(`media/<d[:2]>/<digest>-<width>.<ext>`): equal bytes share their copies, and a changed
image gets new names, so no browser shows a stale copy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from archivegen.content.images import MeasuredImage, is_remote
from archivegen.content.markdown import IMAGE_MARKER
from archivegen.content.model import Article

WIDTHS = (480, 800, 1200)  # a phone, a tablet, the 40rem column at 2x density
MAX_WIDTH = 1200  # no copy wider: no screen shows more of the column (and the largest copies
# cost the most to encode: ~45% of the step's time went to a 1600 px pair)
# the article column: 40rem at most (--measure in themes/default/static/style.css), else
# the screen less the 1rem margins
SIZES = "(min-width: 42rem) 40rem, calc(100vw - 2rem)"
_FALLBACK = {"jpeg": ("jpeg", "jpg"), "png": ("png", "png"), "gif": ("png", "png")}
_MIME = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
_MARKED = re.compile(rf'<img\b[^>]*\s{IMAGE_MARKER}="(\d+)"[^>]*>')
_ATTRIBUTE = re.compile(r'\s([a-z-]+)="([^"]*)"')


@dataclass(frozen=True, slots=True)
class Variant:
    """One copy of an image: its size, format (Pillow's name) and path in the site."""

    width: int
    height: int
    format: str
    path: str  # relative to the output folder


@dataclass(frozen=True, slots=True)
class Picture:
    """What a template writes for one image: `<source>`s, the `<img>` and its size."""

    sources: tuple[tuple[str, str], ...]  # (MIME type, srcset) of the modern formats
    src: str
    srcset: str
    sizes: str
    width: int
    height: int


def variants(image: MeasuredImage) -> tuple[Variant, ...]:
    """Every copy of the image the site holds: each width in the fallback format, then WebP."""
    top = min(image.width, MAX_WIDTH)
    widths = [w for w in WIDTHS if w < top] + [top]
    fallback, ext = _FALLBACK.get(image.format, ("webp", "webp"))
    formats = [(fallback, ext)] + ([("webp", "webp")] if fallback != "webp" else [])
    found = []
    for name, suffix in formats:
        for width in widths:
            height = max(1, round(image.height * width / image.width))
            path = f"media/{image.digest[:2]}/{image.digest}-{width}.{suffix}"
            found.append(Variant(width, height, name, path))
    return tuple(found)


def picture(image: MeasuredImage) -> Picture:
    """The `<picture>` of an image: the fallback format in `<img>`, WebP in a `<source>`."""
    copies = variants(image)
    fallback = [v for v in copies if v.format == copies[0].format]
    others = [v for v in copies if v.format != copies[0].format]
    largest = fallback[-1]
    sources = ((_MIME["webp"], _srcset(others)),) if others else ()
    return Picture(
        sources, "/" + largest.path, _srcset(fallback), SIZES, largest.width, largest.height
    )


def body_with_pictures(body_html: str, images: Sequence[MeasuredImage]) -> str:
    """The body's HTML with each marked local `<img>` (content/markdown.py) replaced by
    its image's `<picture>`: lazy, as a body image is below the fold. A marker with no
    image (raw HTML that copied one) is left as written."""

    def replace(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index >= len(images):
            return match.group(0)
        attributes = dict(_ATTRIBUTE.findall(match.group(0)))
        return _body_picture(picture(images[index]), attributes)

    return _MARKED.sub(replace, body_html) if images else body_html


def _body_picture(shown: Picture, attributes: dict[str, str]) -> str:
    # alt and title as the Markdown renderer escaped them (attribute-safe already)
    title = f' title="{attributes["title"]}"' if "title" in attributes else ""
    sources = "".join(
        f'<source type="{kind}" srcset="{srcset}" sizes="{shown.sizes}">'
        for kind, srcset in shown.sources
    )
    return (
        f'<picture>{sources}<img src="{shown.src}" srcset="{shown.srcset}" '
        f'sizes="{shown.sizes}" width="{shown.width}" height="{shown.height}" '
        f'alt="{attributes.get("alt", "")}"{title} loading="lazy" decoding="async"></picture>'
    )


def lead_image_url(article: Article) -> str | None:
    """The article's image as one URL (a site path or a remote URL), for social cards."""
    if article.lead_image is not None:
        return picture(article.lead_image).src  # the largest copy, in a format cards read
    return article.image if article.image and is_remote(article.image) else None


def _srcset(copies: list[Variant]) -> str:
    return ", ".join(f"/{v.path} {v.width}w" for v in copies)
