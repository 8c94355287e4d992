"""Read one built HTML page: its links (with lines), ids, title, canonical link, redirect."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

# attributes that hold one URL; srcset (several) and meta refresh are read apart
URL_ATTRIBUTES = {"href", "src", "poster", "action", "data"}


@dataclass(frozen=True, slots=True)
class Link:
    """A URL found in a page, where it was, and which attribute held it."""

    url: str
    line: int
    attribute: str


@dataclass(slots=True)
class PageScan:
    """What the checks need to know about one page."""

    links: list[Link] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    title: str = ""
    has_title: bool = False
    canonical: str | None = None
    redirect: bool = False
    head_line: int = 1  # where a missing <title> or canonical link should have been


def scan_page(text: str) -> PageScan:
    """Parse a page's HTML (lenient, like a browser) into a PageScan."""
    parser = _PageParser()
    parser.feed(text)
    parser.close()
    return parser.scan


def srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset: comma-separated candidates, each `url [descriptor]`."""
    urls = []
    for candidate in value.split(","):
        parts = candidate.split()
        if parts:
            urls.append(parts[0])
    return urls


def refresh_url(content: str) -> str | None:
    """The target of `<meta http-equiv=refresh content="0; url=...">`, if it names one."""
    for part in content.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.strip().lower() == "url" and value.strip():
            return value.strip().strip("'\"")
    return None


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = PageScan()
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.scan.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.scan.ids.add(values["name"])
        if tag == "title":
            self._in_title, self.scan.has_title = True, True
        elif tag == "head":
            self.scan.head_line = line
        self._read_head_tags(tag, values, line)
        for name, value in values.items():
            if name in URL_ATTRIBUTES and not (tag == "link" and _is_hint(values)):
                self.scan.links.append(Link(value.strip(), line, name))
            elif name in ("srcset", "imagesrcset"):
                self.scan.links += [Link(u, line, name) for u in srcset_urls(value)]

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.scan.title += data

    def _read_head_tags(self, tag: str, values: dict[str, str], line: int) -> None:
        rel = values.get("rel", "").lower().split()
        if tag == "link" and "canonical" in rel:
            self.scan.canonical = values.get("href", "").strip()
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.scan.redirect = True
            target = refresh_url(values.get("content", ""))
            if target:
                self.scan.links.append(Link(target, line, "http-equiv=refresh"))


def _is_hint(values: dict[str, str]) -> bool:
    """`<link rel=preconnect|dns-prefetch>` names an origin, not a document to fetch."""
    rel = set(values.get("rel", "").lower().split())
    return bool(rel & {"preconnect", "dns-prefetch"})
