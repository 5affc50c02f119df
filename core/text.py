"""Comparing text the way a reader does: case, accents and curly apostrophes do not matter."""

from __future__ import annotations

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
