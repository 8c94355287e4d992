"""Localized dates and counts for templates, via Babel: `Selasa, 04 Oktober 2022 | 18:23 WIB`."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

from babel import Locale
from babel.numbers import format_decimal

# Zone names readers of a language expect, by UTC offset in hours. Indonesia's three zones
# are named by law (WIB, WITA, WIT); a language without a table shows the time alone.
ZONE_NAMES: dict[str, dict[int, str]] = {"id": {7: "WIB", 8: "WITA", 9: "WIT"}}
DATELINE = "EEEE, dd MMMM yyyy | HH:mm"
SHORT_DATE = "dd MMM yyyy"
LONG_DATE = "dd MMMM yyyy"


@lru_cache(maxsize=16)
def locale_for(language: str) -> Locale:
    """The Babel locale of a site language (`id`, `en`, `pt-BR`)."""
    return Locale.parse(language.replace("-", "_"))


def zone_label(moment: datetime, language: str) -> str:
    """WIB/WITA/WIT for Indonesian; `UTC+05:30` for offsets without a name; '' if none apply."""
    names = ZONE_NAMES.get(locale_for(language).language)
    offset = moment.utcoffset()
    if names is None or offset is None:
        return ""
    if offset.total_seconds() % 3600 == 0 and int(offset.total_seconds() // 3600) in names:
        return names[int(offset.total_seconds() // 3600)]
    return "UTC" + _format_offset(offset)


def _format_offset(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


# An article's date is shown on its page and in every listing that holds it (home,
# category, author, tags, year, month, neighbours, related): formatted once per process.
# The fixed patterns are spelled out with Babel's locale data (day and month names) rather
# than run through `format_datetime`, which costs ~20 µs a call; a test checks both agree.
@lru_cache(maxsize=131072)
def dateline(moment: datetime, language: str) -> str:
    """Day, date and time in the article's own zone, as a newspaper prints it."""
    text = f"{day_dateline(moment, language)} | {moment:%H:%M}"
    zone = zone_label(moment, language)
    return f"{text} {zone}" if zone else text


def day_dateline(moment: datetime, language: str) -> str:
    """The dateline of a day whose time is unknown: `Selasa, 04 Oktober 2022`."""
    locale = locale_for(language)
    day = locale.days["format"]["wide"][moment.weekday()]
    month = locale.months["format"]["wide"][moment.month]
    return f"{day}, {moment.day:02d} {month} {moment.year:04d}"


@lru_cache(maxsize=131072)
def short_date(moment: datetime, language: str) -> str:
    """`04 Okt 2022` for listings."""
    month = locale_for(language).months["format"]["abbreviated"][moment.month]
    return f"{moment.day:02d} {month} {moment.year:04d}"


def long_date(moment: datetime, language: str) -> str:
    """`04 Oktober 2022`."""
    month = locale_for(language).months["format"]["wide"][moment.month]
    return f"{moment.day:02d} {month} {moment.year:04d}"


def month_name(month: int, language: str, year: int | None = None) -> str:
    """`Oktober` or `Oktober 2022`."""
    name = str(locale_for(language).months["stand-alone"]["wide"][month])
    return f"{name} {year}" if year else name


@lru_cache(maxsize=4096)
def number(value: int, language: str) -> str:
    """A count with the language's digit grouping: `1.234` in Indonesian, `1,234` in English."""
    return str(format_decimal(value, locale=locale_for(language)))
