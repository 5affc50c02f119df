"""Date arithmetic for deadlines: calendar months clamped at month end, and working days."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays


def add_months(start: date, months: int) -> date:
    """``start`` plus whole calendar months, clamped at month end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@lru_cache(maxsize=8)
def _bank_holidays(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year))


def is_working_day(day: date, country: str = "GB", subdivision: str | None = "ENG") -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(country, subdivision, day.year)


def add_working_days(start: date, days: int, country: str = "GB", subdivision: str | None = "ENG") -> date:
    """The date ``days`` working days after ``start`` (weekends and bank holidays skipped).

    The default calendar is England's, whose bank holidays are also Wales's."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day, country, subdivision):
            remaining -= 1
    return day
