"""Reading dates at the boundary: ISO text or ``date`` in, ``date`` out, or an error naming the field."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

from dateutil import parser

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
# what councils write in a date column when there is no date: read as "not recorded", never refused
NOT_RECORDED = frozenset(
    {"tbc", "tba", "tbd", "n/a", "na", "n.a.", "unknown", "not known", "not recorded", "none", "nil"}
    | {"-", "–", "—", "?"}
)
WEEK_OF = re.compile(r"^(?:w/c|w\.c\.|wc|week commencing|week beginning|w/b)\s*:?\s*", re.IGNORECASE)
NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})")
MONTH_YEAR = re.compile(r"(?:end of |by )?([a-z]+)\.?[\s\-']+(\d{4}|\d{2})")
QUARTER = re.compile(r"q([1-4])\s*(\d{4})|(\d{4})\s*q([1-4])")
# a financial year (April to March) as councils write it, "2024/25", "2024-2025", "24/25", and its
# quarters, "Q3 2024/25" or "2024/25 Q3" (Q1 is April to June, Q4 January to March)
FINANCIAL_YEAR = r"(?:fy\s*)?(\d{4}|\d{2}(?=\s*[/\-]\s*\d{2}\b))\s*[/\-]\s*(\d{4}|\d{2})"
FINANCIAL = re.compile(rf"(?:end of |by )?(?:q([1-4])\s*)?{FINANCIAL_YEAR}(?:\s*q([1-4]))?")
_EARLY, _LATE = datetime(1904, 1, 1), datetime(1908, 2, 2)  # two defaults: a part that differs was not written


def _year(digits: str) -> int:
    """A year as written: four digits, or two read as 20xx ("22" is 2022; a review predates 2000 never)."""
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _real_date(year: int, month: int, day: int, text: str) -> date:
    """The date, or a ValueError naming why it cannot be one (31/02/2026: February has 28 days)."""
    if not 1 <= month <= 12:
        hint = " (it reads as month first; write the day first)" if 1 <= day <= 12 else ""
        raise ValueError(f"'{text}' is not a date: there is no month {month}{hint}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValueError(f"'{text}' is not a real date: {calendar.month_name[month]} {year} has {last} days")
    return date(year, month, day)


def _plausible(year: int, text: str) -> None:
    if year < 1900:
        raise ValueError(f"'{text}': the year {year} is not plausible")


PERIOD_END, PERIOD_START = "end", "start"  # which day of a month, quarter or year written without its day


def read_free_date(text: str, *, period: str = PERIOD_END) -> tuple[date | None, str | None]:
    """A date as officers write it in spreadsheets, in UK day-first order: ISO, 31/03/2015, 09/09/24,
    "21st Jan 2023", "1 Sept 2024", "w/c 5/12/22" (the week's first day), a month ("March 2015",
    "Nov 23"), a quarter ("Q3 2016"), a financial year or its quarter ("2024/25", "Q3 2024/25") or a
    year ("2017"). A period without its day is read as its last day (``period="end"``: a target, "by
    March 2015"; "2024/25" is 31 March 2025) or its first (``period="start"``: the earliest an event in
    it can have happened; "Sept 22" is 1 September 2022).
    Returns (date, a note saying how it was read, or None); (None, None) for blank and for the words
    that mean no date ("TBC", "n/a", "unknown", "-"); ValueError naming the text when it is not a
    date or not a real one (31/02/2026 is never moved to March). Word forms go to python-dateutil."""
    if period not in (PERIOD_END, PERIOD_START):
        raise ValueError(f"period: {period!r} is neither {PERIOD_END!r} nor {PERIOD_START!r}")
    text = " ".join(str(text).split()).strip()
    if not text or text.lower() in NOT_RECORDED:
        return None, None
    week = WEEK_OF.match(text)
    if week:
        day, _ = read_free_date(text[week.end() :])
        if day is None:
            raise ValueError(f"'{text}' gives no date after the week")
        return day, f"'{text}' read as the first day of that week, {long_date(day)}"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text[:10]):
        year, month, day = map(int, text[:10].split("-"))
        return _real_date(year, month, day, text), None
    if numeric := NUMERIC.fullmatch(text):
        day, month, year = int(numeric.group(1)), int(numeric.group(2)), _year(numeric.group(3))
        _plausible(year, text)
        return _real_date(year, month, day, text), None
    if found := _period(text):
        first, last, what = found
        day = first if period == PERIOD_START else last
        return day, f"'{text}' read as the {period} of {what}, {long_date(day)}"
    return _word_date(text), None


def without_day(text: str) -> bool:
    """Whether ``text`` is a month, quarter or year that ``read_free_date`` reads as its first or last day."""
    try:
        return _period(" ".join(str(text).split())) is not None
    except ValueError:
        return False


def _period(text: str) -> tuple[date, date, str] | None:
    """(first day, last day, the period in words) of a year, a financial year or its quarter, a quarter
    or a month written without a day; None for any other text."""
    lower = text.lower()
    if re.fullmatch(r"\d{4}", text):
        _plausible(int(text), text)
        return date(int(text), 1, 1), date(int(text), 12, 31), text
    if (financial := FINANCIAL.fullmatch(lower)) and _is_financial(financial):
        return _financial_year(financial, text)
    if quarter := QUARTER.fullmatch(lower):
        q, year = int(quarter.group(1) or quarter.group(4)), int(quarter.group(2) or quarter.group(3))
        _plausible(year, text)
        return date(year, q * 3 - 2, 1), _month_end(year, q * 3), f"Q{q} {year}"
    if (month_year := MONTH_YEAR.fullmatch(lower)) and month_year.group(1) in MONTHS:
        year, month = _year(month_year.group(2)), MONTHS[month_year.group(1)]
        _plausible(year, text)
        return date(year, month, 1), _month_end(year, month), "that month"
    return None


def _is_financial(financial: re.Match) -> bool:
    """One quarter at most, and the second year the one after the first ("2024/25", not "12/25"); two
    two-digit years only with a quarter or "FY" ("Q3 24/25", "FY 24/25"; a bare "11/12" is no date)."""
    first, second = _year(financial.group(2)), _year(financial.group(3))
    named = bool(financial.group(1) or financial.group(4) or financial.group(0).startswith("fy"))
    return (
        not (financial.group(1) and financial.group(4))
        and second % 100 == (first + 1) % 100
        and (len(financial.group(2)) == 4 or named)
    )


def _financial_year(financial: re.Match, text: str) -> tuple[date, date, str]:
    """The first and last days of a financial year ("2024/25": 1 April 2024 to 31 March 2025) or of one
    of its quarters (Q1 is April to June, Q4 January to March), and the period in words."""
    first = _year(financial.group(2))
    _plausible(first, text)
    what = f"the financial year {first}/{(first + 1) % 100:02d}"
    if not (financial.group(1) or financial.group(4)):
        return date(first, 4, 1), _month_end(first + 1, 3), what
    quarter = int(financial.group(1) or financial.group(4))
    year, month = (first + 1, 1) if quarter == 4 else (first, 1 + quarter * 3)
    return date(year, month, 1), _month_end(year, month + 2), f"Q{quarter} of {what}"


def _word_date(text: str) -> date:
    """A date written with its month in words ("21st Jan 2023", "3rd February 2023", "1 Sept 2024"),
    read by python-dateutil day first; every part must be written (no day or year is assumed)."""
    if not any(word in MONTHS for word in re.findall(r"[a-z]+", text.lower())):
        raise ValueError(f"'{text}' is not a date")
    try:
        early = parser.parse(text, dayfirst=True, default=_EARLY)
        late = parser.parse(text, dayfirst=True, default=_LATE)
    except (parser.ParserError, OverflowError, ValueError) as error:
        if "out of range" in str(error):
            raise ValueError(f"'{text}' is not a real date: that month has fewer days") from None
        raise ValueError(f"'{text}' is not a date") from None
    if early.year != late.year:
        raise ValueError(f"'{text}' has no year")
    if early.day != late.day:
        raise ValueError(f"'{text}' is not a date")
    _plausible(early.year, text)
    return early.date()


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
