"""JSON files people upload (rule sets, theme vocabularies, mappings, register transfers), read with
limits: whatever is wrong with one is a ValidationError saying what to fix, never a traceback."""

from __future__ import annotations

import json

from core.errors import ValidationError
from core.files import KINDS, suffix_by_bytes

MAX_JSON_BYTES = 20 * 1024 * 1024
"""The largest JSON file read: a register export of a few hundred reviews is a few megabytes; a
rule set or a vocabulary a few kilobytes. Bigger is not one of ours, and parsing holds all of it."""


def read_json(data: bytes, *, what: str) -> object:
    """The JSON document in ``data``, a file's bytes: UTF-8, with or without the byte-order mark
    Windows Notepad writes. ``what`` names the file in messages ("rule set")."""
    if len(data) > MAX_JSON_BYTES:
        raise ValidationError(
            f"{what}: the file is {len(data) / 1_048_576:.1f} MB, more than {MAX_JSON_BYTES // 1_048_576} MB"
        )
    return parse_json(utf8_text(data, what=what), what=what)


def utf8_text(data: bytes, *, what: str) -> str:
    """A file's bytes as UTF-8 text, without the byte-order mark Windows Notepad writes."""
    found = suffix_by_bytes(data)
    if found:
        raise ValidationError(f"{what}: the file is {KINDS[found]}, not a JSON file; choose the .json file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(f"{what}: the file is not UTF-8 text; save it as UTF-8 and try again") from None


def parse_json(text: str, *, what: str) -> object:
    """The JSON document in ``text`` (a leading byte-order mark is ignored); refused in words when it is
    not JSON, nested deeper than Python's parser goes (about 1,000 levels: RecursionError), or holds a
    number Python will not read (over 4,300 digits: ValueError)."""
    text = text.removeprefix("\ufeff")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            f"{what}: line {error.lineno}, column {error.colno}: not valid JSON ({error.msg})"
        ) from None
    except RecursionError:
        raise ValidationError(f"{what}: nested too deeply to be one of ours; check the file") from None
    except ValueError:  # int() refuses a number of thousands of digits
        raise ValidationError(f"{what}: holds a number too long to read; check the file") from None
