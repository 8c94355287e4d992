"""trafilatura's XML of a page's main text into safe Markdown.

Keeps paragraphs, headings, lists, links, block quotes, code, tables and images with their
alt text. Every text run is escaped, so no markup of the page survives as markup, and only
http(s), mailto and relative URLs are kept: a `javascript:` or `data:` link keeps its text
and loses its target.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from archivegen.importers.markdown import escape_block_start, escape_inline

# an lxml element (trafilatura's XML); lxml ships no type stubs, so it is Any to mypy
XmlElement = Any

_SAFE_SCHEMES = frozenset({"", "http", "https", "mailto"})
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BREAK = "\x00"  # stands for <lb/> until a line is assembled
_EMPHASIS = {"#b": "**", "#strong": "**", "#i": "*", "#em": "*", "#t": "`"}


def body_to_markdown(body: XmlElement, base_url: str | None = None, skip_title: str = "") -> str:
    """The Markdown of a trafilatura <body>, leaving out a first heading equal to the title."""
    blocks = [_block(child, base_url) for child in body]
    if skip_title and len(body) and body[0].tag == "head" and _same(_plain(body[0]), skip_title):
        blocks = blocks[1:]
    return "\n\n".join(b for b in blocks if b.strip())


def safe_url(url: str | None, base_url: str | None = None) -> str | None:
    """The URL if it is http(s), mailto or relative (made absolute on base_url), else None."""
    if not url:
        return None
    compact = _INVISIBLE.sub("", url)  # "java\tscript:" is javascript: to a browser
    m = _SCHEME.match(compact)
    if m and m.group(1).lower() not in _SAFE_SCHEMES:
        return None
    absolute = urljoin(base_url, url.strip()) if base_url else url.strip()
    if urlsplit(absolute).scheme.lower() not in _SAFE_SCHEMES:
        return None
    return quote(absolute, safe=":/?#[]@!$&'*+,;=%~-._")


def _block(el: XmlElement, base: str | None) -> str:
    tag = el.tag
    if tag == "head":
        level = _HEADINGS.get(str(el.get("rend", "")), 2)
        return "#" * level + " " + _inline_line(el, base)
    if tag == "list":
        return _list(el, base)
    if tag == "quote":
        inner = _children_blocks(el, base) or _inline_line(el, base)
        return "\n".join("> " + line if line else ">" for line in inner.splitlines())
    if tag == "code":
        return _code_block(el)
    if tag == "table":
        return _table(el, base)
    if tag == "graphic":
        return _image(el, base) or ""
    if tag in ("div", "section", "body") and len(el):
        return _children_blocks(el, base)
    return escape_block_start(_inline_line(el, base))


def _children_blocks(el: XmlElement, base: str | None) -> str:
    blocks = [_block(child, base) for child in el if _is_block(child)]
    return "\n\n".join(b for b in blocks if b.strip())


def _is_block(el: XmlElement) -> bool:
    return el.tag in ("p", "head", "list", "quote", "code", "table", "div", "section", "graphic")


def _inline_line(el: XmlElement, base: str | None) -> str:
    """Inline Markdown of an element on one logical line (line breaks become hard breaks)."""
    lines = [" ".join(part.split()) for part in _inline(el, base).split(_BREAK)]
    # a heading or list marker after a hard break would start a block: escape it too
    return "\\\n".join(escape_block_start(line) for line in lines if line)


def _inline(el: XmlElement, base: str | None) -> str:
    parts = [_text(el.text)]
    for child in el:
        parts.append(_inline_child(child, base))
        parts.append(_text(child.tail))
    return "".join(parts)


def _text(run: str | None) -> str:
    # source newlines are only spaces; line breaks come from <lb/> alone
    return escape_inline(re.sub(r"[\s\x00]+", " ", run)) if run else ""


def _inline_child(child: XmlElement, base: str | None) -> str:
    tag = child.tag
    if tag == "lb":
        return _BREAK
    if tag == "ref":
        label = _inline(child, base).strip()
        url = safe_url(child.get("target"), base)
        return f"[{label}](<{url}>)" if url and label else label
    if tag == "graphic":
        return _image(child, base) or ""
    if tag == "hi":
        mark = _EMPHASIS.get(str(child.get("rend", "")), "")
        inner = _inline(child, base).strip()
        return f"{mark}{inner}{mark}" if inner and mark != "`" else inner
    if tag == "code":
        return _code_span(_plain(child))
    return _inline(child, base)


def _image(el: XmlElement, base: str | None) -> str | None:
    url = safe_url(el.get("src"), base)
    if url is None or url.startswith("data:"):
        return None
    alt = escape_inline(" ".join((el.get("alt") or el.get("title") or "").split()))
    return f"![{alt}](<{url}>)"


def _list(el: XmlElement, base: str | None, depth: int = 0) -> str:
    ordered = el.get("rend") == "ol"
    lines: list[str] = []
    for n, item in enumerate((i for i in el if i.tag == "item"), 1):
        marker = f"{n}." if ordered else "-"
        nested = [c for c in item if c.tag == "list"]
        for c in nested:
            item.remove(c)  # rendered below, indented under their item
        lines.append("  " * depth + f"{marker} " + _inline_line(item, base))
        lines.extend(_list(c, base, depth + 1) for c in nested)
    return "\n".join(lines)


def _code_block(el: XmlElement) -> str:
    code = _plain(el).strip("\n")
    fence = "```" if "```" not in code else "~~~~"
    return f"{fence}\n{code}\n{fence}"


def _code_span(text: str) -> str:
    ticks = "``" if "`" in text else "`"
    return f"{ticks}{text}{ticks}" if text else ""


def _table(el: XmlElement, base: str | None) -> str:
    rows = [[_cell(c, base) for c in row if c.tag == "cell"] for row in el if row.tag == "row"]
    rows = [r for r in rows if r]
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines.extend("| " + " | ".join(r) + " |" for r in rows[1:])
    return "\n".join(lines)


def _cell(el: XmlElement, base: str | None) -> str:
    return _inline_line(el, base).replace("\\\n", " ").replace("|", "\\|")


def _plain(el: XmlElement) -> str:
    return "".join(el.itertext())


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())
