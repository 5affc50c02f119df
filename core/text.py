"""Comparing text the way a reader does: case, accents and curly apostrophes do not matter."""

from __future__ import annotations

import re
import unicodedata

APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "`": "'"})


def fold(text: str) -> tuple[str, list[int]]:
    """Text with accents removed, apostrophes straightened and case folded; and, for each of its
    characters, the index of the original character it came from (to quote the original)."""
    out: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text.translate(APOSTROPHES)):
        for piece in unicodedata.normalize("NFKD", char):
            if unicodedata.combining(piece):
                continue
            for folded in piece.casefold():
                out.append(folded)
                origin.append(i)
    return "".join(out), origin


def normalised(text: str) -> str:
    """Folded text with runs of white space made one space."""
    return " ".join(fold(text)[0].split())


# control characters other than tab, line feed and carriage return: no document format can hold them
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def without_controls(value):
    """A string with NUL and other control characters removed (anything else as it is)."""
    return CONTROL.sub("", value) if isinstance(value, str) else value


def csv_safe(value):
    """A value for a CSV that Excel opens: text starting like a formula gets a leading apostrophe,
    so Excel shows it as text (OWASP's advice for CSV injection)."""
    value = without_controls(value)
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value
