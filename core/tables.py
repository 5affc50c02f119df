"""Reading people's tables: Excel, CSV or a table in a Word document, as rows of text.

Shared by the action-plan import and the chronology merge. Merged cells are filled from their
top-left cell, dates become ISO text, and headers are matched to our fields by synonyms.
"""

from __future__ import annotations

import csv
import io
import posixpath
import re
from datetime import date, datetime

import openpyxl
from lxml import etree
from openpyxl.utils import get_column_letter, range_boundaries

from core.docx_package import Package, R, check_zip, parse_xml, read_part, run_text, w
from core.errors import ValidationError
from core.files import suffix_by_bytes
from core.text import decode_text, without_controls

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


MAX_GRID_ROWS = 10_000  # more rows than any import accepts: reading stops here
MAX_GRID_COLUMNS = 200
MAX_CSV_FIELD = 1_000_000  # characters in one CSV cell
SHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _first_sheet_part(archive) -> str:
    """The zip path of the workbook's first sheet (what openpyxl's ``worksheets[0]`` reads)."""
    workbook = parse_xml(read_part(archive, "xl/workbook.xml", "workbook"))
    sheet = workbook.find(f"{{{SHEET}}}sheets/{{{SHEET}}}sheet")
    rels = parse_xml(read_part(archive, "xl/_rels/workbook.xml.rels", "workbook"))
    for rel in rels:
        if sheet is not None and rel.get("Id") == sheet.get(f"{{{R}}}id"):
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    raise ValidationError("file: the workbook has no sheet")


