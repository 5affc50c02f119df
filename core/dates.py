"""Reading dates at the boundary: ISO text or ``date`` in, ``date`` out, or an error naming the field."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

from core.errors import ValidationError


def parse_date(value: object, field_name: str, *, required: bool = True) -> date | None:
    """An ISO date (YYYY-MM-DD) or a ``date``; a ValidationError naming the field otherwise."""
    if value is None or value == "":
        if required:
            raise ValidationError(f"{field_name}: a date is required (YYYY-MM-DD)")
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(f"{field_name}: {value!r} is not a date in the form YYYY-MM-DD") from None


def long_date(day: date) -> str:
    """'3 March 2026', the same on every platform (strftime's '%-d' fails on Windows)."""
    return f"{day.day} {day:%B %Y}"


MONTHS = (
    {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
    | {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
    | {"sept": 9}
)
DAY_FIRST = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y", "%d %B, %Y")


def read_free_date(text: str) -> tuple[date | None, str | None]:
    """A date as officers write it in spreadsheets: ISO, day first (31/03/2015, 31 March 2015), a
    month ("March 2015", read as its last day) or a quarter ("Q3 2016", its last day). Returns
    (date, note saying how it was read, or None); (None, None) for blank; ValueError if not a date."""
    text = " ".join(text.split())
    if not text:
        return None, None
    try:
        return date.fromisoformat(text[:10]), None
    except ValueError:
        pass
    for pattern in DAY_FIRST:
        try:
            return datetime.strptime(text, pattern).date(), None
        except ValueError:
            continue
    month = re.fullmatch(r"(?:end of |by )?([a-z]+)\.? (\d{4})", text.lower())
    if month and month.group(1) in MONTHS:
        year, number = int(month.group(2)), MONTHS[month.group(1)]
        if year < 1900:
            raise ValueError(f"{text!r}: the year {year} is not plausible")
        return date(year, number, calendar.monthrange(year, number)[1]), f"'{text}' read as the end of that month"
    quarter = re.fullmatch(r"q([1-4])\s*(\d{4})|(\d{4})\s*q([1-4])", text.lower())
    if quarter:
        q = int(quarter.group(1) or quarter.group(4))
        year = int(quarter.group(2) or quarter.group(3))
        if year < 1900:
            raise ValueError(f"{text!r}: the year {year} is not plausible")
        end_month = q * 3
        return date(
            year, end_month, calendar.monthrange(year, end_month)[1]
        ), f"'{text}' read as the end of Q{q} {year}"
    raise ValueError(f"{text!r} is not a date")


def uk_date(value: date | None) -> str:
    """A date as people here write it: "02 Oct 2026" (a dash for none)."""
    return value.strftime("%d %b %Y") if value else "—"


def days_phrase(due: date | None, today: date) -> str:
    if due is None:
        return ""
    delta = (due - today).days
    if delta == 0:
        return "due today"
    return f"in {delta} day(s)" if delta > 0 else f"{-delta} day(s) late"
