"""Where an article's date comes from when its page declares none: text, URL, a fallback.

Evidence is weighed in one order (the page's metadata, a date written in its text, a date
in its URL, then a fallback the user asked for) and each value is checked for being a
real date: placeholders (year 1, the Unix epoch) and dates after the page was captured
are no evidence. Dates found in text read day and month names of many languages (Babel's
locale data), so `25. September 2018`, `September 25, 2018` and `25 Desember 2018` alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache

from babel import Locale

from archivegen.errors import ImportError_
from archivegen.importers.dates import MONTHS, ZONES, DateParseError, format_datetime, utc_offset
from archivegen.importers.model import DateSource, ImportedArticle

# languages whose month names the text search knows (Indonesian and English come first)
_LANGUAGES = ("id", "en", "ms", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "nb", "pl",
              "cs", "ro", "tr", "ru", "uk")  # fmt: skip
_EPOCH = date(1970, 1, 1)
_FIRST_PLAUSIBLE_YEAR = 1900
# past it a date is a placeholder (9999-12-31 is the usual one), and near year 9999 an
# offset takes the instant past what a datetime holds: the build could not show it
_LAST_PLAUSIBLE_YEAR = 2999
_URL_DATE = re.compile(
    r"(?<![\d])(?P<year>(?:19|20)\d\d)(?P<sep>[/_-]?)(?P<month>0[1-9]|1[0-2])(?P=sep)"
    r"(?P<day>0[1-9]|[12]\d|3[01])(?![\d])"
)
_UPDATED_LABEL = re.compile(
    r"\b(?:terakhir\s+)?(?:diperbarui|diperbaharui|diupdate|update|updated|last\s+updated|"
    r"last\s+modified|modified|aktualisiert|mis\s+à\s+jour|actualizado|atualizado|bijgewerkt)\b"
    r"\s*(?:pada|on|am|le|el|em|op)?\s*:?",
    re.IGNORECASE,
)
_PUBLISHED_LABEL = re.compile(
    r"\b(?:diterbitkan|dipublikasikan|terbit|published|posted|publicado|publicada|publié|"
    r"publiée|veröffentlicht|publiziert|erschienen|pubblicato|gepubliceerd|publicerad|"
    r"publisert|udgivet|opublikowano|publicat|yayınlandı|опубликовано)\b"
    r"\s*(?:pada|on|am|le|el|em|op|den|dnia|в)?\s*:?",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"(?<!\d)(?P<n>\d{1,3})\s+(?P<unit>detik|menit|jam|hari|minggu|seconds?|secs?|minutes?|"
    r"mins?|hours?|hrs?|days?|weeks?)\s+(?:yang\s+)?(?:lalu|ago)\b",
    re.IGNORECASE,
)
_UNIT_SECONDS = {
    "detik": 1, "sec": 1, "second": 1, "menit": 60, "min": 60, "minute": 60,
    "jam": 3600, "hr": 3600, "hour": 3600, "hari": 86400, "day": 86400,
    "minggu": 604800, "week": 604800,
}  # fmt: skip
# zone abbreviations that name one offset (ET or PT would need the daylight-saving rules)
_NAMED_ZONES = {
    name: timezone(timedelta(hours=hours), name)
    for name, hours in {"EST": -5, "EDT": -4, "PST": -8, "PDT": -7, "CET": 1, "CEST": 2,
                        "JST": 9, "KST": 9}.items()
}  # fmt: skip
_CLOCK = re.compile(
    r"^[\s,|•·–—-]*(?:(?:at|um|à|a\s+las|pukul|jam|kl\.?|om)\s+)?"
    r"(?P<hour>\d{1,2})[:.h](?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"\s*(?P<ampm>[ap]\.?\s?m\.?)?\s*"
    rf"(?:(?P<zone>{'|'.join(sorted([*ZONES, *_NAMED_ZONES], key=len, reverse=True))})\b)?"
    r"(?P<offset>[+-]\d{1,2}(?::?\d{2})?)?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date read from evidence, and whether its time of day is known."""

    moment: datetime
    has_time: bool
    relative: bool = False  # counted back from the capture time ("3 jam yang lalu")


def in_range(moment: datetime) -> bool:
    """True for a date of the years an archive may hold (1900 to 2999)."""
    return _FIRST_PLAUSIBLE_YEAR <= moment.year <= _LAST_PLAUSIBLE_YEAR


def plausible(moment: datetime, captured: datetime | None) -> bool:
    """False for placeholder dates and for dates after the page was captured."""
    if not in_range(moment) or moment.date() == _EPOCH:
        return False
    if captured is not None and not in_range(captured):
        captured = None  # a placeholder capture time is no bound
    if moment.tzinfo is not None and moment.astimezone(UTC).date() == _EPOCH:
        return False  # a zero timestamp shown in a zone west of UTC (1969-12-31T19:00-05:00)
    if captured is not None and moment.tzinfo is not None:
        return moment <= captured + timedelta(minutes=10)  # clock skew, no more
    return True


