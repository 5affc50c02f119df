"""Comparing text the way a reader does: case, accents and curly apostrophes do not matter."""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable

import charset_normalizer

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


def finding_key(kind: str, text: str) -> str:
    """What a publication-check finding is (kind and folded text, a name without its possessive),
    not where it is: inserting a paragraph above it, or meeting it again elsewhere, does not reopen it."""
    text = normalised(text)
    if kind == "name":
        text = text.removesuffix("'s")
    return f"{kind}|{text}"


MIN_NAME_PART = 3


def name_patterns(names: list[str], pseudonyms: Iterable[str] = ()) -> list[re.Pattern]:
    """Patterns for each full name and each part of it (3+ letters), as whole words (possessives too),
    to search folded text (:func:`fold`) with; longest first. A pseudonym is never one of them: it is
    what a review is meant to be called."""
    allowed = {normalised(p) for p in pseudonyms}
    terms: set[str] = set()
    for name in names:
        name = normalised(name)
        if name:
            terms.add(name)
        terms.update(part for part in re.split(r"[\s-]+", name) if len(part) >= MIN_NAME_PART)
    return [
        re.compile(rf"(?<!\w){re.escape(term)}(?:'s)?(?!\w)")
        for term in sorted(terms - allowed, key=len, reverse=True)
        if term
    ]


# characters XML 1.0 cannot hold, so neither can a Word or Excel file: control characters other than tab,
# line feed and carriage return, lone UTF-16 surrogates (a JSON "\ud800" escape) and U+FFFE, U+FFFF
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def without_controls(value):
    """A string without the characters no document can hold (NUL and other control characters,
    lone surrogates, U+FFFE and U+FFFF); anything not a string as it is. Every row written through
    a transaction passes here, so such text never reaches the database or an export."""
    return CONTROL.sub("", value) if isinstance(value, str) else value


def csv_safe(value):
    """A value for a CSV that Excel opens: text starting like a formula gets a leading apostrophe,
    so Excel shows it as text (OWASP's advice for CSV injection)."""
    value = without_controls(value)
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# what British documents not in UTF-8 are written in (detection over every code page misreads short
# English text as Baltic or Cyrillic)
WESTERN = ["cp1252", "iso8859_15", "latin_1", "mac_roman", "cp850", "utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be"]
MAX_CONTROL_SHARE = 0.01  # more control characters than this and the bytes are not text


def decode_text(data: bytes) -> str:
    """Text from bytes: a byte-order mark says the encoding; else UTF-8; else what charset-normalizer
    finds (Windows-1252 and the like), as for a file whose UTF-8 mark an editor kept when it saved it as
    Windows-1252. Bytes that are not text raise ValueError saying so."""
    text = None
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                if bom != codecs.BOM_UTF8:
                    raise ValueError(
                        f"the file starts with the mark of {encoding.upper()} text but is not; save it as UTF-8"
                    ) from None
                data = data[len(bom) :]  # an editor kept UTF-8's mark and saved Windows-1252: read it as that
            break
    if text is None:
        try:
            if b"\x00" in data:  # UTF-16 or UTF-32 without a byte-order mark is valid UTF-8 full of NULs
                raise UnicodeDecodeError("utf-8", data, 0, 1, "NUL bytes")
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            best = charset_normalizer.from_bytes(data, cp_isolation=WESTERN).best()
            if best is None:
                raise ValueError("the file is not text (binary data?); save it as UTF-8 text or PDF") from None
            text = str(best)
    controls = sum(1 for char in text if char < " " and char not in "\t\n\r") + text.count("\ufffd")
    if controls > MAX_CONTROL_SHARE * max(len(text), 1):
        raise ValueError("the file is not text (binary data?); save it as UTF-8 text or PDF")
    return text
