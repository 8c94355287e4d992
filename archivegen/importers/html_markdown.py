"""trafilatura's XML of a page's main text into safe Markdown.

Keeps paragraphs, headings, lists, links, block quotes, code, tables and images with their
alt text. Every text run is escaped, so no markup of the page survives as markup, and only
http(s), mailto and relative URLs are kept: a `javascript:` or `data:` link keeps its text
and loses its target.
"""

from __future__ import annotations

import re
import unicodedata
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
# emphasis stands as private-use marks until its line is assembled: only then is it known
# whether CommonMark takes the `**` as emphasis (see _emphasis)
_OPENS = {"**": "\ue000", "*": "\ue002"}
_CLOSES = {"**": "\ue001", "*": "\ue003"}
_MARKS = {**{v: k for k, v in _OPENS.items()}, **{v: k for k, v in _CLOSES.items()}}
_MARK_CHARS = re.compile("[\ue000-\ue003]")


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
    return encode_url(absolute)


def encode_url(url: str) -> str:
    """A URL with what may not stand in one (spaces, quotes, non-ASCII) percent-encoded;
    what is encoded already stays as it is."""
    return quote(url, safe=":/?#[]@!$&'*+,;=%~-._")


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
    lines = [" ".join(part.split()) for part in _emphasis(_inline(el, base)).split(_BREAK)]
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
    return escape_inline(re.sub(r"[\s\x00]+", " ", _MARK_CHARS.sub("", run))) if run else ""


def _inline_child(child: XmlElement, base: str | None) -> str:
    tag = child.tag
    if tag == "lb":
        return _BREAK
    if tag == "ref":
        url = safe_url(child.get("target"), base)
        return _wrapped(_inline(child, base), "[", f"](<{url}>)") if url else _inline(child, base)
    if tag == "graphic":
        return _image(child, base) or ""
    if tag == "hi":
        mark = _EMPHASIS.get(str(child.get("rend", "")), "")
        if mark not in _OPENS:
            return _inline(child, base)
        return _wrapped(_inline(child, base), _OPENS[mark], _CLOSES[mark])
    if tag == "code":
        return _code_span(_plain(child))
    return _inline(child, base)


def _wrapped(inner: str, before: str, after: str) -> str:
    """inner between markup, the spaces at its edges kept outside: `a<b> b</b>` is `a **b**`."""
    text = inner.strip()
    if not text.replace(_BREAK, "").strip():
        return inner  # nothing visible to mark up
    lead = " " if inner[:1].isspace() else ""
    trail = " " if inner[-1:].isspace() else ""
    return f"{lead}{before}{text}{after}{trail}"


def _emphasis(text: str) -> str:
    """The emphasis marks of a line as `*`, `**`, less those CommonMark would show as such.

    A `**` only opens before a letter or after a space or punctuation (`a**"b"**` is not
    emphasis), and only closes symmetrically; such a pair, and two runs that touch
    (`<b>a</b><b>b</b>`, one run), lose their marks and keep their text.
    """
    if _MARK_CHARS.search(text) is None:  # most paragraphs have no emphasis at all
        return text
    pairs, stack = [], []
    for i, ch in enumerate(text):
        if ch in _OPENS.values():
            stack.append(i)
        elif ch in _CLOSES.values() and stack:
            pairs.append((stack.pop(), i))
    dropped: set[int] = set()
    changed = True
    while changed:
        changed = False
        for start, end in pairs:
            if start not in dropped and not _takes(text, start, end, dropped):
                dropped.update((start, end))
                changed = True
    kept = {i for pair in pairs for i in pair} - dropped
    return "".join(
        _MARKS[ch] if i in kept else ch
        for i, ch in enumerate(text)
        if ch not in _MARKS or i in kept
    )


def _takes(text: str, start: int, end: int, dropped: set[int]) -> bool:
    """Whether CommonMark reads the marks at start and end as one emphasis."""
    before, first = _around(text, start)
    last, after = _around(text, end)
    if _touching(text, end, dropped) or _touching(text, start, dropped, back=True):
        return False
    opens = not _space(first) and (not _punct(first) or _space(before) or _punct(before))
    closes = not _space(last) and (not _punct(last) or _space(after) or _punct(after))
    return opens and closes


def _around(text: str, i: int) -> tuple[str, str]:
    """The characters before and after the run of marks at i (a space at the line's ends)."""
    lo = i
    while lo > 0 and text[lo - 1] in _MARKS:
        lo -= 1
    hi = i
    while hi + 1 < len(text) and text[hi + 1] in _MARKS:
        hi += 1
    return (text[lo - 1] if lo else " "), (text[hi + 1] if hi + 1 < len(text) else " ")


def _touching(text: str, i: int, dropped: set[int], back: bool = False) -> bool:
    """A close mark met by an open one (or an open preceded by a close): one run of `*`."""
    step = -1 if back else 1
    j = i + step
    while 0 <= j < len(text) and text[j] in _MARKS:
        if j not in dropped:
            kind = _OPENS if not back else _CLOSES
            if text[j] in kind.values():
                return True
        j += step
    return False


def _space(ch: str) -> bool:
    return ch.isspace() or ch == _BREAK


def _punct(ch: str) -> bool:
    # CommonMark's punctuation: Unicode P and S categories (ASCII symbols such as $ among them)
    return unicodedata.category(ch)[0] in "PS"


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
