"""Reporter names as pages print them (often in capitals) into names as people write them."""

from __future__ import annotations

import re

# lower-case joining words inside names (Indonesian, Arabic and Dutch particles)
_PARTICLES = frozenset({"bin", "binti", "van", "der", "den", "de", "da", "di", "al", "el"})
# kept in capitals: academic and military titles, initialisms common in bylines
_UPPER = frozenset({"ii", "iii", "iv", "sh", "mh", "mm", "se", "st", "phd", "tni", "ri"})
_SEPARATORS = re.compile(r"\s*(?:,|;|&|\bdan\b|\band\b)\s*", re.IGNORECASE)


def split_authors(raw: str) -> tuple[str, ...]:
    """Split a byline ("A, B dan C") into names, title-cased when they came in capitals."""
    names = (_clean(part) for part in _SEPARATORS.split(raw))
    seen: list[str] = []
    for name in names:
        if name and name not in seen:
            seen.append(name)
    return tuple(seen)


def _clean(part: str) -> str:
    name = re.sub(r"\s+", " ", part).strip(" -–—|:.•")
    if not name:
        return ""
    # names typed in mixed case are already right ("Mc Donald", "dr. Ani"); only fix shouting
    if name.upper() == name or name.lower() == name:
        return title_case_name(name)
    return name


def title_case_name(name: str) -> str:
    """Title-case a name typed in capitals: "MA'RUF AMIN BIN ALI" -> "Ma'ruf Amin bin Ali"."""
    words = name.split(" ")
    return " ".join(_title_word(w, first=(i == 0)) for i, w in enumerate(words))


def _title_word(word: str, *, first: bool) -> str:
    bare = word.lower().strip(".,")
    if bare in _UPPER:
        return word.upper()
    if bare in _PARTICLES and not first:
        return word.lower()
    return "-".join(_title_part(p) for p in word.lower().split("-"))


def _title_part(part: str) -> str:
    # O'Neil but Ma'ruf, Syafi'i: only a one-letter prefix before the apostrophe is a clan mark
    head, mark, tail = _apostrophe(part)
    if mark and len(head) == 1:
        return head.upper() + mark + tail.capitalize()
    return part.capitalize()


def _apostrophe(part: str) -> tuple[str, str, str]:
    for mark in ("'", "’"):
        if mark in part:
            head, _, tail = part.partition(mark)
            return head, mark, tail
    return part, "", ""
