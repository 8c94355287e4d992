"""Reading a WordPress export's XML: its items streamed one at a time, their fields by name.

lxml's iterparse reads no DTD and makes no request, expands no entity and keeps
huge_tree off; an export that declares a DTD or entities (a billion-laughs bomb, an
external entity reading a local file) is refused before any item is read: WordPress
writes none. Each item is cleared once the caller is done with it, with the items before
it, so memory holds one item whatever the export's size.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from archivegen.errors import ImportError_
from archivegen.importers.html_markdown import XmlElement
from archivegen.importers.sources import RawFile

WP = "{http://wordpress.org/export/"  # 1.0, 1.1 and 1.2 differ in the version only
_NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
}


def postmeta(item: XmlElement) -> dict[str, str]:
    meta: dict[str, str] = {}
    for el in item:
        if el.tag.startswith(WP) and el.tag.endswith("}postmeta"):
            meta[child_text(el, "wp:meta_key")] = child_text(el, "wp:meta_value")
    return meta


def item_fields(item: XmlElement) -> dict[str, str]:
    """The item's simple children by prefixed name (`wp:post_date_gmt`, `title`)."""
    return {_name(el.tag): el.text or "" for el in item if isinstance(el.tag, str)}


def _name(tag: str) -> str:
    """`{http://wordpress.org/export/1.2/}status` -> `wp:status`; `title` -> `title`."""
    if not tag.startswith("{"):
        return tag
    namespace, local = tag[1:].split("}", 1)
    if namespace.startswith(WP[1:]):
        prefix = "excerpt" if namespace.rstrip("/").endswith("excerpt") else "wp"
    else:
        prefix = _NAMESPACES.get(namespace, namespace)
    return f"{prefix}:{local}"


def child_text(el: XmlElement, name: str) -> str:
    for child in el:
        if isinstance(child.tag, str) and _name(child.tag) == name:
            return (child.text or "").strip()
    return ""


def export_items(
    raw: RawFile, *, strict: bool, authors: bool = False
) -> Iterator[tuple[int, XmlElement]]:
    """Each <item> (and, if asked, <wp:author>) of an export with its line, streamed: each
    is cleared once the caller is done with it, so memory holds one item at a time."""
    with raw.open() as stream:
        events = etree.iterparse(
            stream,
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        try:
            yield from _wanted(events, raw.origin, authors)
        except etree.XMLSyntaxError as exc:
            if strict:
                line = exc.lineno or None
                message = f"not well-formed XML: {exc.msg}; the posts before it were imported"
                raise ImportError_(message, path=raw.origin, line=line) from None


def _wanted(
    events: etree.iterparse, origin: str, authors: bool
) -> Iterator[tuple[int, XmlElement]]:
    checked = False
    for event, el in events:
        if not checked:
            _refuse_entities(el, origin)
            checked = True
        if event != "end":
            continue
        if el.tag == "item" or (authors and el.tag.startswith(WP) and el.tag.endswith("}author")):
            yield el.sourceline or 0, el
            el.clear(keep_tail=False)
            parent = el.getparent()
            while parent is not None and el.getprevious() is not None:
                del parent[0]  # the items already read


def _refuse_entities(root: XmlElement, origin: str) -> None:
    info = root.getroottree().docinfo
    dtd = info.internalDTD
    if info.system_url or info.public_id or (dtd is not None and any(dtd.iterentities())):
        raise ImportError_(
            "the export declares a DTD or entities (WordPress writes none; they could expand "
            "to gigabytes or read local files): refused, nothing read",
            path=origin,
        )