def split_updated(text: str) -> tuple[str, str]:
    """A dateline cut at its "Diperbarui"/"Updated" label: (published part, updated part)."""
    m = _UPDATED_LABEL.search(text)
    if m is None:
        return text, ""
    return text[: m.start()], text[m.end() :]


def date_in_url(url: str | None, zone: tzinfo) -> FoundDate | None:
    """The date in a URL (`/2022/10/04/`, `20221004`), at midnight in zone."""
    if not url:
        return None
    # the path and query (`hl?a=20170309-35097838`), not the host
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", url, flags=re.IGNORECASE).split("#")[0]
    for m in _URL_DATE.finditer(path):
        try:
            day = date(int(m["year"]), int(m["month"]), int(m["day"]))
        except ValueError:
            continue
        return FoundDate(datetime.combine(day, time(0), zone), has_time=False)
    return None


def date_in_text(text: str, zone: tzinfo, captured: datetime | None = None) -> FoundDate | None:
    """The first plausible date written in text (with its time when one follows it).

    A labelled publication date ("Published 25. September 2018") wins over the first date
    found; an "Updated ..." date is never taken (see `updated_in_text`); a relative date
    ("3 jam yang lalu") counts only against a known capture time.
    """
    published, _ = split_updated(text)
    return labelled_date(text, zone, captured) or _first_date(published, zone, captured)


def labelled_date(text: str, zone: tzinfo, captured: datetime | None = None) -> FoundDate | None:
    """The date right after a "Published"/"Diterbitkan" label in text, if any."""
    for m in _PUBLISHED_LABEL.finditer(text):
        found = _first_date(text[m.end() : m.end() + 60], zone, captured, anchored=True)
        if found is not None:
            return found
    return None


def updated_in_text(text: str, zone: tzinfo, captured: datetime | None = None) -> FoundDate | None:
    """The date after an "Updated"/"Diperbarui" label in text, if any."""
    m = _UPDATED_LABEL.search(text)
    if m is None:
        return None
    return _first_date(text[m.end() : m.end() + 60], zone, captured, anchored=True)


def _first_date(
    text: str, zone: tzinfo, captured: datetime | None, anchored: bool = False
) -> FoundDate | None:
    candidates = sorted(_date_matches(text), key=lambda c: c[0])
    if anchored:
        candidates = [c for c in candidates if not text[: c[0]].strip()]
    for _, end, day in candidates:
        found = _with_clock(day, text[end : end + 40], zone)
        if found is not None and plausible(found.moment, captured):
            return found
    relative = _RELATIVE.search(text)
    if captured is not None and relative and (not anchored or not text[: relative.start()].strip()):
        unit = relative["unit"].lower().rstrip("s")
        seconds = _UNIT_SECONDS[unit]
        return FoundDate(captured - timedelta(seconds=int(relative["n"]) * seconds), True, True)
    return None


def _date_matches(text: str) -> list[tuple[int, int, date]]:
    found: list[tuple[int, int, date]] = []
    for rx in _patterns():
        for m in rx.finditer(text):
            try:
                day = _ymd(m)
            except (KeyError, ValueError):
                continue
            found.append((m.start(), m.end(), day))
    return found


def _ymd(m: re.Match[str]) -> date:
    month = m["month"]
    number = int(month) if month.isdigit() else _month_numbers()[month.lower().rstrip(".")]
    return date(int(m["year"]), number, int(m["day"]))


def _with_clock(day: date, after: str, zone: tzinfo) -> FoundDate | None:
    """The day at the time that follows it; None when that time's offset is no offset."""
    m = _CLOCK.match(after)
    if m is None:
        return FoundDate(datetime.combine(day, time(0), zone), has_time=False)
    hour, minute = int(m["hour"]), int(m["minute"])
    if m["ampm"]:
        hour = hour % 12 + (12 if m["ampm"].lower().startswith("p") else 0)
    if hour > 23 or minute > 59:
        return FoundDate(datetime.combine(day, time(0), zone), has_time=False)
    second = min(int(m["second"] or 0), 59)  # a leap second ("23:59:60") as the one before
    try:
        at = _zone(m, zone)
    except DateParseError:  # "+99:00": the time is not to be trusted, nor the day
        return None
    return FoundDate(datetime.combine(day, time(hour, minute, second), at), True)


