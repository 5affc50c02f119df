"""Reading people's tables: Excel, CSV or a table in a Word document, as rows of text.

Shared by the action-plan import and the chronology merge. Merged cells are filled from their
top-left cell, dates become ISO text, and headers are matched to our fields by synonyms.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime

import openpyxl

from core.errors import ValidationError
from core.text import without_controls

SUFFIXES = (".xlsx", ".xlsm", ".csv", ".docx")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _xlsx(data: bytes) -> list[list[str]]:
    try:
        sheet = openpyxl.load_workbook(io.BytesIO(data), data_only=True).worksheets[0]
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ValidationError(
            f"file: the workbook cannot be read ({type(error).__name__}); save it again as .xlsx"
        ) from None
    grid = [[_cell_text(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:
        top_left = grid[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, merged.max_row):
            for c in range(merged.min_col - 1, merged.max_col):
                grid[r][c] = top_left
    return grid


def _docx(data: bytes) -> list[list[str]]:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ValidationError(f"file: the Word file cannot be read ({error}); save it again as .docx") from None
    if not document.tables:
        raise ValidationError("file: the Word document has no table")
    largest = max(document.tables, key=lambda t: len(t.rows))
    return [[_cell_text(cell.text) for cell in row.cells] for row in largest.rows]


def read_grid(data: bytes, filename: str) -> list[list[str]]:
    """Every row of the first sheet, the CSV, or the largest table of a Word document, as text."""
    name = filename.lower()
    if name.endswith(".csv"):
        text = data.decode("utf-8-sig", errors="replace")
        return [[_cell_text(c) for c in row] for row in csv.reader(io.StringIO(text))]
    if name.endswith((".xlsx", ".xlsm")):
        return _xlsx(data)
    if name.endswith(".docx"):
        return _docx(data)
    raise ValidationError("file: upload an Excel .xlsx, a .csv or a Word .docx table")


def _normal(header: str) -> str:
    return re.sub(r"[^a-z# ]", "", header.lower()).strip()


def propose_mapping(headers: list[str], synonyms: dict[str, list[str]]) -> dict[str, str]:
    """Their header -> our field, by exact synonym first, then by a synonym the header contains."""
    mapping: dict[str, str] = {}
    for exact in (True, False):
        for header in headers:
            if not header or header in mapping:
                continue
            normal = _normal(header)
            for field_name, words in synonyms.items():
                if field_name in mapping.values():
                    continue
                if any(normal == w if exact else (len(w) > 3 and w in normal) for w in words):
                    mapping[header] = field_name
                    break
    return mapping


def append_as_text(sheet, values: list) -> None:
    """Append a row to an openpyxl sheet so that no text becomes a formula: a value starting with
    "=", "+", "-" or "@" is stored as text (Excel shows it, never runs it); control characters go."""
    sheet.append([without_controls(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"
