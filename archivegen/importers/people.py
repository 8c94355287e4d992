"""Reporter names as pages print them (often in capitals) into names as people write them."""

from __future__ import annotations

import re

# lower-case joining words inside names (Indonesian, Arabic and Dutch particles)
_PARTICLES = frozenset({"bin", "binti", "van", "der", "den", "de", "da", "di", "al", "el"})
# kept in capitals: academic and military titles, initialisms common in bylines
_UPPER = frozenset({"ii", "iii", "iv", "sh", "mh", "mm", "se", "st", "phd", "tni", "ri"})
_SEPARATORS = re.compile(r"\s*(?:,|;|&|\s\|\s|\bdan\b|\band\b)\s*", re.IGNORECASE)
# "By TOM KRISHER", "Analysis by Chris Cillizza", "Oleh: Ani"
_BY = re.compile(r"^(?:(?:analysis|written|text|story|reporting)\s+)?(?:by|oleh)\b:?\s*", re.I)
# what a byline says of the person, not who they are: "AP National Security Writer"
_ROLE = re.compile(
    r"\b(?:writer|reporter|correspondent|editor(?:-at-large)?|columnist|contributor|producer"
    r"|photographer|analyst|wartawan|redaktur|penulis|kontributor|koresponden|pewarta)s?\b",
    re.IGNORECASE,
)
# a date the page printed after the name: "Jeff Foust Monday, November 18" (not May, June,
# April or August: those are names too, "Theresa May")
_DATE_WORDS = re.compile(
    r"(?:(?:^|\s+)(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january"
    r"|february|march|july|september|october|november|december|published|updated))+$",
    re.IGNORECASE,
)
# credentials after a name ("Ilana Muhlstein, MS, RDN")
_CREDENTIAL = re.compile(r"^(?:MS|MA|MD|RN|RD|RDN|LD|PhD|PHD|MBA|MPH|DDS|CPA|JD|CDE|CNS|FACP)\.?$")


def split_authors(raw: str) -> tuple[str, ...]:
    """Split a byline ("A, B dan C") into names, title-cased when they came in capitals.

    A job title ("AP Sports Writer") or a credential ("RDN") beside a name is no author.
    """
    parts = [_DATE_WORDS.sub("", _BY.sub("", p.strip())) for p in _SEPARATORS.split(raw)]
    people = [p for p in parts if p and not _ROLE.search(p) and not _CREDENTIAL.match(p)]
    names = (_clean(part) for part in (people or parts))
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
