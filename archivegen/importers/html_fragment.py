"""An article's own HTML (a WordPress post's content, a feed entry's) into safe Markdown.

Such HTML is the article and nothing else, so nothing is extracted from it (trafilatura
would drop a short post as boilerplate): it is cleaned (scripts, styles, frames, forms and
event attributes removed), its tags are renamed into the vocabulary of trafilatura's XML
(`p`, `head`, `list`/`item`, `quote`, `code`, `table`/`row`/`cell`, `graphic`, `ref`,
`hi`, `lb`) and it goes through the HTML importer's own writer, body_to_markdown, which
escapes every text run and keeps only http(s), mailto and relative links.
"""

from __future__ import annotations

from lxml import etree, html
from lxml_html_clean import Cleaner

from archivegen.importers.html_markdown import XmlElement, body_to_markdown

_CLEANER = Cleaner(
    scripts=True,
    javascript=True,
    comments=True,
    style=True,
    inline_style=True,
    embedded=True,
    frames=True,
    forms=True,
    meta=True,
    processing_instructions=True,
    page_structure=False,
    remove_unknown_tags=False,
    safe_attrs_only=True,
)
_RENAMES = {
    **{f"h{n}": "head" for n in range(1, 7)},
    "ul": "list",
    "ol": "list",
    "li": "item",
    "blockquote": "quote",
    "pre": "code",
    "tr": "row",
    "td": "cell",
    "th": "cell",
    "img": "graphic",
    "a": "ref",
    "b": "hi",
    "strong": "hi",
    "i": "hi",
    "em": "hi",
    "br": "lb",
}
_EMPHASIS = {"b": "#b", "strong": "#b", "i": "#i", "em": "#i"}
# grouping tags: a div of text is a paragraph, a div of blocks only groups them
_CONTAINERS = frozenset(
    {"div", "section", "article", "figure", "figcaption", "center", "main", "header",
     "footer", "aside", "dl", "dd", "dt", "address", "details", "summary"}
)  # fmt: skip
_BLOCKS = frozenset({"p", "head", "list", "quote", "code", "table", "div", "graphic"})
_UNWRAPPED = ("thead", "tbody", "tfoot", "colgroup", "col", "caption", "picture", "source")


def fragment_to_markdown(markup: str, base_url: str | None = None) -> str:
    """The Markdown of an HTML fragment; "" when it holds no text or image."""
    if not markup.strip():
        return ""
    try:
        root = html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):  # nothing parseable (only a comment, NULs)
        return ""
    _CLEANER(root)
    _rename(root)
    _group(root)
    return body_to_markdown(root, base_url=base_url)


def fragment_text(markup: str) -> str:
    """The plain text of an HTML fragment, its whitespace squashed (an excerpt, a title)."""
    if not markup.strip():
        return ""
    try:
        root = html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    _CLEANER(root)
    return " ".join(root.text_content().split())


def _rename(root: XmlElement) -> None:
    etree.strip_tags(root, *_UNWRAPPED)
    for el in root.iter(etree.Element):
        tag = el.tag
        if tag == "hr":
            el.tag = "lb"
        elif tag in _RENAMES:
            _rename_one(el, tag)
        elif tag in _CONTAINERS:
            el.tag = "div"


def _rename_one(el: XmlElement, tag: str) -> None:
    keep = {"a": ("href",), "img": ("src", "alt", "title")}.get(tag, ())
    kept = {k: el.get(k) for k in keep if el.get(k) is not None}
    el.attrib.clear()
    el.tag = _RENAMES[tag]
    if tag == "a" and "href" in kept:
        el.set("target", kept["href"])
    elif tag == "img":
        for name, value in kept.items():
            el.set(name, value)
    elif tag in _EMPHASIS:
        el.set("rend", _EMPHASIS[tag])
    elif el.tag in ("head", "list"):
        el.set("rend", tag)


def _group(el: XmlElement) -> None:
    """Make every grouping element hold blocks only: a div of text becomes a paragraph, and
    text or inline tags between blocks are wrapped in paragraphs of their own."""
    for child in el:
        if child.tag in ("div", "quote"):
            _group(child)
    has_blocks = any(child.tag in _BLOCKS for child in el)
    if el.tag == "div" and el.getparent() is not None and not has_blocks:
        el.tag = "p"
    elif has_blocks or el.getparent() is None:  # a quote of text alone is one paragraph
        _wrap_loose(el)


def _wrap_loose(el: XmlElement) -> None:
    """Wrap each run of text and inline children between the blocks of el in a <p>."""
    children = list(el)
    for child in children:
        el.remove(child)  # each keeps its tail
    text, el.text = el.text, None
    run: list[XmlElement] = []
    out: list[XmlElement] = []
    for child in children:
        if child.tag not in _BLOCKS:
            run.append(child)  # its tail goes with it
            continue
        out.extend(_paragraph(text, run))
        text, run, child.tail = child.tail, [], None
        out.append(child)
    out.extend(_paragraph(text, run))
    el.extend(out)


def _paragraph(text: str | None, run: list[XmlElement]) -> list[XmlElement]:
    """A <p> of text and inline elements, or none when they show nothing."""
    if not (text or "").strip() and not run:
        return []
    para = etree.Element("p")
    para.text = text
    para.extend(run)
    return [para]
