"""Markdown -> HTML through markdown-it-py (CommonMark + tables), and the plain-text excerpt."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

EXCERPT_CHARS = 220


@lru_cache(maxsize=4)
def markdown_parser(allow_html: bool, typographer: bool = False) -> MarkdownIt:
    """One parser per option set; raw HTML is escaped unless the site allows it."""
    options = {"html": allow_html, "typographer": typographer}
    return MarkdownIt("commonmark", options).enable("table")


def render_markdown(text: str, allow_html: bool = False) -> tuple[str, str]:
    """Render a body; return (html, excerpt) from one parse."""
    md = markdown_parser(allow_html)
    tokens = md.parse(text)
    html = md.renderer.render(tokens, md.options, {})
    return html, excerpt_from_tokens(tokens)


def excerpt_only(text: str, allow_html: bool = False, limit: int = EXCERPT_CHARS) -> str:
    """The excerpt without rendering the whole body: only the opening blocks are parsed.

    A build keeps excerpts in memory for every article but renders bodies only in the
    worker that writes the article's page; parsing a few hundred characters instead of
    the whole article keeps loading cheap.
    """
    head, rest, blocks = "", text, 0
    while rest and (len(head) < 3 * limit or blocks < 2):
        block, _, rest = rest.partition("\n\n")
        head, blocks = f"{head}\n\n{block}" if head else block, blocks + 1
    return excerpt_from_tokens(markdown_parser(allow_html).parse(head), limit)


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