def _merged_ranges(archive, part: str) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of each merged range, read from the sheet's XML:
    openpyxl would create a cell object for every cell of a range (A20:XFD1048576 is 17 billion)."""
    ranges = []
    for element in parse_xml(read_part(archive, part, "workbook")).iter(f"{{{SHEET}}}mergeCell"):
        try:
            ranges.append(range_boundaries(element.get("ref", "")))
        except (ValueError, TypeError):
            raise ValidationError(
                f"file: the merged range {element.get('ref')!r} is damaged; re-save the workbook"
            ) from None
    return ranges


def _rows(sheet) -> list[list]:
    rows = []
    for row in sheet.iter_rows(values_only=True, max_col=MAX_GRID_COLUMNS):
        rows.append(list(row))
        if len(rows) > MAX_GRID_ROWS:
            raise ValidationError(f"file: more than {MAX_GRID_ROWS} rows; split it into smaller files")
    return rows


def _xlsx(data: bytes) -> list[list[str]]:
    """The first sheet, streamed (openpyxl's read-only mode) up to the row limit; merged ranges
    filled from their top-left cell within the rows read; formulas read as their saved values."""
    archive = check_zip(data, "workbook")
    try:
        part = _first_sheet_part(archive)
        merged = _merged_ranges(archive, part)
    except etree.XMLSyntaxError:
        raise ValidationError("file: the workbook is damaged; save it again as .xlsx") from None
    try:
        values = _rows(openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0])
        formulas = _rows(openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0])
    except ValidationError:
        raise
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise ValidationError("file: the workbook cannot be read; save it again as .xlsx") from None
    unsaved = [
        f"row {r}, column {get_column_letter(c)}: a formula with no saved value; open the file in Excel and save it"
        for r, (row, written) in enumerate(zip(values, formulas, strict=False), start=1)
        for c, (value, formula) in enumerate(zip(row, written, strict=False), start=1)
        if value is None and isinstance(formula, str) and formula.startswith("=")
    ]
    if unsaved:
        raise ValidationError(unsaved[:20])
    grid = [[_cell_text(c) for c in row] for row in values]
    for min_col, min_row, max_col, max_row in merged:
        if min_row > len(grid) or min_col > len(grid[min_row - 1]):
            continue
        top_left = grid[min_row - 1][min_col - 1]
        for r in range(min_row - 1, min(max_row, len(grid))):
            for c in range(min_col - 1, min(max_col, len(grid[r]))):
                grid[r][c] = top_left
    for min_col, min_row, max_col, max_row in merged:
        if min_row == max_row and max_col > min_col and min_row < min(len(grid), HEADING_ROWS):
            _join_headings(grid, min_row - 1, range(min_col - 1, max_col))
    return grid


HEADING_ROWS = 20  # a sheet's headings are within its first rows


def _join_headings(grid: list[list[str]], top: int, span: range) -> None:
    """Headings in two rows: a heading merged across columns ("Action") over a heading for each of them ("What",
    "Outcome"), the other headings merged down both rows. Each column under the span is headed by both ("Action:
    What", "Action: Outcome") and the second row is emptied, so no column is read as another's."""
    upper, lower = grid[top], grid[top + 1]
    outside = [c for c in range(min(len(upper), len(lower))) if c not in span and upper[c]]
    under = [lower[c] for c in span if c < len(lower)]
    if (
        outside
        and all(lower[c] == upper[c] for c in outside)
        and sum(1 for text in under if text) >= 2
        and len(set(under)) == len(under)
        and not any(text == upper[span.start] for text in under)
    ):
        for c in span:
            if c < len(lower) and lower[c]:
                upper[c] = f"{upper[c]}: {lower[c]}"
        grid[top + 1] = [""] * len(lower)


def _docx(data: bytes) -> list[list[str]]:
    """The Word document's largest table, read from its XML in one pass: a cell spanning columns
    (w:gridSpan) is repeated across them, up to MAX_GRID_COLUMNS; a cell continuing a vertical merge
    (w:vMerge) takes the text of the cell above. python-docx searched upwards for every merged cell
    (5,000 merged rows hung the import) and built a list as long as a span (2^31 columns: 1.9 GB)."""
    body = Package(data).xml("word/document.xml").find(w("body"))
    tables = list(body.iterchildren(w("tbl"))) if body is not None else []
    if not tables:
        raise ValidationError("file: the Word document has no table")
    largest = max(tables, key=lambda table: sum(1 for _ in table.iterchildren(w("tr"))))
    grid: list[list[str]] = []
    for row in largest.iterchildren(w("tr")):
        if len(grid) == MAX_GRID_ROWS:
            raise ValidationError(f"file: the table has more than {MAX_GRID_ROWS} rows; split it")
        above = grid[-1] if grid else []
        cells: list[str] = []
        for cell in row.iterchildren(w("tc")):
            column = len(cells)
            if column >= MAX_GRID_COLUMNS:
                break
            merge = cell.find(f"{w('tcPr')}/{w('vMerge')}")
            if merge is not None and merge.get(w("val"), "continue") == "continue" and column < len(above):
                text = above[column]
            else:
                text = _cell_text(" ".join(run_text(p, [], []) for p in cell.iterchildren(w("p"))))
            cells += [text] * min(_span(cell), MAX_GRID_COLUMNS - column)
        grid.append(cells)
    return grid


def _span(cell) -> int:
    """How many grid columns a table cell spans (1 if its w:gridSpan is missing or not a number)."""
    span = cell.find(f"{w('tcPr')}/{w('gridSpan')}")
    value = span.get(w("val"), "1") if span is not None else "1"
    return int(value) if value.isdigit() and 0 < len(value) < 12 and int(value) > 0 else 1


def _csv(data: bytes) -> list[list[str]]:
    try:
        text = decode_text(data).lstrip("\ufeff")
    except ValueError as error:
        raise ValidationError(f"file: {error}") from None
    reader = csv.reader(io.StringIO(text))
    csv.field_size_limit(MAX_CSV_FIELD)
    grid = []
    try:
        for row in reader:
            grid.append([_cell_text(c) for c in row[:MAX_GRID_COLUMNS]])
            if len(grid) > MAX_GRID_ROWS:
                raise ValidationError(f"file: more than {MAX_GRID_ROWS} rows; split it into smaller files")
    except csv.Error:
        raise ValidationError(
            f"file: line {reader.line_num} cannot be read as CSV (an unclosed quote, or a cell over "
            f"{MAX_CSV_FIELD:,} characters); check it in a text editor"
        ) from None
    return grid


def read_grid(data: bytes, filename: str) -> list[list[str]]:
    """Every row of the first sheet, the CSV, or the largest table of a Word document, as text. A file is read as
    what its bytes are, whatever its name says (an Excel workbook named .docx is read as a workbook); a PDF is
    refused saying so."""
    name, found = filename.lower(), suffix_by_bytes(data)
    if found == ".xlsx" or (found is None and name.endswith((".xlsx", ".xlsm"))):
        return _xlsx(data)
    if found == ".docx" or (found is None and name.endswith(".docx")):
        return _docx(data)
    if found == ".pdf":
        raise ValidationError(
            "file: this is a PDF, which cannot be read as rows; open the table in Word or Excel and save it as "
            ".docx or .xlsx"
        )
    if name.endswith(".csv"):
        return _csv(data)
    raise ValidationError("file: upload an Excel .xlsx, a .csv or a Word .docx table")


def _normal(header: str) -> str:
    """A header as its words: "Measurement/Evidence" is "measurement evidence", "Rec. No." is "rec no"."""
    return re.sub(r"[^a-z#]+", " ", header.lower()).strip()


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


def checked_mapping(mapping: dict[str, str], fields: dict[str, str]) -> dict[str, str]:
    """A mapping a person wrote (their header -> our field, named as the screen names it, "Action",
    or by its key): their header -> our field's key. A blank choice leaves the column out; a choice
    that names none of our fields is refused, naming the column and the choices in the screen's words."""
    if not isinstance(mapping, dict) or not all(isinstance(v, str | None) for v in mapping.values()):
        raise ValidationError('mapping: write it as {"the column\'s heading": "what it holds"}')
    by_name = {label.casefold(): key for key, label in fields.items()} | {key: key for key in fields}
    checked, refused = {}, []
    for header, choice in mapping.items():
        choice = " ".join((choice or "").split())
        if not choice or choice.casefold() in ("ignore", "leave out"):
            continue
        key = by_name.get(choice.casefold(), by_name.get(choice))
        if key is None:
            refused.append(
                f"mapping: column '{header}' is mapped to '{choice}', which is not one of: {', '.join(fields.values())}"
            )
        else:
            checked[header] = key
    if refused:
        raise ValidationError(refused)
    return checked


def heading_row(
    grid: list[list[str]], synonyms: dict[str, list[str]], mapping: dict[str, str] | None, example: str
) -> int:
    """The index of the row of column headings: the first naming three of our fields (or, given a mapping,
    holding every mapped heading); failing that, the first with three or more cells of text, to be mapped by
    hand. A band over the headings ("Recommendation | Action | Delivery", each merged across the headings
    under it) is passed over for the row below when that row names at least as many of our fields in more
    names. The row's names are made unique in place (``unique_headings``), so two columns never share one."""
    index = None
    for at, row in enumerate(grid[:HEADING_ROWS]):
        if mapping is None and len(propose_mapping([c for c in row if c], synonyms)) >= 3:
            index = _under_band(grid, at, synonyms)
        elif mapping is not None and set(mapping) <= set(unique_headings(row)):
            index = at
        if index is not None:
            break
    if index is None and mapping is not None:
        raise ValidationError(f"mapping: no row holds all the mapped headings ({', '.join(mapping)})")
    if index is None:
        index = next((at for at, row in enumerate(grid[:HEADING_ROWS]) if sum(1 for c in row if c) >= 3), None)
    if index is None:
        raise ValidationError(
            f"file: no header row found in the first {HEADING_ROWS} rows (a row of column headings such as "
            f"{example}); put the headings in one row above the first row of data"
        )
    grid[index] = unique_headings(grid[index])
    return index


def _under_band(grid: list[list[str]], index: int, synonyms: dict[str, list[str]]) -> int:
    """``index``, or the row below it where ``index`` is a band of merged cells over the real headings: a name
    repeated in cells side by side, over a row of more names that maps at least as many of our fields."""
    band, below = grid[index], grid[index + 1] if index + 1 < len(grid) else []
    merged = any(a and a == b for a, b in zip(band, band[1:], strict=False))
    names, under = {c for c in band if c}, [c for c in below if c]
    if (
        merged
        and len(set(under)) > len(names)
        and len(propose_mapping(under, synonyms)) >= len(propose_mapping(list(names), synonyms))
    ):
        return index + 1
    return index


def unique_headings(row: list[str]) -> list[str]:
    """A row of headings in which a name written again is told apart by its column ("Date", "Date (column F)"):
    a mapping, a mapping file and the page's choices name each column once."""
    seen: set[str] = set()
    unique = []
    for column, name in enumerate(row, start=1):
        if name and name in seen:
            name = f"{name} (column {get_column_letter(column)})"
        seen.add(name)
        unique.append(name)
    return unique


def samples(grid: list[list[str]], header_index: int, limit: int = 3) -> dict[str, list[str]]:
    """The first few different values under each heading, to help a person say what a column holds."""
    headers = grid[header_index]
    found: dict[str, list[str]] = {h: [] for h in headers if h}
    for row in grid[header_index + 1 :]:
        if row_kind(row, headers) != "data":
            continue
        for header, value in zip(headers, row, strict=False):
            if header and value and value != header and value not in found[header] and len(found[header]) < limit:
                found[header].append(value[:80])
        if all(len(v) >= limit for v in found.values()):
            break
    return found


def row_kind(cells: list[str], headers: list[str]) -> str:
    """'blank', 'header' (the headings again, as a plan split across pages has them), 'section' (text in
    the first cell alone, or one merged cell across the row: "2023 referrals", "Prevention", a title) or
    'data'."""
    filled = [c for c in cells if c]
    if not filled:
        return "blank"
    if sum(1 for c, h in zip(cells, headers, strict=False) if h and _normal(c) and _normal(c) == _normal(h)) >= 2:
        return "header"
    spans = len(set(filled)) == 1 and len(filled) == len([h for h in headers if h])  # a merged cell
    return "section" if spans or (len(filled) == 1 and cells[0]) else "data"


def append_as_text(sheet, values: list) -> None:
    """Append a row to an openpyxl sheet so that no text becomes a formula: a value starting with
    "=", "+", "-" or "@" is stored as text (Excel shows it, never runs it); control characters go."""
    sheet.append([without_controls(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"
