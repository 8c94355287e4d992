"""Markdown -> HTML through markdown-it-py (CommonMark + tables), and the plain-text excerpt."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from archivegen.content.images import image_problem, is_remote, local_image_path

EXCERPT_CHARS = 220
# on a body's <img> of a local file: its index in the article's `body_image_paths`, which
# the render replaces by the image's <picture> (render/images.py, body_with_pictures)
IMAGE_MARKER = "data-archivegen-image"
EXTERNAL_CLASS = "external-image"


@dataclass(frozen=True, slots=True)
class BodyImage:
    """One `![](src)` of a body: the src as written, where it points, its line in the body."""

    src: str
    path: str | None  # relative to the content folder; None for a remote URL or a problem
    line: int  # 1-based, in the body text
    problem: str | None = None  # why it may not be shown (image_problem), None if it may


@dataclass(frozen=True, slots=True)
class RenderedBody:
    """A body rendered: its HTML ("" if not asked for), excerpt and images, in order."""

    html: str
    excerpt: str
    images: tuple[BodyImage, ...]

    @property
    def local_paths(self) -> tuple[str, ...]:
        """The local images' paths, each once, in order: what the markers index."""
        return tuple(dict.fromkeys(i.path for i in self.images if i.path is not None))


@lru_cache(maxsize=4)
def markdown_parser(allow_html: bool, typographer: bool = False) -> MarkdownIt:
    """One parser per option set; raw HTML is escaped unless the site allows it."""
    options = {"html": allow_html, "typographer": typographer}
    md = MarkdownIt("commonmark", options).enable("table")
    md.add_render_rule("image", _lazy_image)
    return md


def _lazy_image(
    renderer: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    # a picture in the body sits below the lead image and the headline: below the fold, so
    # the browser fetches it only as the reader scrolls near it
    tokens[idx].attrSet("loading", "lazy")
    tokens[idx].attrSet("decoding", "async")
    return str(renderer.image(tokens, idx, options, env))


def render_markdown(
    text: str, allow_html: bool = False, html: bool = True, folder: str = ""
) -> RenderedBody:
    """Render a body; its HTML, excerpt and images from one parse of the whole text.

    `html=False` gives only the excerpt and images ("" for the HTML). The whole text is
    parsed either way, so neither depends on which: a reference-style link defined at the
    end of an article makes `[text]` in its opening paragraph a link, and the excerpt must
    read the same whether a build renders the body now or later. `folder` is the article
    file's folder relative to the content folder: a relative image path starts there.
    """
    md = markdown_parser(allow_html)
    tokens = md.parse(text)
    images = _mark_images(tokens, folder)
    rendered = md.renderer.render(tokens, md.options, {}) if html else ""
    return RenderedBody(rendered, excerpt_from_tokens(tokens), images)


def _mark_images(tokens: list[Token], folder: str) -> tuple[BodyImage, ...]:
    """Classify every image of the body and mark its token for the HTML.

    The HTML must depend on the Markdown alone (a body is rendered before its images are
    measured, and again from the file at render time), so a local image gets only the
    index of its path; the page's render puts the measured <picture> there. A remote image
    is shown from its site, without telling it which page of the archive is read.
    """
    found: list[BodyImage] = []
    paths: dict[str, int] = {}
    for token, line in _image_tokens(tokens):
        src = unquote(str(token.attrGet("src") or ""))  # markdown-it percent-encodes it
        if is_remote(src):
            token.attrSet("referrerpolicy", "no-referrer")
            token.attrSet("class", EXTERNAL_CLASS)
            found.append(BodyImage(src, None, line))
            continue
        problem = image_problem(src, folder)
        path = None if problem else local_image_path(src, folder)
        if path is not None:
            token.attrSet(IMAGE_MARKER, str(paths.setdefault(path, len(paths))))
        found.append(BodyImage(src, path, line, problem))
    return tuple(found)


def _image_tokens(tokens: list[Token]) -> Iterator[tuple[Token, int]]:
    """Every image token with its 1-based line in the text (a block's first line, plus
    the line breaks before the image inside it)."""
    for block in tokens:
        if block.type != "inline" or not block.children or block.map is None:
            continue
        line = block.map[0] + 1
        for child in block.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "image":
                yield child, line


def excerpt_from_tokens(tokens: list[Token], limit: int = EXCERPT_CHARS) -> str:
    """The opening paragraphs' text, cut at a word boundary near `limit` characters.

    Paragraphs are joined until the excerpt is long enough, so a dateline-only first
    paragraph ("Jakarta -") does not become the whole excerpt.
    """
    collected = ""
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and index + 1 < len(tokens):
            inline = tokens[index + 1]
            text = "".join(
                " " if child.type == "softbreak" else child.content
                for child in inline.children or []
                if child.type in _TEXTUAL
            ).strip()
            collected = f"{collected} {text}".strip()
            if len(collected) >= limit // 2:
                break
    return shorten(collected, limit)


_TEXTUAL = {"text", "code_inline", "softbreak"}


def plain_paragraphs(text: str) -> tuple[str, ...]:
    """A body's text as a reader sees it, one string per block (paragraph, heading, item):
    what two versions of an article are compared by, without their Markdown syntax."""
    found = []
    for token in markdown_parser(False).parse(text):
        if token.type == "inline":
            words = "".join(
                " " if child.type == "softbreak" else child.content
                for child in token.children or []
                if child.type in _TEXTUAL
            )
            if words.strip():
                found.append(" ".join(words.split()))
    return tuple(found)


def shorten(text: str, limit: int) -> str:
    """Cut text at the last space before `limit` and add an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,.;:") + "…"
