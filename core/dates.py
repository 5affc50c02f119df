"""Reading dates at the boundary: ISO text or ``date`` in, ``date`` out, or an error naming the field."""

from __future__ import annotations

from datetime import date

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
