"""Read the site's XML files: Atom feeds and sitemaps must parse and list existing pages.

expat (not ElementTree) because a problem report needs the line of each element.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.parsers import expat

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


@dataclass(slots=True)
class XmlScan:
    """The kind of XML file (by its root element) and the URLs it lists, with lines."""

    kind: str = "xml"  # "feed", "sitemap", "sitemapindex" or "xml" (not ours to judge)
    urls: list[tuple[str, int]] = field(default_factory=list)
    error: tuple[str, int] | None = None  # (message, line) when it does not parse


def scan_xml(data: bytes) -> XmlScan:
    """Parse an XML file and collect what feeds and sitemaps point at."""
    scan = XmlScan()
    parser = expat.ParserCreate(namespace_separator="}")
    text: list[str] = []
    depth = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        if depth == 1:
            scan.kind = _kind(name)
        if scan.kind == "feed" and name == f"{ATOM}}}link" and "href" in attrs:
            scan.urls.append((attrs["href"], parser.CurrentLineNumber))
        text.clear()

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1
        if scan.kind.startswith("sitemap") and name == f"{SITEMAP}}}loc":
            scan.urls.append(("".join(text).strip(), parser.CurrentLineNumber))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text.append
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        scan.error = (f"not well-formed XML: {expat.ErrorString(exc.code)}", exc.lineno)
    return scan


def _kind(root: str) -> str:
    return {
        f"{ATOM}}}feed": "feed",
        f"{SITEMAP}}}urlset": "sitemap",
        f"{SITEMAP}}}sitemapindex": "sitemapindex",
    }.get(root, "xml")
