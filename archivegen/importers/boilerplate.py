"""Page chrome and scraper boilerplate: the lines that belong to a site, not to an article."""

from __future__ import annotations

import re

# headings of the lists a news page shows after the article (rmol: Populer, UPDATE, ...)
_CHROME_MARKERS = frozenset(
    {
        "populer",
        "terpopuler",
        "update",
        "terkini",
        "selengkapnya",
        "artikel lainnya",
        "berita lainnya",
        "berita terkait",
        "baca juga",
    }
)

# whole lines scrapers leave inside article bodies
_BOILERPLATE_LINES = re.compile(
    r"""^(?:
        scroll\ to\ continue\ with\ content
      | advertisement | iklan | ads
      | baca\ juga\s*:?.*
      | baca\ selengkapnya\s*:?.*
      | lihat\ juga\s*:?.*
      | simak\ juga\s*:?.*
      | simak\ video\b.*
      | dapatkan\ update\ berita\ pilihan.*
      | \[gambas:[^\]]*\]
      | -{1,3}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)


def is_chrome_marker(line: str) -> bool:
    """True for a line that starts the page chrome after an article (`Populer`, `UPDATE`...)."""
    return line.strip().rstrip(":").lower() in _CHROME_MARKERS


def is_boilerplate_line(line: str) -> bool:
    """True for a scraper leftover line: `Baca Juga: ...`, `ADVERTISEMENT`, `SCROLL TO ...`."""
    return bool(_BOILERPLATE_LINES.match(line.strip()))
