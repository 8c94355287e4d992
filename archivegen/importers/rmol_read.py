"""The second rmol.id page-text layout (rmol-read-* dumps).

Site chrome first, then the title, a `LAPORAN: NAME` line, a dateline
`• Senin, 03 Oktober 2022, 13:06 WIB`, the title again, the image caption, the body,
and `ARTIKEL LAINNYA` with more chrome.
"""

from __future__ import annotations

import re

from archivegen.errors import ImportError_
from archivegen.importers.boilerplate import Line, nonblank_lines, until_chrome
from archivegen.importers.dates import DAYS, DateParseError, parse_datetime
from archivegen.importers.markdown import paragraphs_to_markdown
from archivegen.importers.model import ImportedArticle
from archivegen.importers.people import split_authors

_BYLINE = re.compile(r"^LAPORAN\s*:\s*(?P<by>.*)$", re.IGNORECASE)
_DATELINE = re.compile(
    r"""^[•·*-]?\s*(?P<day>[^\W\d_]+(?:['’][^\W\d_]+)?)\s*,\s*
        (?P<when>\d{1,2}\s+[^\W\d_]+\.?\s+\d{4}\s*,\s*\d{1,2}[:.]\d{2}\s*(?:WITA|WIB|WIT))$""",
    re.IGNORECASE | re.VERBOSE,
)
# a caption names its picture's source after a slash ("Pos pemeriksaan .../Net")
_CAPTION = re.compile(r"/\s*(?:Net|RMOL|Istimewa|Ist|Repro|Dok|Humas)\b.*$", re.IGNORECASE)


def looks_like_rmol_read(text: str) -> bool:
    """True when text has a `LAPORAN:` line followed by a `• Day, date, time ZONE` line."""
    return _find_header(until_chrome(nonblank_lines(text)[:60])) is not None


def read_rmol_read(text: str, origin: str) -> ImportedArticle:
    """Read one rmol-read page dump into an article, or raise ImportError_ naming the file."""
    lines = until_chrome(nonblank_lines(text))
    index = _find_header(lines)
    if index is None or index == 0:
        raise ImportError_(
            "no title, 'LAPORAN:' line and '• Senin, 03 Oktober 2022, 13:06 WIB' dateline",
            path=origin,
            field="date",
        )
    title, byline, dateline = lines[index - 1], lines[index], lines[index + 1]
    when = _DATELINE.match(dateline.text)
    by = _BYLINE.match(byline.text)
    assert when is not None and by is not None  # _find_header matched both
    try:
        date = parse_datetime(when["when"])
    except DateParseError as exc:
        raise ImportError_(str(exc), path=origin, line=dateline.number, field="date") from None
    body, caption = _body_and_caption(lines[index + 2 :], title.text)
    if not body:
        raise ImportError_("no body text after the dateline", path=origin, line=dateline.number)
    return ImportedArticle(
        title=title.text,
        date=date,
        body=paragraphs_to_markdown(line.text for line in body),
        origin=origin,
        authors=split_authors(by["by"]),
        image_caption=caption,
    )


def _find_header(lines: list[Line]) -> int | None:
    """Index of the `LAPORAN:` line that a dateline follows."""
    for i in range(len(lines) - 1):
        when = _DATELINE.match(lines[i + 1].text)
        if _BYLINE.match(lines[i].text) and when and when["day"].lower() in DAYS:
            return i
    return None


def _body_and_caption(rest: list[Line], title: str) -> tuple[list[Line], str | None]:
    """Drop the repeated title and take the image caption off the top of the body."""
    if rest and rest[0].text == title:
        rest = rest[1:]
    if rest and _CAPTION.search(rest[0].text) and not rest[0].text.endswith("."):
        return rest[1:], rest[0].text
    return rest, None
