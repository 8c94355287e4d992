"""`archivegen check`: read the whole built site, report every problem with file and line."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from archivegen.check.external import Fetch, Unsettled, check_urls
from archivegen.check.feeds import scan_xml
from archivegen.check.links import SiteMap, page_url
from archivegen.check.pages import Link, PageScan, scan_page
from archivegen.check.report import CheckReport, Problem
from archivegen.errors import OutputError

PRIVATE_PREFIX = ".archivegen-"
NOT_FOUND_PAGE = "404.html"
IMPLICIT_ANCHORS = {"", "top"}  # browsers scroll to the top for these without an element


@dataclass(slots=True)
class _Findings:
    problems: list[Problem] = field(default_factory=list)
    links: int = 0
    external: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # url -> uses

    def error(self, path: str, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, message))


def check_site(
    output: Path,
    base_url: str,
    *,
    external: bool = False,
    fetch: Fetch | None = None,
    cache_file: Path | None = None,
) -> CheckReport:
    """Check every page, feed and sitemap of a built site (external links only on request;
    their answers kept in `cache_file` between runs, when given)."""
    files = set(_site_files(output))
    if not files:
        raise OutputError(f"{output} holds no site; run `archivegen build` first", path=output)
    site = SiteMap(files, base_url)
    pages = {f: scan_page(_read(output / f)) for f in sorted(files) if f.endswith(".html")}
    found = _Findings()
    for relative, scan in pages.items():
        _check_page(relative, scan, site, pages, found)
    feeds = _check_xml_files(output, files, site, pages, found)
    _check_robots(output, files, site, found)
    if external and found.external:
        for url, reason in check_urls(found.external, fetch, cache_file).items():
            settled = not isinstance(reason, Unsettled)  # rate limited: a warning, not broken
            for path, line in found.external[url]:
                found.problems.append(
                    Problem(path, line, f"external link {url}: {reason}", settled)
                )
    return CheckReport(
        pages=len(pages),
        links=found.links,
        feeds=feeds,
        problems=tuple(sorted(found.problems)),
        external=len(found.external) if external else 0,
    )


def _check_page(
    relative: str, scan: PageScan, site: SiteMap, pages: dict[str, PageScan], found: _Findings
) -> None:
    exempt = scan.redirect or relative == NOT_FOUND_PAGE
    if not exempt and not scan.title.strip():
        found.error(
            relative, scan.head_line, "no <title>" if not scan.has_title else "empty <title>"
        )
    if not exempt and not scan.canonical:
        found.error(relative, scan.head_line, 'no canonical link (<link rel="canonical" href=...>)')
    for link in scan.links:
        _check_link(relative, link, site, pages, found)


def _check_link(
    relative: str, link: Link, site: SiteMap, pages: dict[str, PageScan], found: _Findings
) -> None:
    found.links += 1
    if site.is_external(link.url):
        found.external.setdefault(link.url, []).append((relative, link.line))
        return
    internal = site.internal_path(link.url, page_url(relative))
    if internal is None:
        return
    target = site.resolve(*internal)
    if target.file is None:
        found.error(relative, link.line, f"broken link {link.url}: no file for {target.path}")
        return
    anchors = pages.get(target.file)
    fragment = target.fragment
    if anchors is not None and fragment not in IMPLICIT_ANCHORS and fragment not in anchors.ids:
        message = f"missing anchor {link.url}: no id={fragment!r} in {target.file}"
        found.error(relative, link.line, message)


def _check_xml_files(
    output: Path, files: set[str], site: SiteMap, pages: dict[str, PageScan], found: _Findings
) -> int:
    """Feeds and sitemaps must parse and list only existing pages; returns how many there are."""
    counted = 0
    for relative in sorted(f for f in files if f.endswith(".xml")):
        scan = scan_xml((output / relative).read_bytes())
        if scan.error:
            found.error(relative, scan.error[1], scan.error[0])
            continue
        counted += scan.kind != "xml"
        for url, line in scan.urls:
            found.links += 1
            internal = site.internal_path(url, page_url(relative))
            if internal is None or site.is_external(url):
                found.error(relative, line, f"{url} is not a URL of this site ({site.host})")
            elif site.resolve(*internal).file is None:
                found.error(relative, line, f"lists {url}, but the site has no such page")
    return counted


def _check_robots(output: Path, files: set[str], site: SiteMap, found: _Findings) -> None:
    if "robots.txt" not in files:
        return
    for number, line in enumerate(_read(output / "robots.txt").splitlines(), start=1):
        key, _, value = line.partition(":")
        if key.strip().lower() != "sitemap":
            continue
        url = value.strip()
        internal = site.internal_path(url, "/robots.txt")
        if internal is not None and site.resolve(*internal).file is None:
            found.error("robots.txt", number, f"names sitemap {url}, which the site does not have")


def _site_files(output: Path) -> Iterator[str]:
    if not output.is_dir():
        return
    for folder, dirs, names in os.walk(output):
        dirs[:] = [d for d in dirs if not d.startswith(PRIVATE_PREFIX)]
        base = Path(folder).relative_to(output)
        for name in names:
            if not name.startswith(PRIVATE_PREFIX):
                yield (base / name).as_posix()


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")
