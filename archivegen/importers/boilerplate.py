"""Page chrome and scraper boilerplate: the lines that belong to a site, not to an article."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
      | saksikan\ live\ .*
      | video\s*:.*
      | ikuti\ (?:whatsapp|wa)\ channel.*
      | \[gambas:[^\]]*\]
      | -{4,} | \*{3,}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)


_RELATED = re.compile(r"^(?:baca|lihat|simak)\s+juga\s*:?$", re.IGNORECASE)
_TERMINAL = tuple('.!?"”’)…')
_OPEN_END = tuple(",;:-–—(")
_CONTINUES = tuple(",.;:)-–—'’%")
_MAX_RELATED = 5


def is_chrome_marker(line: str) -> bool:
    """True for a line that starts the page chrome after an article (`Populer`, `UPDATE`...)."""
    return line.strip().rstrip(":").lower() in _CHROME_MARKERS


def is_boilerplate_line(line: str) -> bool:
    """True for a scraper leftover line: `Baca Juga: ...`, `ADVERTISEMENT`, `SCROLL TO ...`."""
    return bool(_BOILERPLATE_LINES.match(line.strip()))


def scraped_paragraphs(text: str) -> list[str]:
    """The paragraphs of a scraped body: boilerplate dropped, inline-link line breaks mended."""
    lines = (line.strip() for line in text.splitlines())
    return _mend_broken_lines(_drop_boilerplate([line for line in lines if line]))


def _drop_boilerplate(lines: list[str]) -> list[str]:
    """Drop boilerplate lines, and the headline links listed under a bare `Baca juga`."""
    out: list[str] = []
    skipping = 0
    for line in lines:
        if _RELATED.match(line):
            skipping = _MAX_RELATED
        elif is_boilerplate_line(line):
            continue  # an ADVERTISEMENT inside a related list does not end it
        elif skipping and _looks_like_headline(line):
            skipping -= 1
        else:
            skipping = 0
            out.append(line)
    return out


def _looks_like_headline(line: str) -> bool:
    # related-article links are short and in title case, whatever their punctuation
    words = line.split()
    capitalised = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit())
    return len(words) >= 3 and len(line) <= 160 and capitalised >= 0.6 * len(words)


def _mend_broken_lines(lines: list[str]) -> list[str]:
    """Rejoin lines a scraper split at inline links (`anggota polisi` / `Polsek X` / `, Sumba`)."""
    out: list[str] = []
    for line in lines:
        if out and _continues(out[-1], line):
            glue = "" if line[:1] in ",.;:)%" else " "
            out[-1] = out[-1] + glue + line
        else:
            out.append(line)
    return out


def _continues(previous: str, line: str) -> bool:
    if previous.endswith(_TERMINAL):
        return False
    if line[:1].islower() or line.startswith(_CONTINUES):
        return True
    last_word = previous.split()[-1]
    return previous.endswith(_OPEN_END) or last_word[:1].islower()


@dataclass(frozen=True, slots=True)
class Line:
    """A non-blank line of a raw page, stripped, with its 1-based number."""

    number: int
    text: str


def nonblank_lines(text: str) -> list[Line]:
    """The stripped non-blank lines of text, numbered as in the file."""
    return [Line(i, s.strip()) for i, s in enumerate(text.splitlines(), 1) if s.strip()]


def until_chrome(lines: list[Line]) -> list[Line]:
    """The lines before the first page-chrome heading (`Populer`, `UPDATE`, ...)."""
    for i, line in enumerate(lines):
        if is_chrome_marker(line.text):
            return lines[:i]
    return lines
