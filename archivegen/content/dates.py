"""The one front-matter date parser: ISO 8601, always ending as an aware datetime."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

_ISO_SHAPE = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$"
)
EXAMPLE = "2022-10-04T18:23:00+07:00"
# a date within a day of the calendar's ends (years 1 and 9999) cannot be moved to UTC or
# to another zone, which feeds, sorting and every dateline do: such a date is refused
YEARS = range(2, 9999)


class DateProblem(ValueError):
    """A date value that is not a date; the message says why."""


def parse_date(value: object, timezone: str) -> tuple[dt.datetime, bool]:
    """Parse an ISO 8601 date; return it aware, and whether the site timezone was assumed."""
    if isinstance(value, dt.date):  # a datetime is a date too
        text = value.isoformat()
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise DateProblem(f"{value!r} is not a date (expected ISO 8601, e.g. {EXAMPLE})")
    if not _ISO_SHAPE.match(text):
        raise DateProblem(f'"{text}" is not a date (expected ISO 8601, e.g. {EXAMPLE})')
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise DateProblem(f'"{text}" is not a valid date: {exc}') from None
    if parsed.year not in YEARS:
        raise DateProblem(
            f'"{text}" is out of range: the year must be {YEARS.start} to {YEARS.stop - 1}'
        )
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=ZoneInfo(timezone)), True
    return parsed, False
