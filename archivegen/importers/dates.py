"""Indonesian dates as news sites print them, read into aware datetimes.

Handles day and month names in any case and their short forms (Okt, Agu, Mei, Des, ...),
numeric dates (18/06/2025, 2025-06-18), times with `:` or `.`, and the three Indonesian
zones (WIB +07:00, WITA +08:00, WIT +09:00). A date without a zone takes the zone the
caller gives; without one it is an error, never a guess.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo

WIB = timezone(timedelta(hours=7), "WIB")
WITA = timezone(timedelta(hours=8), "WITA")
WIT = timezone(timedelta(hours=9), "WIT")

ZONES: dict[str, tzinfo] = {
    "wib": WIB,
    "wita": WITA,
    "wit": WIT,
    "utc": UTC,
    "gmt": UTC,
    "z": UTC,
}

# Indonesian first, then the English spellings some sites mix in; short forms included.
MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "agst": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip

DAYS: frozenset[str] = frozenset(
    {
        "senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "jum’at", "sabtu", "minggu",
        "ahad", "sen", "sel", "rab", "kam", "jum", "sab", "min",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "mon", "tue", "wed", "thu", "fri", "sat", "sun",
    }
)  # fmt: skip

_MAX_OFFSET_MINUTES = 14 * 60  # Kiribati's +14:00; the furthest west is -12:00
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_ZONE_ALT = r"WITA|WIB|WIT|UTC|GMT|Z"
_TIME = r"(?P<hour>\d{1,2})\s?[:.]\s?(?P<minute>\d{2})(?:[:.](?P<second>\d{2}))?"
_OFFSET = r"(?P<offset>[+-]\d{2}:?\d{2})"
_ZONE = rf"(?:(?P<zone>\b(?:{_ZONE_ALT}))(?:\s*(?P<zoff>[+-]\d{{1,2}}))?\b|{_OFFSET})"

_NAMED = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})\s*(?:-\s*)?(?P<month>{_MONTH_ALT})\.?\s*(?:-\s*)?(?P<year>\d{{4}})\b",
    re.IGNORECASE,
)
_NUMERIC = re.compile(r"(?<!\d)(?P<day>\d{1,2})[/-](?P<month>\d{1,2})[/-](?P<year>\d{4})(?!\d)")
_ISO = re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)")
_TIME_RE = re.compile(rf"(?<![\d/])(?:{_TIME})(?![\d/])\s*(?:{_ZONE})?", re.IGNORECASE)


class DateParseError(ValueError):
    """A text holds no date, or one that cannot be read without guessing."""


def parse_datetime(
    text: str, *, time_text: str = "", default_zone: tzinfo | None = None
) -> datetime:
    """Read the first date (and the time after it) in text into an aware datetime."""
    found = _find_date(text)
    if found is None:
        raise DateParseError(f"no date found in {text.strip()[:80]!r}")
    (year, month, day), rest = found
    clock = _find_time(rest)
    if clock is None and time_text.strip():
        clock = _find_time(time_text)
    hour, minute, second, zone = clock or (0, 0, 0, None)
    zone = zone or _zone_only(rest) or _zone_only(time_text) or default_zone
    if zone is None:
        raise DateParseError(f"{text.strip()[:80]!r} has no time zone (expected WIB, WITA or WIT)")
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError as exc:
        raise DateParseError(f"{text.strip()[:80]!r} is not a real date: {exc}") from None


def states_time(text: str, time_text: str = "") -> bool:
    """True when a date text (or its separate time column) gives a time of day."""
    found = _find_date(text)
    rest = found[1] if found else text
    return bool(_TIME_RE.search(rest) or _TIME_RE.search(time_text))


def find_date_span(text: str) -> tuple[int, int] | None:
    """Where the first date (named month, d/m/yyyy or ISO) is in text, or None."""
    spans = [m.span() for rx in (_NAMED, _NUMERIC, _ISO) if (m := rx.search(text))]
    return min(spans) if spans else None


def format_datetime(moment: datetime) -> str:
    """The front matter form of a date: `2022-10-04T18:23:00+07:00`."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every imported date carries its offset")
    # a fixed-offset copy, so the output never says "WIB" or "Z"
    offset = moment.utcoffset() or timedelta(0)
    return moment.replace(tzinfo=timezone(offset)).isoformat(timespec="seconds")


def _find_date(text: str) -> tuple[tuple[int, int, int], str] | None:
    """The earliest date in text, as (year, month, day), and the text after it."""
    candidates: list[tuple[int, tuple[int, int, int], str]] = []
    if m := _NAMED.search(text):
        ymd = (int(m["year"]), MONTHS[m["month"].lower()], int(m["day"]))
        candidates.append((m.start(), ymd, text[m.end() :]))
    if m := _NUMERIC.search(text):
        # Indonesian order is always day/month/year
        candidates.append(
            (m.start(), (int(m["year"]), int(m["month"]), int(m["day"])), text[m.end() :])
        )
    if m := _ISO.search(text):
        candidates.append(
            (m.start(), (int(m["year"]), int(m["month"]), int(m["day"])), text[m.end() :])
        )
    if not candidates:
        return None
    _, ymd, rest = min(candidates, key=lambda c: c[0])
    return ymd, rest


def _find_time(rest: str) -> tuple[int, int, int, tzinfo | None] | None:
    """Hour, minute, second and zone of the first time in rest, None when there is none."""
    m = _TIME_RE.search(rest)
    if m is None:
        return None
    hour, minute = int(m["hour"]), int(m["minute"])
    second = int(m["second"]) if m["second"] else 0
    if hour > 23 or minute > 59 or second > 59:
        raise DateParseError(f"{m.group(0).strip()!r} is not a time of day")
    return hour, minute, second, _zone_of(m)


def _zone_of(m: re.Match[str]) -> tzinfo | None:
    if m["offset"]:
        digits = m["offset"][1:].replace(":", "")
        return utc_offset(m["offset"], int(digits[:2]), int(digits[2:]))
    if m["zone"] is None:
        return None
    zone = ZONES[m["zone"].lower()]
    if m["zoff"]:  # "GMT+7"
        return utc_offset(m["zoff"], abs(int(m["zoff"])), 0)
    return zone


def utc_offset(text: str, hours: int, minutes: int) -> tzinfo:
    """The zone of an offset written as text (its sign first), or a DateParseError: real
    offsets lie within ±14:00, and a minute is under 60."""
    if minutes > 59 or hours * 60 + minutes > _MAX_OFFSET_MINUTES:
        raise DateParseError(f"{text.strip()!r} is not a UTC offset (they run -12:00 to +14:00)")
    sign = -1 if text.strip().startswith("-") else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _zone_only(rest: str) -> tzinfo | None:
    m = re.search(rf"\b({_ZONE_ALT})\b", rest, re.IGNORECASE)
    return ZONES[m.group(1).lower()] if m else None
