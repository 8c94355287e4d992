from datetime import datetime, timedelta, timezone

import pytest

from archivegen.render.dates import dateline, month_name, short_date


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
