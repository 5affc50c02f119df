"""Spreadsheets laid out as councils lay them out, built at test time (never committed with their text).

``harrow_plan`` is the real Harrow Domestic and Sexual Violence action plan 2014-17, read from the seed
text (../shared/corpus/seeds/004_…): one sheet row per line of the table as the text holds it, section
titles and their paragraphs in the first cell, and the column headings repeated on every page.
``council_tracker`` is a fictional register kept the way community safety teams keep one: a title row,
section rows per year, "Date referred to CSP", decision and status words, "/" in references and dates
written every way they write them.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

HARROW = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "seeds" / "004_59b6e730850425a6.txt"


def xlsx(rows: list[list], merged: tuple[str, ...] = ()) -> bytes:
    """A workbook whose first sheet holds these rows, with these ranges merged ("A1:F1": a title block)."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cells in merged:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def harrow_plan_rows() -> list[list[str]]:
    """The action plan's lines, from its title to the appendices, as sheet rows."""
    lines = HARROW.read_text(encoding="utf-8").splitlines()
    start = lines.index("Action Plan 2014-17")
    end = lines.index("Report Appendices")
    return [line.split("\t") for line in lines[start:end] if line.strip()]


def harrow_plan() -> bytes:
    return xlsx(harrow_plan_rows())


TRACKER_HEADER = [
    "DHR Ref",
    "Victim",
    "Date of death",
    "Date referred to CSP",
    "Decision",
    "Decision date",
    "Chair",
    "Status",
    "Date submitted to HO",
    "Comments",
]


def council_tracker_rows() -> list[list[str]]:
    """A fictional tracker (names invented). Every review's dates are long past, so none is due soon."""
    return [
        ["Northvale Community Safety Partnership – DHR tracker (fictional)"],
        [],
        TRACKER_HEADER,
        ["2022 referrals"],
        ["DHR 2022/01", "Adele", "2 Nov 2022", "w/c 5/12/22", "Hold DHR", "21st Jan 2023", "Dr Jane Hill",
         "Published 1 Sept 2024", "Nov 23", ""],
        ["DHR 2022/02", "Bryony", "TBC", "09/09/2022", "Criteria not met", "3rd February 2023", "", "", "n/a",
         "Natural causes"],
        ["2023 referrals"],
        ["DHR/2023/03", "Carys", "2023-06-01", "2023-06-14", "Yes", "2023-07-10", "", "On hold – criminal trial",
         "-", "Trial listed"],
        ["DHR/2023/04", "Delyth", "unknown", "1 Sept 2023", "Not proceeding", "", "", "Closed 3rd February 2024", "",
         ""],
        ["DHR/2023/05", "Elin", "", "Nov 23", "Agreed", "", "", "Paused – inquest (agreed with Home Office)", "",
         ""],
    ]


def council_tracker() -> bytes:
    return xlsx(council_tracker_rows())
