from datetime import datetime, timedelta, timezone

import pytest
from babel.dates import format_datetime

from archivegen.render.dates import (
    DATELINE,
    LONG_DATE,
    SHORT_DATE,
    dateline,
    locale_for,
    long_date,
    month_name,
    short_date,
)


def at(hours: float) -> datetime:
    return datetime(2022, 10, 4, 18, 23, tzinfo=timezone(timedelta(hours=hours)))


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (7, "Selasa, 04 Oktober 2022 | 18:23 WIB"),
        (8, "Selasa, 04 Oktober 2022 | 18:23 WITA"),
        (9, "Selasa, 04 Oktober 2022 | 18:23 WIT"),
        (5.5, "Selasa, 04 Oktober 2022 | 18:23 UTC+05:30"),
        (-3, "Selasa, 04 Oktober 2022 | 18:23 UTC-03:00"),
    ],
)
def test_indonesian_dateline_in_the_articles_own_zone(hours: float, expected: str) -> None:
    assert dateline(at(hours), "id") == expected


def test_english_dateline() -> None:
    assert dateline(at(7), "en") == "Tuesday, 04 October 2022 | 18:23"


def test_short_date_and_month_names() -> None:
    assert short_date(at(7), "id") == "04 Okt 2022"
    assert month_name(8, "id", 2022) == "Agustus 2022"
    assert month_name(8, "en") == "August"


@pytest.mark.parametrize("language", ["id", "en", "pt-BR", "de", "ja", "ar", "ru"])
def test_the_spelled_out_patterns_agree_with_babel(language: str) -> None:
    locale = locale_for(language)
    start = datetime(2019, 12, 30, 5, 7, tzinfo=timezone(timedelta(hours=7)))
    for step in range(0, 400 * 24, 29):  # every month and weekday, many hours
        moment = start + timedelta(hours=step)
        babel = {
            pattern: format_datetime(moment, pattern, tzinfo=moment.tzinfo, locale=locale)
            for pattern in (DATELINE, SHORT_DATE, LONG_DATE)
        }
        assert dateline(moment, language).startswith(babel[DATELINE])
        assert short_date(moment, language) == babel[SHORT_DATE]
        assert long_date(moment, language) == babel[LONG_DATE]
