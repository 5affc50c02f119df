from datetime import date

import pytest

from reviews.calendar_math import add_months, add_working_days, is_working_day


@pytest.mark.parametrize(
    "start, months, expected",
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),  # year boundary
        (date(2025, 7, 30), 6, date(2026, 1, 30)),
        (date(2025, 5, 15), 0, date(2025, 5, 15)),
        (date(2023, 8, 29), 6, date(2024, 2, 29)),
    ],
)
def test_add_months_clamps_at_month_end(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    "start, days, expected",
    [
        (date(2025, 11, 3), 5, date(2025, 11, 10)),  # Monday + 5 working days = next Monday
        (date(2025, 11, 7), 1, date(2025, 11, 10)),  # Friday + 1 skips the weekend
        (date(2025, 12, 24), 1, date(2025, 12, 29)),  # Christmas Day and Boxing Day skipped
        (date(2025, 4, 17), 1, date(2025, 4, 22)),  # Good Friday and Easter Monday skipped
        (date(2025, 5, 2), 1, date(2025, 5, 6)),  # early May bank holiday
        (date(2025, 11, 8), 1, date(2025, 11, 10)),  # from a Saturday
        (date(2025, 11, 3), 0, date(2025, 11, 3)),
        (date(2025, 12, 19), 20, date(2026, 1, 21)),  # across Christmas and New Year
    ],
)
def test_add_working_days_skips_weekends_and_bank_holidays(start, days, expected):
    assert add_working_days(start, days) == expected


def test_scottish_holidays_are_not_english_ones():
    # 2 January is a bank holiday in Scotland but not in England and Wales
    assert is_working_day(date(2026, 1, 2))
    assert not is_working_day(date(2026, 1, 2), "GB", "SCT")


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2025, 1, 1), -1)