def _zone(m: re.Match[str], default: tzinfo) -> tzinfo:
    if m["offset"]:  # +7, +0700, +07:00
        digits = m["offset"][1:].replace(":", "")
        hh, mm = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "0")
        return utc_offset(m["offset"], int(hh), int(mm))
    if m["zone"]:
        return ZONES.get(m["zone"].lower()) or _NAMED_ZONES[m["zone"].upper()]
    return default


@lru_cache(maxsize=1)
def _month_numbers() -> dict[str, int]:
    """Month names and abbreviations of every known language, lower-case, to 1-12."""
    names: dict[str, int] = dict(MONTHS)
    for code in _LANGUAGES:
        months = Locale.parse(code).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in months[context][width].items():
                    key = name.lower().rstrip(".")
                    if len(key) >= 3 and not key.isdigit():
                        names.setdefault(key, number)
    return names


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    alt = "|".join(re.escape(n) for n in sorted(_month_numbers(), key=len, reverse=True))
    month = rf"(?P<month>{alt})\.?"
    return (
        # 25 September 2018, 25. September 2018, 25 de septiembre de 2018, 1er janvier 2018
        re.compile(
            rf"(?<![\w.])(?P<day>\d{{1,2}})(?:\.|er|º)?\s*(?:de\s+)?{month}(?!\w),?\s*"
            rf"(?:de\s+)?(?P<year>\d{{4}})(?!\d)",
            re.IGNORECASE,
        ),
        # September 25, 2018; Sept. 25th 2018
        re.compile(
            rf"(?<!\w){month}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})(?!\d)",
            re.IGNORECASE,
        ),
        re.compile(r"(?<![\d-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\d])"),
        re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})(?!\d)"),
        re.compile(
            r"(?P<year>\d{4})\s*[年년]\s*(?P<month>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})\s*[日일]"
        ),
    )


@dataclass(frozen=True, slots=True)
class Fallback:
    """`--fallback-date`: what dates a page whose own evidence gives none."""

    source: DateSource
    day: date | None = None  # for GIVEN

    @classmethod
    def parse(cls, text: str) -> Fallback:
        """`mtime`, `updated`, `capture` or a day `YYYY-MM-DD`."""
        word = text.strip().lower()
        named = {s.value: s for s in (DateSource.MTIME, DateSource.UPDATED, DateSource.CAPTURE)}
        if word in named:
            return cls(named[word])
        try:
            day = date.fromisoformat(word)
        except ValueError:
            raise ImportError_(
                f"{text!r} is not mtime, updated, capture or a day (YYYY-MM-DD)",
                field="fallback-date",
            ) from None
        if not in_range(datetime.combine(day, time(0))):
            years = f"{_FIRST_PLAUSIBLE_YEAR} to {_LAST_PLAUSIBLE_YEAR}"
            raise ImportError_(f"{text!r} is not a day of {years}", field="fallback-date")
        return cls(DateSource.GIVEN, day)


def settle_date(
    article: ImportedArticle,
    fallback: Fallback | None,
    mtime: datetime | None,
    zone: tzinfo,
) -> ImportedArticle | str:
    """The article with a date from the best evidence, or why it has none.

    The page's own date (metadata or text, checked by `plausible`), else the URL's, else
    the fallback the user chose; every date not stated by the page says where it came from.
    """
    if article.date is not None and plausible(article.date, article.captured):
        return article
    if article.date is not None:
        problem = f"{format_datetime(article.date)} is a placeholder or after the capture time"
    else:
        problem = article.date_problem or "none in the page's metadata or text"
    found = date_in_url(article.source, zone)
    if found is not None and plausible(found.moment, article.captured):
        return replace(article, date=found.moment, date_source=DateSource.URL, date_has_time=False)
    guess = _fallback(article, fallback, mtime, zone)
    if guess is not None and fallback is not None and in_range(guess.moment):
        return replace(
            article, date=guess.moment, date_source=fallback.source, date_has_time=guess.has_time
        )
    hint = "--fallback-date mtime|updated|capture|YYYY-MM-DD"
    if fallback is not None:
        return f"no publication date ({problem}; and no {fallback.source.value} to fall back on)"
    return f"no publication date ({problem}, none in the URL); to date it anyway: {hint}"


def _fallback(
    article: ImportedArticle, fallback: Fallback | None, mtime: datetime | None, zone: tzinfo
) -> FoundDate | None:
    if fallback is None:
        return None
    if fallback.source is DateSource.GIVEN and fallback.day is not None:
        return FoundDate(datetime.combine(fallback.day, time(0), zone), has_time=False)
    moment = {
        DateSource.MTIME: mtime.astimezone(zone) if mtime else None,
        DateSource.UPDATED: article.updated,
        DateSource.CAPTURE: article.captured,
    }.get(fallback.source)
    return FoundDate(moment, has_time=True) if moment is not None else None
