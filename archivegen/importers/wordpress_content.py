"""A WordPress post's stored content into the HTML its site showed, before it becomes Markdown.

WordPress stores what the editor typed, not what it served: classic-editor posts have no
<p> (wpautop makes paragraphs of blank-line-separated text when the page is shown, and
line breaks of single newlines), and images sit in shortcodes (`[caption]…[/caption]`,
`[gallery]`). Both are done here as WordPress does them; posts of the block editor
(`<!-- wp:paragraph -->`) carry their own <p> and are left as they are.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

_BLOCK_EDITOR = "<!-- wp:"
_PRE = re.compile(r"(<pre[\s>].*?</pre>)", re.IGNORECASE | re.DOTALL)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# a chunk that starts with a block tag (or a comment) is not wrapped in <p> by wpautop
_STARTS_BLOCK = re.compile(
    r"^\s*<(?:/?(?:p|h[1-6]|ul|ol|li|dl|dd|dt|blockquote|pre|table|thead|tbody|tfoot|tr|td|th"
    r"|figure|figcaption|div|section|article|aside|header|footer|hr|address|form|iframe"
    r"|video|audio|object|style|script)\b|!--)",
    re.IGNORECASE,
)
_CAPTION = re.compile(r"\[(?:wp_)?caption[^\]]*\](.*?)\[/(?:wp_)?caption\]", re.DOTALL)
_GALLERY = re.compile(r"\[gallery([^\]]*)\]")
_IDS = re.compile(r"""\bids=["']?([\d,\s]+)""")
_EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.DOTALL)
# what is left of WordPress's own media shortcodes: their tags go, their text stays
_MEDIA_TAGS = re.compile(r"\[/?(?:audio|video|playlist|embed)\b[^\]]*\]")


@dataclass(frozen=True, slots=True)
class Attachment:
    """An attachment item of an export: an uploaded file, usually an image."""

    url: str
    title: str = ""
    caption: str = ""  # the attachment's excerpt, which WordPress shows as the caption
    alt: str = ""
    parent: str = ""  # the post it was uploaded to


def post_html(
    content: str,
    post_id: str,
    attachments: Mapping[str, Attachment],
    children: Mapping[str, Sequence[str]],
) -> str:
    """The HTML a post's content showed as: shortcodes expanded, paragraphs made."""
    content = _CAPTION.sub(_figure, content)
    content = _GALLERY.sub(_gallery(post_id, attachments, children), content)
    content = _EMBED.sub(lambda m: _link(m.group(1).strip()), content)
    content = _MEDIA_TAGS.sub("", content)
    return content if _BLOCK_EDITOR in content else autop(content)


def autop(content: str) -> str:
    """WordPress's wpautop, in short: blank-line-separated text into paragraphs, single
    newlines into line breaks; blocks and <pre> (whose blank lines are its own) untouched."""
    parts = _PRE.split(content.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(part if n % 2 else _paragraphs(part) for n, part in enumerate(parts))


def _paragraphs(text: str) -> str:
    chunks = (c.strip() for c in _PARAGRAPH_BREAK.split(text))
    return "\n".join(
        c if _STARTS_BLOCK.match(c) else "<p>" + c.replace("\n", "<br>\n") + "</p>"
        for c in chunks
        if c
    )


def _figure(match: re.Match[str]) -> str:
    """`[caption]<img …> The caption[/caption]` as a figure with its caption."""
    inner = match.group(1)
    cut = inner.rfind(">") + 1  # the caption is the text after the image (or its link)
    return f"<figure>{inner[:cut]}<figcaption>{inner[cut:].strip()}</figcaption></figure>"


def _gallery(
    post_id: str, attachments: Mapping[str, Attachment], children: Mapping[str, Sequence[str]]
) -> Callable[[re.Match[str]], str]:
    """`[gallery]` (the post's attached images) or `[gallery ids="4,7"]` as figures."""

    def expand(match: re.Match[str]) -> str:
        given = _IDS.search(match.group(1))
        ids = [i.strip() for i in given.group(1).split(",")] if given else children.get(post_id, ())
        shown = (attachments[i] for i in ids if i in attachments)
        return "".join(_image_figure(a) for a in shown)

    return expand


def _image_figure(attachment: Attachment) -> str:
    alt = html.escape(attachment.alt or attachment.title)
    caption = html.escape(attachment.caption)
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure><img src="{html.escape(attachment.url)}" alt="{alt}">{figcaption}</figure>'


def _link(url: str) -> str:
    shown = html.escape(url)
    return f'<p><a href="{shown}">{shown}</a></p>'
