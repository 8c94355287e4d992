"""Markdown -> HTML through markdown-it-py (CommonMark + tables), and the plain-text excerpt."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

EXCERPT_CHARS = 220


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


def render_markdown(text: str, allow_html: bool = False, html: bool = True) -> tuple[str, str]:
    """Render a body; return (html, excerpt) from one parse of the whole text.

    `html=False` gives only the excerpt ("" for the HTML). The whole text is parsed either
    way, so the excerpt never depends on which: a reference-style link defined at the end
    of an article makes `[text]` in its opening paragraph a link, and the excerpt must read
    the same whether a build renders the body now or later.
    """
    md = markdown_parser(allow_html)
    tokens = md.parse(text)
    rendered = md.renderer.render(tokens, md.options, {}) if html else ""
    return rendered, excerpt_from_tokens(tokens)


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


def shorten(text: str, limit: int) -> str:
    """Cut text at the last space before `limit` and add an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,.;:") + "…"
