"""Indonesian dates and zones, in every format the corpus prints."""

from __future__ import annotations

import pytest

from archivegen.importers.dates import WIB, DateParseError, format_datetime, parse_datetime


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELASA, 04 OKTOBER 2022 | 18:23 WIB", "2022-10-04T18:23:00+07:00"),
        ("Senin, 03 Oktober 2022, 13:06 WIB", "2022-10-03T13:06:00+07:00"),
        ("Diperbarui 20 Jun 2025, 05:50 WIB", "2025-06-20T05:50:00+07:00"),
        ("18 Juni 2025 | 20.04 WIB", "2025-06-18T20:04:00+07:00"),
        ("Kompas.com- 18/06/2025, 21:35 WIB", "2025-06-18T21:35:00+07:00"),
        ("Kompas.com - 10/06/2025, 21:23 WIB", "2025-06-10T21:23:00+07:00"),
        (",\xa0Jurnalis-Jum'at, 13 Juni 2025 |19:04 WIB", "2025-06-13T19:04:00+07:00"),
        ("Rabu   18 Jun 2025  22:02 WITA", "2025-06-18T22:02:00+08:00"),
        ("kamis, 1 des 2022 | 09.05 wit", "2022-12-01T09:05:00+09:00"),
        ("Sabtu, 17 Agu 2024 10:00 WIB", "2024-08-17T10:00:00+07:00"),
        ("Minggu, 5 Mei 2024 07:00 WIB", "2024-05-05T07:00:00+07:00"),
        ("Jumat, 11 Okt 2024 23:59 WIB", "2024-10-11T23:59:00+07:00"),
        ("2022-10-04T18:23:00+07:00", "2022-10-04T18:23:00+07:00"),
    ],
)
def test_formats(text: str, expected: str) -> None:
    assert format_datetime(parse_datetime(text)) == expected


def test_date_and_time_in_separate_columns_take_the_default_zone() -> None:
    moment = parse_datetime("06 Jun 2025", time_text="21:02", default_zone=WIB)
    assert format_datetime(moment) == "2025-06-06T21:02:00+07:00"


def test_no_zone_and_no_default_is_an_error_not_a_guess() -> None:
    with pytest.raises(DateParseError, match="no time zone"):
        parse_datetime("5 Desember 2020 10:00")


@pytest.mark.parametrize("text", ["Tidak Ditemukan", "", "31 Februari 2024 10:00 WIB", "25:00"])
def test_not_dates(text: str) -> None:
    with pytest.raises(DateParseError):
        parse_datetime(text, default_zone=WIB)
