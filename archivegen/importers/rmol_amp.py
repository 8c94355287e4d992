"""The rmol.id page-text layout of the seed (and rmol-amp-* dumps).

Line by line: section, image caption, category, title, a dateline
`SELASA, 04 OKTOBER 2022 | 18:23 WIB | LAPORAN: ALIFIA DWI RAMANDHITA`, the body
paragraphs, then page chrome (`Populer`, `UPDATE`, `Selengkapnya`) that is not the article.
"""

from __future__ import annotations

import re

from archivegen.errors import ImportError_
from archivegen.importers.boilerplate import Line, nonblank_lines, until_chrome
from archivegen.importers.dates import DAYS, DateParseError, parse_datetime
from archivegen.importers.markdown import paragraphs_to_markdown
from archivegen.importers.model import ImportedArticle
from archivegen.importers.people import split_authors

_DATELINE = re.compile(
    r"""^(?P<day>[^\W\d_]+(?:['’][^\W\d_]+)?)\s*,\s*
        (?P<when>\d{1,2}\s+[^\W\d_]+\.?\s+\d{4}\s*\|\s*\d{1,2}[:.]\d{2}\s*(?:WITA|WIB|WIT))
        \s*(?:\|\s*LAPORAN\s*:\s*(?P<by>.*))?$""",
    re.IGNORECASE | re.VERBOSE,
)
EXAMPLE_DATELINE = "SELASA, 04 OKTOBER 2022 | 18:23 WIB | LAPORAN: NAMA WARTAWAN"


def read_rmol_amp(text: str, origin: str) -> ImportedArticle:
    """Read one seed-layout page dump into an article, or raise ImportError_ naming the file."""
    lines = until_chrome(nonblank_lines(text))
    found = _find_dateline(lines)
    if found is None:
        raise ImportError_(
            f"no dateline (expected a line like {EXAMPLE_DATELINE!r}); refusing to guess the date",
            path=origin,
            field="date",
        )
    index, match = found
    header, body = lines[:index], lines[index + 1 :]
    if not header:
        raise ImportError_("no title above the dateline", path=origin, line=lines[index].number)
    try:
        date = parse_datetime(match["when"])
    except DateParseError as exc:
        raise ImportError_(str(exc), path=origin, line=lines[index].number, field="date") from None
    if not body:
        raise ImportError_("no body text after the dateline", path=origin, line=lines[index].number)
    return ImportedArticle(
        title=header[-1].text,
        date=date,
        body=paragraphs_to_markdown(line.text for line in body),
        origin=origin,
        authors=split_authors(match["by"] or ""),
        category=header[-2].text if len(header) >= 2 else None,
        image_caption=" ".join(line.text for line in header[1:-2]) or None,
        section=header[0].text if len(header) >= 3 else None,
    )


def _find_dateline(lines: list[Line]) -> tuple[int, re.Match[str]] | None:
    for i, line in enumerate(lines):
        m = _DATELINE.match(line.text)
        if m and m["day"].lower() in DAYS:
            return i, m
    return None
