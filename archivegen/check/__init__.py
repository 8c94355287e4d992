"""Check a built site: internal links and anchors, titles, canonical links, feeds, sitemaps.

Reads the output folder only (it never builds); `run.check_site` is the one entry point.
"""

from archivegen.check.report import CheckReport, Problem
from archivegen.check.run import check_site

__all__ = ["CheckReport", "Problem", "check_site"]
